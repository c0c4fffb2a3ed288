package dev.tgsupport.redis;

import static dev.tgsupport.core.InvalidInputException.check;
import static dev.tgsupport.core.InvalidInputException.requireNonNull;

import java.time.Duration;

/** Durations as Redis wants them. */
final class Ttl {
  /** A hundred years: beyond it Redis refuses the expiry ("invalid expire time"), and nobody means more. */
  static final long MAX_MILLIS = 100L * 365 * 24 * 3600 * 1000;

  private Ttl() {}

  /** Milliseconds for {@code PX}, rounded up so a sub-millisecond ttl still stores the key. */
  static long millis(Duration ttl) {
    if (ttl.compareTo(Duration.ofMillis(MAX_MILLIS)) >= 0) {
      return MAX_MILLIS;
    }
    long ms = ttl.toMillis();
    return ttl.equals(Duration.ofMillis(ms)) ? Math.max(1, ms) : ms + 1;
  }

  /** Microseconds, capped at {@link #MAX_MILLIS}, so Lua's doubles stay exact. */
  static long micros(Duration d) {
    if (d.compareTo(Duration.ofMillis(MAX_MILLIS)) >= 0) {
      return MAX_MILLIS * 1000;
    }
    return Math.max(1, d.toNanos() / 1000);
  }

  /** The same checks and messages as the in-memory twins, which the Redis components must agree with. */
  static void checkPositive(Duration d, String field) {
    requireNonNull(d, field);
    check(!d.isNegative() && !d.isZero(), field, "must be positive", d);
  }
}
