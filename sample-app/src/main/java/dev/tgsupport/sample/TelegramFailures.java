package dev.tgsupport.sample;

import dev.tgsupport.core.AuthenticationException;
import dev.tgsupport.core.BotException;
import dev.tgsupport.core.ConflictException;
import dev.tgsupport.core.InvalidInputException;
import dev.tgsupport.core.NotFoundException;
import dev.tgsupport.core.OperationTimeoutException;
import dev.tgsupport.core.RateLimitedException;
import dev.tgsupport.core.ServerErrorException;
import java.util.Locale;

/**
 * One line for what went wrong talking to Telegram, naming the variable to fix. The adapter already keeps the token
 * out of its messages; everything here goes through {@link BotSettings#scrub} once more anyway.
 */
final class TelegramFailures {
  private TelegramFailures() {}

  /** Why a call to Telegram failed, for {@code run}'s start checks and the {@code webhook} commands. */
  static String explain(BotException e, BotSettings settings, String apiUrl) {
    String where = BotSettings.API_URL + "=" + apiUrl;
    String line;
    if (e instanceof AuthenticationException) {
      line = BotSettings.TOKEN + " was rejected by Telegram (401 Unauthorized): check it against @BotFather"
          + " (/token), and that it was not revoked";
    } else if (e instanceof NotFoundException) {
      // Telegram answers 404 for a path it does not serve, such as a URL that is not a Bot API server.
      line = where + " does not answer like a Bot API server: " + e.getMessage();
    } else if (e instanceof OperationTimeoutException) {
      line = "cannot reach Telegram at " + where + ": " + e.getMessage();
    } else if (e instanceof ServerErrorException s) {
      line = isTransport(s) ? "cannot reach Telegram at " + where + ": " + e.getMessage()
          : "Telegram at " + where + " failed: " + e.getMessage();
    } else if (e instanceof RateLimitedException) {
      line = "Telegram asks to slow down: " + e.getMessage();
    } else if (e instanceof InvalidInputException i) {
      // The adapter names the Bot API method as the field: "telegram.setWebhook Bad Request: … (400)".
      String method = i.field().startsWith("telegram.") ? i.field().substring("telegram.".length()) : i.field();
      String text = e.getMessage().startsWith(i.field() + " ")
          ? e.getMessage().substring(i.field().length() + 1) : e.getMessage();
      line = "Telegram refused " + method + ": " + text;
    } else {
      line = e.getMessage();
    }
    return settings.scrub(line);
  }

  /** Why long polling stopped by itself: the fatal errors after which retrying cannot help. */
  static String pollingStopped(BotException e, BotSettings settings, String apiUrl) {
    String text = e.getMessage() == null ? "" : e.getMessage().toLowerCase(Locale.ROOT);
    String line;
    if (e instanceof ConflictException && text.contains("webhook")) {
      line = webhookIsSet(null);
    } else if (e instanceof ConflictException) {
      line = "Telegram stopped long polling (409): another process is polling with this " + BotSettings.TOKEN
          + "; only one instance may poll, so stop the other one (" + e.getMessage() + ")";
    } else {
      line = "long polling stopped: " + explain(e, settings, apiUrl);
    }
    return settings.scrub(line);
  }

  /** Long polling cannot start or go on while Telegram delivers to a webhook. */
  static String webhookIsSet(String url) {
    return "Telegram refuses long polling while a webhook is set for this bot (409"
        + (url == null ? "" : "; it delivers to " + url) + "): remove it with './tgsupport webhook delete', or run"
        + " with " + BotSettings.MODE + "=webhook";
  }

  private static boolean isTransport(ServerErrorException e) {
    // The adapter's transport failures (refused, reset, unreadable answers) carry the I/O exception as cause; an
    // error envelope (5xx) has none.
    return e.getCause() != null;
  }
}
