package dev.tgsupport.core.memory;

import static dev.tgsupport.core.InvalidInputException.check;
import static dev.tgsupport.core.InvalidInputException.requireNonNull;

import dev.tgsupport.core.port.FloodCounter;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A {@link FloodCounter} for one process: per (chat, user), the texts seen within the window, as 64-bit hashes with
 * their message ids, so a 100,000-character message costs eight bytes.
 *
 * <pre>{@code
 * FloodCounter flood = InMemoryFloodCounter.create();
 * int seen = flood.record(chatId, userId, messageId, textHash, Duration.ofSeconds(60));
 * boolean isFlood = seen >= 3;
 * }</pre>
 *
 * <p>Memory is bounded twice: at most {@code maxTrackedPairs} (chat, user) pairs, the least recently active
 * forgotten first, and at most {@link #MAX_PER_PAIR} texts per pair, the oldest forgotten first. A pair's texts
 * older than the window of the call are dropped as it records, so use one window per counter.
 *
 * <p>A message recorded again (a redelivery of the same Telegram message) is not counted twice: it gets the count
 * it had the first time, so a retried update is judged as it was then.
 *
 * <p>Thread-safe: users do not wait for each other. Nothing is shared between processes; {@code bot-redis} offers a
 * shared one.
 */
public final class InMemoryFloodCounter implements FloodCounter {
  /** Pairs kept by {@link #create()}: every active user of a busy bot. */
  public static final int DEFAULT_MAX_TRACKED_PAIRS = 100_000;

  /** Texts remembered per (chat, user): a count beyond it stays at it. */
  public static final int MAX_PER_PAIR = 64;

  private record Key(long chatId, long userId) {}

  private record Seen(long hash, long messageId, long atNanos) {}

  private final Clock clock;
  private final Map<Key, ArrayDeque<Seen>> buckets;

  private InMemoryFloodCounter(Clock clock, int maxTrackedPairs) {
    this.clock = clock;
    // Access order makes the eldest entry the least recently active pair. The map's own lock is held only for the
    // lookup; counting happens under the pair's lock.
    this.buckets = new LinkedHashMap<>(256, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<Key, ArrayDeque<Seen>> eldest) {
        return size() > maxTrackedPairs;
      }
    };
  }

  /** A counter on the system clock keeping up to {@link #DEFAULT_MAX_TRACKED_PAIRS} pairs. */
  public static InMemoryFloodCounter create() {
    return create(Clock.systemUTC());
  }

  /** A counter on {@code clock}, for tests that move time by hand. */
  public static InMemoryFloodCounter create(Clock clock) {
    return create(clock, DEFAULT_MAX_TRACKED_PAIRS);
  }

  /** A counter on {@code clock} keeping up to {@code maxTrackedPairs} (chat, user) pairs. */
  public static InMemoryFloodCounter create(Clock clock, int maxTrackedPairs) {
    Objects.requireNonNull(clock, "clock");
    check(maxTrackedPairs > 0, "maxTrackedPairs", "must be > 0", maxTrackedPairs);
    return new InMemoryFloodCounter(clock, maxTrackedPairs);
  }

  /**
   * {@inheritDoc}
   *
   * @throws dev.tgsupport.core.InvalidInputException when {@code window} is null or not positive
   */
  @Override
  public int record(long chatId, long userId, long messageId, long textHash, Duration window) {
    requireNonNull(window, "window");
    check(!window.isNegative() && !window.isZero(), "window", "must be positive", window);
    long now = Nanos.of(clock.instant());
    long horizon = Nanos.add(now, -Nanos.of(window));
    Key key = new Key(chatId, userId);
    ArrayDeque<Seen> bucket;
    synchronized (buckets) {
      bucket = buckets.computeIfAbsent(key, k -> new ArrayDeque<>());
    }
    synchronized (bucket) {
      int count = 0;
      for (Iterator<Seen> it = bucket.iterator(); it.hasNext(); ) {
        Seen s = it.next();
        if (s.atNanos <= horizon) {
          it.remove();
          continue;
        }
        if (s.hash == textHash) {
          count++;
        }
        if (s.messageId == messageId) {
          return s.hash == textHash ? count : count + 1;
        }
      }
      if (bucket.size() >= MAX_PER_PAIR && bucket.removeFirst().hash == textHash) {
        count--;
      }
      bucket.addLast(new Seen(textHash, messageId, now));
      return count + 1;
    }
  }

  /** How many (chat, user) pairs are remembered now; for tests and metrics. */
  public int trackedPairs() {
    synchronized (buckets) {
      return buckets.size();
    }
  }

  @Override
  public String toString() {
    return "InMemoryFloodCounter{trackedPairs=" + trackedPairs() + "}";
  }
}
