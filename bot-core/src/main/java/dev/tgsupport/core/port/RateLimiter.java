package dev.tgsupport.core.port;

import static dev.tgsupport.core.InvalidInputException.check;
import static dev.tgsupport.core.InvalidInputException.requireNonNull;

import java.time.Duration;

/** Shared rate limits (Telegram's per-chat and global send limits, flood control). Thread-safe. */
public interface RateLimiter {
  /**
   * A limit of {@code permits} per {@code period}, allowing bursts of up to {@code burst} at once.
   */
  record Limit(int permits, Duration period, int burst) {
    public Limit {
      check(permits > 0, "limit.permits", "must be > 0", permits);
      requireNonNull(period, "limit.period");
      check(!period.isNegative() && !period.isZero(), "limit.period", "must be positive", period);
      check(burst > 0, "limit.burst", "must be > 0", burst);
    }

    public static Limit perSecond(int permits) {
      return new Limit(permits, Duration.ofSeconds(1), permits);
    }
  }

  /**
   * Takes one permit for {@code key} if available.
   *
   * @return {@link Duration#ZERO} when the permit was taken, otherwise how long to wait before it would be
   */
  Duration tryAcquire(String key, Limit limit);
}
