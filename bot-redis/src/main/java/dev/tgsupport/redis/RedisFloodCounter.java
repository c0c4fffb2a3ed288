package dev.tgsupport.redis;

import dev.tgsupport.core.memory.InMemoryFloodCounter;
import dev.tgsupport.core.port.FloodCounter;
import java.time.Clock;
import java.time.Duration;

/**
 * Flood counts on Redis: a sorted set per (chat, user, text hash) whose members are message ids scored by Redis's
 * clock in microseconds. One {@code EVALSHA} per message trims the window, adds the id unless present (a
 * redelivery then gets the count it had: its rank), caps the set like the in-memory twin, and sets the expiry to
 * the window.
 */
final class RedisFloodCounter implements FloodCounter {
  static final String COMPONENT = "flood-counter";

  // ARGV: message id, window in µs, most members kept. Returns the count.
  private static final LuaScript RECORD = new LuaScript("""
      local t = redis.call('TIME')
      local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
      local window = tonumber(ARGV[2])
      redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', string.format('%.0f', now - window))
      local rank = redis.call('ZRANK', KEYS[1], ARGV[1])
      local count
      if rank then
        count = rank + 1
      else
        redis.call('ZADD', KEYS[1], string.format('%.0f', now), ARGV[1])
        count = redis.call('ZCARD', KEYS[1])
        local max = tonumber(ARGV[3])
        if count > max then
          redis.call('ZREMRANGEBYRANK', KEYS[1], 0, count - max - 1)
          count = max
        end
      end
      redis.call('PEXPIRE', KEYS[1], math.max(1, math.ceil(window / 1000)))
      return count
      """);

  private final RedisLink link;
  private final String prefix;
  private final Clock clock;
  private final Guard guard;
  private volatile InMemoryFloodCounter twin;

  RedisFloodCounter(RedisLink link, String keyPrefix, Clock clock, DegradationSignal signal) {
    this.link = link;
    this.prefix = keyPrefix + "flood:";
    this.clock = clock;
    this.twin = InMemoryFloodCounter.create(clock);
    this.guard = new Guard(COMPONENT, signal, new Guard.Recovery() {
      @Override
      public void replay(RedisLink l) {}

      @Override
      public void resetTwin() {
        twin = InMemoryFloodCounter.create(RedisFloodCounter.this.clock);
      }
    });
  }

  Guard guard() {
    return guard;
  }

  @Override
  public int record(long chatId, long userId, long messageId, long textHash, Duration window) {
    Ttl.checkPositive(window, "window");
    if (guard.onRedis()) {
      String key = prefix + chatId + ':' + userId + ':' + Long.toHexString(textHash);
      try {
        return (int) RECORD.evalLong(link.sync(), new String[] {key}, Long.toString(messageId),
            Long.toString(Ttl.micros(window)), Integer.toString(InMemoryFloodCounter.MAX_PER_PAIR));
      } catch (RuntimeException e) {
        guard.failed(e);
      }
    }
    return twin.record(chatId, userId, messageId, textHash, window);
  }

  @Override
  public String toString() {
    return "RedisFloodCounter{onRedis=" + guard.onRedis() + "}";
  }
}
