package dev.tgsupport.sample;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The Redis server the sample-app ITs use: {@code TGSUPPORT_TEST_REDIS_URL}, else {@code redis://127.0.0.1:6379}.
 * Each test keeps its keys under a prefix of its own ({@link #prefix}) and deletes them afterwards, so suites can
 * share the server.
 */
final class TestRedis {
  static final String DEFAULT_URL = "redis://127.0.0.1:6379";

  private static RedisClient client;
  private static StatefulRedisConnection<String, String> connection;

  private TestRedis() {}

  static String url() {
    String configured = System.getenv("TGSUPPORT_TEST_REDIS_URL");
    return configured != null && !configured.isBlank() ? configured : DEFAULT_URL;
  }

  /** {@code tgsupport-it:<name>:<random>:}, for {@code TGSUPPORT_REDIS_PREFIX}. */
  static String prefix(String name) {
    return "tgsupport-it:" + name + ":" + UUID.randomUUID().toString().substring(0, 8) + ":";
  }

  /** A plain connection, to look at the keys behind the program's back. */
  static synchronized RedisCommands<String, String> raw() {
    if (connection == null) {
      client = RedisClient.create(RedisURI.create(url()));
      connection = client.connect();
    }
    return connection.sync();
  }

  static List<String> keys(String prefix) {
    List<String> keys = new ArrayList<>();
    RedisCommands<String, String> redis = raw();
    ScanCursor cursor = ScanCursor.INITIAL;
    do {
      KeyScanCursor<String> page = redis.scan(cursor, ScanArgs.Builder.matches(prefix + "*").limit(500));
      keys.addAll(page.getKeys());
      cursor = page;
    } while (!cursor.isFinished());
    return keys;
  }

  static void deleteKeys(String prefix) {
    List<String> keys = keys(prefix);
    if (!keys.isEmpty()) {
      raw().unlink(keys.toArray(new String[0]));
    }
  }
}
