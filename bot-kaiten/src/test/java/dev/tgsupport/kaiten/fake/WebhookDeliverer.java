package dev.tgsupport.kaiten.fake;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * POSTs external-webhook events one at a time, in the order they happened. Kaiten documents neither retries nor
 * timeouts, so by default an event is tried once and is simply missed when the receiver fails: the bridge must not
 * depend on webhooks alone.
 */
final class WebhookDeliverer implements Runnable {

  record Event(String url, String event, String body) {}

  private static final Logger log = LoggerFactory.getLogger(WebhookDeliverer.class);

  private final LinkedBlockingQueue<Event> queue = new LinkedBlockingQueue<>();
  private final List<WebhookDelivery> deliveries = new ArrayList<>();
  private final int attempts;
  private final Duration timeout;
  private final HttpClient client;
  private volatile boolean stopped;
  // Queued or in flight: counted on submit, so there is no moment where an event is in neither state.
  private final AtomicInteger pending = new AtomicInteger();

  WebhookDeliverer(int attempts, Duration timeout) {
    this.attempts = attempts;
    this.timeout = timeout;
    this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout).build();
  }

  void submit(Event event) {
    pending.incrementAndGet();
    queue.add(event);
  }

  @Override
  public void run() {
    while (!stopped) {
      try {
        Event event = queue.poll(100, TimeUnit.MILLISECONDS);
        if (event == null) {
          continue;
        }
        try {
          for (int attempt = 1; attempt <= attempts && !stopped; attempt++) {
            if (deliver(event)) {
              break;
            }
            if (attempt < attempts) {
              Thread.sleep(100L * attempt);
            }
          }
        } finally {
          pending.decrementAndGet();
          synchronized (deliveries) {
            deliveries.notifyAll();
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        // A bug here must not end delivery for the rest of the test run.
        log.warn("fake kaiten: webhook delivery failed unexpectedly", e);
      }
    }
  }

  private boolean deliver(Event event) throws InterruptedException {
    int status = 0;
    String error = null;
    try {
      HttpRequest request = HttpRequest.newBuilder(URI.create(event.url()))
          .timeout(timeout)
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(event.body(), StandardCharsets.UTF_8))
          .build();
      status = client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException | IllegalArgumentException e) {
      error = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }
    WebhookDelivery delivery = new WebhookDelivery(event.url(), event.event(), event.body(), status, error,
        Instant.now());
    synchronized (deliveries) {
      deliveries.add(delivery);
      deliveries.notifyAll();
    }
    log.debug("fake kaiten: webhook {} -> {}", event.event(), status == 0 ? error : status);
    return delivery.delivered();
  }

  List<WebhookDelivery> deliveries() {
    synchronized (deliveries) {
      return List.copyOf(deliveries);
    }
  }

  /** Waits until at least {@code count} events were delivered (2xx), then returns every attempt so far. */
  List<WebhookDelivery> awaitDelivered(int count, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (deliveries) {
      while (true) {
        long delivered = deliveries.stream().filter(WebhookDelivery::delivered).count();
        long remaining = deadline - System.nanoTime();
        if (delivered >= count || remaining <= 0) {
          return List.copyOf(deliveries);
        }
        TimeUnit.NANOSECONDS.timedWait(deliveries, remaining);
      }
    }
  }

  /** Waits until nothing is queued or in flight; false on timeout. */
  boolean awaitIdle(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (pending.get() > 0) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(5);
    }
    return true;
  }

  void stop() {
    stopped = true;
  }
}
