package dev.tgsupport.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tgsupport.core.contract.DialogStatesContract;
import dev.tgsupport.core.port.DialogStates;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class RedisDialogStatesIT extends DialogStatesContract {
  @RegisterExtension final RedisFixture fixture = new RedisFixture();

  @Override
  protected DialogStates states() {
    return fixture.redis().dialogStates();
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
    fixture.redis().dialogStates().put(-100, 7, "ticket:awaiting-details", Duration.ofMinutes(15));

    assertThat(TestRedis.raw().get(fixture.prefix() + "dialog:-100:7")).isEqualTo("ticket:awaiting-details");
    assertThat(TestRedis.raw().pttl(fixture.prefix() + "dialog:-100:7")).isBetween(899_000L, 900_000L);
  }

  @Test
  void anotherInstanceReadsTheState() {
    try (RedisSupport other = TestRedis.builder(fixture.prefix()).build()) {
      fixture.redis().dialogStates().put(1, 2, "feedback", Duration.ofMinutes(1));
      assertThat(other.dialogStates().get(1, 2)).hasValue("feedback");
      other.dialogStates().clear(1, 2);
      assertThat(fixture.redis().dialogStates().get(1, 2)).isEmpty();
    }
  }
}
