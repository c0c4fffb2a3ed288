package dev.tgsupport.knowledge.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tgsupport.core.InvalidInputException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** {@link OpenAiEmbedder}'s settings and the {@code Retry-After} header, without a server. */
class OpenAiEmbedderTest {
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-23T15:00:00Z"), ZoneOffset.UTC);

  private static OpenAiEmbedder.Builder valid() {
    return OpenAiEmbedder.builder().baseUrl("http://localhost:11434").model("nomic-embed-text");
  }

  private static void assertRefused(UnaryOperator<OpenAiEmbedder.Builder> change, String field, String message) {
    assertThatThrownBy(() -> change.apply(valid()).build())
        .isInstanceOf(InvalidInputException.class)
        .hasMessage(message)
        .extracting(e -> ((InvalidInputException) e).field()).isEqualTo(field);
  }

  @Test
  void badSettingsAreRefusedNamingTheField() {
    assertRefused(b -> b.baseUrl(null), "baseUrl", "baseUrl must not be null");
    assertRefused(b -> b.baseUrl("localhost:11434"), "baseUrl",
        "baseUrl must be an http:// or https:// URL with a host, was 'localhost:11434'");
    assertRefused(b -> b.baseUrl("ftp://example.com"), "baseUrl",
        "baseUrl must be an http:// or https:// URL with a host, was 'ftp://example.com'");
    assertRefused(b -> b.baseUrl("https://example.com/v1?key=abc"), "baseUrl",
        "baseUrl must not have a query or fragment, was 'https://example.com/v1'");
    assertRefused(b -> b.model(" "), "model", "model must not be blank, was \" \"");
    assertRefused(b -> b.apiKey(""), "apiKey", "apiKey must not be blank when set; leave it unset for no key");
    assertRefused(b -> b.dimensions(0), "dimensions", "dimensions must be > 0, was 0");
    assertRefused(b -> b.batchSize(0), "batchSize", "batchSize must be > 0, was 0");
    assertRefused(b -> b.timeout(Duration.ZERO), "timeout", "timeout must be > 0, was PT0S");
    assertRefused(b -> b.maxRetries(-1), "maxRetries", "maxRetries must be >= 0, was -1");
    assertRefused(b -> b.backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)), "maxBackoff",
        "maxBackoff must be >= initialBackoff PT2S, was PT1S");
    assertRefused(b -> b.maxRetryWait(Duration.ofSeconds(-1)), "maxRetryWait", "maxRetryWait must be >= 0, was"
        + " PT-1S");
  }

  @Test
  void credentialsInTheUrlAreRefusedWithoutBeingShown() {
    assertThatThrownBy(() -> valid().baseUrl("https://user:hunter2-secret@example.com/v1").build())
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("baseUrl must not carry credentials; give the key with apiKey(), was"
            + " 'https://***@example.com/v1'");
  }

  @Test
  void toStringShowsTheModelAndEndpointButNeverTheKey() {
    try (OpenAiEmbedder e = valid().baseUrl("https://api.example.com/v1/").model("text-embedding-3-large")
        .apiKey("sk-live-abcdef0123456789").dimensions(256).batchSize(16).build()) {
      assertThat(e.toString()).isEqualTo("OpenAiEmbedder[openai:text-embedding-3-large,"
          + " https://api.example.com/v1/embeddings, 256 dims, batchSize=16, apiKey=***]");
      assertThat(e.modelName()).isEqualTo("openai:text-embedding-3-large");
      assertThat(e.dimension()).isEqualTo(256);
    }
  }

  @Test
  void retryAfterReadsSecondsAndHttpDates() {
    assertThat(RetryAfter.parse("0", CLOCK)).contains(Duration.ZERO);
    assertThat(RetryAfter.parse(" 17 ", CLOCK)).contains(Duration.ofSeconds(17));
    assertThat(RetryAfter.parse("Mon, 23 Nov 2026 15:00:42 GMT", CLOCK)).contains(Duration.ofSeconds(42));
    assertThat(RetryAfter.parse("Mon, 23 Nov 2026 14:59:00 GMT", CLOCK)).as("a date in the past").contains(
        Duration.ZERO);
    assertThat(RetryAfter.parse(null, CLOCK)).isEmpty();
    assertThat(RetryAfter.parse("", CLOCK)).isEmpty();
    assertThat(RetryAfter.parse("-5", CLOCK)).isEmpty();
    assertThat(RetryAfter.parse("soon", CLOCK)).isEqualTo(Optional.empty());
    assertThat(RetryAfter.parse("99999999999999999999999", CLOCK)).isEmpty();
  }
}
