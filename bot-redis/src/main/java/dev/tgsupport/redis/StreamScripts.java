package dev.tgsupport.redis;

import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The Lua scripts of the work queue. Each does in one round trip what would otherwise race between consumers: a
 * lease is renewed only by its holder, taken only when free, and a dead letter is written and acknowledged together.
 */
enum StreamScripts {
  /**
   * The heartbeat of a consumer, every third of the lease time. KEYS[1] = consumer registry, KEYS[2..] = the lease of
   * each partition; ARGV = me, lease ttl (ms), the partition to start looking for free leases at. Registers the
   * consumer, drops consumers silent for a whole ttl, renews the leases it holds and takes free ones up to its fair
   * share, ceil(partitions / live consumers). Returns {held, newly acquired, fair share}: a consumer holding more than
   * its share gives the rest back once they are idle.
   */
  TICK("""
      local me = ARGV[1]
      local ttl = tonumber(ARGV[2])
      local t = redis.call('TIME')
      local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
      redis.call('ZADD', KEYS[1], now, me)
      redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - ttl)
      redis.call('PEXPIRE', KEYS[1], ttl * 3)
      local n = #KEYS - 1
      local fair = math.ceil(n / redis.call('ZCARD', KEYS[1]))
      local held, acquired = {}, {}
      for i = 2, #KEYS do
        if redis.call('GET', KEYS[i]) == me then
          redis.call('PEXPIRE', KEYS[i], ttl)
          held[#held + 1] = i - 2
        end
      end
      local start = tonumber(ARGV[3])
      for j = 0, n - 1 do
        if #held >= fair then break end
        local p = (start + j) % n
        if redis.call('SET', KEYS[p + 2], me, 'NX', 'PX', ttl) then
          held[#held + 1] = p
          acquired[#acquired + 1] = p
        end
      end
      return {held, acquired, fair}
      """),

  /**
   * Gives leases back. KEYS[1] = consumer registry, KEYS[2..] = leases; ARGV = me, "1" to also leave the registry.
   * Deletes only the leases still held by me. Returns how many.
   */
  RELEASE("""
      local released = 0
      for i = 2, #KEYS do
        if redis.call('GET', KEYS[i]) == ARGV[1] then
          redis.call('DEL', KEYS[i])
          released = released + 1
        end
      end
      if ARGV[2] == '1' then
        redis.call('ZREM', KEYS[1], ARGV[1])
      end
      return released
      """),

  /**
   * Acknowledges entries of several streams in one round trip. KEYS = streams; ARGV[1] = group, then for each
   * stream the number of its ids followed by the ids. Returns the number of entries acknowledged.
   */
  ACK("""
      local acked, i = 0, 2
      for k = 1, #KEYS do
        local last = i + tonumber(ARGV[i])
        i = i + 1
        while i <= last do
          local to = math.min(i + 999, last)
          acked = acked + redis.call('XACK', KEYS[k], ARGV[1], unpack(ARGV, i, to))
          i = to + 1
        end
      end
      return acked
      """),

  /**
   * Moves an entry to the dead-letter stream. KEYS[1] = dead-letter stream, KEYS[2] = source stream; ARGV = group,
   * entry id, partition key, payload, last error, deliveries, max length of the dead-letter stream. Returns the
   * number of entries acknowledged (0 when another consumer acknowledged it meanwhile).
   */
  DEAD_LETTER("""
      redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[7], '*', 'id', ARGV[2], 'stream', KEYS[2],
          'key', ARGV[3], 'payload', ARGV[4], 'error', ARGV[5], 'deliveries', ARGV[6])
      return redis.call('XACK', KEYS[2], ARGV[1], ARGV[2])
      """);

  private final String source;
  private final String sha;

  StreamScripts(String source) {
    this.source = source;
    this.sha = sha1(source);
  }

  /** Runs the script by digest, loading it when Redis does not know it (first use, or after a restart). */
  <T> CompletionStage<T> run(RedisAsyncCommands<String, String> redis, ScriptOutputType type, String[] keys,
      String... args) {
    RedisFuture<T> bySha = redis.evalsha(sha, type, keys, args);
    return bySha.handle((value, error) -> {
      if (error == null) {
        return CompletableFuture.completedFuture(value);
      }
      Throwable cause = error instanceof java.util.concurrent.CompletionException ? error.getCause() : error;
      if (cause instanceof RedisNoScriptException) {
        RedisFuture<T> byText = redis.eval(source, type, keys, args);
        return byText.toCompletableFuture();
      }
      return CompletableFuture.<T>failedFuture(cause);
    }).thenCompose(f -> f);
  }

  private static String sha1(String text) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is missing from this JVM", e);
    }
  }
}
