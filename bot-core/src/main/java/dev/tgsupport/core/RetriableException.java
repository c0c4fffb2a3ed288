package dev.tgsupport.core;

/** A failure that may go away by itself: retry with backoff (and honour {@link RateLimitedException#retryAfter()}). */
public class RetriableException extends BotException {
  public RetriableException(String message) {
    super(message);
  }

  public RetriableException(String message, Throwable cause) {
    super(message, cause);
  }
}
