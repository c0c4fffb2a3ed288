package dev.tgsupport.telegram;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One webhook request, start to finish. Checks run cheapest and least revealing first (path, method, secret), so a
 * stranger learns nothing and costs us no body reading; the body is read only up to the cap.
 *
 * <p>Status codes are chosen for what Telegram does with them: it retries anything but 2xx "a reasonable amount of
 * attempts", so a 5xx means "try again" (storage failed) and a 4xx is only for requests that can never succeed.
 */
final class WebhookHandler implements HttpHandler {
  private static final Logger log = LoggerFactory.getLogger(WebhookHandler.class);

  static final String SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token";
  private static final byte[] OK_BODY = "{\"ok\":true}".getBytes(StandardCharsets.US_ASCII);
  // A second delivery of an update still being stored waits for the first; longer than any sane storage write.
  private static final long IN_FLIGHT_WAIT_MILLIS = 30_000;
  private static final int READ_CHUNK = 8192;

  private final UpdateSink sink;
  private final byte[] secret; // null: no secret configured
  private final String path;
  private final int maxBodyBytes;
  private final WebhookDedup dedup;

  private final LongAdder accepted = new LongAdder();
  private final LongAdder duplicates = new LongAdder();
  private final AtomicLong rejectedSecret = new AtomicLong(); // exact count: it decides which rejections warn
  private final LongAdder rejectedBody = new LongAdder();
  private final LongAdder failed = new LongAdder();
  private final AtomicInteger active = new AtomicInteger();
  private volatile boolean refusing;

  WebhookHandler(UpdateSink sink, String secret, String path, int maxBodyBytes, int recentUpdateIds) {
    this.sink = sink;
    this.secret = secret == null ? null : secret.getBytes(StandardCharsets.UTF_8);
    this.path = path;
    this.maxBodyBytes = maxBodyBytes;
    this.dedup = new WebhookDedup(recentUpdateIds);
  }

  WebhookServer.Stats stats() {
    return new WebhookServer.Stats(accepted.sum(), duplicates.sum(), rejectedSecret.get(), rejectedBody.sum(),
        failed.sum());
  }

  /** From now on every request is answered 503, so Telegram keeps the update for the next instance. */
  void refuseNew() {
    refusing = true;
  }

  /** Waits until no request is being handled or the deadline passes; true when idle. */
  boolean awaitIdle(long deadlineNanos) throws InterruptedException {
    while (active.get() > 0) {
      if (System.nanoTime() - deadlineNanos >= 0) {
        return false;
      }
      Thread.sleep(5);
    }
    return true;
  }

  @Override
  public void handle(HttpExchange exchange) {
    active.incrementAndGet();
    try {
      respond(exchange);
    } catch (IOException e) {
      // The client went away or sent a broken request; Telegram redelivers whatever it did not see answered.
      log.debug("webhook exchange aborted: {}", e.toString());
    } catch (Throwable e) {
      failed.increment();
      log.error("webhook request failed unexpectedly", e);
      if (exchange.getResponseCode() < 0) {
        sendQuietly(exchange, 500);
      }
    } finally {
      exchange.close();
      active.decrementAndGet();
    }
  }

  private void respond(HttpExchange exchange) throws IOException {
    if (!path.equals(exchange.getRequestURI().getPath())) {
      // HttpServer matches contexts by prefix; only the exact path is ours.
      send(exchange, 404);
      return;
    }
    if (!"POST".equals(exchange.getRequestMethod())) {
      rejectedBody.increment();
      exchange.getResponseHeaders().set("Allow", "POST");
      send(exchange, 405);
      return;
    }
    if (secret != null && !secretMatches(secret, exchange.getRequestHeaders().getFirst(SECRET_HEADER))) {
      long n = rejectedSecret.incrementAndGet();
      // Scanners find public endpoints; warn on the first and then sparsely, the rest is debug noise.
      if (n == 1 || n % 100 == 0) {
        log.warn("webhook request from {} rejected: secret token missing or wrong ({} so far); check the "
            + "secret_token given to setWebhook", exchange.getRemoteAddress(), n);
      } else {
        log.debug("webhook request from {} rejected: secret token missing or wrong", exchange.getRemoteAddress());
      }
      send(exchange, 403);
      return;
    }
    if (refusing) {
      exchange.getResponseHeaders().set("Retry-After", "1");
      send(exchange, 503);
      return;
    }
    Charset charset = jsonCharset(exchange.getRequestHeaders().getFirst("Content-Type"));
    if (charset == null) {
      rejectedBody.increment();
      log.warn("webhook request rejected: content type {} is not application/json",
          brief(exchange.getRequestHeaders().getFirst("Content-Type")));
      send(exchange, 415);
      return;
    }
    byte[] body = readCapped(exchange);
    if (body == null) {
      rejectedBody.increment();
      log.warn("webhook request rejected: body larger than {} bytes", maxBodyBytes);
      // Whatever is left unread is not drained: closing the connection is cheaper than reading megabytes.
      exchange.getResponseHeaders().set("Connection", "close");
      send(exchange, 413);
      return;
    }
    RawUpdates.Raw raw;
    try {
      raw = parse(new String(body, charset));
    } catch (RuntimeException e) {
      raw = null;
      log.warn("webhook body of {} bytes is not an update: {}", body.length, brief(e.toString()));
    }
    if (raw == null || raw.updateId() < 0) {
      // A 5xx would make Telegram repeat a body that can never become valid; 400 lets it give up.
      rejectedBody.increment();
      if (raw != null) {
        log.warn("webhook body of {} bytes has no update_id{}", body.length,
            raw.parseError() == null ? "" : ": " + brief(raw.parseError()));
      }
      send(exchange, 400);
      return;
    }
    deliver(exchange, raw);
  }

