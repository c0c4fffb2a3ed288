package dev.tgsupport.core;

/**
 * Root of every exception the SDK throws on purpose. It is unchecked; catch it where you can act on it.
 *
 * <p>The tree is split by the one question a caller has to answer: may I try again?
 * {@link RetriableException} (rate limits, timeouts, server errors, storage temporarily unavailable) says yes;
 * {@link NonRetriableException} (bad input, authentication, not found, conflicts) says no.
 * {@link PipelineException} reports a stage that broke the pipeline contract or failed.
 *
 * <p>Messages name the operation, the field or stage involved and the cause. They never contain secrets.
 */
public class BotException extends RuntimeException {
  public BotException(String message) {
    super(message);
  }

  public BotException(String message, Throwable cause) {
    super(message, cause);
  }
}
