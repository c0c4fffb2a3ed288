package dev.tgsupport.core;

/** The remote service failed on its side (HTTP 5xx, gRPC UNAVAILABLE). Retry with backoff. */
public class ServerErrorException extends RetriableException {
  public ServerErrorException(String message) {
    super(message);
  }

  public ServerErrorException(String message, Throwable cause) {
    super(message, cause);
  }
}
