package dev.tgsupport.core;

/**
 * Storage could not run the operation now (connection lost, serialization failure, deadlock). Nothing of the
 * operation was committed, except in one case: when the connection dropped during the commit itself, the outcome is
 * unknown. The SDK's own operations are idempotent (unique keys, upserts), so running them again is safe either way.
 */
public class StorageUnavailableException extends RetriableException {
  public StorageUnavailableException(String message) {
    super(message);
  }

  public StorageUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
