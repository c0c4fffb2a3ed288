package dev.tgsupport.core.text;

/** Typo tolerance shared by the noise lexicon and the retriever. */
final class Edits {
  private Edits() {}

  /** Optimal-string-alignment distance ≤ 1: one insertion, deletion, substitution or swap of neighbours. */
  static boolean withinOne(String a, String b) {
    if (a.length() > b.length()) {
      String t = a;
      a = b;
      b = t;
    }
    if (b.length() - a.length() > 1) {
      return false;
    }
    int i = 0;
    while (i < a.length() && a.charAt(i) == b.charAt(i)) {
      i++;
    }
    if (i == a.length()) {
      return b.length() - a.length() <= 1;
    }
    if (a.length() == b.length()) {
      if (a.regionMatches(i + 1, b, i + 1, a.length() - i - 1)) {
        return true;
      }
      return i + 1 < a.length() && a.charAt(i) == b.charAt(i + 1) && a.charAt(i + 1) == b.charAt(i)
          && a.regionMatches(i + 2, b, i + 2, a.length() - i - 2);
    }
    return a.regionMatches(i, b, i + 1, a.length() - i);
  }
}
