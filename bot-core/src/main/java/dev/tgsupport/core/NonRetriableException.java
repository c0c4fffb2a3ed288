package dev.tgsupport.core;

/** A failure that repeats on every retry: fix the input, the configuration or the credentials instead. */
public class NonRetriableException extends BotException {
  public NonRetriableException(String message) {
    super(message);
  }

  public NonRetriableException(String message, Throwable cause) {
    super(message, cause);
  }
}
