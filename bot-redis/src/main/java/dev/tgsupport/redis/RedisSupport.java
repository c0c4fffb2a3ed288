package dev.tgsupport.redis;

import dev.tgsupport.core.AuthenticationException;
import dev.tgsupport.core.BotException;
import dev.tgsupport.core.OperationTimeoutException;
import dev.tgsupport.core.ServerErrorException;
import dev.tgsupport.core.port.Cache;
import dev.tgsupport.core.port.Deduplicator;
import dev.tgsupport.core.port.DialogStates;
import dev.tgsupport.core.port.FloodCounter;
import dev.tgsupport.core.port.RateLimiter;
import dev.tgsupport.core.port.WorkQueue;
import io.lettuce.core.RedisCommandTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Redis for tgsupport: the ports that several bot instances must share (rate limits, flood counts, update dedup,
 * caches, dialog states, a work queue on Redis Streams), backed by one Redis, and falling back to in-process state
 * whenever Redis is unreachable.
 *
 * <pre>{@code
 * try (RedisSupport redis = RedisSupport.builder()
 *     .url(System.getenv("REDIS_URL"))                       // redis://[user:password@]host[:port][/db], rediss://
 *     .listener(new RedisSupport.Listener() {
 *       public void degraded(String component, Throwable cause) { metrics.increment("redis.degraded"); }
 *     })
 *     .build()) {
 *   redis.ping();                                            // optional start-up check; throws naming REDIS_URL
 *   Pipeline pipeline = Pipeline.builder()
 *       .noiseFilter(DefaultNoiseFilter.builder().floodCounter(redis.floodCounter()).build())
 *       .dialogStates(redis.dialogStates())
 *       .build();
 *   Cache<String, String> answers = redis.cache("answers", RedisSupport.Codec.string());
 *   RateLimiter limits = redis.rateLimiter();                // for the Telegram sender
 *   ...
 * }
 * }</pre>
 *
 * <p><b>Never failing because of Redis.</b> Each component (named {@code rate-limiter}, {@code flood-counter},
 * {@code deduplicator}, {@code dialog-states}, {@code cache:<name>}) answers every call. When a Redis call fails (the
 * connection is lost or refused, a command exceeds {@link Builder#commandTimeout}, the server refuses it), that call
 * and every later one are answered by the component's in-process twin, the {@code bot-core} in-memory
 * implementation, without waiting for Redis again; a warning is logged once per outage and component, and the
 * {@link Listener} is told. Every {@link Builder#probeInterval} a background thread checks whether Redis answers
 * again; when it does, the writes made during the outage that others must see (dialog states, dedup claims, stale
 * cache keys) are replayed to Redis, the components go back to it by themselves, and "back" is logged once. While
 * on the twin, limits and counts are per process, not shared.
 *
 * <p><b>Hot path.</b> Every decision is one round trip: a rate-limit or flood decision is one {@code EVALSHA} of an
 * atomic Lua script (the script is sent again only after a Redis restart); a dedup claim is one
 * {@code SET NX PX}; cache and dialog-state calls are one {@code GET}, {@code SET PX} or {@code DEL}. Rate limits
 * and flood windows run on Redis's clock ({@code TIME}), so processes with skewed clocks agree.
 *
 * <p><b>Keys.</b> Everything lives under {@link Builder#keyPrefix} ({@code tgsupport:} by default):
 * {@code rate:<key>}, {@code flood:<chat>:<user>:<hash>}, {@code dedup:<key>}, {@code cache:<name>:<key>},
 * {@code dialog:<chat>:<user>}. Give each bot its own prefix or database when several share one Redis.
 *
 * <p><b>Scope and threads.</b> One instance per process and Redis, built at start-up and closed at shutdown; it owns
 * a lettuce client, one shared connection and one daemon probe thread. Everything is thread-safe. The password is
 * never logged, never in an exception message and never in {@link #toString()}.
 */
public final class RedisSupport implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RedisSupport.class);

  /**
   * Hears when a component leaves Redis for its in-process twin and when it is back, for metrics and alerts. Called
   * once per outage and component, on the thread that saw the failure (degraded) or on the probe thread (recovered).
   * Must be fast and must not throw (what it throws is logged and ignored). Both methods do nothing by default.
   */
  public interface Listener {
    /** {@code component} serves from in-process state since {@code cause} (its message never holds the password). */
    default void degraded(String component, Throwable cause) {}

    /** {@code component} is back on Redis after {@code outage}. */
    default void recovered(String component, Duration outage) {}
  }

  /**
   * How a {@link #cache} turns values into the strings Redis stores and back. A value that fails to decode is a
   * miss. Must be thread-safe.
   */
  public interface Codec<V> {
    String encode(V value);

    V decode(String encoded);

    /** A codec from two functions, e.g. {@code Codec.of(Answer::toJson, Answer::fromJson)}. */
    static <V> Codec<V> of(Function<? super V, String> encode, Function<String, ? extends V> decode) {
      Objects.requireNonNull(encode, "encode");
      Objects.requireNonNull(decode, "decode");
      return new Codec<>() {
        @Override
        public String encode(V value) {
          return encode.apply(value);
        }

        @Override
        public V decode(String encoded) {
          return decode.apply(encoded);
        }
      };
    }

    /** Strings as they are; always the same instance, so a cache may be asked for by name more than once. */
    static Codec<String> string() {
      return IdentityCodec.INSTANCE;
    }
  }

  private final String shownUrl;
  private final String keyPrefix;
  private final Duration commandTimeout;
  private final Duration probeInterval;
  private final Clock clock;
  private final RedisLink link;
  private final Degradations degradations;
  private final RedisRateLimiter rateLimiter;
  private final RedisFloodCounter floodCounter;
  private final RedisDeduplicator deduplicator;
  private final RedisDialogStates dialogStates;
  private final ConcurrentHashMap<String, RedisCache<?>> caches = new ConcurrentHashMap<>();
  private final List<Guard> guards = new CopyOnWriteArrayList<>();
  private final List<AutoCloseable> queues = new CopyOnWriteArrayList<>();
  private final ScheduledExecutorService prober;
  private volatile boolean closed;

  private RedisSupport(Builder b) {
    this.shownUrl = RedisUrl.redact(b.url.strip());
    this.keyPrefix = b.keyPrefix;
    this.commandTimeout = b.commandTimeout;
    this.probeInterval = b.probeInterval;
    this.clock = b.clock;
    this.degradations = new Degradations(b.listener);
    this.link = new RedisLink(RedisUrl.parse(b.url, b.password), shownUrl, b.commandTimeout, b.connectTimeout);
    this.rateLimiter = new RedisRateLimiter(link, keyPrefix, clock, degradations);
    this.floodCounter = new RedisFloodCounter(link, keyPrefix, clock, degradations);
    this.deduplicator = new RedisDeduplicator(link, keyPrefix, clock, commandTimeout, degradations);
    this.dialogStates = new RedisDialogStates(link, keyPrefix, clock, commandTimeout, degradations);
    guards.addAll(List.of(rateLimiter.guard(), floodCounter.guard(), deduplicator.guard(), dialogStates.guard()));
    this.prober = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "tgsupport-redis-probe");
      t.setDaemon(true);
      return t;
    });
  }

  private RedisSupport start() {
    try {
      link.connect();
      log.info("using Redis at {} with key prefix '{}'", shownUrl, keyPrefix);
    } catch (RuntimeException e) {
      // Not fatal: the bot runs on in-process state and the probe keeps trying. ping() is the strict check.
      for (Guard g : guards) {
        g.failed(e);
      }
    }
    long every = probeInterval.toNanos();
    prober.scheduleWithFixedDelay(this::probe, every, every, TimeUnit.NANOSECONDS);
    return this;
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * The shared rate limiter (GCRA, the same semantics as {@code InMemoryRateLimiter}): N instances together stay
   * within each limit, because they share one bucket per key.
   */
  public RateLimiter rateLimiter() {
    return rateLimiter;
  }

  /** The shared flood counter, for {@code DefaultNoiseFilter.Builder#floodCounter}. */
  public FloodCounter floodCounter() {
    return floodCounter;
  }

  /** The shared deduplicator: the first claim of a key across all instances wins. */
  public Deduplicator deduplicator() {
    return deduplicator;
  }

  /** The shared dialog states, for {@code Pipeline.Builder#dialogStates}. */
  public DialogStates dialogStates() {
    return dialogStates;
  }

  /**
   * The cache named {@code name} (keys {@code <prefix>cache:<name>:<key>}), created on first use. A miss and a
   * Redis failure both read as empty; during an outage values put since are served from a bounded in-process twin
   * ({@value RedisCache#TWIN_ENTRIES} entries), and the keys written then are deleted from Redis when it is back,
   * because Redis holds stale values for them. What {@code codec.encode} throws reaches the caller of
   * {@link Cache#put}.
   *
   * @throws IllegalArgumentException for a blank name, or a name already in use with another codec instance
   */
  public <V> Cache<String, V> cache(String name, Codec<V> codec) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("cache name must not be blank, was " + (name == null ? "null" : "blank"));
    }
    Objects.requireNonNull(codec, "codec");
    RedisCache<?> cache = caches.computeIfAbsent(name, n -> {
      RedisCache<V> c = new RedisCache<>(link, keyPrefix, n, codec, clock, commandTimeout, degradations);
      if (closed) {
        c.guard().close();
      }
      guards.add(c.guard());
      return c;
    });
    if (cache.codec() != codec) {
      throw new IllegalArgumentException(
          "cache '" + name + "' exists already with another codec; create each cache once and share it");
    }
    @SuppressWarnings("unchecked")
    Cache<String, V> typed = (Cache<String, V>) cache;
    return typed;
  }

  /**
   * A work queue on Redis Streams with {@code settings} (see {@link QueueSettings}), its keys under this instance's
   * key prefix. It has connections of its own (blocking reads cannot share the components' connection) and reports
   * its degradation through this instance: {@link #isDegraded()}, the log and the {@link Listener}. Close it before
   * this instance; {@link #close()} closes the ones still open.
   */
  public WorkQueue workQueue(QueueSettings settings) {
    Objects.requireNonNull(settings, "settings");
    if (closed) {
      throw new IllegalStateException("RedisSupport is closed");
    }
    RedisWorkQueue queue = new RedisWorkQueue(link.queueClient(), link.uri(), keyPrefix, settings, degradations);
    queues.add(queue);
    return queue;
  }

  /** Whether any component (including work queues) serves from in-process state now. */
  public boolean isDegraded() {
    return degradations.any();
  }

  /** The names of the components on in-process state now, sorted; empty when all are on Redis. */
  public Set<String> degradedComponents() {
    return degradations.components();
  }

  /**
   * Checks now that Redis answers, connecting if need be; for a start-up check that should stop a misconfigured
   * deployment. Components never need it: they degrade and recover by themselves.
   *
   * @throws AuthenticationException when Redis refused the credentials of the URL (fix REDIS_URL, do not retry)
   * @throws OperationTimeoutException when Redis did not answer within the command timeout (retriable)
   * @throws ServerErrorException when Redis is unreachable or failed the PING (retriable)
   * @throws IllegalStateException after {@link #close()}
   */
  public void ping() {
    if (closed) {
      throw new IllegalStateException("RedisSupport is closed");
    }
    // A start-up check must not fail on one unlucky moment (a busy machine, a connection another component just
    // dropped after a timeout): a few fresh attempts, then the verdict. Credentials are not retried.
    RuntimeException last = null;
    for (int attempt = 1; attempt <= PING_ATTEMPTS; attempt++) {
      try {
        link.connect();
        link.sync().ping();
        return;
      } catch (RuntimeException e) {
        last = e;
        BotException failure = pingFailure(e);
        if (failure instanceof AuthenticationException || attempt == PING_ATTEMPTS) {
          throw failure;
        }
        link.disconnect();
        try {
          Thread.sleep(PING_RETRY_PAUSE_MILLIS * attempt);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw failure;
        }
      }
    }
    throw pingFailure(last);
  }

  private static final int PING_ATTEMPTS = 3;
  private static final long PING_RETRY_PAUSE_MILLIS = 200;

  private BotException pingFailure(RuntimeException e) {
    String why = Degradations.describe(e);
    String upper = why.toUpperCase(Locale.ROOT);
    if (upper.contains("WRONGPASS") || upper.contains("NOAUTH") || upper.contains("NOPERM")
        || upper.contains("INVALID PASSWORD") || upper.contains("AUTHENTICATION")) {
      return new AuthenticationException(
          "Redis at " + shownUrl + " refused the credentials (check REDIS_URL and the password): " + why, e);
    }
    if (e instanceof RedisCommandTimeoutException) {
      return new OperationTimeoutException("Redis at " + shownUrl + " did not answer PING within "
          + commandTimeout.toMillis() + " ms (check REDIS_URL): " + why, e);
    }
    return new ServerErrorException("Redis at " + shownUrl + " is unreachable (check REDIS_URL): " + why, e);
  }

  private void probe() {
    try {
      if (!link.isOpen()) {
        link.connect();
      }
      List<Guard> down = guards.stream().filter(g -> !g.onRedis()).toList();
      if (down.isEmpty()) {
        return;
      }
      link.sync().ping();
      for (Guard g : down) {
        g.recover(link);
      }
    } catch (RuntimeException e) {
      if (!closed) {
        log.debug("Redis probe failed: {}", Degradations.describe(e));
        link.disconnect();
      }
    }
  }

  /**
   * Stops the probe, closes the work queues made here, the connection and the client. Idempotent. Components keep
   * answering afterwards, from in-process state, silently.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (Guard g : guards) {
      g.close();
    }
    prober.shutdownNow();
    for (AutoCloseable q : queues) {
      try {
        q.close();
      } catch (Exception e) {
        log.warn("closing a work queue failed", e);
      }
    }
    link.close();
  }

  @Override
  public String toString() {
    return "RedisSupport{url=" + shownUrl + ", keyPrefix=" + keyPrefix + ", commandTimeout=" + commandTimeout
        + ", degraded=" + degradedComponents() + "}";
  }

  /**
   * Settings of a {@link RedisSupport}; only {@link #url} is required. Not thread-safe; {@link #build()} validates,
   * naming the first invalid setting, and connects.
   */
  public static final class Builder {
    private String url;
    private String password;
    private Duration commandTimeout = Duration.ofMillis(500);
    private Duration connectTimeout = Duration.ofSeconds(2);
    private String keyPrefix = "tgsupport:";
    private Clock clock = Clock.systemUTC();
    private Listener listener = new Listener() {};
    private Duration probeInterval = Duration.ofSeconds(1);

    private Builder() {}

    /**
     * Where Redis is: {@code redis://[user:password@]host[:port][/db]}, or {@code rediss://…} for TLS. The
     * password may be given here or with {@link #password}; it never shows in logs, messages or toString.
     */
    public Builder url(String url) {
      this.url = url;
      return this;
    }

    /** The password, replacing any in the URL (handy when it comes from a secret store). */
    public Builder password(String password) {
      this.password = password;
      return this;
    }

    /**
     * How long one Redis call may take before the component answers from in-process state instead; default
     * 500 ms, because a support bot must not hang on Redis.
     */
    public Builder commandTimeout(Duration commandTimeout) {
      this.commandTimeout = commandTimeout;
      return this;
    }

    /** How long opening the connection may take; default 2 s. {@link #build()} waits at most this long. */
    public Builder connectTimeout(Duration connectTimeout) {
      this.connectTimeout = connectTimeout;
      return this;
    }

    /** Prepended to every key; default {@code tgsupport:}. Give each bot sharing a Redis its own. */
    public Builder keyPrefix(String keyPrefix) {
      this.keyPrefix = keyPrefix;
      return this;
    }

    /**
     * The clock of the in-process fallbacks and of the expiries of writes replayed after an outage; default
     * {@link Clock#systemUTC()}. Redis-side windows and limits run on Redis's own clock.
     */
    public Builder clock(Clock clock) {
      this.clock = clock;
      return this;
    }

    /** Hears degradations and recoveries; default none. */
    public Builder listener(Listener listener) {
      this.listener = listener;
      return this;
    }

    /** How often a degraded instance checks whether Redis is back (and a lost connection is reopened); default 1 s. */
    public Builder probeInterval(Duration probeInterval) {
      this.probeInterval = probeInterval;
      return this;
    }

    /**
     * Validates and connects. An unreachable Redis does not fail the build: the components start on in-process
     * state and move to Redis when it answers (call {@link RedisSupport#ping()} for a strict start-up check).
     *
     * @throws IllegalArgumentException naming the first invalid setting (the URL shown with its password masked)
     */
    public RedisSupport build() {
      RedisUrl.parse(url, null);
      if (password != null && password.isEmpty()) {
        throw new IllegalArgumentException("password must not be empty (leave it unset for no password)");
      }
      requirePositive(commandTimeout, "commandTimeout");
      requirePositive(connectTimeout, "connectTimeout");
      requirePositive(probeInterval, "probeInterval");
      if (probeInterval.compareTo(Duration.ofMillis(10)) < 0) {
        throw new IllegalArgumentException("probeInterval must be >= 10 ms, was " + probeInterval);
      }
      if (keyPrefix == null || keyPrefix.isBlank()) {
        throw new IllegalArgumentException(
            "keyPrefix must not be blank, was " + (keyPrefix == null ? "null" : "\"" + keyPrefix + "\""));
      }
      if (clock == null) {
        throw new IllegalArgumentException("clock must not be null");
      }
      if (listener == null) {
        throw new IllegalArgumentException("listener must not be null");
      }
      return new RedisSupport(this).start();
    }

    private static void requirePositive(Duration d, String field) {
      if (d == null || d.isZero() || d.isNegative()) {
        throw new IllegalArgumentException(field + " must be positive, was " + d);
      }
    }
  }
}
