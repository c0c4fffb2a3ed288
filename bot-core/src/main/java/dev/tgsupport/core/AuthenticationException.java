package dev.tgsupport.core;

/** Credentials were rejected (a bot token, an API key). The message never contains the credential. */
public class AuthenticationException extends NonRetriableException {
  public AuthenticationException(String message) {
    super(message);
  }

  public AuthenticationException(String message, Throwable cause) {
    super(message, cause);
  }
}
