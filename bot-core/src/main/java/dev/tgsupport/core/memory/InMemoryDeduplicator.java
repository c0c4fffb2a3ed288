package dev.tgsupport.core.memory;

import static dev.tgsupport.core.InvalidInputException.check;
import static dev.tgsupport.core.InvalidInputException.requireNonNull;

import dev.tgsupport.core.port.Deduplicator;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link Deduplicator} for one process: a claim is a key and the moment it expires.
 *
 * <pre>{@code
 * Deduplicator dedup = InMemoryDeduplicator.create();
 * if (dedup.firstSeen("update:" + updateId, Duration.ofMinutes(10))) {
 *   try { handle(update); } catch (RuntimeException e) { dedup.release("update:" + updateId); throw e; }
 * }
 * }</pre>
 *
 * <p>Memory is bounded: expired claims are dropped in periodic sweeps, and when more than {@code maxKeys} claims are
 * alive, the ones closest to expiry are forgotten first (a duplicate of those could then get through, which is why
 * the bound should exceed the number of keys claimed within one ttl).
 *
 * <p>Thread-safe and lock-free per key. Nothing is shared between processes; {@code bot-redis} offers a shared one.
 */
public final class InMemoryDeduplicator implements Deduplicator {
  /** Claims kept by {@link #create()}: ten minutes of updates of a very busy bot. */
  public static final int DEFAULT_MAX_KEYS = 100_000;

  private static final int SWEEP_EVERY = 4096;
  private static final int SAMPLE = 1024;

  private final Clock clock;
  private final int maxKeys;
  private final ConcurrentHashMap<String, Long> expiries = new ConcurrentHashMap<>();
  private final AtomicInteger calls = new AtomicInteger();

  private InMemoryDeduplicator(Clock clock, int maxKeys) {
    this.clock = clock;
    this.maxKeys = maxKeys;
  }

  /** A deduplicator on the system clock keeping up to {@link #DEFAULT_MAX_KEYS} claims. */
  public static InMemoryDeduplicator create() {
    return create(Clock.systemUTC());
  }

  /** A deduplicator on {@code clock}, for tests that move time by hand. */
  public static InMemoryDeduplicator create(Clock clock) {
    return create(clock, DEFAULT_MAX_KEYS);
  }

  /** A deduplicator on {@code clock} keeping up to {@code maxKeys} live claims. */
  public static InMemoryDeduplicator create(Clock clock, int maxKeys) {
    Objects.requireNonNull(clock, "clock");
    check(maxKeys > 0, "maxKeys", "must be > 0", maxKeys);
    return new InMemoryDeduplicator(clock, maxKeys);
  }

  /**
   * {@inheritDoc}
   *
   * @throws dev.tgsupport.core.InvalidInputException when {@code key} is null or {@code ttl} is not positive
   */
  @Override
  public boolean firstSeen(String key, Duration ttl) {
    requireNonNull(key, "key");
    requireNonNull(ttl, "ttl");
    check(!ttl.isNegative() && !ttl.isZero(), "ttl", "must be positive", ttl);
    long now = Nanos.of(clock.instant());
    long expiresAt = Nanos.add(now, Nanos.of(ttl));
    boolean[] first = new boolean[1];
    expiries.compute(key, (k, current) -> {
      if (current != null && current > now) {
        return current;
      }
      first[0] = true;
      return expiresAt;
    });
    if (calls.incrementAndGet() % SWEEP_EVERY == 0 || expiries.size() > maxKeys) {
      sweep(now);
    }
    return first[0];
  }

  @Override
  public void release(String key) {
    requireNonNull(key, "key");
    expiries.remove(key);
  }

  /** How many claims are held now, expired ones not yet swept included; for tests and metrics. */
  public int size() {
    return expiries.size();
  }

  private void sweep(long now) {
    // Conditional removal: a key claimed again meanwhile has a later expiry and stays.
    expiries.entrySet().removeIf(e -> e.getValue() <= now);
    int size = expiries.size();
    if (size > maxKeys) {
      // Trim below the bound, so that a crowd of live claims does not force a trim on every call. The expiry below
      // which the excess lies is estimated from a sample: two passes over the map, no sort of it (a caller pays this).
      int excess = size - (maxKeys - maxKeys / 10);
      long[] sample = new long[Math.min(size, SAMPLE)];
      int stride = Math.max(1, size / sample.length);
      int n = 0;
      int i = 0;
      // Every stride-th value over the whole map: its iteration order follows key hashes, which follow the keys.
      for (Iterator<Long> it = expiries.values().iterator(); it.hasNext() && n < sample.length; i++) {
        long v = it.next();
        if (i % stride == 0) {
          sample[n++] = v;
        }
      }
      Arrays.sort(sample, 0, n);
      long threshold = sample[(int) Math.min(n - 1, (long) excess * n / size)];
      int removed = 0;
      for (Iterator<Map.Entry<String, Long>> it = expiries.entrySet().iterator(); it.hasNext(); ) {
        Map.Entry<String, Long> e = it.next();
        if (e.getValue() < threshold) {
          it.remove();
          removed++;
        }
      }
      // Ties at the threshold go only as far as needed, so a crowd with one expiry is not forgotten all at once.
      for (Iterator<Map.Entry<String, Long>> it = expiries.entrySet().iterator(); it.hasNext() && removed < excess; ) {
        if (it.next().getValue() == threshold) {
          it.remove();
          removed++;
        }
      }
    }
  }

  @Override
  public String toString() {
    return "InMemoryDeduplicator{size=" + size() + ", maxKeys=" + maxKeys + "}";
  }
}
