package dev.tgsupport.sample;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import dev.tgsupport.core.port.Transactions;
import dev.tgsupport.telegram.TelegramAdapter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import dev.tgsupport.metrics.Health;
import dev.tgsupport.metrics.OpsEndpoints;
import dev.tgsupport.metrics.OutboxMetrics;
import dev.tgsupport.metrics.PipelineMetrics;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one HTTP server of {@code run}, on {@code TGSUPPORT_HTTP_PORT}: {@code /metrics} (Prometheus),
 * {@code /health/live}, {@code /health/ready}, and whatever webhooks the bot mounts on it (Telegram's, Kaiten's).
 * Also owns the meter registry and the metrics bound to it. Stopped last, so probes and scrapes see the shutdown.
 */
final class OpsServer implements AutoCloseable {
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final HttpServer server;
  private final ExecutorService executor;
  private final List<String> paths = new ArrayList<>();
  private final List<AutoCloseable> closeLater = new ArrayList<>();
  private JvmGcMetrics gc;

  private OpsServer(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  /**
   * Binds the port; requests are served once {@link #start} is called.
   *
   * @throws UncheckedIOException when the port is taken or not allowed
   */
  static OpsServer bind(int port) {
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(port), 64);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    AtomicInteger n = new AtomicInteger();
    ExecutorService executor = Executors.newFixedThreadPool(4, r -> {
      Thread t = new Thread(r, "tgsupport-http-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(executor);
    OpsServer ops = new OpsServer(server, executor);
    new ClassLoaderMetrics().bindTo(ops.registry);
    new JvmMemoryMetrics().bindTo(ops.registry);
    ops.gc = new JvmGcMetrics();
    ops.gc.bindTo(ops.registry);
    new JvmThreadMetrics().bindTo(ops.registry);
    new ProcessorMetrics().bindTo(ops.registry);
    new UptimeMetrics().bindTo(ops.registry);
    return ops;
  }

  PrometheusMeterRegistry registry() {
    return registry;
  }

  HttpServer server() {
    return server;
  }

  int port() {
    return server.getAddress().getPort();
  }

  /** The listener that counts what the pipeline does. */
  PipelineMetrics pipelineMetrics() {
    return PipelineMetrics.bind(registry);
  }

  /** The Telegram sender's counters and queue as meters, read from the adapter at each scrape. */
  void watchSender(TelegramAdapter adapter) {
    FunctionCounter.builder("tgsupport.telegram.sent", adapter, a -> a.senderStats().sent())
        .description("Messages Telegram took from the bot").register(registry);
    FunctionCounter.builder("tgsupport.telegram.http429", adapter, a -> a.senderStats().http429())
        .description("429 answers from Telegram (each pauses its chat or the bot)").register(registry);
    FunctionCounter.builder("tgsupport.telegram.send.failed", adapter, a -> a.senderStats().failed())
        .description("Sends given up").register(registry);
    Gauge.builder("tgsupport.telegram.send.queue", adapter, a -> a.senderStats().waiting())
        .description("Sends waiting for a permit or a pause right now").register(registry);
    Gauge.builder("tgsupport.telegram.paused.chats", adapter, a -> a.senderStats().pausedChats())
        .description("Chats paused by a 429 right now").register(registry);
  }

  /** Samples the outbox backlog every 15 s. */
  void watchOutbox(Transactions transactions) {
    closeLater.add(OutboxMetrics.start(registry, transactions, Clock.systemUTC(), Duration.ofSeconds(15)));
  }

  /** Mounts a webhook (or any handler) and remembers its path for the start-up line. */
  void mount(String path, HttpHandler handler) {
    server.createContext(path, handler);
    paths.add(path);
  }

  /** Records a path something else mounted on {@link #server()} (the Telegram webhook). */
  void mounted(String path) {
    paths.add(path);
  }

  /** Mounts the metrics and health endpoints and starts serving. */
  void start(Health health) {
    health.bindTo(registry);
    closeLater.add(health);
    OpsEndpoints.mount(server, registry, health);
    server.start();
  }

  /** For the start-up line: "port 8080: /metrics, /health/live, /health/ready, /telegram/webhook". */
  String describe() {
    List<String> all = new ArrayList<>(List.of(OpsEndpoints.METRICS, OpsEndpoints.LIVE, OpsEndpoints.READY));
    for (String p : paths) {
      // A secret in a path (Kaiten's webhook) is not for the log.
      all.add(p.startsWith("/kaiten/") ? "/kaiten/webhook/***" : p);
    }
    return "port " + port() + ": " + String.join(", ", all);
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
    for (AutoCloseable c : closeLater) {
      try {
        c.close();
      } catch (Exception ignored) {
        // shutting down: nothing left to tell
      }
    }
    if (gc != null) {
      gc.close();
    }
    registry.close();
  }
}
