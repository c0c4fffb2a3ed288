package dev.tgsupport.kaiten.fake;

/** An error answer in Kaiten's shapes: 400/402 {@code {"message"}}, 401 a plain string, 403/404/405 no body. */
final class ApiError extends RuntimeException {
  final int status;
  final String contentType;
  final String body;

  private ApiError(int status, String contentType, String body) {
    super(status + " " + body, null, false, false);
    this.status = status;
    this.contentType = contentType;
    this.body = body;
  }

  /** 400 Validation error. */
  static ApiError badRequest(String message) {
    return withMessage(400, message);
  }

  /** 402 Feature is not supported by tariff. */
  static ApiError notInPlan(String message) {
    return withMessage(402, message);
  }

  static ApiError withMessage(int status, String message) {
    return new ApiError(status, "application/json; charset=utf-8",
        Json.write(Json.object().put("message", message)));
  }

  static ApiError unauthorized() {
    return new ApiError(401, "text/plain; charset=utf-8", "Unauthorized");
  }

  static ApiError forbidden() {
    return new ApiError(403, null, "");
  }

  static ApiError notFound() {
    return new ApiError(404, null, "");
  }

  static ApiError methodNotAllowed() {
    return new ApiError(405, null, "");
  }

  /** The answer a bare status gets: Kaiten's documented body for it, or a short text for 5xx. */
  static ApiError forStatus(int status) {
    return switch (status) {
      case 400 -> badRequest("Validation error");
      case 401 -> unauthorized();
      case 402 -> notInPlan("Feature is not supported by your tariff");
      case 403 -> forbidden();
      case 404 -> notFound();
      case 405 -> methodNotAllowed();
      default -> status >= 500
          ? new ApiError(status, "text/plain; charset=utf-8", status == 502 ? "Bad Gateway"
              : status == 503 ? "Service Unavailable" : status == 504 ? "Gateway Timeout" : "Internal Server Error")
          : new ApiError(status, null, "");
    };
  }

  static ApiError raw(int status, String contentType, String body) {
    return new ApiError(status, contentType, body);
  }
}
