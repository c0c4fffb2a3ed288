package dev.tgsupport.redis;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StreamKeysTest {
  private final StreamKeys keys = StreamKeys.of("tg:", QueueSettings.defaults());

  @Test
  void everyKeyOfTheQueueSharesTheStreamPrefix() {
    assertThat(keys.stream(3)).isEqualTo("tg:queue:3");
    assertThat(keys.lease(3)).isEqualTo("tg:queue:lease:3");
    assertThat(keys.dead()).isEqualTo("tg:queue:dead");
    assertThat(keys.consumers()).isEqualTo("tg:queue:consumers");
  }

  @Test
  void thePartitionIsTheCrc32OfTheKeyModuloThePartitionCount() {
    // The values zlib.crc32 gives, so a tool in another language routes a chat to the same stream.
    assertThat(keys.partitionOf("chat-42")).isEqualTo((int) (3237092035L % 16));
    assertThat(keys.partitionOf("12345")).isEqualTo((int) (3421846044L % 16));
    assertThat(keys.partitionOf("-1001234567890")).isEqualTo((int) (2283732581L % 16));
    assertThat(new StreamKeys("p:", 7).partitionOf("-1001234567890")).isEqualTo((int) (2283732581L % 7));
  }

  @Test
  void pagingThroughAPendingListStartsRightAfterTheLastId() {
    assertThat(StreamConsumer.nextId("1700000000000-0")).isEqualTo("1700000000000-1");
    assertThat(StreamConsumer.nextId("5-41")).isEqualTo("5-42");
  }
}
