package dev.tgsupport.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The operations endpoints, as handlers for the JDK's {@link HttpServer}: mount them on the server that also takes
 * Telegram's and Kaiten's webhooks, so one port serves everything.
 *
 * <ul>
 *   <li>{@code GET /metrics}: the registry in Prometheus text format;
 *   <li>{@code GET /health/live}: 200 while the process runs (the orchestrator restarts it otherwise);
 *   <li>{@code GET /health/ready}: 200 when {@link Health} says ready, else 503; the JSON body lists every
 *       component and the degraded ones.
 * </ul>
 *
 * <p>Other methods get 405, with {@code HEAD} allowed where {@code GET} is.
 */
public final class OpsEndpoints {
  public static final String METRICS = "/metrics";
  public static final String LIVE = "/health/live";
  public static final String READY = "/health/ready";

  private OpsEndpoints() {}

  /** Mounts all three on {@code server}. */
  public static void mount(HttpServer server, PrometheusMeterRegistry registry, Health health) {
    server.createContext(METRICS, metrics(registry));
    server.createContext(LIVE, live());
    server.createContext(READY, ready(health));
  }

  public static HttpHandler metrics(PrometheusMeterRegistry registry) {
    Objects.requireNonNull(registry, "registry");
    return exchange -> {
      if (refused(exchange, METRICS)) {
        return;
      }
      send(exchange, 200, "text/plain; version=0.0.4; charset=utf-8", registry.scrape());
    };
  }

  public static HttpHandler live() {
    return exchange -> {
      if (refused(exchange, LIVE)) {
        return;
      }
      send(exchange, 200, "application/json", "{\"status\":\"live\"}");
    };
  }

  public static HttpHandler ready(Health health) {
    Objects.requireNonNull(health, "health");
    return exchange -> {
      if (refused(exchange, READY)) {
        return;
      }
      Health.Report r = health.check();
      send(exchange, r.ready() ? 200 : 503, "application/json", r.toJson());
    };
  }

  /** Answers 404 for paths under the context that are not it, and 405 for methods other than GET and HEAD. */
  private static boolean refused(HttpExchange exchange, String path) throws IOException {
    if (!exchange.getRequestURI().getPath().equals(path)) {
      send(exchange, 404, "text/plain; charset=utf-8", "not found");
      return true;
    }
    String method = exchange.getRequestMethod();
    if (!method.equals("GET") && !method.equals("HEAD")) {
      exchange.getResponseHeaders().set("Allow", "GET, HEAD");
      send(exchange, 405, "text/plain; charset=utf-8", "method not allowed");
      return true;
    }
    return false;
  }

  private static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
    try (exchange) {
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", type);
      exchange.getResponseHeaders().set("Cache-Control", "no-store");
      boolean head = exchange.getRequestMethod().equals("HEAD");
      exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
      if (!head) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(bytes);
        }
      }
    }
  }
}
