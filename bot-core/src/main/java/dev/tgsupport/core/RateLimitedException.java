package dev.tgsupport.core;

import java.time.Duration;
import java.util.Objects;

/** The remote side asked us to slow down. Wait at least {@link #retryAfter()} before the next call. */
public class RateLimitedException extends RetriableException {
  private final Duration retryAfter;

  public RateLimitedException(String message, Duration retryAfter) {
    super(message);
    this.retryAfter = Objects.requireNonNull(retryAfter, "retryAfter");
  }

  public RateLimitedException(String message, Duration retryAfter, Throwable cause) {
    super(message, cause);
    this.retryAfter = Objects.requireNonNull(retryAfter, "retryAfter");
  }

  /** How long the remote side asked us to wait; never negative. */
  public Duration retryAfter() {
    return retryAfter;
  }
}
