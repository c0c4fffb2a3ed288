package dev.tgsupport.core.memory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tgsupport.core.contract.DialogStatesContract;
import dev.tgsupport.core.contract.MutableClock;
import dev.tgsupport.core.port.DialogStates;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class InMemoryDialogStatesTest extends DialogStatesContract {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T10:00:00Z"));
  private final InMemoryDialogStates states = InMemoryDialogStates.create(clock);

  @Override
  protected DialogStates states() {
    return states;
  }

  @Override
  protected void advance(Duration d) {
    clock.advance(d);
  }

  @Test
  void theLeastRecentlyUsedStateIsForgottenBeyondTheBound() {
    InMemoryDialogStates small = InMemoryDialogStates.create(clock, 2);
    small.put(1, 1, "a", Duration.ofMinutes(5));
    small.put(1, 2, "b", Duration.ofMinutes(5));
    small.get(1, 1);
    small.put(1, 3, "c", Duration.ofMinutes(5));

    assertThat(small.get(1, 2)).isEmpty();
    assertThat(small.get(1, 1)).hasValue("a");
    assertThat(small.get(1, 3)).hasValue("c");
  }
}
