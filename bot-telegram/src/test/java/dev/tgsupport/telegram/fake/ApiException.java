package dev.tgsupport.telegram.fake;

/**
 * An error answer in Telegram's envelope, thrown inside the fake to unwind a method handler. No stack trace: it is
 * control flow, not a failure of the fake.
 */
final class ApiException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  final int status;
  final String description;
  final Integer retryAfter;
  final Long migrateToChatId;

  ApiException(int status, String description, Integer retryAfter, Long migrateToChatId) {
    super(status + " " + description, null, false, false);
    this.status = status;
    this.description = description;
    this.retryAfter = retryAfter;
    this.migrateToChatId = migrateToChatId;
  }

  static ApiException badRequest(String what) {
    return new ApiException(400, "Bad Request: " + what, null, null);
  }

  static ApiException forbidden(String what) {
    return new ApiException(403, "Forbidden: " + what, null, null);
  }

  static ApiException conflict(String what) {
    return new ApiException(409, "Conflict: " + what, null, null);
  }

  static ApiException tooManyRequests(int retryAfter) {
    return new ApiException(429, "Too Many Requests: retry after " + retryAfter, retryAfter, null);
  }
}
