package dev.tgsupport.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tgsupport.core.contract.MutableClock;
import dev.tgsupport.metrics.Health.State;
import dev.tgsupport.metrics.Health.Status;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class HealthTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T10:00:00Z"));

  @Test
  void readyUnlessARequiredComponentIsDownAndDegradedOnesAreListed() {
    AtomicReference<Status> storage = new AtomicReference<>(Status.up("PostgreSQL 15"));
    try (Health health = Health.builder().clock(clock).cacheFor(Duration.ZERO)
        .required("storage", storage::get)
        .component("redis", () -> Status.degraded("in-process fallback: connection refused"))
        .component("kaiten", () -> Status.down("503 from Kaiten"))
        .build()) {
      Health.Report r = health.check();
      assertThat(r.ready()).isTrue();
      assertThat(r.degraded()).containsExactly("redis", "kaiten");
      assertThat(r.toJson()).isEqualTo("{\"status\":\"ready\",\"checked_at\":\"2026-11-23T10:00:00Z\","
          + "\"degraded\":[\"redis\",\"kaiten\"],\"components\":{"
          + "\"storage\":{\"state\":\"up\",\"required\":true,\"detail\":\"PostgreSQL 15\"},"
          + "\"redis\":{\"state\":\"degraded\",\"required\":false,\"detail\":\"in-process fallback: connection"
          + " refused\"},"
          + "\"kaiten\":{\"state\":\"down\",\"required\":false,\"detail\":\"503 from Kaiten\"}}}");

      storage.set(Status.down("connection refused"));
      assertThat(health.check().ready()).isFalse();
      assertThat(health.check().toJson()).startsWith("{\"status\":\"not_ready\"");
    }
  }

  @Test
  void aCheckThatThrowsOrHangsCountsAsDown() throws Exception {
    CountDownLatch never = new CountDownLatch(1);
    try (Health health = Health.builder().timeout(Duration.ofMillis(200))
        .required("storage", () -> {
          throw new IllegalStateException("pool closed");
        })
        .component("qdrant", () -> {
          try {
            never.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return Status.up("never");
        })
        .build()) {
      Health.Report r = health.check();
      assertThat(r.components()).extracting(Health.Component::state).containsExactly(State.DOWN, State.DOWN);
      assertThat(r.components().get(0).detail()).isEqualTo("IllegalStateException: pool closed");
      assertThat(r.components().get(1).detail()).isEqualTo("no answer within 200 ms");
    }
  }

  @Test
  void resultsAreReusedForCacheForAndGaugesShowTheLastCheck() {
    AtomicInteger calls = new AtomicInteger();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (Health health = Health.builder().clock(clock).cacheFor(Duration.ofSeconds(5))
        .required("storage", () -> {
          calls.incrementAndGet();
          return Status.up("");
        })
        .component("redis", () -> Status.degraded("fallback"))
        .build().bindTo(registry)) {
      assertThat(registry.get("tgsupport.component.state").tag("component", "storage").gauge().value()).isNaN();
      health.check();
      health.check();
      assertThat(calls).hasValue(1);
      clock.advance(Duration.ofSeconds(6));
      health.check();
      assertThat(calls).hasValue(2);
      assertThat(registry.get("tgsupport.component.state").tag("component", "storage").gauge().value()).isEqualTo(1);
      assertThat(registry.get("tgsupport.component.state").tag("component", "redis").gauge().value()).isEqualTo(0.5);
    }
  }

  @Test
  void detailsAreEscapedInJson() {
    try (Health health = Health.builder().component("kaiten", () -> Status.down("said \"no\"\n\\ \u0001")).build()) {
      assertThat(health.check().toJson()).contains("\"detail\":\"said \\\"no\\\"\\n\\\\ \\u0001\"");
    }
  }

  @Test
  void badNamesAndDuplicatesAreRefused() {
    assertThatThrownBy(() -> Health.builder().component("Storage!", () -> Status.up("")))
        .hasMessage("component name must be lower-case letters, digits and _, was Storage!");
    assertThatThrownBy(() -> Health.builder().component("redis", () -> Status.up(""))
        .required("redis", () -> Status.up(""))).hasMessage("component 'redis' is already registered");
  }
}
