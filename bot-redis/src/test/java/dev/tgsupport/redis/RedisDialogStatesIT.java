package dev.tgsupport.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tgsupport.core.contract.DialogStatesContract;
import dev.tgsupport.core.port.DialogStates;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RedisDialogStatesIT extends DialogStatesContract {
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
  protected DialogStates states() {
    return redis.dialogStates();
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
  void aStateIsOneKeyPerChatAndUserWithTheTtlAsExpiry() {
    redis.dialogStates().put(-100, 7, "ticket:awaiting-details", Duration.ofMinutes(15));

    assertThat(TestRedis.raw().get(prefix + "dialog:-100:7")).isEqualTo("ticket:awaiting-details");
    assertThat(TestRedis.raw().pttl(prefix + "dialog:-100:7")).isBetween(899_000L, 900_000L);
  }

  @Test
  void anotherInstanceReadsTheState() {
    try (RedisSupport other = TestRedis.builder(prefix).build()) {
      redis.dialogStates().put(1, 2, "feedback", Duration.ofMinutes(1));
      assertThat(other.dialogStates().get(1, 2)).hasValue("feedback");
      other.dialogStates().clear(1, 2);
      assertThat(redis.dialogStates().get(1, 2)).isEmpty();
    }
  }
}
