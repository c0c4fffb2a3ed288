package dev.tgsupport.core.text;

import java.util.Locale;

/**
 * Tells Russian from English, the two languages the SDK answers in.
 *
 * <p>Detection counts letters by script: a text is {@code "ru"} when Cyrillic letters are more than half of its
 * letters, {@code "en"} otherwise. That is crude on purpose: it is linear, never throws, and is right for the short
 * messages of a support chat, where a Latin product name inside a Russian sentence must not flip the language.
 *
 * <p>A static utility; thread-safe.
 */
public final class Languages {
  /** Russian: also chosen for Ukrainian and Belarusian users, whose replies come from the Russian templates. */
  public static final String RUSSIAN = "ru";

  /** English: the fallback for every other language. */
  public static final String ENGLISH = "en";

  private Languages() {}

  /**
   * The language of {@code text}: {@code "ru"} when Cyrillic letters are the majority of its letters, otherwise
   * (including text without letters, or null) {@code "en"}.
   */
  public static String detect(String text) {
    return majorityCyrillic(text) ? RUSSIAN : ENGLISH;
  }

  /**
   * The language of {@code text}, falling back to the user's Telegram language when the text has no letters
   * (a sticker, a photo without caption, "+1"). A hint of "ru", "uk" or "be" (or a tag such as "ru-RU") then
   * gives {@code "ru"}; any other or null hint gives {@code "en"}. When the text has letters the hint is ignored:
   * people write in the language they want the answer in.
   *
   * @param languageCodeHint the IETF tag Telegram reports for the user; nullable
   */
  public static String detect(String text, String languageCodeHint) {
    int[] counts = count(text);
    if (counts[0] > 0) {
      return counts[1] * 2 > counts[0] ? RUSSIAN : ENGLISH;
    }
    return isRussianSpeaking(languageCodeHint) ? RUSSIAN : ENGLISH;
  }

  private static boolean majorityCyrillic(String text) {
    int[] counts = count(text);
    return counts[1] * 2 > counts[0];
  }

  /** {letters, cyrillic letters}. */
  private static int[] count(String text) {
    int letters = 0;
    int cyrillic = 0;
    if (text != null) {
      for (int i = 0; i < text.length(); ) {
        int cp = text.codePointAt(i);
        i += Character.charCount(cp);
        if (Character.isLetter(cp)) {
          letters++;
          if (Character.UnicodeScript.of(cp) == Character.UnicodeScript.CYRILLIC) {
            cyrillic++;
          }
        }
      }
    }
    return new int[] {letters, cyrillic};
  }

  private static boolean isRussianSpeaking(String hint) {
    if (hint == null) {
      return false;
    }
    String h = hint.strip().toLowerCase(Locale.ROOT);
    int dash = h.indexOf('-') >= 0 ? h.indexOf('-') : h.indexOf('_');
    String primary = dash >= 0 ? h.substring(0, dash) : h;
    return primary.equals("ru") || primary.equals("uk") || primary.equals("be");
  }
}
