package dev.tgsupport.core.memory;

import java.time.Duration;
import java.time.Instant;

/** Saturating nanosecond arithmetic, so that a ttl of {@code Duration.ofDays(1_000_000)} means "forever". */
final class Nanos {
  private Nanos() {}

  static long of(Duration d) {
    try {
      return d.toNanos();
    } catch (ArithmeticException tooLong) {
      return d.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
    }
  }

  static long of(Instant t) {
    return add(multiply(t.getEpochSecond(), 1_000_000_000L), t.getNano());
  }

  static long add(long a, long b) {
    long r = a + b;
    return ((a ^ r) & (b ^ r)) < 0 ? (a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE) : r;
  }

  static long multiply(long a, long b) {
    long hi = Math.multiplyHigh(a, b);
    long lo = a * b;
    return (hi == 0 && lo >= 0) || (hi == -1 && lo < 0) ? lo : ((a ^ b) < 0 ? Long.MIN_VALUE : Long.MAX_VALUE);
  }
}
