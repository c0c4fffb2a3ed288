package dev.tgsupport.redis;

import static dev.tgsupport.core.InvalidInputException.requireNonNull;

import dev.tgsupport.core.memory.InMemoryRateLimiter;
import dev.tgsupport.core.port.RateLimiter;
import java.time.Clock;
import java.time.Duration;

/**
 * GCRA on Redis, the same algorithm as {@link InMemoryRateLimiter}: a key holds its theoretical arrival time (TAT)
 * in microseconds of Redis's own clock, so every process agrees on "now", and expires when the bucket has refilled.
 * One {@code EVALSHA} per decision.
 */
final class RedisRateLimiter implements RateLimiter {
  static final String COMPONENT = "rate-limiter";

  // ARGV: emission interval and burst tolerance, in µs. Returns 0 when granted, else the µs to wait.
  private static final LuaScript GCRA = new LuaScript("""
      local t = redis.call('TIME')
      local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
      local interval = tonumber(ARGV[1])
      local tolerance = tonumber(ARGV[2])
      local tat = tonumber(redis.call('GET', KEYS[1]) or 0)
      if tat < now then tat = now end
      local wait = tat - tolerance - now
      if wait > 0 then return wait end
      local nexttat = tat + interval
      redis.call('SET', KEYS[1], string.format('%.0f', nexttat), 'PX', math.max(1, math.ceil((nexttat - now) / 1000)))
      return 0
      """);

  private final RedisLink link;
  private final String prefix;
  private final Clock clock;
  private final Guard guard;
  private volatile InMemoryRateLimiter twin;

  RedisRateLimiter(RedisLink link, String keyPrefix, Clock clock, DegradationSignal signal) {
    this.link = link;
    this.prefix = keyPrefix + "rate:";
    this.clock = clock;
    this.twin = InMemoryRateLimiter.create(clock);
    this.guard = new Guard(COMPONENT, signal, new Guard.Recovery() {
      @Override
      public void replay(RedisLink l) {}

      @Override
      public void resetTwin() {
        twin = InMemoryRateLimiter.create(RedisRateLimiter.this.clock);
      }
    });
  }

  Guard guard() {
    return guard;
  }

  @Override
  public Duration tryAcquire(String key, Limit limit) {
    requireNonNull(key, "key");
    requireNonNull(limit, "limit");
    if (guard.onRedis()) {
      long interval = Math.max(1, Ttl.micros(limit.period()) / limit.permits());
      long most = Ttl.MAX_MILLIS * 1000;
      long tolerance = limit.burst() - 1L > most / interval ? most : interval * (limit.burst() - 1L);
      try {
        long waitMicros = GCRA.evalLong(link.sync(), new String[] {prefix + key}, Long.toString(interval),
            Long.toString(tolerance));
        return waitMicros <= 0 ? Duration.ZERO : Duration.ofNanos(waitMicros * 1000);
      } catch (RuntimeException e) {
        guard.failed(e);
      }
    }
    return twin.tryAcquire(key, limit);
  }

  @Override
  public String toString() {
    return "RedisRateLimiter{onRedis=" + guard.onRedis() + "}";
  }
}
