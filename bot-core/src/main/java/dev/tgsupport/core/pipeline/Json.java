package dev.tgsupport.core.pipeline;

/** The little JSON the pipeline writes itself (outbox payloads), so bot-core needs no JSON library. */
final class Json {
  private Json() {}

  /**
   * {@code s} as a JSON string literal. NUL characters and unpaired surrogates are dropped rather than escaped:
   * PostgreSQL's jsonb refuses {@code \u0000} and lone surrogate escapes, and an outbox row must always store.
   */
  static String string(String s) {
    StringBuilder b = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        b.append(c).append(s.charAt(++i));
        continue;
      }
      if (c == '\0' || Character.isSurrogate(c)) {
        continue;
      }
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"').toString();
  }
}
