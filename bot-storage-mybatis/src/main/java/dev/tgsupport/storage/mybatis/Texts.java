package dev.tgsupport.storage.mybatis;

/** Makes Java strings storable in PostgreSQL text: no NUL characters, no lone surrogates. */
final class Texts {
  private Texts() {}

  static String clean(String s) {
    if (s == null) {
      return null;
    }
    StringBuilder b = null;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean bad;
      if (c == '\0') {
        bad = true;
      } else if (Character.isHighSurrogate(c)) {
        bad = i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1));
      } else if (Character.isLowSurrogate(c)) {
        bad = i == 0 || !Character.isHighSurrogate(s.charAt(i - 1));
      } else {
        bad = false;
      }
      if (bad && b == null) {
        b = new StringBuilder(s.length());
        b.append(s, 0, i);
      }
      if (b != null) {
        if (!bad) {
          b.append(c);
        } else if (c != '\0') {
          b.append('\uFFFD');
        }
      }
    }
    return b == null ? s : b.toString();
  }

  static int countNuls(String s) {
    int n = 0;
    if (s != null) {
      for (int i = 0; i < s.length(); i++) {
        if (s.charAt(i) == '\0') {
          n++;
        }
      }
    }
    return n;
  }
}
