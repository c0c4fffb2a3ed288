package dev.tgsupport.core.memory;

import dev.tgsupport.core.contract.MutableClock;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tgsupport.core.port.RateLimiter.Limit;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class InMemoryRateLimiterTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T10:00:00Z"));
  private final InMemoryRateLimiter limiter = InMemoryRateLimiter.create(clock);

  @Test
  void aBurstIsAllowedAtOnceThenCallsAreToldHowLongToWait() {
    Limit limit = new Limit(1, Duration.ofSeconds(1), 3);

    assertThat(limiter.tryAcquire("chat:1", limit)).isZero();
    assertThat(limiter.tryAcquire("chat:1", limit)).isZero();
    assertThat(limiter.tryAcquire("chat:1", limit)).isZero();
    assertThat(limiter.tryAcquire("chat:1", limit)).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void permitsRefillWithTheClock() {
    Limit limit = Limit.perSecond(2);
    limiter.tryAcquire("k", limit);
    limiter.tryAcquire("k", limit);
    assertThat(limiter.tryAcquire("k", limit)).isEqualTo(Duration.ofMillis(500));

    clock.advance(Duration.ofMillis(499));
    assertThat(limiter.tryAcquire("k", limit)).isEqualTo(Duration.ofMillis(1));

    clock.advance(Duration.ofMillis(1));
    assertThat(limiter.tryAcquire("k", limit)).isZero();
    assertThat(limiter.tryAcquire("k", limit)).isEqualTo(Duration.ofMillis(500));

    clock.advance(Duration.ofSeconds(10));
    assertThat(limiter.tryAcquire("k", limit)).isZero();
    assertThat(limiter.tryAcquire("k", limit)).isZero();
    assertThat(limiter.tryAcquire("k", limit)).isEqualTo(Duration.ofMillis(500));
  }

  @Test
  void aRefusedCallTakesNoPermit() {
    Limit limit = new Limit(1, Duration.ofSeconds(1), 1);
    limiter.tryAcquire("k", limit);
    for (int i = 0; i < 10; i++) {
      assertThat(limiter.tryAcquire("k", limit)).isEqualTo(Duration.ofSeconds(1));
    }

    clock.advance(Duration.ofSeconds(1));

    assertThat(limiter.tryAcquire("k", limit)).isZero();
  }

  @Test
  void theSustainedRateIsPermitsPerPeriod() {
    Limit limit = new Limit(20, Duration.ofMinutes(1), 1);
    int allowed = 0;
    for (int second = 0; second < 60; second++) {
      for (int i = 0; i < 5; i++) {
        if (limiter.tryAcquire("group:-100", limit).isZero()) {
          allowed++;
        }
      }
      clock.advance(Duration.ofSeconds(1));
    }

    assertThat(allowed).isEqualTo(20);
  }

  @Test
  void keysAreLimitedIndependently() {
    Limit limit = new Limit(1, Duration.ofSeconds(1), 1);

    assertThat(limiter.tryAcquire("chat:1", limit)).isZero();
    assertThat(limiter.tryAcquire("chat:2", limit)).isZero();
    assertThat(limiter.tryAcquire("chat:1", limit)).isPositive();
  }

  @Test
  void memoryStaysBoundedByDroppingIdleKeysFirst() {
    InMemoryRateLimiter small = InMemoryRateLimiter.create(clock, 10);
    Limit limit = new Limit(1, Duration.ofSeconds(1), 1);
    small.tryAcquire("busy", limit);

    clock.advance(Duration.ofSeconds(2));
    for (int i = 0; i < 10; i++) {
      small.tryAcquire("idle-soon:" + i, limit);
    }
    clock.advance(Duration.ofMillis(500));
    for (int i = 0; i < 1000; i++) {
      small.tryAcquire("new:" + i, new Limit(1, Duration.ofHours(1), 1));
    }

    // The keys still inside their period are the ones kept: a just-used new key stays limited.
    assertThat(small.tryAcquire("new:999", new Limit(1, Duration.ofHours(1), 1))).isPositive();
  }

  @Test
  void anEvictedIdleKeyBehavesLikeANewOne() {
    InMemoryRateLimiter small = InMemoryRateLimiter.create(clock, 1);
    Limit limit = new Limit(1, Duration.ofSeconds(1), 2);
    small.tryAcquire("a", limit);
    small.tryAcquire("a", limit);

    clock.advance(Duration.ofSeconds(5));
    // "b" refills within a millisecond, so it is the key dropped when "a" comes back.
    small.tryAcquire("b", new Limit(1000, Duration.ofSeconds(1), 1));

    assertThat(small.tryAcquire("a", limit)).isZero();
    assertThat(small.tryAcquire("a", limit)).isZero();
    assertThat(small.tryAcquire("a", limit)).isPositive();
  }
}
