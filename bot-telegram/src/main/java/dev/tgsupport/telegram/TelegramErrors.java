package dev.tgsupport.telegram;

import dev.tgsupport.core.AuthenticationException;
import dev.tgsupport.core.BotException;
import dev.tgsupport.core.ConflictException;
import dev.tgsupport.core.InvalidInputException;
import dev.tgsupport.core.NotFoundException;
import dev.tgsupport.core.OperationTimeoutException;
import dev.tgsupport.core.RateLimitedException;
import dev.tgsupport.core.ServerErrorException;
import java.io.InterruptedIOException;
import java.io.IOException;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns Bot API error envelopes and transport failures into the bot-core exception tree, so nothing of pengrad or
 * OkHttp reaches callers: 429 is rate-limited with its retry-after, 5xx and network failures are retriable, 400, 401,
 * 403, 404 and 409 are not.
 */
final class TelegramErrors {
  // Some 429s come without "parameters": the only hint is the text, "Too Many Requests: retry after 35".
  private static final Pattern RETRY_AFTER_TEXT = Pattern.compile("retry after (\\d{1,6})", Pattern.CASE_INSENSITIVE);
  /** Used when a 429 says nothing about how long to wait. */
  static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(3);

  private TelegramErrors() {}

  /**
   * The exception for an error envelope.
   *
   * @param method the Bot API method, for the message
   * @param chatId the chat the request was for, 0 when none
   */
  static BotException fromEnvelope(
      String method, long chatId, int code, String description, Integer retryAfter, Long migrateTo) {
    String text = description == null || description.isBlank() ? "(no description)" : description;
    String where = chatId == 0 ? method : method + " to chat " + chatId;
    String lower = text.toLowerCase(Locale.ROOT);
    if (code == 429) {
      Duration wait = retryAfter(retryAfter, text);
      return new RateLimitedException(
          "Telegram rate limit on " + where + ": " + text + " (retry after " + wait.toSeconds() + " s)", wait);
    }
    if (migrateTo != null && migrateTo != 0) {
      return new ChatMigratedException(
          "Telegram " + where + " failed: " + text + "; the chat is now " + migrateTo, chatId, migrateTo);
    }
    if (code >= 500) {
      return new ServerErrorException("Telegram " + where + " failed with " + code + ": " + text);
    }
    return switch (code) {
      case 401 -> new AuthenticationException(
          "Telegram rejected the bot token (401 " + text + "); check TELEGRAM_BOT_TOKEN");
      case 403 -> new ForbiddenException(
          "Telegram " + where + " refused (403): " + text, chatId, lower.contains("blocked by the user"));
      case 404 -> new NotFoundException("Telegram " + where + " failed (404): " + text
          + (lower.contains("method") ? "; is TELEGRAM_API_URL a Bot API server?" : ""));
      case 409 -> new ConflictException("Telegram " + where + " conflict (409): " + text);
      default -> {
        if (lower.contains("not found")) {
          yield new NotFoundException("Telegram " + where + " failed (" + code + "): " + text);
        }
        yield new InvalidInputException("telegram." + method, text + " (" + code + ")");
      }
    };
  }

  static Duration retryAfter(Integer parameter, String description) {
    if (parameter != null && parameter >= 0) {
      return Duration.ofSeconds(Math.max(1, parameter));
    }
    if (description != null) {
      Matcher m = RETRY_AFTER_TEXT.matcher(description);
      if (m.find()) {
        return Duration.ofSeconds(Math.max(1, Long.parseLong(m.group(1))));
      }
    }
    return DEFAULT_RETRY_AFTER;
  }

  /** The exception for a failed exchange: a timeout, a refused or dropped connection, an unreadable answer. */
  static BotException fromTransport(String method, long chatId, Throwable failure, Redactor redactor) {
    String where = chatId == 0 ? method : method + " to chat " + chatId;
    Throwable cause = redactor.scrub(failure);
    String detail = cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
    // SocketTimeoutException and OkHttp's call timeout are both InterruptedIOExceptions.
    if (failure instanceof InterruptedIOException) {
      return new OperationTimeoutException("Telegram " + where + " timed out (" + detail + ")", cause);
    }
    if (failure instanceof IOException) {
      return new ServerErrorException("Telegram " + where + " failed on the network (" + detail + ")", cause);
    }
    return new ServerErrorException("Telegram " + where + " gave an unreadable answer (" + detail + ")", cause);
  }
}
