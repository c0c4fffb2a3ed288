package dev.tgsupport.kaiten;

/**
 * Keeps the API token out of every text the client logs or throws. The token only travels in the Authorization
 * header, but a server or proxy may echo it back in an error body, which the client quotes.
 */
final class Redactor {
  static final String MASK = "<token>";
  private final String token;

  Redactor(String token) {
    this.token = token;
  }

  String scrub(String text) {
    return text == null || token.isEmpty() ? text : text.replace(token, MASK);
  }

  /**
   * The failure itself when no message in its cause chain holds the token; otherwise a copy whose messages are
   * scrubbed, keeping the stack traces.
   */
  Throwable scrub(Throwable failure) {
    if (!leaks(failure)) {
      return failure;
    }
    Throwable cause = failure.getCause() == null || failure.getCause() == failure ? null : scrub(failure.getCause());
    RedactedException copy = new RedactedException(
        failure.getClass().getName() + ": " + scrub(failure.getMessage()), cause);
    copy.setStackTrace(failure.getStackTrace());
    return copy;
  }

  private boolean leaks(Throwable t) {
    for (int depth = 0; t != null && depth < 20; depth++, t = t.getCause()) {
      String m = t.getMessage();
      if (m != null && m.contains(token)) {
        return true;
      }
    }
    return false;
  }

  /** Stands in for an exception whose message quoted the token. */
  static final class RedactedException extends RuntimeException {
    RedactedException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
