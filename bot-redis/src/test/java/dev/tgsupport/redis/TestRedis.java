package dev.tgsupport.redis;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.UUID;

/**
 * The shared test Redis: {@code TGSUPPORT_TEST_REDIS_URL}, default {@code redis://127.0.0.1:6379}. Tests never
 * flush a database: each uses a random key prefix ({@link #prefix}) and deletes its keys afterwards
 * ({@link #deleteKeys}), so they can run beside other suites on the same server.
 */
final class TestRedis {
  static final String URL = System.getenv().getOrDefault("TGSUPPORT_TEST_REDIS_URL", "redis://127.0.0.1:6379");

  private static RedisClient client;
  private static StatefulRedisConnection<String, String> connection;

  private TestRedis() {}

  /** A prefix no other test uses: {@code tgsupport-test:<Class>:<random>:}. */
  static String prefix(Class<?> test) {
    return "tgsupport-test:" + test.getSimpleName() + ":" + UUID.randomUUID().toString().substring(0, 8) + ":";
  }

  /**
   * A builder on the test Redis and {@code prefix}. The command timeout is long: these tests check what Redis
   * computes, and a machine busy with other suites must not push them onto the fallback (the fault tests use short
   * timeouts on private servers).
   */
  static RedisSupport.Builder builder(String prefix) {
    return RedisSupport.builder().url(URL).keyPrefix(prefix).commandTimeout(Duration.ofSeconds(5));
  }

  /** A plain connection to the test Redis, for looking at keys behind the SDK's back. */
  static synchronized RedisCommands<String, String> raw() {
    if (connection == null) {
      client = RedisClient.create(RedisURI.create(URL));
      connection = client.connect();
    }
    return connection.sync();
  }

  static void deleteKeys(String prefix) {
    RedisCommands<String, String> redis = raw();
    ScanCursor cursor = ScanCursor.INITIAL;
    do {
      KeyScanCursor<String> page = redis.scan(cursor, ScanArgs.Builder.matches(prefix + "*").limit(500));
      if (!page.getKeys().isEmpty()) {
        redis.unlink(page.getKeys().toArray(new String[0]));
      }
      cursor = page;
    } while (!cursor.isFinished());
  }
}
