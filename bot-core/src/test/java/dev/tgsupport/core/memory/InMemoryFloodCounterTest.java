package dev.tgsupport.core.memory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tgsupport.core.contract.FloodCounterContract;
import dev.tgsupport.core.contract.MutableClock;
import dev.tgsupport.core.port.FloodCounter;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class InMemoryFloodCounterTest extends FloodCounterContract {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T10:00:00Z"));
  private final InMemoryFloodCounter counter = InMemoryFloodCounter.create(clock, 3);

  @Override
  protected FloodCounter counter() {
    return counter;
  }

  @Override
  protected void advance(Duration d) {
    clock.advance(d);
  }

  @Test
  void memoryIsBoundedByForgettingTheLeastRecentlyActivePairs() {
    for (long user = 1; user <= 10; user++) {
      counter.record(1, user, user, 99, Duration.ofMinutes(1));
    }
    assertThat(counter.trackedPairs()).isEqualTo(3);
    assertThat(counter.record(1, 1, 100, 99, Duration.ofMinutes(1))).as("user 1 was forgotten").isEqualTo(1);
    assertThat(counter.record(1, 10, 101, 99, Duration.ofMinutes(1))).as("user 10 is remembered").isEqualTo(2);
  }

  @Test
  void aCountStopsGrowingAtTheTextsRememberedPerPair() {
    int last = 0;
    for (long id = 1; id <= 100; id++) {
      last = counter.record(1, 1, id, 99, Duration.ofMinutes(1));
    }
    assertThat(last).isEqualTo(InMemoryFloodCounter.MAX_PER_PAIR);
  }
}
