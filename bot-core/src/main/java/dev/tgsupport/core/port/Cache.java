package dev.tgsupport.core.port;

import java.time.Duration;
import java.util.Optional;

/** A cache with per-entry time to live. Thread-safe; a miss is never an error. */
public interface Cache<K, V> {
  Optional<V> get(K key);

  /** Stores a value for {@code ttl}, which must be positive. */
  void put(K key, V value, Duration ttl);

  void invalidate(K key);
}
