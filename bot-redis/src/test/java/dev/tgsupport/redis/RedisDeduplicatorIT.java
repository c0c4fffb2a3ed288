package dev.tgsupport.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tgsupport.core.contract.DeduplicatorContract;
import dev.tgsupport.core.port.Deduplicator;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class RedisDeduplicatorIT extends DeduplicatorContract {
  @RegisterExtension final RedisFixture fixture = new RedisFixture();

  @Override
  protected Deduplicator deduplicator() {
    return fixture.redis().deduplicator();
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
    assertThat(fixture.redis().deduplicator().firstSeen("update:7", Duration.ofMinutes(10))).isTrue();

    assertThat(TestRedis.raw().get(fixture.prefix() + "dedup:update:7")).isEqualTo("1");
    assertThat(TestRedis.raw().pttl(fixture.prefix() + "dedup:update:7")).isBetween(599_000L, 600_000L);
  }

  @Test
  void twoInstancesShareTheClaims() {
    try (RedisSupport other = TestRedis.builder(fixture.prefix()).build()) {
      assertThat(fixture.redis().deduplicator().firstSeen("update:8", Duration.ofMinutes(1))).isTrue();
      assertThat(other.deduplicator().firstSeen("update:8", Duration.ofMinutes(1))).isFalse();
      other.deduplicator().release("update:8");
      assertThat(fixture.redis().deduplicator().firstSeen("update:8", Duration.ofMinutes(1))).isTrue();
    }
  }

  @Test
  void aSubMillisecondTtlStillStoresTheClaim() {
    assertThat(fixture.redis().deduplicator().firstSeen("tiny", Duration.ofNanos(10))).isTrue();
  }
}
