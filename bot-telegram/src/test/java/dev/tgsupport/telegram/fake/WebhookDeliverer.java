package dev.tgsupport.telegram.fake;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers pending updates to the webhook one at a time in update_id order, as Telegram does with
 * {@code max_connections=1}: a 2xx answer confirms the update, anything else is retried after a short backoff, and
 * after a few failed attempts the update stays pending while the deliverer pauses longer before the next round.
 */
final class WebhookDeliverer implements Runnable {

  private static final Logger log = LoggerFactory.getLogger(WebhookDeliverer.class);
  private static final Map<Integer, String> REASONS = Map.of(400, "Bad Request", 401, "Unauthorized", 403,
      "Forbidden", 404, "Not Found", 429, "Too Many Requests", 500, "Internal Server Error", 502, "Bad Gateway", 503,
      "Service Unavailable", 504, "Gateway Timeout");

  private final UpdateQueue queue;
  private final BotMethods bot;
  private final Duration backoff;
  private final int maxAttempts;
  private final Duration pause;
  private final Duration timeout;
  private final Consumer<String> replyHandler;
  private final HttpClient client;
  private final AtomicLong deliveries = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();
  private volatile boolean stopped;

  WebhookDeliverer(UpdateQueue queue, BotMethods bot, Duration backoff, int maxAttempts, Duration pause,
      Duration timeout, Consumer<String> replyHandler) {
    this.queue = queue;
    this.bot = bot;
    this.backoff = backoff;
    this.maxAttempts = maxAttempts;
    this.pause = pause;
    this.timeout = timeout;
    this.replyHandler = replyHandler;
    this.client = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(timeout)
        .build();
  }

  @Override
  public void run() {
    int attempts = 0;
    while (!stopped) {
      try {
        UpdateQueue.Entry entry = queue.awaitWebhookHead(200);
        BotMethods.WebhookTarget target = bot.webhookTarget();
        if (entry == null || target == null) {
          attempts = 0;
          continue;
        }
        String error = deliver(entry, target);
        if (error == null) {
          attempts = 0;
          continue;
        }
        failures.incrementAndGet();
        bot.webhookFailed(error);
        attempts++;
        if (attempts < maxAttempts) {
          Thread.sleep(backoff.toMillis());
        } else {
          attempts = 0;
          Thread.sleep(pause.toMillis());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        // A bug here must not silently end delivery for the rest of the test run.
        log.warn("fake telegram: webhook delivery failed unexpectedly", e);
      }
    }
  }

  void stop() {
    stopped = true;
  }

  long deliveries() {
    return deliveries.get();
  }

  long failures() {
    return failures.get();
  }

  /** Returns null when delivered, else the {@code last_error_message} Telegram would show. */
  private String deliver(UpdateQueue.Entry entry, BotMethods.WebhookTarget target) throws InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(target.url()))
        .timeout(timeout)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(entry.json(), StandardCharsets.UTF_8));
    if (target.secretToken() != null) {
      request.header("X-Telegram-Bot-Api-Secret-Token", target.secretToken());
    }
    HttpResponse<String> response;
    try {
      response = client.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (ConnectException e) {
      return "Connection refused";
    } catch (HttpTimeoutException e) {
      return "Read timeout expired";
    } catch (IOException e) {
      return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }
    int status = response.statusCode();
    if (status / 100 != 2) {
      return "Wrong response from the webhook: " + status + " " + REASONS.getOrDefault(status, "Unknown");
    }
    queue.delivered(entry);
    deliveries.incrementAndGet();
    String body = response.body();
    if (body != null && !body.isBlank()) {
      replyHandler.accept(body);
    }
    return null;
  }
}
