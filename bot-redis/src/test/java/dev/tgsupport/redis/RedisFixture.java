package dev.tgsupport.redis;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A {@link RedisSupport} on the shared test Redis for each test, under a key prefix of its own, closed and cleaned
 * up afterwards; each test must have been served by Redis throughout (never by the in-process fallback).
 *
 * <pre>{@code @RegisterExtension final RedisFixture fixture = new RedisFixture();}</pre>
 */
final class RedisFixture implements BeforeEachCallback, AfterEachCallback {
  private String prefix;
  private RedisSupport redis;

  @Override
  public void beforeEach(ExtensionContext context) {
    prefix = TestRedis.prefix(context.getRequiredTestClass());
    redis = TestRedis.builder(prefix).build();
  }

  @Override
  public void afterEach(ExtensionContext context) {
    try {
      assertThat(redis.isDegraded()).as("every call was answered by Redis").isFalse();
    } finally {
      redis.close();
      TestRedis.deleteKeys(prefix);
    }
  }

  String prefix() {
    return prefix;
  }

  RedisSupport redis() {
    return redis;
  }
}
