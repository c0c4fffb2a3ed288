package dev.tgsupport.telegram;

/**
 * Keeps the bot token out of messages: every text the adapter logs or puts into an exception goes through here,
 * because the token is part of every Bot API URL and transport errors may quote the URL.
 */
final class Redactor {
  static final String MASK = "<token>";
  private final String token;
  private final String tokenSecretPart;

  Redactor(String token) {
    this.token = token;
    int colon = token.indexOf(':');
    // The part after the colon is the secret; the bot id before it is public (it is in getMe's answer).
    this.tokenSecretPart = colon >= 0 && colon < token.length() - 1 ? token.substring(colon + 1) : token;
  }

  String scrub(String text) {
    if (text == null) {
      return null;
    }
    return text.replace(token, MASK).replace(tokenSecretPart, MASK);
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
      if (m != null && (m.contains(token) || m.contains(tokenSecretPart))) {
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
