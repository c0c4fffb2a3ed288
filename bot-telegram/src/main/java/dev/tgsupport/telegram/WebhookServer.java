package dev.tgsupport.telegram;

import static dev.tgsupport.core.InvalidInputException.check;

import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpServer;
import dev.tgsupport.core.InvalidInputException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Receives Telegram webhook calls on the JDK's built-in HTTP server and hands each update to the SDK, which stores it
 * before the request is answered. Telegram sees 200 only for an update that is durable (or already was), and a 5xx
 * when storage failed, so it delivers the update again; nothing is lost between the two.
 *
 * <p>Each request is checked in this order: exact path (404), {@code POST} (405), the
 * {@code X-Telegram-Bot-Api-Secret-Token} header compared in constant time (403, no detail), a JSON content type (415),
 * the body size while reading (413), the body is one update with an {@code update_id} (400). An update id seen in the
 * recent window, or being stored by a concurrent request, is answered 200 without being stored again; Telegram
 * redelivers whenever an answer was late. Error answers have no body.
 *
 * <p>Telegram only calls HTTPS URLs on ports 443, 80, 88 or 8443. Put this server behind a TLS-terminating proxy, or
 * mount it on an {@link com.sun.net.httpserver.HttpsServer} you configured with {@link Builder#existingServer}. Pass
 * the same secret to {@code setWebhook(url, secret_token=…)}.
 *
 * <p>Usage: describe the server here and let {@code TelegramAdapter} connect it to the pipeline and start it.
 * <pre>{@code
 * String secret = System.getenv("TG_WEBHOOK_SECRET");
 * WebhookServer webhook = telegram.startWebhook(pipeline, WebhookServer.builder()
 *     .secretToken(secret)
 *     .port(8080));                       // behind https://bot.example.com/telegram/webhook
 * telegram.setWebhook("https://bot.example.com/telegram/webhook", secret, false);
 * ...
 * telegram.close();                       // stops the webhook too
 * }</pre>
 *
 * <p>Thread-safety: safe for concurrent requests; {@link #start()} and {@link #stop(Duration)} may be called from any
 * thread, once each. An instance runs once; build a new one to listen again. When this class created the
 * {@link HttpServer} (the default) it owns it and its executor and stops them; a server passed to
 * {@link Builder#existingServer} is only given a context, which {@link #stop} removes.
 */
public final class WebhookServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(WebhookServer.class);
  private static final Pattern SECRET = Pattern.compile("[A-Za-z0-9_-]{1,256}");
  private static final Duration CLOSE_GRACE = Duration.ofSeconds(5);

  private enum State { NEW, STARTED, STOPPED }

  private final WebhookHandler handler;
  private final boolean hasSecret;
  private final String path;
  private final InetSocketAddress bindAddress; // null when mounted on an existing server
  private final HttpServer existing;
  private final Executor executor; // null: the default pool, created at start
  private final int maxBodyBytes;

  private State state = State.NEW;
  private HttpServer server;
  private HttpContext context;
  private ExecutorService ownedExecutor;

  private WebhookServer(Builder b) {
    this.handler = new WebhookHandler(b.sink, b.secretToken, b.path, b.maxBodyBytes, b.recentUpdateIds);
    this.hasSecret = b.secretToken != null;
    this.path = b.path;
    this.bindAddress = b.existingServer == null ? b.bindAddress() : null;
    this.existing = b.existingServer;
    this.executor = b.executor;
    this.maxBodyBytes = b.maxBodyBytes;
  }

  /** A builder with the defaults: port 8080 on all interfaces, path {@code /telegram/webhook}, 1 MiB bodies. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Starts listening (or mounts the handler on the existing server, which the application starts itself).
   *
   * @return this server, started
   * @throws IllegalStateException if already started or stopped, or the path is already taken on the existing server
   * @throws UncheckedIOException if the address cannot be bound (port in use, no permission)
   */
  public synchronized WebhookServer start() {
    if (state != State.NEW) {
      throw new IllegalStateException("webhook server was already " + state.name().toLowerCase(Locale.ROOT)
          + "; build a new one to listen again");
    }
    if (existing != null) {
      try {
        context = existing.createContext(path, handler);
      } catch (IllegalArgumentException e) {
        throw new IllegalStateException("path " + path + " is already mounted on the existing server", e);
      }
      server = existing;
    } else {
      HttpServer created;
      try {
        created = HttpServer.create(bindAddress, 0);
      } catch (IOException e) {
        throw new UncheckedIOException("webhook server cannot bind " + bindAddress, e);
      }
      if (executor == null) {
        ownedExecutor = defaultExecutor();
        created.setExecutor(ownedExecutor);
      } else {
        created.setExecutor(executor);
      }
      context = created.createContext(path, handler);
      created.start();
      server = created;
    }
    state = State.STARTED;
    // An existing server may legitimately be bound only later, so the URL is not always known yet.
    Object where = server.getAddress() == null ? path + " of an unbound server" : url();
    log.info("webhook listening on {} (secret {})", where, hasSecret ? "required" : "NOT required");
    return this;
  }

  /**
   * The port the server listens on; useful after binding port 0.
   *
   * @throws IllegalStateException before {@link #start()}, or when the existing server is not bound yet
   */
  public synchronized int port() {
    return address().getPort();
  }

  /**
   * A local URL of the endpoint, for tests and health checks; loopback when bound to all interfaces. The URL to give
   * {@code setWebhook} is the public HTTPS one of your proxy, not this.
   *
   * @throws IllegalStateException before {@link #start()}, or when the existing server is not bound yet
   */
  public synchronized URI url() {
    InetSocketAddress a = address();
    InetAddress host = a.getAddress();
    if (host == null || host.isAnyLocalAddress()) {
      host = InetAddress.getLoopbackAddress();
    }
    String h = host instanceof Inet6Address ? "[" + host.getHostAddress().replaceAll("%.*", "") + "]"
        : host.getHostAddress();
    return URI.create("http://" + h + ":" + a.getPort() + path);
  }

  /**
   * Checks a secret token the way Telegram does ({@code setWebhook} refuses anything else), without ever putting the
   * value into the message.
   *
   * @throws InvalidInputException naming {@code webhook.secretToken} unless 1–256 characters of {@code A-Z a-z 0-9 _ -}
   */
  static void validateSecret(String secretToken) {
    if (secretToken == null || !SECRET.matcher(secretToken).matches()) {
      throw new InvalidInputException("webhook.secretToken", "must be 1-256 characters of A-Z, a-z, 0-9, _ and - "
          + "(the value is not shown)");
    }
  }

  /** Counters since construction; a snapshot, cheap to call. */
  public Stats stats() {
    return handler.stats();
  }

  /**
   * Stops taking updates: new requests are answered 503 (Telegram keeps them), requests in progress get up to
   * {@code grace} to finish, then the owned server and executor are shut down, or the context is removed from the
   * existing server. Returns as soon as nothing is in progress. Idempotent; a server stopped before it was started
   * can no longer be started.
   */
  public void stop(Duration grace) {
    Objects.requireNonNull(grace, "grace");
    synchronized (this) {
      if (state != State.STARTED) {
        state = State.STOPPED;
        return;
      }
      state = State.STOPPED;
    }
    handler.refuseNew();
    long deadline = System.nanoTime() + Math.max(0, grace.toNanos());
    boolean idle;
    try {
      idle = handler.awaitIdle(deadline);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      idle = false;
    }
    if (!idle) {
      log.warn("webhook stopping with requests still in progress after {} ms; Telegram will redeliver them",
          grace.toMillis());
    }
    if (existing != null) {
      existing.removeContext(context);
    } else {
      // Nothing of ours is in flight any more (or the grace is over), so the JDK's own delay is not needed.
      server.stop(0);
    }
    if (ownedExecutor != null) {
      ownedExecutor.shutdownNow();
    }
    log.info("webhook on {} stopped", path);
  }

  /** {@link #stop(Duration)} with a grace of five seconds. */
  @Override
  public void close() {
    stop(CLOSE_GRACE);
  }

  @Override
  public synchronized String toString() {
    String where = server == null ? (bindAddress == null ? "existing server" : String.valueOf(bindAddress))
        : String.valueOf(server.getAddress());
    return "WebhookServer{address=" + where + ", path=" + path + ", secret=" + (hasSecret ? "set" : "none")
        + ", maxBodyBytes=" + maxBodyBytes + ", state=" + state.name().toLowerCase(Locale.ROOT) + "}";
  }

  private InetSocketAddress address() {
    if (server == null) {
      throw new IllegalStateException("webhook server not started");
    }
    InetSocketAddress a = server.getAddress();
    if (a == null) {
      throw new IllegalStateException("the existing server is not bound to an address yet");
    }
    return a;
  }

  private static ExecutorService defaultExecutor() {
    AtomicInteger n = new AtomicInteger();
    // Bounded both ways: Telegram opens up to 40 connections by default, and each request is one storage write.
    ThreadPoolExecutor pool = new ThreadPoolExecutor(8, 8, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(256),
        r -> {
          Thread t = new Thread(r, "tgsupport-webhook-" + n.incrementAndGet());
          t.setDaemon(true); // an application that forgets close() can still exit
          return t;
        },
        (r, full) -> {
          // HttpServer closes the connection on rejection; Telegram then retries later.
          log.warn("webhook overloaded ({} requests queued), dropping a connection", full.getQueue().size());
          throw new RejectedExecutionException("webhook executor full");
        });
    pool.allowCoreThreadTimeOut(true);
    return pool;
  }

  /**
   * Counters of what the webhook answered.
   *
   * @param accepted updates the sink made durable (200)
   * @param duplicates updates answered 200 because their id was already durable or being stored
   * @param rejectedSecret requests with a missing or wrong secret token (403)
   * @param rejectedBody requests refused for their shape: wrong method (405), content type (415), size (413) or a
   *     body that is not an update (400)
   * @param failed requests answered 5xx so that Telegram retries: storage failed (503), the sink threw (500), or an
   *     earlier delivery of the same update failed
   */
  public record Stats(long accepted, long duplicates, long rejectedSecret, long rejectedBody, long failed) {}

  /**
   * Configures a {@link WebhookServer}. Setters validate eagerly and throw {@link InvalidInputException} naming the
   * field ({@code webhook.port}, …); the secret is never echoed. Not thread-safe; use from one thread.
   */
  public static final class Builder {
    private UpdateSink sink;
    private String secretToken;
    private boolean allowNoSecret;
    private InetAddress host; // null: all interfaces
    private int port = 8080;
    private boolean addressSet;
    private String path = "/telegram/webhook";
    private int maxBodyBytes = 1024 * 1024;
    private Executor executor;
    private int recentUpdateIds = 10_000;
    private HttpServer existingServer;

    private Builder() {}

    /** Where updates go; required. Wired by {@code TelegramAdapter}. */
    Builder sink(UpdateSink sink) {
      this.sink = Objects.requireNonNull(sink, "sink");
      return this;
    }

    /**
     * The secret Telegram sends in {@code X-Telegram-Bot-Api-Secret-Token}; the same value goes to
     * {@code setWebhook}. Required unless {@link #allowNoSecret()} was called.
     *
     * @throws InvalidInputException unless 1–256 characters of {@code A-Z a-z 0-9 _ -}, as Telegram requires; the
     *     message never contains the value
     */
    public Builder secretToken(String secretToken) {
      validateSecret(secretToken);
      this.secretToken = secretToken;
      return this;
    }

    /**
     * Accepts requests without checking a secret token. Anyone who finds the URL can then inject updates; use only
     * when something in front of this server authenticates Telegram.
     */
    public Builder allowNoSecret() {
      this.allowNoSecret = true;
      return this;
    }

    /** The address to listen on; replaces both host and port. Not with {@link #existingServer}. */
    public Builder bindAddress(InetSocketAddress address) {
      InvalidInputException.requireNonNull(address, "webhook.bindAddress");
      check(!address.isUnresolved(), "webhook.bindAddress", "must be resolved", address);
      this.host = address.getAddress().isAnyLocalAddress() ? null : address.getAddress();
      this.port = address.getPort();
      this.addressSet = true;
      return this;
    }

    /** The port to listen on, on all interfaces unless {@link #bindAddress} chose one; 0 picks a free port. */
    public Builder port(int port) {
      check(port >= 0 && port <= 65535, "webhook.port", "must be 0..65535", port);
      this.port = port;
      this.addressSet = true;
      return this;
    }

    /** The request path, exact match; default {@code /telegram/webhook}. */
    public Builder path(String path) {
      InvalidInputException.requireNonNull(path, "webhook.path");
      check(path.startsWith("/") && path.chars().noneMatch(c -> c <= ' ' || c == '?' || c == '#'), "webhook.path",
          "must start with / and contain no spaces, ? or #", path);
      this.path = path;
      return this;
    }

    /** Largest accepted body in bytes (413 above it); default 1 MiB. Telegram's updates are a few KiB. */
    public Builder maxBodyBytes(int maxBodyBytes) {
      check(maxBodyBytes > 0, "webhook.maxBodyBytes", "must be > 0", maxBodyBytes);
      this.maxBodyBytes = maxBodyBytes;
      return this;
    }

    /**
     * Runs requests on this executor instead of the default pool (8 daemon threads, 256 queued). The caller owns it:
     * {@link #stop} does not shut it down. Not with {@link #existingServer}, whose executor is the application's.
     */
    public Builder executor(Executor executor) {
      this.executor = InvalidInputException.requireNonNull(executor, "webhook.executor");
      return this;
    }

    /** How many recently stored update ids are remembered to answer redeliveries without storing twice. */
    public Builder recentUpdateIds(int recentUpdateIds) {
      check(recentUpdateIds > 0, "webhook.recentUpdateIds", "must be > 0", recentUpdateIds);
      this.recentUpdateIds = recentUpdateIds;
      return this;
    }

    /**
     * Mounts the handler on a server the application already runs (HTTP or HTTPS) instead of creating one.
     * {@link WebhookServer#start()} adds a context at {@link #path}; {@link WebhookServer#stop} removes it and leaves
     * the server running.
     */
    public Builder existingServer(HttpServer server) {
      this.existingServer = InvalidInputException.requireNonNull(server, "webhook.existingServer");
      return this;
    }

    /**
     * Validates the configuration.
     *
     * @throws InvalidInputException if no secret was set and {@link #allowNoSecret()} was not called, or an existing
     *     server was combined with an address or an executor
     * @throws IllegalStateException if no sink was set (the adapter sets it)
     */
    public WebhookServer build() {
      if (sink == null) {
        throw new IllegalStateException("webhook sink is missing; start the webhook through TelegramAdapter");
      }
      if (secretToken == null && !allowNoSecret) {
        throw new InvalidInputException("webhook.secretToken", "is required; call allowNoSecret() to accept "
            + "unauthenticated webhook requests on purpose");
      }
      if (existingServer != null && addressSet) {
        throw new InvalidInputException("webhook.existingServer", "cannot be combined with bindAddress or port: it is "
            + "already bound");
      }
      if (existingServer != null && executor != null) {
        throw new InvalidInputException("webhook.existingServer", "cannot be combined with executor: it uses its own");
      }
      return new WebhookServer(this);
    }

    /** {@link #build()}, then {@link WebhookServer#start()}. */
    public WebhookServer start() {
      return build().start();
    }

    private InetSocketAddress bindAddress() {
      return host == null ? new InetSocketAddress(port) : new InetSocketAddress(host, port);
    }
  }
}
