package dev.tgsupport.kaiten;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kaiten's external webhook. Kaiten signs nothing, so the secret in the path is the only proof of origin and the
 * body is only a trigger: it names a card, which is then re-read through the API. Answers at once; the sync runs on
 * the executor. Anything but the exact secret path gets 404, so the endpoint does not reveal itself.
 */
final class WebhookHandler implements HttpHandler {
  static final String PATH = "/kaiten/webhook/";
  static final int MAX_BODY = 256 * 1024;
  private static final Logger log = LoggerFactory.getLogger(WebhookHandler.class);

  private final byte[] secret;
  private final Executor executor;
  private final LongConsumer syncCard;
  private final long dedupeWindowNanos;
  private final Map<String, Long> recent = new ConcurrentHashMap<>();

  WebhookHandler(String secret, Executor executor, LongConsumer syncCard, Duration dedupeWindow) {
    this.secret = secret.getBytes(UTF_8);
    this.executor = executor;
    this.syncCard = syncCard;
    this.dedupeWindowNanos = dedupeWindow.toNanos();
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getRawPath();
      int at = path == null ? -1 : path.lastIndexOf(PATH);
      byte[] given = at < 0 ? new byte[0] : path.substring(at + PATH.length()).getBytes(UTF_8);
      // Constant-time, so response timing does not leak how much of a guess was right.
      if (!MessageDigest.isEqual(given, secret)) {
        answer(exchange, 404, "not found");
        return;
      }
      if (!"POST".equalsIgnoreCase(exchange.getRequestMethod())) {
        exchange.getResponseHeaders().add("Allow", "POST");
        answer(exchange, 405, "POST only");
        return;
      }
      byte[] body = readCapped(exchange.getRequestBody());
      if (body == null) {
        answer(exchange, 413, "body too large");
        return;
      }
      JsonNode json;
      try {
        json = KaitenJson.MAPPER.readTree(body);
      } catch (IOException e) {
        json = null;
      }
      if (json == null || !json.isObject()) {
        answer(exchange, 400, "expected a JSON object");
        return;
      }
      if (duplicate(body)) {
        answer(exchange, 200, "duplicate");
        return;
      }
      OptionalLong cardId = cardId(json);
      if (cardId.isEmpty()) {
        log.debug("Kaiten webhook {} names no card; ignored", json.path("event").asText("?"));
        answer(exchange, 200, "ignored");
        return;
      }
      long id = cardId.getAsLong();
      try {
        executor.execute(() -> syncCard.accept(id));
      } catch (RejectedExecutionException e) {
        // Shutting down or swamped: the poller will catch the change.
        log.debug("Kaiten webhook for card {} not synced now: {}", id, e.getMessage());
      }
      answer(exchange, 200, "ok");
    }
  }

  /**
   * The card an event is about: {@code card_id} for comment events ({@code data.id} is the comment there), the
   * card itself for card events ({@code data.old.id} for updates and moves, {@code data.id} for add and remove).
   */
  static OptionalLong cardId(JsonNode json) {
    String event = json.path("event").asText("");
    JsonNode data = json.path("data");
    JsonNode old = data.path("old");
    for (JsonNode n : new JsonNode[] {data.path("card_id"), old.path("card_id")}) {
      if (n.canConvertToLong() && n.asLong() > 0) {
        return OptionalLong.of(n.asLong());
      }
    }
    if (event.startsWith("card")) {
      for (JsonNode n : new JsonNode[] {old.path("id"), data.path("id")}) {
        if (n.canConvertToLong() && n.asLong() > 0) {
          return OptionalLong.of(n.asLong());
        }
      }
    }
    return OptionalLong.empty();
  }

  private boolean duplicate(byte[] body) {
    long now = System.nanoTime();
    if (recent.size() > 10_000) {
      for (Iterator<Long> it = recent.values().iterator(); it.hasNext(); ) {
        if (now - it.next() > dedupeWindowNanos) {
          it.remove();
        }
      }
    }
    String hash = sha256(body);
    Long seen = recent.put(hash, now);
    return seen != null && now - seen <= dedupeWindowNanos;
  }

  private static String sha256(byte[] body) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  private static byte[] readCapped(InputStream in) throws IOException {
    byte[] body = in.readNBytes(MAX_BODY + 1);
    return body.length > MAX_BODY ? null : body;
  }

  private static void answer(HttpExchange exchange, int status, String text) throws IOException {
    byte[] bytes = text.getBytes(UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
  }
}
