package dev.tgsupport.kaiten.fake;

import java.time.Duration;
import java.util.Objects;

/**
 * A scripted misbehaviour for {@link FakeKaitenServer#failNext(String, String, Fault)}: an error status with
 * Kaiten's body for it, a 429 with the rate-limit headers, an empty 200 body, a slow answer, a connection dropped
 * before the request is processed, or an answer lost after it was. Applies to the next matching request, or the next
 * {@link #times(int)} ones. Immutable; every modifier returns a copy.
 *
 * <pre>{@code
 * fake.failNext("POST", "/cards", Fault.answerLost());                 // the card exists, the client never hears
 * fake.failNext("GET", "/cards/*", Fault.status(503).times(2));
 * fake.failNext("*", "**", Fault.tooManyRequests().retryAfter(Duration.ofSeconds(1)));
 * fake.failNext("GET", "/cards", Fault.delay(Duration.ofSeconds(2)));  // beyond the client's timeout
 * }</pre>
 */
public final class Fault {

  enum Kind { STATUS, RATE_LIMITED, EMPTY_BODY, DELAY, DROP, ANSWER_LOST }

  final Kind kind;
  final int status;
  final String contentType;
  final String body;
  final Duration delay;
  final boolean afterProcessing;
  final Duration retryAfter;
  final Duration resetIn;
  final int times;

  private Fault(Kind kind, int status, String contentType, String body, Duration delay, boolean afterProcessing,
      Duration retryAfter, Duration resetIn, int times) {
    this.kind = kind;
    this.status = status;
    this.contentType = contentType;
    this.body = body;
    this.delay = delay;
    this.afterProcessing = afterProcessing;
    this.retryAfter = retryAfter;
    this.resetIn = resetIn;
    this.times = times;
  }

  /**
   * An error status with the body Kaiten documents for it: 400 and 402 {@code {"message": ...}}, 401 a plain string,
   * 403, 404 and 405 none, 5xx a short text. A 429 gets the rate-limit headers, as {@link #tooManyRequests()}.
   */
  public static Fault status(int status) {
    requireStatus(status);
    if (status == 429) {
      return tooManyRequests();
    }
    return new Fault(Kind.STATUS, status, null, null, null, false, null, null, 1);
  }

  /** Any status and body verbatim, e.g. an HTML error page of a proxy. {@code contentType} may be null. */
  public static Fault raw(int status, String contentType, String body) {
    requireStatus(status);
    Objects.requireNonNull(body, "body");
    return new Fault(Kind.STATUS, status, contentType, body, null, false, null, null, 1);
  }

  /** 400 {@code {"message": message}}. */
  public static Fault badRequest(String message) {
    return raw(400, "application/json; charset=utf-8",
        Json.write(Json.object().put("message", Objects.requireNonNull(message, "message"))));
  }

  /** 402 {@code {"message": "Feature is not supported by your tariff"}}. */
  public static Fault notInPlan() {
    return status(402);
  }

  public static Fault serverError() {
    return status(500);
  }

  public static Fault serviceUnavailable() {
    return status(503);
  }

  /**
   * 429 with {@code X-RateLimit-Remaining: 0} and {@code X-RateLimit-Reset} at the next whole second (see
   * {@link #resetIn(Duration)}), and no {@code Retry-After} (Kaiten does not document one; see
   * {@link #retryAfter(Duration)}). Requests from the same token before the reset count as violations.
   */
  public static Fault tooManyRequests() {
    return new Fault(Kind.RATE_LIMITED, 429, null, null, null, false, null, null, 1);
  }

  /** 200 with an empty body, Kaiten's way of answering some empty lists; the request is not processed. */
  public static Fault emptyBody() {
    return new Fault(Kind.EMPTY_BODY, 200, null, null, null, false, null, null, 1);
  }

  /** Waits {@code delay}, then processes and answers normally; see {@link #afterProcessing()}. */
  public static Fault delay(Duration delay) {
    Objects.requireNonNull(delay, "delay");
    if (delay.isNegative()) {
      throw new IllegalArgumentException("delay must be >= 0, was " + delay);
    }
    return new Fault(Kind.DELAY, 0, null, null, delay, false, null, null, 1);
  }

  /** Closes the connection without answering and without processing the request. */
  public static Fault drop() {
    return new Fault(Kind.DROP, 0, null, null, null, false, null, null, 1);
  }

  /**
   * Processes the request (a POST creates its card), then sends the status line and headers with a Content-Length
   * longer than the body it writes and closes the connection: the client has no answer and gets an I/O error while
   * the change is made.
   */
  public static Fault answerLost() {
    return new Fault(Kind.ANSWER_LOST, 200, null, null, null, true, null, null, 1);
  }

  /** For {@link #delay}: process first, then wait before answering, so a client timing out leaves the change made. */
  public Fault afterProcessing() {
    if (kind != Kind.DELAY) {
      throw new IllegalStateException("afterProcessing applies to delay() only, not " + kind);
    }
    return new Fault(kind, status, contentType, body, delay, true, retryAfter, resetIn, times);
  }

  /** Adds {@code Retry-After} in whole seconds, rounded up (to a 429 or any error). */
  public Fault retryAfter(Duration wait) {
    requireErrorKind("retryAfter");
    return new Fault(kind, status, contentType, body, delay, afterProcessing, requirePositive(wait, "retryAfter"),
        resetIn, times);
  }

  /** For {@link #tooManyRequests()}: {@code X-RateLimit-Reset} this long from now, rounded up to a whole second. */
  public Fault resetIn(Duration wait) {
    if (kind != Kind.RATE_LIMITED) {
      throw new IllegalStateException("resetIn applies to tooManyRequests() only, not " + kind);
    }
    return new Fault(kind, status, contentType, body, delay, afterProcessing, retryAfter,
        requirePositive(wait, "resetIn"), times);
  }

  /** Applies to the next {@code times} matching requests; default 1. */
  public Fault times(int times) {
    if (times <= 0) {
      throw new IllegalArgumentException("times must be > 0, was " + times);
    }
    return new Fault(kind, status, contentType, body, delay, afterProcessing, retryAfter, resetIn, times);
  }

  private void requireErrorKind(String what) {
    if (kind != Kind.STATUS && kind != Kind.RATE_LIMITED) {
      throw new IllegalStateException(what + " applies to error faults only, not " + kind);
    }
  }

  private static void requireStatus(int status) {
    if (status < 100 || status > 599) {
      throw new IllegalArgumentException("status must be an HTTP status, was " + status);
    }
  }

  private static Duration requirePositive(Duration d, String name) {
    Objects.requireNonNull(d, name);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be > 0, was " + d);
    }
    return d;
  }

  /** How the request log names it. */
  String label() {
    return switch (kind) {
      case STATUS -> "status " + status;
      case RATE_LIMITED -> "scripted 429";
      case EMPTY_BODY -> "empty body";
      case DELAY -> "delay " + delay.toMillis() + " ms" + (afterProcessing ? " after processing" : "");
      case DROP -> "dropped";
      case ANSWER_LOST -> "answer lost";
    };
  }

  @Override
  public String toString() {
    return "Fault{" + label() + (retryAfter == null ? "" : ", Retry-After " + retryAfter) + ", times=" + times + "}";
  }
}