  private void deliver(HttpExchange exchange, RawUpdates.Raw raw) throws IOException {
    long id = raw.updateId();
    WebhookDedup.Claim claim = dedup.claim(id);
    if (!claim.owner()) {
      if (awaitDurable(claim)) {
        duplicates.increment();
        log.debug("update {} ({}) already received, not stored again", id, raw.kind());
        sendOk(exchange);
      } else {
        // The first delivery failed or is stuck; this one must not be acknowledged, or the update is lost.
        failed.increment();
        exchange.getResponseHeaders().set("Retry-After", "1");
        send(exchange, 503);
      }
      return;
    }
    int stored = 0;
    boolean threw = false;
    try {
      stored = sink.accept(List.of(raw));
    } catch (Throwable e) {
      // Anything, Errors included: with the JDK's default executor this is the server's only dispatcher thread.
      threw = true;
      log.error("update {} ({}) from the webhook could not be handed over; answering 500", id, raw.kind(), e);
    } finally {
      // Released before answering: a redelivery racing with our response must see the final state.
      dedup.done(id, stored >= 1);
    }
    if (stored >= 1) {
      accepted.increment();
      log.debug("update {} ({}) received through the webhook", id, raw.kind());
      sendOk(exchange);
    } else if (!threw) {
      failed.increment();
      log.warn("update {} ({}) not stored; answering 503 so Telegram delivers it again", id, raw.kind());
      exchange.getResponseHeaders().set("Retry-After", "1");
      send(exchange, 503);
    } else {
      failed.increment();
      send(exchange, 500);
    }
  }

  private static boolean awaitDurable(WebhookDedup.Claim claim) {
    try {
      return claim.durable().get(IN_FLIGHT_WAIT_MILLIS, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (ExecutionException | TimeoutException e) {
      return false;
    }
  }

  private static RawUpdates.Raw parse(String body) {
    // The single-update reading: a webhook never carries an array or a getUpdates envelope.
    return RawUpdates.parse(body);
  }

  /**
   * The body, or null when it is larger than the cap. Reads at most cap + 1 bytes whatever the sender declares or
   * streams, so a huge or endless body costs one buffer of the cap, not memory proportional to what was sent.
   */
  private byte[] readCapped(HttpExchange exchange) throws IOException {
    String declared = exchange.getRequestHeaders().getFirst("Content-Length");
    if (declared != null) {
      try {
        if (Long.parseLong(declared.trim()) > maxBodyBytes) {
          return null;
        }
      } catch (NumberFormatException e) {
        // HttpServer already rejects malformed lengths; if one slips through, the read below still caps it.
      }
    }
    InputStream in = exchange.getRequestBody();
    ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(maxBodyBytes, READ_CHUNK));
    byte[] buf = new byte[READ_CHUNK];
    long limit = (long) maxBodyBytes + 1;
    long total = 0;
    while (total < limit) {
      int n = in.read(buf, 0, (int) Math.min(buf.length, limit - total));
      if (n < 0) {
        break;
      }
      out.write(buf, 0, n);
      total += n;
    }
    return total > maxBodyBytes ? null : out.toByteArray();
  }

  /**
   * Compares the presented header with the configured secret in time that depends only on the secret's length, so
   * the answer time does not reveal how much of a guess was right. A missing header never matches.
   */
  static boolean secretMatches(byte[] expected, String presented) {
    if (presented == null) {
      return false;
    }
    // isEqual loops over its first argument's length, which is ours and fixed, not the attacker's.
    return MessageDigest.isEqual(expected, presented.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * The charset of a JSON content type ({@code application/json}, any charset parameter, UTF-8 when absent), or null
   * when the type is not JSON or the charset is unknown.
   */
  static Charset jsonCharset(String contentType) {
    if (contentType == null) {
      return null;
    }
    String[] parts = contentType.split(";");
    if (!parts[0].trim().toLowerCase(Locale.ROOT).equals("application/json")) {
      return null;
    }
    for (int i = 1; i < parts.length; i++) {
      String p = parts[i].trim();
      int eq = p.indexOf('=');
      if (eq > 0 && p.substring(0, eq).trim().equalsIgnoreCase("charset")) {
        String name = p.substring(eq + 1).trim();
        if (name.length() >= 2 && name.startsWith("\"") && name.endsWith("\"")) {
          name = name.substring(1, name.length() - 1);
        }
        try {
          return Charset.forName(name);
        } catch (RuntimeException e) {
          return null;
        }
      }
    }
    return StandardCharsets.UTF_8;
  }

  private static String brief(String text) {
    if (text == null) {
      return null;
    }
    return text.length() <= 200 ? text : text.substring(0, 200) + "…";
  }

  private static void sendOk(HttpExchange exchange) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(200, OK_BODY.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(OK_BODY);
    }
  }

  private static void send(HttpExchange exchange, int status) throws IOException {
    // -1: no body at all; error answers carry nothing a prober could use.
    exchange.sendResponseHeaders(status, -1);
  }

  private static void sendQuietly(HttpExchange exchange, int status) {
    try {
      send(exchange, status);
    } catch (IOException | RuntimeException e) {
      log.debug("could not send {} on the webhook: {}", status, e.toString());
    }
  }
}
