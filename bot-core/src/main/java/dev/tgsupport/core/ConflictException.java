package dev.tgsupport.core;

/** The operation would break a uniqueness rule, for example a second ticket for the same message. */
public class ConflictException extends NonRetriableException {
  public ConflictException(String message) {
    super(message);
  }

  public ConflictException(String message, Throwable cause) {
    super(message, cause);
  }
}
