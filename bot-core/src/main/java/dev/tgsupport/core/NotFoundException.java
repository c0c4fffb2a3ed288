package dev.tgsupport.core;

/** The thing an operation refers to does not exist (or was soft-deleted). */
public class NotFoundException extends NonRetriableException {
  public NotFoundException(String message) {
    super(message);
  }
}
