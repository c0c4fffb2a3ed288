package dev.tgsupport.core.text;

/**
 * A light English suffix stripper in the manner of Porter's algorithm: plurals, "-ed"/"-ing" (undoubling
 * "resetting" to "reset"), "-y" to "-i", derivational endings ("-ational", "-ness", "-ment", "-ation"…) guarded by
 * the word's measure so that short roots such as "pay" in "payment" survive, and a final "-e". Unlike Porter's
 * original it also drops the adverbial "-li" (from "-ly") after the consonants Porter2 allows, so "monthly" meets
 * "month".
 *
 * <p>Input is one lower-case ASCII word.
 */
final class EnglishStemmer {
  private static final String[][] STEP2 = {
    {"ational", "ate"}, {"tional", "tion"}, {"enci", "ence"}, {"anci", "ance"}, {"izer", "ize"}, {"bli", "ble"},
    {"alli", "al"}, {"entli", "ent"}, {"eli", "e"}, {"ousli", "ous"}, {"ization", "ize"}, {"ation", "ate"},
    {"ator", "ate"}, {"alism", "al"}, {"iveness", "ive"}, {"fulness", "ful"}, {"ousness", "ous"},
    {"aliti", "al"}, {"iviti", "ive"}, {"biliti", "ble"}, {"logi", "log"}
  };
  private static final String[][] STEP3 = {
    {"icate", "ic"}, {"ative", ""}, {"alize", "al"}, {"iciti", "ic"}, {"ical", "ic"}, {"ful", ""}, {"ness", ""}
  };
  private static final String[] STEP4 = {
    "al", "ance", "ence", "er", "ic", "able", "ible", "ant", "ement", "ment", "ent", "ion", "ou", "ism", "ate",
    "iti", "ous", "ive", "ize"
  };
  private static final String LI_ENDING_BEFORE = "cdeghkmnrt";

  private EnglishStemmer() {}

  static String stem(String word) {
    if (word.length() <= 2) {
      return word;
    }
    StringBuilder w = new StringBuilder(word);
    step1a(w);
    step1b(w);
    if (w.length() > 1 && w.charAt(w.length() - 1) == 'y' && hasVowel(w, w.length() - 1)) {
      w.setCharAt(w.length() - 1, 'i');
    }
    step2(w);
    replaceFirstMatch(w, STEP3);
    step4(w);
    step5(w);
    return w.toString();
  }

  private static void step1a(StringBuilder w) {
    if (endsWith(w, "sses") || endsWith(w, "ies")) {
      w.setLength(w.length() - 2);
    } else if (endsWith(w, "s") && !endsWith(w, "ss") && !endsWith(w, "us") && w.length() > 3) {
      w.setLength(w.length() - 1);
    }
  }

  private static void step1b(StringBuilder w) {
    if (endsWith(w, "eed")) {
      if (measure(w, w.length() - 3) > 0) {
        w.setLength(w.length() - 1);
      }
      return;
    }
    int cut;
    if (endsWith(w, "ed") && hasVowel(w, w.length() - 2)) {
      cut = 2;
    } else if (endsWith(w, "ing") && hasVowel(w, w.length() - 3)) {
      cut = 3;
    } else {
      return;
    }
    w.setLength(w.length() - cut);
    if (endsWith(w, "at") || endsWith(w, "bl") || endsWith(w, "iz")) {
      w.append('e');
    } else if (endsInDoubleConsonant(w, w.length())) {
      char last = w.charAt(w.length() - 1);
      if (last != 'l' && last != 's' && last != 'z') {
        w.setLength(w.length() - 1);
      }
    } else if (measure(w, w.length()) == 1 && endsConsonantVowelConsonant(w, w.length())) {
      w.append('e');
    }
  }

  private static void step2(StringBuilder w) {
    if (replaceFirstMatch(w, STEP2)) {
      return;
    }
    // "-ly" became "-li" in step 1c; drop it where Porter2 would ("monthly", "weekly", "recently").
    if (endsWith(w, "li") && w.length() > 3
        && LI_ENDING_BEFORE.indexOf(w.charAt(w.length() - 3)) >= 0
        && measure(w, w.length() - 2) > 0) {
      w.setLength(w.length() - 2);
    }
  }

  private static void step4(StringBuilder w) {
    for (String s : STEP4) {
      if (endsWith(w, s)) {
        int stem = w.length() - s.length();
        boolean ok = measure(w, stem) > 1;
        if (s.equals("ion")) {
          ok = ok && stem > 0 && (w.charAt(stem - 1) == 's' || w.charAt(stem - 1) == 't');
        }
        if (ok) {
          w.setLength(stem);
        }
        return;
      }
    }
  }

  private static void step5(StringBuilder w) {
    if (endsWith(w, "e")) {
      int stem = w.length() - 1;
      int m = measure(w, stem);
      if (m > 1 || (m == 1 && !endsConsonantVowelConsonant(w, stem))) {
        w.setLength(stem);
      }
    }
    if (endsWith(w, "ll") && measure(w, w.length()) > 1) {
      w.setLength(w.length() - 1);
    }
  }

  /**
   * Replaces the first listed suffix the word ends with, when what precedes it has a measure above {@code 0};
   * a matching suffix whose stem is too short stops the step, as in Porter's algorithm.
   */
  private static boolean replaceFirstMatch(StringBuilder w, String[][] rules) {
    for (String[] rule : rules) {
      if (endsWith(w, rule[0])) {
        int stem = w.length() - rule[0].length();
        if (measure(w, stem) > 0) {
          w.setLength(stem);
          w.append(rule[1]);
          return true;
        }
        return false;
      }
    }
    return false;
  }

  private static boolean endsWith(StringBuilder w, String suffix) {
    int start = w.length() - suffix.length();
    if (start < 0) {
      return false;
    }
    for (int i = 0; i < suffix.length(); i++) {
      if (w.charAt(start + i) != suffix.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  private static boolean isConsonant(CharSequence w, int i) {
    char c = w.charAt(i);
    if (c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u') {
      return false;
    }
    if (c == 'y') {
      return i == 0 || !isConsonant(w, i - 1);
    }
    return true;
  }

  /** Porter's m: the number of vowel-consonant sequences in {@code w[0, end)}. */
  private static int measure(CharSequence w, int end) {
    int m = 0;
    int i = 0;
    while (i < end && isConsonant(w, i)) {
      i++;
    }
    while (i < end) {
      while (i < end && !isConsonant(w, i)) {
        i++;
      }
      if (i >= end) {
        break;
      }
      while (i < end && isConsonant(w, i)) {
        i++;
      }
      m++;
    }
    return m;
  }

  private static boolean hasVowel(CharSequence w, int end) {
    for (int i = 0; i < end; i++) {
      if (!isConsonant(w, i)) {
        return true;
      }
    }
    return false;
  }

  private static boolean endsInDoubleConsonant(CharSequence w, int end) {
    return end >= 2 && w.charAt(end - 1) == w.charAt(end - 2) && isConsonant(w, end - 1);
  }

  /** Consonant-vowel-consonant at the end, the last not w, x or y ("hop", not "bow"). */
  private static boolean endsConsonantVowelConsonant(CharSequence w, int end) {
    if (end < 3 || !isConsonant(w, end - 1) || isConsonant(w, end - 2) || !isConsonant(w, end - 3)) {
      return false;
    }
    char c = w.charAt(end - 1);
    return c != 'w' && c != 'x' && c != 'y';
  }
}
