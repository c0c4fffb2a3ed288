package dev.tgsupport.core.memory;

import static dev.tgsupport.core.InvalidInputException.check;
import static dev.tgsupport.core.InvalidInputException.requireNonNull;

import dev.tgsupport.core.port.RateLimiter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link RateLimiter} for one process: a token bucket per key, computed as the generic cell rate algorithm (GCRA),
 * so each key costs one {@code long} (its theoretical arrival time) and no timer. A key with
 * {@code Limit(permits, period, burst)} gets {@code burst} permits at once, then one every {@code period / permits};
 * a refused call is told exactly how long to wait.
 *
 * <pre>{@code
 * RateLimiter limiter = InMemoryRateLimiter.create();
 * Duration wait = limiter.tryAcquire("chat:" + chatId, Limit.perSecond(1));
 * if (!wait.isZero()) { ... retry after wait ... }
 * }</pre>
 *
 * <p>Memory is bounded: a key whose bucket has refilled is indistinguishable from a new key, so it is dropped in
 * periodic sweeps at no cost to accuracy. When more than {@code maxKeys} keys are still active, the ones closest to
 * refilled are dropped, which can only let those keys through sooner, never later.
 *
 * <p>Thread-safe and lock-free per key; one instance per process (Redis shares limits across processes).
 */
public final class InMemoryRateLimiter implements RateLimiter {
  /** Keys kept before a sweep is forced: enough for every chat of a busy bot. */
  public static final int DEFAULT_MAX_KEYS = 100_000;

  private static final int SWEEP_EVERY = 4096;

  private final Clock clock;
  private final int maxKeys;
  private final ConcurrentHashMap<String, Long> tats = new ConcurrentHashMap<>();
  private final AtomicInteger calls = new AtomicInteger();

  private InMemoryRateLimiter(Clock clock, int maxKeys) {
    this.clock = clock;
    this.maxKeys = maxKeys;
  }

  /** A limiter on the system clock keeping up to {@link #DEFAULT_MAX_KEYS} keys. */
  public static InMemoryRateLimiter create() {
    return new InMemoryRateLimiter(Clock.systemUTC(), DEFAULT_MAX_KEYS);
  }

  /** A limiter on {@code clock}, for tests that move time by hand. */
  public static InMemoryRateLimiter create(Clock clock) {
    return create(clock, DEFAULT_MAX_KEYS);
  }

  /** A limiter on {@code clock} keeping up to {@code maxKeys} active keys. */
  public static InMemoryRateLimiter create(Clock clock, int maxKeys) {
    Objects.requireNonNull(clock, "clock");
    check(maxKeys > 0, "maxKeys", "must be > 0", maxKeys);
    return new InMemoryRateLimiter(clock, maxKeys);
  }

  @Override
  public Duration tryAcquire(String key, Limit limit) {
    requireNonNull(key, "key");
    requireNonNull(limit, "limit");
    long now = nanos(clock.instant());
    long interval = Math.max(1, nanos(limit.period()) / limit.permits());
    long tolerance = saturatedMultiply(interval, limit.burst() - 1);
    long[] wait = new long[1];
    tats.compute(key, (k, tat) -> {
      long start = tat == null ? now : Math.max(tat, now);
      long next = saturatedAdd(start, interval);
      long allowAt = saturatedAdd(next, -saturatedAdd(interval, tolerance));
      if (now < allowAt) {
        wait[0] = allowAt - now;
        return tat;
      }
      return next;
    });
    if (calls.incrementAndGet() % SWEEP_EVERY == 0 || tats.size() > maxKeys) {
      sweep(now);
    }
    return wait[0] == 0 ? Duration.ZERO : Duration.ofNanos(wait[0]);
  }

  private void sweep(long now) {
    // Conditional removal: a key updated meanwhile is not refilled any more and stays.
    tats.entrySet().removeIf(e -> e.getValue() <= now);
    if (tats.size() > maxKeys) {
      // Trim below the bound, so that a crowd of active keys does not force a sort on every call.
      int excess = tats.size() - (maxKeys - maxKeys / 10);
      List<Map.Entry<String, Long>> active = new ArrayList<>(tats.entrySet());
      active.sort(Map.Entry.comparingByValue());
      for (int i = 0; i < excess && i < active.size(); i++) {
        tats.remove(active.get(i).getKey(), active.get(i).getValue());
      }
    }
  }

  private static long nanos(Duration d) {
    try {
      return d.toNanos();
    } catch (ArithmeticException tooLong) {
      return Long.MAX_VALUE;
    }
  }

  private static long nanos(Instant t) {
    return saturatedAdd(saturatedMultiply(t.getEpochSecond(), 1_000_000_000L), t.getNano());
  }

  private static long saturatedAdd(long a, long b) {
    long r = a + b;
    return ((a ^ r) & (b ^ r)) < 0 ? (a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE) : r;
  }

  private static long saturatedMultiply(long a, long b) {
    long hi = Math.multiplyHigh(a, b);
    long lo = a * b;
    return (hi == 0 && lo >= 0) || (hi == -1 && lo < 0) ? lo : ((a ^ b) < 0 ? Long.MIN_VALUE : Long.MAX_VALUE);
  }
}
