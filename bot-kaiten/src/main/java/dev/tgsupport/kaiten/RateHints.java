package dev.tgsupport.kaiten;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.http.HttpHeaders;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * What an answer says about the rate limit. Kaiten documents {@code X-RateLimit-Remaining} and
 * {@code X-RateLimit-Reset} ("UTC epoch when the limit will be reset"); {@code Retry-After} is not documented but is
 * honoured first when present, as the public clients do.
 *
 * @param retryAfter from {@code Retry-After} (seconds or an HTTP date); nullable
 * @param reset from {@code X-RateLimit-Reset}; nullable
 * @param remaining from {@code X-RateLimit-Remaining}; nullable
 */
record RateHints(Duration retryAfter, Instant reset, Long remaining) {

  // Seconds since the epoch stay below this until the year 5138; anything above is taken as milliseconds, because
  // whether the reset is in seconds or milliseconds is not documented.
  private static final long LARGEST_EPOCH_SECOND = 100_000_000_000L;

  static RateHints from(HttpHeaders headers, Instant now) {
    return new RateHints(
        headers.firstValue("Retry-After").map(v -> retryAfter(v, now)).orElse(null),
        headers.firstValue("X-RateLimit-Reset").map(RateHints::reset).orElse(null),
        headers.firstValue("X-RateLimit-Remaining").map(RateHints::remaining).orElse(null));
  }

  /** Seconds ({@code "2"}, {@code "1.5"}) or an HTTP date; null when unreadable. */
  static Duration retryAfter(String value, Instant now) {
    String v = value.strip();
    try {
      BigDecimal seconds = new BigDecimal(v);
      if (seconds.signum() < 0) {
        return Duration.ZERO;
      }
      return Duration.ofMillis(seconds.movePointRight(3).setScale(0, RoundingMode.CEILING).longValueExact());
    } catch (NumberFormatException | ArithmeticException e) {
      // Not a number: try the HTTP-date form.
    }
    try {
      Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
      Duration wait = Duration.between(now, at);
      return wait.isNegative() ? Duration.ZERO : wait;
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  /** Epoch seconds (fractions allowed) or, when implausibly large for seconds, milliseconds; null when unreadable. */
  static Instant reset(String value) {
    try {
      BigDecimal number = new BigDecimal(value.strip());
      if (number.signum() <= 0) {
        return null;
      }
      if (number.compareTo(BigDecimal.valueOf(LARGEST_EPOCH_SECOND)) > 0) {
        return Instant.ofEpochMilli(number.longValue());
      }
      return Instant.ofEpochMilli(number.movePointRight(3).longValue());
    } catch (NumberFormatException | ArithmeticException e) {
      return null;
    }
  }

  static Long remaining(String value) {
    try {
      return Long.parseLong(value.strip());
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** The time until the limit resets, when the header gave a plausible one (in the future, within an hour). */
  Duration untilReset(Instant now) {
    if (reset == null) {
      return null;
    }
    Duration wait = Duration.between(now, reset);
    return wait.isNegative() || wait.compareTo(Duration.ofHours(1)) > 0 ? null : wait;
  }
}
