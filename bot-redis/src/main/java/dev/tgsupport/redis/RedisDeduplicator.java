package dev.tgsupport.redis;

import static dev.tgsupport.core.InvalidInputException.requireNonNull;

import dev.tgsupport.core.memory.InMemoryDeduplicator;
import dev.tgsupport.core.port.Deduplicator;
import io.lettuce.core.SetArgs;
import java.time.Clock;
import java.time.Duration;

/**
 * Claims as {@code SET key 1 NX PX ttl}, one round trip; a release is {@code DEL}. Every claim this process wins is
 * also kept in the in-process twin (a map write), so that during an outage a redelivery of work this process
 * already took is still recognised; claims taken during the outage are replayed with {@code NX} when Redis is back.
 */
final class RedisDeduplicator implements Deduplicator {
  static final String COMPONENT = "deduplicator";

  private final RedisLink link;
  private final String prefix;
  private final InMemoryDeduplicator twin;
  private final Journal journal;
  private final Guard guard;

  RedisDeduplicator(RedisLink link, String keyPrefix, Clock clock, Duration timeout, DegradationSignal signal) {
    this.link = link;
    this.prefix = keyPrefix + "dedup:";
    this.twin = InMemoryDeduplicator.create(clock);
    this.journal = new Journal(COMPONENT, clock, InMemoryDeduplicator.DEFAULT_MAX_KEYS / 10, timeout);
    this.guard = new Guard(COMPONENT, signal, journal::replay);
  }

  Guard guard() {
    return guard;
  }

  @Override
  public boolean firstSeen(String key, Duration ttl) {
    requireNonNull(key, "key");
    Ttl.checkPositive(ttl, "ttl");
    if (guard.onRedis()) {
      try {
        boolean first = "OK".equals(link.sync().set(prefix + key, "1", SetArgs.Builder.px(Ttl.millis(ttl)).nx()));
        if (first) {
          twin.firstSeen(key, ttl);
        }
        return first;
      } catch (RuntimeException e) {
        guard.failed(e);
      }
    }
    boolean first = twin.firstSeen(key, ttl);
    if (first) {
      journal.setIfAbsent(prefix + key, "1", ttl);
    }
    return first;
  }

  @Override
  public void release(String key) {
    requireNonNull(key, "key");
    twin.release(key);
    if (guard.onRedis()) {
      try {
        link.sync().del(prefix + key);
        return;
      } catch (RuntimeException e) {
        guard.failed(e);
      }
    }
    journal.delete(prefix + key);
  }

  @Override
  public String toString() {
    return "RedisDeduplicator{onRedis=" + guard.onRedis() + "}";
  }
}
