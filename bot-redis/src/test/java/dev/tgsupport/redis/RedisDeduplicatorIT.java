package dev.tgsupport.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tgsupport.core.contract.DeduplicatorContract;
import dev.tgsupport.core.port.Deduplicator;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RedisDeduplicatorIT extends DeduplicatorContract {
  private String prefix;
  private RedisSupport redis;

  @BeforeEach
  void connect() {
    prefix = TestRedis.prefix(getClass());
    redis = TestRedis.builder(prefix).build();
  }

  @AfterEach
  void cleanUp() {
    assertThat(redis.isDegraded()).as("every call was answered by Redis").isFalse();
    redis.close();
    TestRedis.deleteKeys(prefix);
  }

  @Override
  protected Deduplicator deduplicator() {
    return redis.deduplicator();
  }

  @Override
  protected void advance(Duration d) {
    RedisServerProcess.sleep(d.toMillis());
  }

  @Override
  protected Duration tick() {
    return Duration.ofMillis(150);
  }

  @Test
  void aClaimIsOneKeyWithTheTtlAsExpiry() {
    assertThat(redis.deduplicator().firstSeen("update:7", Duration.ofMinutes(10))).isTrue();

    assertThat(TestRedis.raw().get(prefix + "dedup:update:7")).isEqualTo("1");
    assertThat(TestRedis.raw().pttl(prefix + "dedup:update:7")).isBetween(599_000L, 600_000L);
  }

  @Test
  void twoInstancesShareTheClaims() {
    try (RedisSupport other = TestRedis.builder(prefix).build()) {
      assertThat(redis.deduplicator().firstSeen("update:8", Duration.ofMinutes(1))).isTrue();
      assertThat(other.deduplicator().firstSeen("update:8", Duration.ofMinutes(1))).isFalse();
      other.deduplicator().release("update:8");
      assertThat(redis.deduplicator().firstSeen("update:8", Duration.ofMinutes(1))).isTrue();
    }
  }

  @Test
  void aSubMillisecondTtlStillStoresTheClaim() {
    assertThat(redis.deduplicator().firstSeen("tiny", Duration.ofNanos(10))).isTrue();
  }
}
