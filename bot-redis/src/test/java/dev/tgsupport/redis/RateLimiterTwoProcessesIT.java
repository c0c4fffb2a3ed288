package dev.tgsupport.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tgsupport.core.port.RateLimiter.Limit;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Four threads in this JVM and four in a second JVM hammer one limit: together they stay within it. */
class RateLimiterTwoProcessesIT {
  private static final int THREADS = 4;
  private static final int PERMITS = 200;
  private static final long PERIOD_MS = 1_000;
  private static final int BURST = 20;
  private static final long DURATION_MS = 3_000;

  private final String prefix = TestRedis.prefix(getClass());

  @AfterEach
  void cleanUp() {
    TestRedis.deleteKeys(prefix);
  }

  @Test
  void fourThreadsTimesTwoProcessesNeverExceedTheLimitByMoreThanOneBurst() throws Exception {
    Limit limit = new Limit(PERMITS, Duration.ofMillis(PERIOD_MS), BURST);
    long startAt = System.currentTimeMillis() + 2_500; // time for the other JVM to start and connect
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process other = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        LimiterHammer.class.getName(), TestRedis.URL, prefix, "global", Integer.toString(THREADS),
        Integer.toString(PERMITS), Long.toString(PERIOD_MS), Integer.toString(BURST), Long.toString(startAt),
        Long.toString(DURATION_MS))
        .redirectError(ProcessBuilder.Redirect.INHERIT)
        .start();
    CompletableFuture<List<String>> otherOutput = CompletableFuture.supplyAsync(() -> {
      try (BufferedReader r =
          new BufferedReader(new InputStreamReader(other.getInputStream(), StandardCharsets.UTF_8))) {
        return r.lines().toList();
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });

    LimiterHammer.Result mine;
    boolean degraded;
    try (RedisSupport redis = TestRedis.builder(prefix).build()) {
      mine = LimiterHammer.hammer(redis.rateLimiter(), "global", limit, THREADS, startAt, DURATION_MS);
      degraded = redis.isDegraded();
    }
    assertThat(other.waitFor(30, TimeUnit.SECONDS)).as("the other JVM finished").isTrue();
    assertThat(other.exitValue()).isZero();
    List<String> lines = otherOutput.get(10, TimeUnit.SECONDS);
    String done = lines.get(lines.size() - 1);
    assertThat(done).startsWith("DONE ").endsWith(" false");
    assertThat(degraded).as("this JVM stayed on Redis").isFalse();

    List<Long> theirs = lines.stream().filter(l -> l.startsWith("G ")).map(l -> Long.parseLong(l.substring(2)))
        .toList();
    List<Long> all = new ArrayList<>(mine.grants());
    all.addAll(theirs);
    Collections.sort(all);

    long calls = mine.calls() + Long.parseLong(done.split(" ")[1]);
    long spanMicros = all.get(all.size() - 1) - all.get(0);
    double allowed = BURST + spanMicros / 1_000_000.0 * PERMITS * 1_000.0 / PERIOD_MS;
    int worstWindow = worstWindow(all, PERIOD_MS * 1_000);
    System.out.printf("two processes: %d calls, %d grants (%d here, %d there) in %.3f s; allowed %.1f;"
            + " most in any %d ms: %d (limit %d + burst %d)%n",
        calls, all.size(), mine.grants().size(), theirs.size(), spanMicros / 1e6, allowed, PERIOD_MS, worstWindow,
        PERMITS, BURST);

    assertThat(mine.grants()).as("grants here").isNotEmpty();
    assertThat(theirs).as("grants in the other JVM").isNotEmpty();
    assertThat(calls).as("the limit was hammered").isGreaterThan(10L * all.size());
    // Grants are timed when the client sees them, not when Redis decided: allow for 20 ms of scheduling jitter
    // (4 grants at this rate). Per-process buckets would grant twice as much.
    double jitter = 1 + 20.0 * PERMITS / PERIOD_MS;
    assertThat((double) all.size()).as("grants overall").isLessThanOrEqualTo(allowed + jitter);
    assertThat((double) worstWindow).as("grants in the busiest period").isLessThanOrEqualTo(PERMITS + BURST + jitter);
    assertThat((double) all.size()).as("the shared limit is used, not starved").isGreaterThan(0.9 * (allowed - BURST));
  }

  /** The most grants within any window of {@code windowMicros}, sliding over the sorted grant times. */
  private static int worstWindow(List<Long> sorted, long windowMicros) {
    int worst = 0;
    int from = 0;
    for (int to = 0; to < sorted.size(); to++) {
      while (sorted.get(to) - sorted.get(from) >= windowMicros) {
        from++;
      }
      worst = Math.max(worst, to - from + 1);
    }
    return worst;
  }
}
