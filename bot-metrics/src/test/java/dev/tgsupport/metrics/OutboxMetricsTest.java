package dev.tgsupport.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tgsupport.core.StorageUnavailableException;
import dev.tgsupport.core.contract.MutableClock;
import dev.tgsupport.core.memory.InMemoryStorage;
import dev.tgsupport.core.model.OutboxEntry;
import dev.tgsupport.core.port.Stores;
import dev.tgsupport.core.port.Transactions;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class OutboxMetricsTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T10:00:00Z"));
  private final InMemoryStorage storage = InMemoryStorage.create(clock);
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  private double gauge(String name) {
    return registry.get(name).gauge().value();
  }

  @Test
  void gaugesShowTheBacklogAndTheAgeOfTheOldestPendingEntry() {
    OutboxEntry first = storage.inTransaction(s -> s.outbox().enqueue(OutboxEntry.TICKET_CREATE, "{}", clock.instant()));
    clock.advance(Duration.ofSeconds(30));
    storage.run(s -> s.outbox().enqueue(OutboxEntry.TICKET_CREATE, "{}", clock.instant()));
    OutboxEntry parked = storage.inTransaction(
        s -> s.outbox().enqueue(OutboxEntry.TICKET_CREATE, "{}", clock.instant()));
    storage.run(s -> s.outbox().park(parked.id(), "400", clock.instant()));

    try (OutboxMetrics metrics = OutboxMetrics.start(registry, storage, clock, Duration.ofHours(1))) {
      metrics.sample();
      clock.advance(Duration.ofSeconds(15));

      assertThat(gauge("tgsupport.outbox.pending")).isEqualTo(2);
      assertThat(gauge("tgsupport.outbox.parked")).isEqualTo(1);
      assertThat(gauge("tgsupport.outbox.oldest.age")).isEqualTo(45);

      storage.run(s -> s.outbox().markDone(first.id(), clock.instant()));
      metrics.sample();
      assertThat(gauge("tgsupport.outbox.pending")).isEqualTo(1);
      assertThat(gauge("tgsupport.outbox.oldest.age")).isEqualTo(15);
    }
  }

  @Test
  void aFailedReadKeepsTheLastValuesAndIsCounted() {
    AtomicBoolean down = new AtomicBoolean();
    Transactions flaky = new Transactions() {
      @Override
      public <T> T inTransaction(Function<Stores, T> work) {
        if (down.get()) {
          throw new StorageUnavailableException("connection refused");
        }
        return storage.inTransaction(work);
      }
    };
    storage.run(s -> s.outbox().enqueue(OutboxEntry.TICKET_CREATE, "{}", clock.instant()));
    try (OutboxMetrics metrics = OutboxMetrics.start(registry, flaky, clock, Duration.ofHours(1))) {
      metrics.sample();
      down.set(true);
      metrics.sample();

      assertThat(gauge("tgsupport.outbox.pending")).isEqualTo(1);
      assertThat(registry.get("tgsupport.outbox.sample.errors").counter().count()).isGreaterThanOrEqualTo(1);
    }
  }
}
