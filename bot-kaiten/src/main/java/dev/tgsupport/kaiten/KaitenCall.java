package dev.tgsupport.kaiten;

import static dev.tgsupport.core.InvalidInputException.check;
import static dev.tgsupport.core.InvalidInputException.requireNonNull;

import java.time.Duration;

/**
 * One logical call to Kaiten's API, as a {@link KaitenCallListener} sees it: what was asked, how long it took from the
 * first attempt to the answer or the failure (waits for the rate limit and between retries included), how many HTTP
 * attempts it made, and how it failed, if it did.
 *
 * <p>It holds no token, URL, path, id or message text: only names chosen from a fixed set, so it can become a metric
 * tag or a log field as it is.
 *
 * @param operation what was asked, one of a small fixed set: {@code users_current}, {@code get_board},
 *     {@code list_lanes}, {@code list_columns}, {@code create_card}, {@code get_card}, {@code update_card},
 *     {@code list_cards} (one page), {@code add_comment}, {@code list_comments}, {@code add_tag},
 *     {@code list_members}, {@code add_member}
 * @param duration from the first attempt until the call returned or threw
 * @param attempts HTTP requests sent, 0 when it failed before the first (the rate limit would have waited too long)
 * @param error the simple class name of the exception the caller got ({@code ServerErrorException},
 *     {@code RateLimitedException}, …), or null when the call succeeded
 */
public record KaitenCall(String operation, Duration duration, int attempts, String error) {

  public KaitenCall {
    requireNonNull(operation, "kaitenCall.operation");
    check(operation.matches("[a-z][a-z_]{0,31}"), "kaitenCall.operation", "must be a lower-case name", operation);
    requireNonNull(duration, "kaitenCall.duration");
    check(!duration.isNegative(), "kaitenCall.duration", "must not be negative", duration);
    check(attempts >= 0, "kaitenCall.attempts", "must be >= 0", attempts);
    check(error == null || !error.isBlank(), "kaitenCall.error", "must be null or a class name", error);
  }

  /** Whether Kaiten answered with success (2xx) and the answer could be read. */
  public boolean ok() {
    return error == null;
  }

  /** {@code ok} or {@code error}: the outcome tag of the client meters. */
  public String outcome() {
    return ok() ? "ok" : "error";
  }
}
