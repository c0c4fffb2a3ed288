package dev.tgsupport.redis;

import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The writes a component made to its twin during an outage, replayed to Redis when it is back, so that other
 * instances see them: a dialog state set or cleared, a dedup claim, a cache entry that became stale. Only the last
 * write per key is kept, and at most {@code capacity} keys (the oldest are dropped, with one warning per outage).
 */
final class Journal {
  private static final Logger log = LoggerFactory.getLogger(RedisSupport.class);

  enum Op {
    SET,
    SET_IF_ABSENT,
    DELETE
  }

  record Write(Op op, String value, long expiresAtMillis) {}

  private final String component;
  private final Clock clock;
  private final int capacity;
  private final Duration timeout;
  private final LinkedHashMap<String, Write> writes = new LinkedHashMap<>();
  private boolean overflowReported;

  Journal(String component, Clock clock, int capacity, Duration timeout) {
    this.component = component;
    this.clock = clock;
    this.capacity = capacity;
    this.timeout = timeout;
  }

  void set(String key, String value, Duration ttl) {
    add(key, new Write(Op.SET, value, expiry(ttl)));
  }

  void setIfAbsent(String key, String value, Duration ttl) {
    add(key, new Write(Op.SET_IF_ABSENT, value, expiry(ttl)));
  }

  void delete(String key) {
    add(key, new Write(Op.DELETE, null, Long.MAX_VALUE));
  }

  private long expiry(Duration ttl) {
    long now = clock.millis();
    long ms = Ttl.millis(ttl);
    return now > Long.MAX_VALUE - ms ? Long.MAX_VALUE : now + ms;
  }

  private synchronized void add(String key, Write write) {
    writes.remove(key);
    writes.put(key, write);
    if (writes.size() > capacity) {
      var eldest = writes.keySet().iterator();
      eldest.next();
      eldest.remove();
      if (!overflowReported) {
        overflowReported = true;
        log.warn("{}: more than {} writes during the Redis outage; the oldest will not reach Redis", component,
            capacity);
      }
    }
  }

  synchronized int size() {
    return writes.size();
  }

  private synchronized Map<String, Write> drain() {
    Map<String, Write> out = new LinkedHashMap<>(writes);
    writes.clear();
    overflowReported = false;
    return out;
  }

  /** Puts back what could not be replayed, behind anything written meanwhile (which is newer). */
  private synchronized void restore(Map<String, Write> unreplayed) {
    Map<String, Write> newer = new LinkedHashMap<>(writes);
    writes.clear();
    writes.putAll(unreplayed);
    for (Map.Entry<String, Write> e : newer.entrySet()) {
      writes.remove(e.getKey());
      writes.put(e.getKey(), e.getValue());
    }
  }

  /** Sends every pending write in one pipelined batch; on failure they stay pending and this throws. */
  void replay(RedisLink link) {
    Map<String, Write> pending = drain();
    if (pending.isEmpty()) {
      return;
    }
    try {
      RedisAsyncCommands<String, String> async = link.async();
      long now = clock.millis();
      List<RedisFuture<?>> sent = new ArrayList<>(pending.size());
      for (Map.Entry<String, Write> e : pending.entrySet()) {
        Write w = e.getValue();
        long left = w.expiresAtMillis() - now;
        switch (w.op()) {
          case DELETE -> sent.add(async.del(e.getKey()));
          case SET -> {
            if (left > 0) {
              sent.add(async.set(e.getKey(), w.value(), SetArgs.Builder.px(left)));
            }
          }
          case SET_IF_ABSENT -> {
            if (left > 0) {
              sent.add(async.set(e.getKey(), w.value(), SetArgs.Builder.px(left).nx()));
            }
          }
        }
      }
      if (!LettuceFutures.awaitAll(timeout.plusMillis(pending.size() / 10), sent.toArray(new RedisFuture<?>[0]))) {
        throw new io.lettuce.core.RedisCommandTimeoutException("replaying " + pending.size() + " writes timed out");
      }
      log.debug("{}: replayed {} writes made during the outage", component, pending.size());
    } catch (RuntimeException e) {
      restore(pending);
      throw e;
    }
  }
}
