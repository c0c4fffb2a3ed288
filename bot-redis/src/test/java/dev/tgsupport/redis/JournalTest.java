package dev.tgsupport.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class JournalTest {
  @Test
  void onlyTheLastWritePerKeyIsKeptAndTheOldestGoBeyondTheCapacityWithOneWarning() {
    Journal journal = new Journal("dialog-states", Clock.systemUTC(), 3, Duration.ofMillis(100));
    try (LogCapture logs = new LogCapture()) {
      journal.set("a", "1", Duration.ofMinutes(1));
      journal.delete("a");
      journal.set("b", "1", Duration.ofMinutes(1));
      journal.setIfAbsent("c", "1", Duration.ofMinutes(1));
      assertThat(journal.size()).isEqualTo(3);

      journal.set("d", "1", Duration.ofMinutes(1));
      journal.set("e", "1", Duration.ofMinutes(1));
      assertThat(journal.size()).isEqualTo(3);
      assertThat(logs.lines("dialog-states: more than 3 writes during the Redis outage")).isEqualTo(1);
    }
  }
}
