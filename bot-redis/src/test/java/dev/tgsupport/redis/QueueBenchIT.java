package dev.tgsupport.redis;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Runs the queue benchmark against the test Redis. {@code -Dqueue.bench.messages=100000} (and
 * {@code -Dqueue.bench.workers}) give the figures; the default keeps the suite quick.
 */
class QueueBenchIT {

  @Test
  void theBenchmarkHandlesEveryMessageWithinTheRoundTripBudget() {
    int messages = Integer.getInteger("queue.bench.messages", 20_000);
    int workers = Integer.getInteger("queue.bench.workers", 4);
    int publishers = Integer.getInteger("queue.bench.publishers", QueueBench.DEFAULT_PUBLISHERS);

    QueueBench.Result r = QueueBench.run(TestRedis.URL, messages, workers, publishers, System.out);

    System.out.printf("enqueued_per_s=%.0f processed_per_s=%.0f p50_ms=%.2f p99_ms=%.2f"
        + " redis_round_trips_per_message=%.3f sent=%s redis=%s%n", r.enqueuedPerS(), r.processedPerS(),
        r.p50Millis(), r.p99Millis(), r.redisRoundTripsPerMessage(), r.commandsSent(), r.redisCommandCalls());
    assertThat(r.messages()).isEqualTo(messages);
    assertThat(r.commandsSent().get("xadd")).isEqualTo((long) messages);
    assertThat(r.redisCommandCalls().get("xadd")).isGreaterThanOrEqualTo((long) messages);
    assertThat(r.redisRoundTripsPerMessage()).isBetween(1.0, 2.0);
    assertThat(r.processedPerS()).isPositive();
    assertThat(r.p99Millis()).isPositive();
  }
}
