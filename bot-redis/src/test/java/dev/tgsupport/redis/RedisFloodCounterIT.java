package dev.tgsupport.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tgsupport.core.contract.FloodCounterContract;
import dev.tgsupport.core.port.FloodCounter;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RedisFloodCounterIT extends FloodCounterContract {
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
  protected FloodCounter counter() {
    return redis.floodCounter();
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
  void oneSortedSetPerChatUserAndTextExpiresWithTheWindow() {
    redis.floodCounter().record(-100, 7, 1, 0xabcL, Duration.ofSeconds(30));
    redis.floodCounter().record(-100, 7, 2, 0xabcL, Duration.ofSeconds(30));

    String key = prefix + "flood:-100:7:abc";
    assertThat(TestRedis.raw().zrange(key, 0, -1)).containsExactly("1", "2");
    assertThat(TestRedis.raw().pttl(key)).isBetween(29_000L, 30_000L);
  }

  @Test
  void aCountStopsGrowingAtTheTextsRememberedPerPairLikeTheInMemoryTwin() {
    int last = 0;
    for (long id = 1; id <= 100; id++) {
      last = redis.floodCounter().record(1, 1, id, 99, Duration.ofMinutes(1));
    }
    assertThat(last).isEqualTo(64);
    assertThat(TestRedis.raw().zcard(prefix + "flood:1:1:63")).isEqualTo(64);
  }
}
