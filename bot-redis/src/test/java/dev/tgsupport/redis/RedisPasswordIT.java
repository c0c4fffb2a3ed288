package dev.tgsupport.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tgsupport.core.AuthenticationException;
import dev.tgsupport.core.port.RateLimiter.Limit;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A private redis-server with {@code requirepass}: the password works, and never shows anywhere. */
class RedisPasswordIT {
  private static final String SECRET = "Hunter2-secret-9f3a";
  private static final String WRONG = "Wrong-guess-7c1e";
  private static RedisServerProcess server;

  @BeforeAll
  static void start() {
    server = RedisServerProcess.start(SECRET);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static String urlWith(String userInfo) {
    return "redis://" + userInfo + "@127.0.0.1:" + server.port() + "/3";
  }

  private static List<String> messages(Throwable t) {
    List<String> out = new ArrayList<>();
    for (Throwable c = t; c != null; c = c.getCause()) {
      out.add(c.getClass().getName() + ": " + c.getMessage());
      for (Throwable s : c.getSuppressed()) {
        out.addAll(messages(s));
      }
    }
    return out;
  }

  @Test
  void thePasswordInTheUrlIsUsedAndNeverShown() {
    try (LogCapture logs = new LogCapture();
        RedisSupport redis = RedisSupport.builder().url(urlWith(":" + SECRET)).build()) {
      redis.ping();
      assertThat(redis.rateLimiter().tryAcquire("k", Limit.perSecond(1))).isZero();
      assertThat(redis.isDegraded()).isFalse();
      assertThat(redis.toString()).contains("redis://:****@127.0.0.1:" + server.port() + "/3")
          .doesNotContain(SECRET);
      assertThat(logs.text()).contains("using Redis at redis://:****@").doesNotContain(SECRET);
    }
  }

  @Test
  void aSeparatePasswordReplacesTheUrlsAndWorksWithAUsername() {
    try (RedisSupport redis = RedisSupport.builder().url(urlWith("default:" + WRONG)).password(SECRET).build()) {
      redis.ping();
      assertThat(redis.deduplicator().firstSeen("u", Duration.ofSeconds(5))).isTrue();
      assertThat(redis.isDegraded()).isFalse();
      assertThat(redis.toString()).contains("redis://default:****@").doesNotContain(SECRET).doesNotContain(WRONG);
    }
    try (RedisSupport redis = RedisSupport.builder().url("redis://127.0.0.1:" + server.port()).password(SECRET)
        .build()) {
      redis.ping();
      assertThat(redis.toString()).doesNotContain(SECRET);
    }
  }

  @Test
  void aWrongPasswordDegradesQuietlyAndPingSaysWhatToFixWithoutShowingIt() {
    RecordingListener listener = new RecordingListener();
    try (LogCapture logs = new LogCapture();
        RedisSupport redis = RedisSupport.builder().url(urlWith(":" + WRONG)).listener(listener).build()) {
      assertThat(redis.rateLimiter().tryAcquire("k", Limit.perSecond(1))).as("answered on the fallback").isZero();
      assertThat(redis.dialogStates().get(1, 2)).isEmpty();
      assertThat(redis.degradedComponents())
          .containsExactly("deduplicator", "dialog-states", "flood-counter", "rate-limiter");

      assertThatThrownBy(redis::ping)
          .isInstanceOf(AuthenticationException.class)
          .hasMessageContaining("REDIS_URL")
          .hasMessageContaining("redis://:****@127.0.0.1:" + server.port() + "/3")
          .satisfies(e -> assertThat(messages(e)).noneMatch(m -> m.contains(WRONG) || m.contains(SECRET)));

      assertThat(listener.causes).isNotEmpty()
          .allSatisfy(c -> assertThat(messages(c)).noneMatch(m -> m.contains(WRONG) || m.contains(SECRET)));
      assertThat(redis.toString()).doesNotContain(WRONG);
      assertThat(logs.text()).contains("Redis unavailable for rate-limiter").doesNotContain(WRONG)
          .doesNotContain(SECRET);
    }
  }

  @Test
  void noPasswordAtAllIsRefusedAsAnAuthenticationProblem() {
    try (RedisSupport redis = RedisSupport.builder().url("redis://127.0.0.1:" + server.port()).build()) {
      assertThatThrownBy(redis::ping).isInstanceOf(AuthenticationException.class).hasMessageContaining("REDIS_URL");
      assertThat(redis.floodCounter().record(1, 2, 3, 4, Duration.ofSeconds(1))).isEqualTo(1);
    }
  }
}
