package dev.tgsupport.kaiten;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpHeaders;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RateHintsTest {

  private static final Instant NOW = Instant.parse("2026-09-01T12:00:00.250Z");

  private static RateHints hints(Map<String, String> headers) {
    Map<String, List<String>> multi = new java.util.HashMap<>();
    headers.forEach((k, v) -> multi.put(k, List.of(v)));
    return RateHints.from(HttpHeaders.of(multi, (k, v) -> true), NOW);
  }

  @Test
  void kaitensHeadersAreReadAsEpochSecondsAndACount() {
    RateHints h = hints(Map.of("X-RateLimit-Remaining", "0", "X-RateLimit-Reset", "1788264001"));
    assertThat(h.remaining()).isZero();
    assertThat(h.reset()).isEqualTo(Instant.ofEpochSecond(1788264001));
    assertThat(h.retryAfter()).isNull();
    assertThat(h.untilReset(Instant.ofEpochSecond(1788264000).plusMillis(250))).isEqualTo(Duration.ofMillis(750));
  }

  @Test
  void aResetTooLargeForSecondsIsTakenAsMilliseconds() {
    assertThat(RateHints.reset("1788264001500")).isEqualTo(Instant.ofEpochMilli(1788264001500L));
    assertThat(RateHints.reset("1788264001.5")).isEqualTo(Instant.ofEpochMilli(1788264001500L));
    assertThat(RateHints.reset("soon")).isNull();
    assertThat(RateHints.reset("-5")).isNull();
  }

  @Test
  void retryAfterIsSecondsOrAnHttpDate() {
    assertThat(RateHints.retryAfter("2", NOW)).isEqualTo(Duration.ofSeconds(2));
    assertThat(RateHints.retryAfter(" 1.5 ", NOW)).isEqualTo(Duration.ofMillis(1500));
    assertThat(RateHints.retryAfter("-3", NOW)).isZero();
    assertThat(RateHints.retryAfter("Tue, 01 Sep 2026 12:00:03 GMT", NOW)).isEqualTo(Duration.ofMillis(2750));
    assertThat(RateHints.retryAfter("Tue, 01 Sep 2026 11:00:00 GMT", NOW)).isZero();
    assertThat(RateHints.retryAfter("later", NOW)).isNull();
  }

  @Test
  void aResetInThePastOrFarFutureIsIgnored() {
    RateHints past = new RateHints(null, NOW.minusSeconds(5), 0L);
    RateHints far = new RateHints(null, NOW.plus(Duration.ofHours(2)), 0L);
    assertThat(past.untilReset(NOW)).isNull();
    assertThat(far.untilReset(NOW)).isNull();
    assertThat(new RateHints(null, null, null).untilReset(NOW)).isNull();
  }

  @Test
  void missingOrGarbledHeadersGiveNulls() {
    RateHints h = hints(Map.of("X-RateLimit-Remaining", "many"));
    assertThat(h.remaining()).isNull();
    assertThat(h.reset()).isNull();
    assertThat(h.retryAfter()).isNull();
  }
}
