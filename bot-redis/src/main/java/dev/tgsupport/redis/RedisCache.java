package dev.tgsupport.redis;

import static dev.tgsupport.core.InvalidInputException.requireNonNull;

import dev.tgsupport.core.memory.InMemoryCache;
import dev.tgsupport.core.port.Cache;
import io.lettuce.core.SetArgs;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A named cache of strings encoded by a {@link RedisSupport.Codec}: {@code GET}, {@code SET PX} and {@code DEL},
 * one round trip each. A value that no longer decodes (written by an older version) is a miss. During an outage
 * the twin serves what was put since; every key written or invalidated then is deleted from Redis when it is back,
 * since the value Redis holds for it is stale.
 */
final class RedisCache<V> implements Cache<String, V> {
  private static final Logger log = LoggerFactory.getLogger(RedisSupport.class);

  /** Entries the twin keeps during an outage. */
  static final int TWIN_ENTRIES = 10_000;

  private final RedisLink link;
  private final String name;
  private final String prefix;
  private final RedisSupport.Codec<V> codec;
  private final Clock clock;
  private final Journal journal;
  private final Guard guard;
  private volatile InMemoryCache<String, V> twin;

  RedisCache(RedisLink link, String keyPrefix, String name, RedisSupport.Codec<V> codec, Clock clock,
      Duration timeout, DegradationSignal signal) {
    this.link = link;
    this.name = name;
    this.prefix = keyPrefix + "cache:" + name + ':';
    this.codec = codec;
    this.clock = clock;
    this.twin = InMemoryCache.create(TWIN_ENTRIES, clock);
    String component = "cache:" + name;
    this.journal = new Journal(component, clock, TWIN_ENTRIES, timeout);
    this.guard = new Guard(component, signal, new Guard.Recovery() {
      @Override
      public void replay(RedisLink l) {
        journal.replay(l);
      }

      @Override
      public void resetTwin() {
        twin = InMemoryCache.create(TWIN_ENTRIES, RedisCache.this.clock);
      }
    });
  }

  Guard guard() {
    return guard;
  }

  RedisSupport.Codec<V> codec() {
    return codec;
  }

  @Override
  public Optional<V> get(String key) {
    requireNonNull(key, "key");
    if (guard.onRedis()) {
      String encoded;
      try {
        encoded = link.sync().get(prefix + key);
      } catch (RuntimeException e) {
        guard.failed(e);
        return twin.get(key);
      }
      if (encoded == null) {
        return Optional.empty();
      }
      try {
        return Optional.ofNullable(codec.decode(encoded));
      } catch (RuntimeException undecodable) {
        log.debug("cache '{}': the value of a key does not decode; treated as a miss", name, undecodable);
        return Optional.empty();
      }
    }
    return twin.get(key);
  }

  @Override
  public void put(String key, V value, Duration ttl) {
    requireNonNull(key, "key");
    requireNonNull(value, "value");
    Ttl.checkPositive(ttl, "ttl");
    if (guard.onRedis()) {
      String encoded = requireNonNull(codec.encode(value), "encoded value");
      try {
        link.sync().set(prefix + key, encoded, SetArgs.Builder.px(Ttl.millis(ttl)));
        return;
      } catch (RuntimeException e) {
        guard.failed(e);
      }
    }
    twin.put(key, value, ttl);
    journal.delete(prefix + key);
  }

  @Override
  public void invalidate(String key) {
    requireNonNull(key, "key");
    if (guard.onRedis()) {
      try {
        link.sync().del(prefix + key);
        return;
      } catch (RuntimeException e) {
        guard.failed(e);
      }
    }
    twin.invalidate(key);
    journal.delete(prefix + key);
  }

  @Override
  public String toString() {
    return "RedisCache{name=" + name + ", onRedis=" + guard.onRedis() + "}";
  }
}
