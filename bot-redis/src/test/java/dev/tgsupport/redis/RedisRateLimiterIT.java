package dev.tgsupport.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tgsupport.core.InvalidInputException;
import dev.tgsupport.core.memory.InMemoryRateLimiter;
import dev.tgsupport.core.port.RateLimiter;
import dev.tgsupport.core.port.RateLimiter.Limit;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RedisRateLimiterIT {
  private String prefix;
  private RedisSupport redis;
  private RateLimiter limiter;

  @BeforeEach
  void connect() {
    prefix = TestRedis.prefix(getClass());
    redis = TestRedis.builder(prefix).build();
    limiter = redis.rateLimiter();
  }

  @AfterEach
  void cleanUp() {
    assertThat(redis.isDegraded()).as("every call was answered by Redis").isFalse();
    redis.close();
    TestRedis.deleteKeys(prefix);
  }

  /** One step of a schedule: sleep, then call both limiters. */
  private record Step(long sleepMillis, int calls) {}

  @Test
  void decisionsAndWaitsMatchTheInMemoryLimiterOnTheSameSchedule() {
    // 5 per 3 s (one every 600 ms) with bursts of 3; every step lands at least 150 ms away from a threshold, so
    // neither the time between the two calls nor a busy machine's late wake-ups can tip a decision.
    Limit limit = new Limit(5, Duration.ofSeconds(3), 3);
    InMemoryRateLimiter reference = InMemoryRateLimiter.create();
    List<Step> schedule = List.of(
        new Step(0, 4), new Step(300, 1), new Step(450, 2), new Step(3_000, 4), new Step(900, 2), new Step(100, 1));
    List<String> expected = new ArrayList<>();
    List<String> actual = new ArrayList<>();
    for (Step step : schedule) {
      RedisServerProcess.sleep(step.sleepMillis());
      for (int i = 0; i < step.calls(); i++) {
        long t = System.nanoTime();
        Duration onRedis = limiter.tryAcquire("chat:1", limit);
        Duration roundTrip = Duration.ofNanos(System.nanoTime() - t);
        Duration inMemory = reference.tryAcquire("chat:1", limit);
        expected.add(inMemory.isZero() ? "granted" : "wait");
        actual.add(onRedis.isZero() ? "granted" : "wait");
        // Redis decided somewhere within the round trip, a little before the in-memory limiter did.
        Duration slack = Duration.ofMillis(20).plus(roundTrip);
        Duration low = inMemory.minus(slack).isNegative() ? Duration.ZERO : inMemory.minus(slack);
        assertThat(onRedis).as("wait at %s", step).isBetween(low, inMemory.plus(slack));
      }
    }
    assertThat(actual).isEqualTo(expected).containsExactly(
        "granted", "granted", "granted", "wait",
        "wait",
        "granted", "wait",
        "granted", "granted", "granted", "wait",
        "granted", "wait",
        "wait");
  }

  @Test
  void aBurstIsGrantedAtOnceThenTheWaitIsOneInterval() {
    Limit limit = new Limit(1, Duration.ofSeconds(1), 3);

    long start = System.nanoTime();
    assertThat(limiter.tryAcquire("chat:2", limit)).isZero();
    assertThat(limiter.tryAcquire("chat:2", limit)).isZero();
    assertThat(limiter.tryAcquire("chat:2", limit)).isZero();
    Duration wait = limiter.tryAcquire("chat:2", limit);
    // The first permit comes back one interval after the first grant; the calls since then shorten the wait.
    Duration sinceFirst = Duration.ofNanos(System.nanoTime() - start);
    assertThat(wait).isBetween(Duration.ofSeconds(1).minus(sinceFirst), Duration.ofSeconds(1));
    assertThat(sinceFirst).as("the calls were fast enough to prove the wait").isLessThan(Duration.ofMillis(500));
  }

  @Test
  void theKeyExpiresWhenTheBucketHasRefilled() {
    Limit limit = new Limit(5, Duration.ofSeconds(1), 3);
    long start = System.nanoTime();
    for (int i = 0; i < 3; i++) {
      limiter.tryAcquire("chat:3", limit);
    }
    long ttl = TestRedis.raw().pttl(prefix + "rate:chat:3");
    long sinceFirst = Duration.ofNanos(System.nanoTime() - start).toMillis();
    // Three grants of 200 ms each: the bucket is full again 600 ms after the first, and the key is useless after that.
    assertThat(ttl).isBetween(600L - sinceFirst - 1, 600L);
    assertThat(sinceFirst).as("the calls were fast enough to prove the expiry").isLessThan(300L);
  }

  @Test
  void aRefusedCallTakesNoPermitAndKeysAreIndependent() {
    Limit limit = new Limit(1, Duration.ofSeconds(10), 1);
    assertThat(limiter.tryAcquire("a", limit)).isZero();
    for (int i = 0; i < 20; i++) {
      assertThat(limiter.tryAcquire("a", limit)).isPositive();
    }
    assertThat(limiter.tryAcquire("b", limit)).isZero();
    assertThat(TestRedis.raw().pttl(prefix + "rate:a")).isBetween(9_000L, 10_000L);
  }

  @Test
  void telegramsGlobalLimitGrantsThirtyAtOnce() {
    List<Boolean> decisions = new ArrayList<>();
    long start = System.nanoTime();
    for (int i = 0; i < 40; i++) {
      decisions.add(limiter.tryAcquire("global", Limit.perSecond(30)).isZero());
    }
    long elapsedMillis = Duration.ofNanos(System.nanoTime() - start).toMillis();
    // The bucket refills one permit every 33.3 ms, so a slow machine may see a few more grants; never fewer.
    long refilled = elapsedMillis * 30 / 1000;
    assertThat(decisions.subList(0, 30)).as("the burst of thirty").containsOnly(true);
    assertThat(decisions.stream().filter(granted -> granted).count())
        .as("grants in %d ms", elapsedMillis)
        .isBetween(30L, 30 + refilled);
    assertThat(refilled).as("the loop was fast enough to prove the limit").isLessThan(10);
  }

  @Test
  void extremeLimitsDoNotBreakTheScript() {
    assertThat(limiter.tryAcquire("slow", new Limit(1, Duration.ofDays(365_000), Integer.MAX_VALUE))).isZero();
    assertThat(limiter.tryAcquire("fast", new Limit(Integer.MAX_VALUE, Duration.ofNanos(1), 1))).isZero();
    assertThat(limiter.tryAcquire("slow", new Limit(1, Duration.ofDays(365_000), 1))).isPositive();
  }

  @Test
  void nullArgumentsAreRefusedNamingThem() {
    assertThatThrownBy(() -> limiter.tryAcquire(null, Limit.perSecond(1)))
        .isInstanceOf(InvalidInputException.class).hasMessage("key must not be null");
    assertThatThrownBy(() -> limiter.tryAcquire("k", null))
        .isInstanceOf(InvalidInputException.class).hasMessage("limit must not be null");
  }
}
