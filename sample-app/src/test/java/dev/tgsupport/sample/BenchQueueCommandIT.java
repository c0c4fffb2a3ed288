package dev.tgsupport.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code tgsupport bench queue} from the packaged jar, on the test Redis. */
class BenchQueueCommandIT {
  @Test
  void aSmallRunPrintsEveryKeyWithSaneValues() throws Exception {
    try (JarProcess p = JarProcess.start(Map.of(), "bench", "queue", "--messages", "5000", "--workers", "2",
        "--redis-url", TestRedis.url())) {
      assertThat(p.waitFor(Duration.ofSeconds(120))).as(p.err()).isZero();
      Map<String, String> values = new LinkedHashMap<>();
      for (String line : p.out().split("\n")) {
        String[] kv = line.split(": ", 2);
        assertThat(kv).as("a 'key: value' line: %s", line).hasSize(2);
        values.put(kv[0], kv[1]);
      }
      assertThat(values.keySet()).containsExactly("messages", "workers", "enqueued_per_s", "processed_per_s",
          "p50_ms", "p99_ms", "redis_round_trips_per_message");
      assertThat(values).containsEntry("messages", "5000").containsEntry("workers", "2");
      assertThat(Long.parseLong(values.get("enqueued_per_s"))).isPositive();
      long processed = Long.parseLong(values.get("processed_per_s"));
      assertThat(processed).isPositive().isLessThanOrEqualTo(Long.parseLong(values.get("enqueued_per_s")) + 1);
      double p50 = Double.parseDouble(values.get("p50_ms"));
      double p99 = Double.parseDouble(values.get("p99_ms"));
      assertThat(p50).isPositive().isLessThanOrEqualTo(p99);
      assertThat(p99).isLessThan(10_000);
      // One XADD per message, plus reads, acknowledgements and lease heartbeats shared by many messages.
      assertThat(Double.parseDouble(values.get("redis_round_trips_per_message"))).isBetween(1.0, 3.0);
      assertThat(p.err()).contains("bench: 5000 messages, 2 workers", "queue bench: warming up",
          "bench: commands sent per kind: ");
    }
  }

  @Test
  void anUnreachableRedisIsOneLineAndExitOne() throws Exception {
    try (JarProcess p = JarProcess.start(Map.of("REDIS_URL", "redis://:s3cret-pass@127.0.0.1:1"), "bench",
        "queue", "--messages", "100")) {
      assertThat(p.waitFor(Duration.ofSeconds(60))).isEqualTo(1);
      assertThat(p.out()).isEmpty();
      assertThat(p.errLines()).containsExactly(
          "tgsupport bench queue: cannot reach Redis at REDIS_URL=redis://:***@127.0.0.1:1: Connection refused");
    }
  }
}
