package dev.tgsupport.sample;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tgsupport.redis.QueueBench;
import dev.tgsupport.sample.RunCommandTest.Run;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code tgsupport bench queue}: its output and its options; {@code BenchQueueCommandIT} runs it on Redis. */
class BenchQueueCommandTest {
  @Test
  void theResultPrintsEveryKeyOnce() {
    QueueBench.Result r = new QueueBench.Result(100_000, 4, 16, 41_234.56, 39_876.4, 3.14159, 12.5, 1.0312,
        Map.of("xadd", 100_000L), Map.of("xadd", 100_000L));
    assertThat(BenchQueueCommand.lines(r)).containsExactly(
        "messages: 100000",
        "workers: 4",
        "enqueued_per_s: 41235",
        "processed_per_s: 39876",
        "p50_ms: 3.14",
        "p99_ms: 12.50",
        "redis_round_trips_per_message: 1.031");
  }

  @ParameterizedTest
  @CsvSource({"--messages,0", "--messages,10000001", "--workers,0", "--workers,257"})
  void badOptionsAreUsageErrors(String option, String value) {
    Run r = RunCommandTest.run(Map.of(), "bench", "queue", option, value);
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).startsWith("tgsupport bench queue: " + option + " must be in ").hasLineCount(1);
  }

  @Test
  void aUrlThatIsNotRedisIsAUsageErrorWithoutThePassword() {
    Run r = RunCommandTest.run(Map.of(), "bench", "queue", "--redis-url", "http://bench:s3cret-pass@cache:6379");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).isEqualTo("tgsupport bench queue: --redis-url must be redis://[[user]:password@]host[:port]"
        + "[/db] or rediss://… for TLS, was 'http://bench:***@cache:6379'\n");
  }

  @Test
  void anUnreachableRedisIsOneLineNamingWhereTheUrlCameFrom() {
    Run option = RunCommandTest.run(Map.of("REDIS_URL", "redis://127.0.0.1:2"), "bench", "queue", "--redis-url",
        "redis://:s3cret-pass@127.0.0.1:1");
    assertThat(option.exit()).isEqualTo(1);
    assertThat(option.out()).isEmpty();
    assertThat(option.err()).isEqualTo("tgsupport bench queue: cannot reach Redis at"
        + " --redis-url=redis://:***@127.0.0.1:1: Connection refused\n");

    Run env = RunCommandTest.run(Map.of("REDIS_URL", "redis://bench:s3cret-pass@127.0.0.1:1/3"), "bench", "queue");
    assertThat(env.exit()).isEqualTo(1);
    assertThat(env.err()).isEqualTo("tgsupport bench queue: cannot reach Redis at"
        + " REDIS_URL=redis://bench:***@127.0.0.1:1/3: Connection refused\n");
  }

  @Test
  void helpListsTheKeys() {
    Run r = RunCommandTest.run(Map.of(), "bench", "queue", "--help");
    assertThat(r.exit()).isZero();
    assertThat(r.out()).contains("--messages=N", "--workers=W", "--redis-url=URL", "(default 100000)",
        "(default 4", "REDIS_URL", "redis://127.0.0.1:6379", "enqueued_per_s", "processed_per_s", "p50_ms",
        "p99_ms", "redis_round_trips_per_message");
  }
}
