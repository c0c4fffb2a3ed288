package dev.tgsupport.metrics;

import dev.tgsupport.core.port.OutboxStore;
import dev.tgsupport.core.port.Transactions;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How far behind the ticket tracker is, as gauges: {@code tgsupport.outbox.pending}, {@code tgsupport.outbox.parked}
 * and {@code tgsupport.outbox.oldest.age} (seconds since the oldest pending entry was written; 0 when none). A
 * background thread reads {@link OutboxStore#backlog()} every {@code every}, so a scrape never touches the
 * database; failed reads keep the last values and count {@code tgsupport.outbox.sample.errors}.
 */
public final class OutboxMetrics implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(OutboxMetrics.class);

  private final Transactions transactions;
  private final Clock clock;
  private final ScheduledExecutorService timer;
  private final Counter errors;
  private volatile OutboxStore.Backlog last = new OutboxStore.Backlog(0, 0, null);

  private OutboxMetrics(MeterRegistry registry, Transactions transactions, Clock clock) {
    this.transactions = transactions;
    this.clock = clock;
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "tgsupport-outbox-metrics");
      t.setDaemon(true);
      return t;
    });
    Gauge.builder("tgsupport.outbox.pending", this, m -> m.last.pending())
        .description("Outbox entries not yet delivered to the tracker (parked ones apart)").register(registry);
    Gauge.builder("tgsupport.outbox.parked", this, m -> m.last.parked())
        .description("Outbox entries parked for staff after failing").register(registry);
    Gauge.builder("tgsupport.outbox.oldest.age", this, OutboxMetrics::oldestAgeSeconds)
        .description("Age of the oldest pending outbox entry").baseUnit("seconds").register(registry);
    this.errors = Counter.builder("tgsupport.outbox.sample.errors")
        .description("Failed reads of the outbox backlog").register(registry);
  }

  /** Starts sampling now and then every {@code every}. Close it on shutdown. */
  public static OutboxMetrics start(MeterRegistry registry, Transactions transactions, Clock clock, Duration every) {
    Objects.requireNonNull(registry, "registry");
    Objects.requireNonNull(transactions, "transactions");
    Objects.requireNonNull(clock, "clock");
    if (every == null || every.isNegative() || every.isZero()) {
      throw new IllegalArgumentException("every must be positive, was " + every);
    }
    OutboxMetrics m = new OutboxMetrics(registry, transactions, clock);
    m.timer.scheduleWithFixedDelay(m::sample, 0, every.toMillis(), TimeUnit.MILLISECONDS);
    return m;
  }

  /** Reads the backlog now; the gauges show it from then on. */
  public void sample() {
    try {
      last = transactions.inTransaction(s -> s.outbox().backlog());
    } catch (RuntimeException e) {
      errors.increment();
      log.debug("cannot read the outbox backlog: {}", e.toString());
    }
  }

  private double oldestAgeSeconds() {
    OutboxStore.Backlog b = last;
    if (b.oldestPendingCreatedAt() == null) {
      return 0;
    }
    return Math.max(0, Duration.between(b.oldestPendingCreatedAt(), clock.instant()).toMillis() / 1000.0);
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
