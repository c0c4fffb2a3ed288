package dev.tgsupport.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tgsupport.core.ServerErrorException;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The builder's validation and the masking of the password; nothing here needs a Redis server. */
class RedisSupportTest {
  private static final String SECRET = "TopSecret-42";

  private static RedisSupport.Builder valid() {
    return RedisSupport.builder().url("redis://127.0.0.1:6379");
  }

  private static int closedPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Test
  void urlsAreShownWithThePasswordMasked() {
    assertThat(RedisUrl.redact("redis://:pw@host:6379/2")).isEqualTo("redis://:****@host:6379/2");
    assertThat(RedisUrl.redact("rediss://bot:p@ss:w/rd@host")).isEqualTo("rediss://bot:****@host");
    assertThat(RedisUrl.redact("redis://onlypassword@host")).isEqualTo("redis://****@host");
    assertThat(RedisUrl.redact("redis://host:6379/0")).isEqualTo("redis://host:6379/0");
    assertThat(RedisUrl.redact(null)).isEqualTo("null");
  }

  @Test
  void aBadUrlIsRefusedNamingTheFormatWithoutShowingThePassword() {
    assertThatThrownBy(() -> RedisSupport.builder().build()).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("url must be redis://[user:password@]host[:port][/db] or rediss://…, was null");
    assertThatThrownBy(() -> RedisSupport.builder().url(" ").build())
        .hasMessage("url must be redis://[user:password@]host[:port][/db] or rediss://…, was blank");
    assertThatThrownBy(() -> RedisSupport.builder().url("http://:" + SECRET + "@host").build())
        .hasMessage("url must be redis://[user:password@]host[:port][/db] or rediss://…, was http://:****@host");
    assertThatThrownBy(() -> RedisSupport.builder().url("redis://:" + SECRET + "@host:port").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("url must name a host and a numeric port, was redis://:****@host:port");
    assertThatThrownBy(() -> RedisSupport.builder().url("redis://:" + SECRET + "@host:99999").build())
        .isInstanceOf(IllegalArgumentException.class).hasNoCause()
        .hasMessage("url must be redis://[user:password@]host[:port][/db] or rediss://…, was redis://:****@host:99999");
    assertThatThrownBy(() -> RedisSupport.builder().url("redis://host/db").build())
        .hasMessage("url must be redis://[user:password@]host[:port][/db] or rediss://…, was redis://host/db");
    assertThatThrownBy(() -> RedisSupport.builder().url("redis://:" + SECRET + "@").build())
        .isInstanceOf(IllegalArgumentException.class).message().doesNotContain(SECRET);
  }

  @Test
  void settingsAreValidatedNamingTheField() {
    assertThatThrownBy(() -> valid().commandTimeout(Duration.ZERO).build())
        .hasMessage("commandTimeout must be positive, was PT0S");
    assertThatThrownBy(() -> valid().connectTimeout(null).build())
        .hasMessage("connectTimeout must be positive, was null");
    assertThatThrownBy(() -> valid().probeInterval(Duration.ofMillis(-1)).build())
        .hasMessage("probeInterval must be positive, was PT-0.001S");
    assertThatThrownBy(() -> valid().probeInterval(Duration.ofMillis(5)).build())
        .hasMessage("probeInterval must be >= 10 ms, was PT0.005S");
    assertThatThrownBy(() -> valid().keyPrefix(" ").build()).hasMessage("keyPrefix must not be blank, was \" \"");
    assertThatThrownBy(() -> valid().clock(null).build()).hasMessage("clock must not be null");
    assertThatThrownBy(() -> valid().listener(null).build()).hasMessage("listener must not be null");
    assertThatThrownBy(() -> valid().password("").build())
        .hasMessage("password must not be empty (leave it unset for no password)");
  }

  @Test
  void anUnreachableRedisDoesNotFailTheBuildButFailsPingNamingRedisUrl() throws IOException {
    String url = "redis://user:" + SECRET + "@127.0.0.1:" + closedPort() + "/1";
    try (LogCapture logs = new LogCapture();
        RedisSupport redis = RedisSupport.builder().url(url).connectTimeout(Duration.ofMillis(500)).build()) {
      assertThat(redis.isDegraded()).isTrue();
      assertThat(redis.toString()).startsWith("RedisSupport{url=redis://user:****@127.0.0.1:").doesNotContain(SECRET);
      assertThatThrownBy(redis::ping).isInstanceOf(ServerErrorException.class)
          .hasMessageContaining("is unreachable (check REDIS_URL)")
          .message().doesNotContain(SECRET);
      assertThat(logs.text()).doesNotContain(SECRET);
    }
  }

  @Test
  void pingAfterCloseIsAMisuse() {
    RedisSupport redis = valid().build();
    redis.close();
    redis.close();
    assertThatThrownBy(redis::ping).isInstanceOf(IllegalStateException.class).hasMessage("RedisSupport is closed");
    assertThat(redis.deduplicator().firstSeen("k", Duration.ofSeconds(1))).as("still answers, in process").isTrue();
    assertThat(redis.isDegraded()).as("closing is not an outage").isFalse();
  }
}
