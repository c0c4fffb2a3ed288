package dev.tgsupport.telegram;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a text longer than Telegram's 4096-character limit into parts that each fit, cutting at the best boundary
 * inside the window: a blank line, then a line break, then a sentence end, then a space, and only as a last resort in
 * the middle of a word (a link or a blob with no space in the whole window). Never between the two
 * halves of a surrogate pair (an emoji). Lengths are counted in UTF-16 code units, as Telegram counts them. The
 * bot sends plain text, so there are no entities whose offsets a cut could break.
 */
final class MessageSplitter {
  static final int TELEGRAM_MAX = 4096;

  private MessageSplitter() {}

  static List<String> split(String text, int max) {
    if (max < 2) {
      throw new IllegalArgumentException("max must be >= 2, was " + max);
    }
    List<String> parts = new ArrayList<>();
    String rest = text;
    while (rest.length() > max) {
      int cut = cutPoint(rest, max);
      String part = rest.substring(0, cut).stripTrailing();
      if (!part.isBlank()) {
        parts.add(part);
      }
      rest = stripLeadingBreaks(rest.substring(cut));
    }
    if (!rest.isBlank() || parts.isEmpty()) {
      parts.add(rest);
    }
    return parts;
  }

  /** Where to end the next part: an index in (0, max]. */
  private static int cutPoint(String s, int max) {
    // Look for a natural boundary in the second half of the window only, so parts don't come out tiny.
    int floor = max / 2;
    int at = s.lastIndexOf("\n\n", max - 2);
    if (at >= floor) {
      return at + 2;
    }
    at = s.lastIndexOf('\n', max - 1);
    if (at >= floor) {
      return at + 1;
    }
    for (int i = max - 1; i >= floor; i--) {
      char c = s.charAt(i);
      if ((c == ' ' || c == '\u00A0') && i > 0 && isSentenceEnd(s.charAt(i - 1))) {
        return i + 1;
      }
    }
    for (int i = max - 1; i >= floor; i--) {
      if (Character.isWhitespace(s.charAt(i))) {
        return i + 1;
      }
    }
    // A short part beats a link cut in two: any space in the window will do.
    for (int i = floor - 1; i > 0; i--) {
      if (Character.isWhitespace(s.charAt(i))) {
        return i + 1;
      }
    }
    // One "word" as long as the window (a long URL, a base64 blob): cut it, keeping surrogate pairs whole.
    int cut = max;
    if (Character.isHighSurrogate(s.charAt(cut - 1)) && Character.isLowSurrogate(s.charAt(cut))) {
      cut--;
    }
    return cut;
  }

  private static boolean isSentenceEnd(char c) {
    return c == '.' || c == '!' || c == '?' || c == '…' || c == ';';
  }

  private static String stripLeadingBreaks(String s) {
    int i = 0;
    while (i < s.length() && (s.charAt(i) == '\n' || s.charAt(i) == ' ' || s.charAt(i) == '\r')) {
      i++;
    }
    return s.substring(i);
  }
}
