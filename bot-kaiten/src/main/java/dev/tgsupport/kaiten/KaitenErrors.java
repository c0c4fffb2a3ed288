package dev.tgsupport.kaiten;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tgsupport.core.AuthenticationException;
import dev.tgsupport.core.BotException;
import dev.tgsupport.core.ConflictException;
import dev.tgsupport.core.InvalidInputException;
import dev.tgsupport.core.NonRetriableException;
import dev.tgsupport.core.NotFoundException;
import dev.tgsupport.core.OperationTimeoutException;
import dev.tgsupport.core.RateLimitedException;
import dev.tgsupport.core.ServerErrorException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Optional;

/**
 * The one place where Kaiten's answers and transport failures become bot-core exceptions. Retriable: 429 (with the
 * wait), 5xx, timeouts and network failures. Not retriable: 400 (with Kaiten's message), 401, 402, 403, 404, 405,
 * 409, other 4xx and redirects. Every message names the operation ({@code POST /cards}); none holds the token.
 */
final class KaitenErrors {
  /** What the caller is told to check when the token is refused; the exact words are part of the contract. */
  static final String TOKEN_REJECTED = "Kaiten rejected the token (401); check KAITEN_TOKEN";
  private static final int MAX_QUOTED = 300;

  private KaitenErrors() {}

  static BotException forStatus(String op, int status, String body, Optional<String> location, Redactor redactor) {
    String message = redactor.scrub(serverMessage(body));
    String quoted = message.isEmpty() ? "" : ": " + message;
    if (status >= 500) {
      return new ServerErrorException("Kaiten failed (" + status + ") on " + op + quoted);
    }
    if (status >= 300 && status < 400) {
      return new NonRetriableException("Kaiten redirected " + op + " (" + status + ")"
          + location.map(l -> " to " + redactor.scrub(l)).orElse("")
          + "; set kaiten.baseUrl to the address the API really answers on");
    }
    return switch (status) {
      case 400 -> new InvalidInputException(op, "was refused by Kaiten (400)" + quoted);
      case 401 -> new AuthenticationException(TOKEN_REJECTED + " (during " + op + ")");
      case 402 -> new NonRetriableException("Kaiten: feature not in your Kaiten plan (402) for " + op + quoted);
      case 403 -> new NonRetriableException("Kaiten denied " + op + " (403): the token's user has no access to it"
          + quoted);
      case 404 -> new NotFoundException("Kaiten has no such thing: " + op + " (404)" + quoted);
      case 405 -> new NonRetriableException("Kaiten does not allow " + op + " (405)");
      case 409 -> new ConflictException("Kaiten refused " + op + " as a conflict (409)" + quoted);
      default -> new NonRetriableException("Kaiten refused " + op + " (" + status + ")" + quoted);
    };
  }

  static RateLimitedException rateLimited(String op, Duration wait, String why) {
    return new RateLimitedException("Kaiten rate limit on " + op + " (" + why + "); retry after " + wait.toMillis()
        + " ms", wait);
  }

  /**
   * A failed exchange. For anything but GET the request may have reached Kaiten and been applied before the answer
   * was lost, so the message says to look it up (a card by its external_id) before repeating it.
   */
  static BotException forTransport(String op, IOException failure, boolean idempotent, int attempts,
      Duration timeout, Redactor redactor) {
    Throwable cause = redactor.scrub(failure);
    String detail = failure.getClass().getSimpleName()
        + (failure.getMessage() == null ? "" : ": " + redactor.scrub(failure.getMessage()));
    String tries = attempts > 1 ? " after " + attempts + " attempts" : "";
    if (failure instanceof HttpConnectTimeoutException || failure instanceof ConnectException) {
      return new ServerErrorException("cannot connect to Kaiten for " + op + tries + " (" + detail
          + "); is kaiten.baseUrl right and Kaiten up?", cause);
    }
    String unknown = idempotent ? "" : "; it may have been applied, look it up before repeating it";
    if (failure instanceof HttpTimeoutException) {
      return new OperationTimeoutException("Kaiten did not answer " + op + " within " + timeout.toMillis() + " ms"
          + tries + unknown, cause);
    }
    return new ServerErrorException("Kaiten " + op + " failed on the network" + tries + " (" + detail + ")" + unknown,
        cause);
  }

  static ServerErrorException unreadable(String op, String problem, Redactor redactor) {
    return new ServerErrorException("Kaiten answered " + op + " with " + redactor.scrub(problem));
  }

  /** Kaiten's {@code {"message": "..."}}, else the plain text (401 answers are plain strings), shortened. */
  static String serverMessage(String body) {
    if (body == null || body.isBlank()) {
      return "";
    }
    String text = body.strip();
    if (text.startsWith("{")) {
      try {
        JsonNode node = KaitenJson.MAPPER.readTree(text);
        JsonNode message = node.path("message");
        if (message.isTextual() && !message.asText().isBlank()) {
          text = message.asText().strip();
        }
      } catch (IOException e) {
        // Not JSON after all: quote it as it is.
      }
    }
    return text.length() <= MAX_QUOTED ? text : text.substring(0, MAX_QUOTED) + "…";
  }
}
