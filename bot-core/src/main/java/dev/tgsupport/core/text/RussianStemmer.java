package dev.tgsupport.core.text;

/**
 * A light Russian suffix stripper in the manner of the Snowball Russian stemmer: it works inside RV (the part after
 * the first vowel) so that short roots survive, and removes in order a perfective gerund, or else a reflexive
 * ending followed by an adjectival, verb or noun ending; then a final "и", a derivational "ость" in R2, and a
 * superlative, a doubled "н" or a soft sign. Among endings of one class the longest wins, and an ending that must
 * follow "а"/"я" fails without falling back to a shorter one, which keeps "делаем" and "делаешь" apart from
 * roots ending in those letters. One addition to Snowball: the imperative "-ьте" ("сбросьте", "отправьте"),
 * common in support requests, is a verb ending.
 *
 * <p>Input is one lower-case Cyrillic word with "ё" already replaced by "е".
 */
final class RussianStemmer {
  private static final String VOWELS = "аеиоуыэюя";

  private static final String[] GERUND_AFTER_A = {"в", "вши", "вшись"};
  private static final String[] GERUND = {"ив", "ивши", "ившись", "ыв", "ывши", "ывшись"};
  private static final String[] REFLEXIVE = {"ся", "сь"};
  private static final String[] ADJECTIVE = {
    "ее", "ие", "ые", "ое", "ими", "ыми", "ей", "ий", "ый", "ой", "ем", "им", "ым", "ом", "его", "ого", "ему",
    "ому", "их", "ых", "ую", "юю", "ая", "яя", "ою", "ею"
  };
  private static final String[] PARTICIPLE_AFTER_A = {"ем", "нн", "вш", "ющ", "щ"};
  private static final String[] PARTICIPLE = {"ивш", "ывш", "ующ"};
  private static final String[] VERB_AFTER_A = {
    "ла", "на", "ете", "йте", "ли", "й", "л", "ем", "н", "ло", "но", "ет", "ют", "ны", "ть", "ешь", "нно"
  };
  private static final String[] VERB = {
    "ила", "ыла", "ена", "ейте", "уйте", "ите", "или", "ыли", "ей", "уй", "ил", "ыл", "им", "ым", "ен", "ило",
    "ыло", "ено", "ят", "ует", "уют", "ит", "ыт", "ены", "ить", "ыть", "ишь", "ую", "ю", "ьте"
  };
  private static final String[] NOUN = {
    "а", "ев", "ов", "ие", "ье", "е", "иями", "ями", "ами", "еи", "ии", "и", "ией", "ей", "ой", "ий", "й", "иям",
    "ям", "ием", "ем", "ам", "ом", "о", "у", "ах", "иях", "ях", "ы", "ь", "ию", "ью", "ю", "ия", "ья", "я"
  };
  private static final String[] NONE = {};
  private static final String[] SUPERLATIVE = {"ейш", "ейше"};
  private static final String[] DERIVATIONAL = {"ост", "ость"};

  private RussianStemmer() {}

  static String stem(String word) {
    int rv = regionAfterVowel(word, 0);
    if (rv >= word.length()) {
      return word;
    }
    int r2 = regionR2(word);
    StringBuilder w = new StringBuilder(word);

    if (!strip(w, rv, GERUND_AFTER_A, GERUND)) {
      strip(w, rv, NONE, REFLEXIVE);
      if (strip(w, rv, NONE, ADJECTIVE)) {
        strip(w, rv, PARTICIPLE_AFTER_A, PARTICIPLE);
      } else if (!strip(w, rv, VERB_AFTER_A, VERB)) {
        strip(w, rv, NONE, NOUN);
      }
    }
    if (endsWith(w, "и", rv)) {
      w.setLength(w.length() - 1);
    }
    strip(w, r2, NONE, DERIVATIONAL);
    if (endsWith(w, "нн", rv)) {
      w.setLength(w.length() - 1);
    } else if (strip(w, rv, NONE, SUPERLATIVE)) {
      if (endsWith(w, "нн", rv)) {
        w.setLength(w.length() - 1);
      }
    } else if (endsWith(w, "ь", rv)) {
      w.setLength(w.length() - 1);
    }
    return w.toString();
  }

  /**
   * Removes the longest ending of {@code afterA} ∪ {@code plain} that lies inside the region starting at
   * {@code region}; an ending of {@code afterA} counts only when "а" or "я" precedes it inside the region.
   */
  private static boolean strip(StringBuilder w, int region, String[] afterA, String[] plain) {
    String best = null;
    boolean bestNeedsA = false;
    for (String s : afterA) {
      if ((best == null || s.length() > best.length()) && endsWith(w, s, region)) {
        best = s;
        bestNeedsA = true;
      }
    }
    for (String s : plain) {
      if ((best == null || s.length() > best.length()) && endsWith(w, s, region)) {
        best = s;
        bestNeedsA = false;
      }
    }
    if (best == null) {
      return false;
    }
    int start = w.length() - best.length();
    if (bestNeedsA) {
      if (start - 1 < region) {
        return false;
      }
      char before = w.charAt(start - 1);
      if (before != 'а' && before != 'я') {
        return false;
      }
    }
    w.setLength(start);
    return true;
  }

  private static boolean endsWith(StringBuilder w, String suffix, int region) {
    int start = w.length() - suffix.length();
    if (start < region || start < 0) {
      return false;
    }
    for (int i = 0; i < suffix.length(); i++) {
      if (w.charAt(start + i) != suffix.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  /** Index just after the first vowel at or after {@code from}; the length when there is none. */
  private static int regionAfterVowel(String w, int from) {
    for (int i = from; i < w.length(); i++) {
      if (VOWELS.indexOf(w.charAt(i)) >= 0) {
        return i + 1;
      }
    }
    return w.length();
  }

  /** R2: R1 of R1, where R1 starts after the first non-vowel that follows a vowel. */
  private static int regionR2(String w) {
    int r1 = afterVowelThenConsonant(w, 0);
    return afterVowelThenConsonant(w, r1);
  }

  private static int afterVowelThenConsonant(String w, int from) {
    for (int i = from + 1; i < w.length(); i++) {
      if (VOWELS.indexOf(w.charAt(i)) < 0 && VOWELS.indexOf(w.charAt(i - 1)) >= 0) {
        return i + 1;
      }
    }
    return w.length();
  }
}
