package dev.tgsupport.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisConnectionException;
import java.net.ConnectException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class DegradationsTest {
  private final RecordingListener listener = new RecordingListener();
  private final Degradations degradations = new Degradations(listener);

  @Test
  void anOutageIsReportedOncePerComponentAndItsEndOnce() {
    try (LogCapture logs = new LogCapture()) {
      for (int i = 0; i < 100; i++) {
        degradations.degraded("rate-limiter", new RedisConnectionException("Connection refused"));
      }
      degradations.degraded("deduplicator", new RedisConnectionException("Connection refused"));

      assertThat(degradations.any()).isTrue();
      assertThat(degradations.components()).containsExactly("deduplicator", "rate-limiter");
      assertThat(logs.lines("Redis unavailable for rate-limiter")).isEqualTo(1);

      degradations.recovered("rate-limiter");
      degradations.recovered("rate-limiter");
      assertThat(degradations.components()).containsExactly("deduplicator");
      assertThat(logs.lines("Redis is back for rate-limiter")).isEqualTo(1);

      degradations.degraded("rate-limiter", new RedisConnectionException("again"));
      assertThat(logs.lines("Redis unavailable for rate-limiter")).as("a new outage is a new warning").isEqualTo(2);
    }
    assertThat(listener.events).containsExactly("degraded rate-limiter", "degraded deduplicator",
        "recovered rate-limiter", "degraded rate-limiter");
  }

  @Test
  void aListenerThatThrowsIsIgnored() {
    Degradations withBadListener = new Degradations(new RedisSupport.Listener() {
      @Override
      public void degraded(String component, Throwable cause) {
        throw new IllegalStateException("metrics are down too");
      }

      @Override
      public void recovered(String component, Duration outage) {
        throw new IllegalStateException("metrics are down too");
      }
    });
    try (LogCapture logs = new LogCapture()) {
      withBadListener.degraded("cache:answers", new RedisConnectionException("x"));
      withBadListener.recovered("cache:answers");
      assertThat(logs.lines("RedisSupport.Listener.degraded threw for cache:answers")).isEqualTo(1);
    }
    assertThat(withBadListener.any()).isFalse();
  }

  @Test
  void aCauseIsDescribedWithItsRoot() {
    RedisConnectionException e = new RedisConnectionException("Unable to connect to 127.0.0.1:6390",
        new ConnectException("Connection refused"));
    assertThat(Degradations.describe(e)).isEqualTo("RedisConnectionException: Unable to connect to 127.0.0.1:6390;"
        + " caused by ConnectException: Connection refused");
  }
}
