package dev.tgsupport.core;

/** A call did not complete in its time budget. Whether it took effect remotely is unknown: retry idempotently. */
public class OperationTimeoutException extends RetriableException {
  public OperationTimeoutException(String message) {
    super(message);
  }

  public OperationTimeoutException(String message, Throwable cause) {
    super(message, cause);
  }
}
