package dev.tgsupport.core.memory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tgsupport.core.contract.DeduplicatorContract;
import dev.tgsupport.core.contract.MutableClock;
import dev.tgsupport.core.port.Deduplicator;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class InMemoryDeduplicatorTest extends DeduplicatorContract {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T10:00:00Z"));
  private final InMemoryDeduplicator dedup = InMemoryDeduplicator.create(clock);

  @Override
  protected Deduplicator deduplicator() {
    return dedup;
  }

  @Override
  protected void advance(Duration d) {
    clock.advance(d);
  }

  @Test
  void expiredClaimsAreSweptSoMemoryStaysBounded() {
    InMemoryDeduplicator small = InMemoryDeduplicator.create(clock, 100);
    for (int i = 0; i < 1_000; i++) {
      small.firstSeen("k" + i, Duration.ofSeconds(1));
      clock.advance(Duration.ofMillis(10));
    }
    assertThat(small.size()).isLessThanOrEqualTo(101);
    assertThat(small.firstSeen("k999", Duration.ofSeconds(1))).as("the newest claim is kept").isFalse();
  }

  @Test
  void beyondTheBoundTheClaimsClosestToExpiryAreForgottenFirst() {
    InMemoryDeduplicator small = InMemoryDeduplicator.create(clock, 10);
    small.firstSeen("short", Duration.ofSeconds(1));
    for (int i = 0; i < 10; i++) {
      clock.advance(Duration.ofMillis(1));
      small.firstSeen("long" + i, Duration.ofHours(1));
    }
    assertThat(small.size()).isLessThanOrEqualTo(10);
    assertThat(small.firstSeen("long9", Duration.ofHours(1))).isFalse();
    assertThat(small.firstSeen("short", Duration.ofSeconds(1))).as("forgotten").isTrue();
  }

  @Test
  void aCrowdOfClaimsWithOneExpiryIsTrimmedNotWiped() {
    InMemoryDeduplicator small = InMemoryDeduplicator.create(clock, 10);
    for (int i = 0; i < 11; i++) {
      small.firstSeen("same" + i, Duration.ofHours(1));
    }
    assertThat(small.size()).isEqualTo(9);
  }

  @Test
  void aBigCrowdIsTrimmedToNinetyPercentKeepingTheNewest() {
    InMemoryDeduplicator big = InMemoryDeduplicator.create(clock, 100_000);
    for (int i = 0; i <= 100_000; i++) {
      clock.advance(Duration.ofNanos(1));
      big.firstSeen("k" + i, Duration.ofHours(1));
    }

    assertThat(big.size()).isBetween(87_000, 93_000);
    assertThat(big.firstSeen("k100000", Duration.ofHours(1))).as("the newest are kept").isFalse();
    assertThat(big.firstSeen("k0", Duration.ofHours(1))).as("the oldest are forgotten").isTrue();
  }

  @Test
  void aHugeTtlMeansForever() {
    assertThat(dedup.firstSeen("k", Duration.ofSeconds(Long.MAX_VALUE))).isTrue();
    clock.advance(Duration.ofDays(36_500));
    assertThat(dedup.firstSeen("k", Duration.ofSeconds(1))).isFalse();
  }
}
