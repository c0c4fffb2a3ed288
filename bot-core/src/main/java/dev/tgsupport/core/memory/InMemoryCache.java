package dev.tgsupport.core.memory;

import static dev.tgsupport.core.InvalidInputException.check;
import static dev.tgsupport.core.InvalidInputException.requireNonNull;

import dev.tgsupport.core.port.Cache;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@link Cache} in the heap: each entry lives for its time to live, and at most {@code maxEntries} entries are
 * kept; putting one more evicts the least recently used. Expired entries count towards the bound until a
 * {@link #get} finds them or they are evicted as least recently used.
 *
 * <pre>{@code
 * Cache<Long, Chat> chats = InMemoryCache.create(10_000);
 * chats.put(chat.id(), chat, Duration.ofMinutes(5));
 * }</pre>
 *
 * <p>Thread-safe (one lock per cache; operations are short). One instance per cached kind of thing; nothing
 * survives the process. Keys and values must not be null.
 */
public final class InMemoryCache<K, V> implements Cache<K, V> {
  private record Entry<V>(V value, Instant expiresAt) {}

  private final Clock clock;
  private final LinkedHashMap<K, Entry<V>> entries;

  private InMemoryCache(int maxEntries, Clock clock) {
    this.clock = clock;
    this.entries = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<K, Entry<V>> eldest) {
        return size() > maxEntries;
      }
    };
  }

  /** A cache of at most {@code maxEntries} entries on the system clock. */
  public static <K, V> InMemoryCache<K, V> create(int maxEntries) {
    return create(maxEntries, Clock.systemUTC());
  }

  /** A cache of at most {@code maxEntries} entries whose times to live run on {@code clock}. */
  public static <K, V> InMemoryCache<K, V> create(int maxEntries, Clock clock) {
    check(maxEntries > 0, "maxEntries", "must be > 0", maxEntries);
    return new InMemoryCache<>(maxEntries, Objects.requireNonNull(clock, "clock"));
  }

  /** The value, unless absent or expired; a hit makes the entry the most recently used. */
  @Override
  public synchronized Optional<V> get(K key) {
    requireNonNull(key, "key");
    Entry<V> e = entries.get(key);
    if (e == null) {
      return Optional.empty();
    }
    if (!clock.instant().isBefore(e.expiresAt())) {
      entries.remove(key);
      return Optional.empty();
    }
    return Optional.of(e.value());
  }

  /**
   * Stores {@code value} for {@code ttl}, replacing any entry of the key.
   *
   * @throws dev.tgsupport.core.InvalidInputException when {@code ttl} is not positive
   */
  @Override
  public synchronized void put(K key, V value, Duration ttl) {
    requireNonNull(key, "key");
    requireNonNull(value, "value");
    requireNonNull(ttl, "ttl");
    check(!ttl.isNegative() && !ttl.isZero(), "ttl", "must be positive", ttl);
    Instant now = clock.instant();
    Instant expiresAt;
    try {
      expiresAt = now.plus(ttl);
    } catch (DateTimeException | ArithmeticException beyondTime) {
      expiresAt = Instant.MAX;
    }
    entries.put(key, new Entry<>(value, expiresAt));
  }

  @Override
  public synchronized void invalidate(K key) {
    requireNonNull(key, "key");
    entries.remove(key);
  }
}
