package dev.tgsupport.redis;

import dev.tgsupport.core.InvalidInputException;
import dev.tgsupport.core.OperationTimeoutException;
import dev.tgsupport.core.memory.InMemoryWorkQueue;
import dev.tgsupport.core.port.WorkQueue;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.XAddArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.StringCodec;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link WorkQueue} on Redis Streams, behind {@code RedisSupport.workQueue(settings)}.
 *
 * <p><b>Layout.</b> {@link QueueSettings#partitions()} streams {@code <prefix><p>}, one consumer group on each; an
 * entry goes to partition {@code crc32(partitionKey) mod partitions}. {@link #publish} is one
 * {@code XADD <prefix><p> MAXLEN ~ maxLength * key <key> payload <payload>} and returns the stream id.
 *
 * <p><b>One consumer per partition.</b> Each consumer heartbeats every third of {@code leaseTtl} with one script
 * ({@link StreamScripts#TICK}): it registers in {@code <prefix>consumers}, renews the leases {@code <prefix>lease:<p>}
 * it holds, and takes free ones up to its fair share {@code ceil(partitions / live consumers)}; a consumer above
 * its share gives partitions back once they are idle. A consumer reads and handles only partitions it holds, and
 * stops handling one when its lease has not been renewed for 0.8 {@code leaseTtl} (the lease itself lives a full
 * {@code leaseTtl}), so a consumer that lost its lease stops before another takes over. The lease of a dead consumer
 * expires and survivors take its partitions.
 *
 * <p><b>Takeover.</b> A consumer that gets a lease first claims every pending entry of that partition
 * ({@code XPENDING} + {@code XCLAIM}, in id order), whoever they were delivered to, and handles them before it
 * reads new ones, so order is kept across a takeover. That is safe at once, without waiting for the claim timeout:
 * a lease is free only when its holder gave it back after stopping, or stopped renewing it for a whole TTL and
 * fenced itself before that. As a safety net, entries pending at another consumer for longer than
 * {@code claimTimeout} in a partition we hold are claimed too (out of order: they were read by a consumer just as
 * it lost its lease).
 *
 * <p><b>Handling.</b> Within a partition, entries are handled one at a time in stream order on one of
 * {@code workers} threads. An entry is acknowledged only after its handler returned: acknowledgements of all
 * partitions are batched into one {@code XACK} (or one script for several streams) within 2 ms or
 * {@code batchSize} entries. A failed entry stays pending and is retried after {@code retryBackoff} (doubling); the
 * later entries of its key wait, the other keys go on. After {@code maxDeliveries} deliveries it is written to
 * {@code <prefix>dead} (original id, stream, key, payload, last error, deliveries) and acknowledged, in one script.
 * An entry claimed with more than {@code maxDeliveries} deliveries (its consumers kept dying on it) is
 * dead-lettered without being handled again.
 *
 * <p><b>Cost.</b> The hot path is one XADD per entry plus one XREADGROUP (COUNT per stream, after a 2 ms linger
 * when the last read was not full) and one acknowledgement per batch; leases cost one script per consumer per
 * third of the TTL, independent of traffic.
 *
 * <p><b>Outage.</b> When a publish fails (no connection, no answer within {@code commandTimeout}, an error reply),
 * the entry goes to an in-process {@link InMemoryWorkQueue}, the failure is reported to the
 * {@link DegradationSignal} and further publishes skip Redis until a background PING (backing off to 5 s)
 * succeeds; then {@code recovered} is reported and publishes go to Redis again, except for keys that still have
 * entries in the fallback, which stay there until those are handled, so that a key's entries do not overtake each
 * other. Fallback entries are handled by this process's consumer (or, in a process that publishes without
 * consuming, forwarded to Redis once it is back), with the same retries and dead-lettering; a handler never runs
 * twice at once for one key in this process, fallback or not. Publishing does not throw because of Redis (only
 * when interrupted or closed); it blocks when {@code fallbackCapacity} entries wait. Consumers retry their reads
 * with backoff and resume by themselves.
 *
 * <p>What does <em>not</em> hold during an outage:
 * <ul>
 *   <li>Durability: an entry published during the outage lives only in this process's memory until it is handled
 *       (or forwarded). If the process dies first, it is lost.
 *   <li>Order across the outage: an entry published during the outage can be handled before an older entry of
 *       the same key that is still in Redis, unread or pending, and so waits for Redis to come back.
 *   <li>Exactly-once delivery: a publish that timed out may still have reached Redis, so the entry can be handled
 *       twice; acknowledgements lost with the connection make entries be delivered again. Handlers are idempotent.
 * </ul>
 * Redis itself must persist (AOF, {@code appendfsync always} or {@code everysec}) for entries in the streams to
 * survive a Redis restart; {@code MAXLEN ~} trims the oldest entries even when unhandled, so {@code maxLength} must
 * exceed the worst backlog.
 *
 * <p>Thread-safe. One open consumer per instance.
 */
final class RedisWorkQueue implements WorkQueue {
  static final String COMPONENT = "queue";
  private static final Logger log = LoggerFactory.getLogger(RedisWorkQueue.class);
  private static final long MAX_PROBE_BACKOFF_MS = 5_000;

  final QueueSettings settings;
  final StreamKeys keys;
  final String consumerName;
  final ScheduledExecutorService scheduler;
  private final RedisClient client;
  private final RedisURI uri;
  private final boolean ownsClient;
  private final DegradationSignal signal;
  private final XAddArgs addArgs;
  private final Object connectLock = new Object();
  private volatile StatefulRedisConnection<String, String> connection;

  private final AtomicBoolean healthy = new AtomicBoolean(true);
  private final AtomicBoolean probing = new AtomicBoolean();
  private final InMemoryWorkQueue fallback;
  /** Keys with entries in the fallback, and how many; changed only inside the map's atomic methods. */
  private final ConcurrentHashMap<String, Integer> fallbackKeys = new ConcurrentHashMap<>();
  private final AtomicReference<StreamConsumer> consumer = new AtomicReference<>();
  private final Object[] keyLocks = new Object[256];
  private volatile WorkQueue.Consumer fallbackConsumer;
  private volatile boolean closed;
  private volatile boolean stopped;
  /** Told of every acknowledged batch; set by {@link QueueBench} to measure latency. */
  volatile java.util.function.Consumer<List<Entry>> ackListener;

  RedisWorkQueue(RedisClient client, RedisURI uri, String keyPrefix, QueueSettings settings,
      DegradationSignal signal) {
    this(client, uri, keyPrefix, settings, signal, false);
  }

  private RedisWorkQueue(RedisClient client, RedisURI uri, String keyPrefix, QueueSettings settings,
      DegradationSignal signal, boolean ownsClient) {
    this.client = Objects.requireNonNull(client, "client");
    this.uri = Objects.requireNonNull(uri, "uri");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.signal = Objects.requireNonNull(signal, "signal");
    this.keys = StreamKeys.of(Objects.requireNonNull(keyPrefix, "keyPrefix"), settings);
    this.ownsClient = ownsClient;
    this.consumerName = settings.consumerName().isBlank() ? defaultConsumerName() : settings.consumerName();
    this.addArgs = new XAddArgs().maxlen(settings.maxLength()).approximateTrimming();
    for (int i = 0; i < keyLocks.length; i++) {
      keyLocks[i] = new Object();
    }
    // Lease heartbeats, Redis probes and delayed acknowledgements must not wait for each other.
    ScheduledThreadPoolExecutor s = new ScheduledThreadPoolExecutor(3, r -> {
      Thread t = new Thread(r, "tgsupport-queue-control");
      t.setDaemon(true);
      return t;
    });
    s.setRemoveOnCancelPolicy(true);
    this.scheduler = s;
    this.fallback = InMemoryWorkQueue.builder()
        .name("tgsupport-queue-fallback")
        .workers(settings.workers())
        .capacity(settings.fallbackCapacity())
        .maxDeliveries(settings.maxDeliveries())
        .retryBackoff(settings.retryBackoff())
        .onDeadLetter(this::fallbackDeadLetter)
        .build();
  }

  /**
   * A queue with its own client on {@code redisUrl}, closed with the queue: for tests and the benchmark. The client
   * is configured like the one {@code RedisSupport} gives the queue: lettuce reconnects on its own and holds commands
   * while disconnected, so the queue's own timeouts are what notices an outage.
   */
  static RedisWorkQueue create(String redisUrl, String keyPrefix, QueueSettings settings, DegradationSignal signal) {
    RedisURI uri = RedisURI.create(redisUrl);
    uri.setTimeout(settings.commandTimeout());
    RedisClient client = RedisClient.create(uri);
    client.setOptions(ClientOptions.builder()
        .socketOptions(SocketOptions.builder().connectTimeout(settings.commandTimeout()).keepAlive(true).build())
        .build());
    return new RedisWorkQueue(client, uri, keyPrefix, settings, signal, true);
  }

  @Override
  public String publish(String partitionKey, String payload) {
    InvalidInputException.requireNonNull(partitionKey, "partitionKey");
    InvalidInputException.requireNonNull(payload, "payload");
    if (closed) {
      throw new IllegalStateException("work queue " + keys.prefix() + "* is closed: entry of key " + partitionKey
          + " refused");
    }
    // A key with entries still in the fallback stays there until they are handled, so its order survives recovery.
    if (healthy.get() && !fallbackKeys.containsKey(partitionKey)) {
      try {
        return xadd(partitionKey, payload);
      } catch (RedisException e) {
        markDown(e);
      }
    }
    return publishToFallback(partitionKey, payload);
  }

  private String xadd(String partitionKey, String payload) {
    RedisFuture<String> f = commands().xadd(keys.stream(keys.partitionOf(partitionKey)), addArgs, "key",
        partitionKey, "payload", payload);
    return await(f, settings.commandTimeout(), "XADD of an entry of key " + partitionKey);
  }

  private String publishToFallback(String partitionKey, String payload) {
    startFallbackConsumer();
    fallbackKeys.merge(partitionKey, 1, Integer::sum);
    try {
      return fallback.publish(partitionKey, payload);
    } catch (RuntimeException e) {
      fallbackDone(partitionKey);
      throw e;
    }
  }

  private void fallbackDone(String partitionKey) {
    fallbackKeys.computeIfPresent(partitionKey, (k, n) -> n == 1 ? null : n - 1);
  }

  private void startFallbackConsumer() {
    if (fallbackConsumer == null) {
      synchronized (fallback) {
        if (fallbackConsumer == null) {
          fallbackConsumer = fallback.consume(this::handleFallback);
        }
      }
    }
  }

  private void handleFallback(Entry entry) throws Exception {
    StreamConsumer c = consumer.get();
    if (c != null && c.isOpen()) {
      handle(c.handler(), entry);
    } else {
      forwardToRedis(entry);
    }
    fallbackDone(entry.partitionKey());
  }

  /** In a process that publishes but does not consume, entries published during an outage go to Redis later. */
  private void forwardToRedis(Entry entry) throws Exception {
    long backoffMs = 100;
    while (true) {
      if (healthy.get()) {
        try {
          xadd(entry.partitionKey(), entry.payload());
          return;
        } catch (RedisException e) {
          markDown(e);
        }
      }
      StreamConsumer c = consumer.get();
      if (c != null && c.isOpen()) {
        handle(c.handler(), entry);
        return;
      }
      Thread.sleep(backoffMs);
      backoffMs = Math.min(backoffMs * 2, MAX_PROBE_BACKOFF_MS);
    }
  }

  private void fallbackDeadLetter(InMemoryWorkQueue.DeadLetter dl) {
    fallbackDone(dl.entry().partitionKey());
    if (!healthy.get()) {
      return; // kept in the fallback's memory and logged; Redis is not there to keep it
    }
    Entry e = dl.entry();
    try {
      commands().xadd(keys.dead(), new XAddArgs().maxlen(settings.maxLength()).approximateTrimming(), "id",
          "local-" + e.id(), "stream", "in-process fallback", "key", e.partitionKey(), "payload", e.payload(), "error",
          dl.error(), "deliveries", Integer.toString(e.deliveries())).exceptionally(t -> {
            log.warn("work queue {}*: could not copy fallback dead letter {} to {}", keys.prefix(), e.id(),
                keys.dead());
            return null;
          });
    } catch (RuntimeException failed) {
      markDown(failed);
    }
  }

  /**
   * Runs the handler holding the lock of the entry's key stripe. Entries of one key come from one stream, or,
   * around an outage, from the stream and the fallback at once: the lock keeps them one at a time in this process.
   */
  void handle(Handler handler, Entry entry) throws Exception {
    synchronized (keyLocks[Math.floorMod(entry.partitionKey().hashCode() * 0x9E3779B9, keyLocks.length)]) {
      handler.handle(entry);
    }
  }

  @Override
  public WorkQueue.Consumer consume(Handler handler) {
    Objects.requireNonNull(handler, "handler");
    if (closed) {
      throw new IllegalStateException("work queue " + keys.prefix() + "* is closed: cannot consume");
    }
    StreamConsumer c = new StreamConsumer(this, handler);
    if (!consumer.compareAndSet(null, c)) {
      throw new IllegalStateException("work queue " + keys.prefix() + "* already has an open consumer ("
          + consumerName + "); close it first");
    }
    c.start();
    return c;
  }

  /** Called by a consumer once it has stopped. */
  void consumerClosed(StreamConsumer c) {
    consumer.compareAndSet(c, null);
  }

  /** The shared connection for non-blocking commands; connected on first use so that Redis may be down at start. */
  RedisAsyncCommands<String, String> commands() {
    StatefulRedisConnection<String, String> c = connection;
    return c != null ? c.async() : connect(false);
  }

  private RedisAsyncCommands<String, String> connect(boolean probe) {
    synchronized (connectLock) {
      StatefulRedisConnection<String, String> c = connection;
      if (c == null) {
        if (stopped) {
          throw new RedisException("work queue " + keys.prefix() + "* is closed");
        }
        if (!probe && !healthy.get()) {
          // Threads that queued behind a failed first connect fail fast; the probe connects when Redis is back.
          throw new RedisConnectionException("not connected to Redis yet; waiting for it to come back");
        }
        c = client.connect(StringCodec.UTF8, uri);
        connection = c;
      }
      return c.async();
    }
  }

  /** A dedicated connection for blocking reads, whose timeout covers the block time. */
  StatefulRedisConnection<String, String> connectForReads() {
    StatefulRedisConnection<String, String> c = client.connect(StringCodec.UTF8, uri);
    c.setTimeout(settings.blockTimeout().plus(settings.commandTimeout()));
    return c;
  }

  /** Waits for a reply; a timeout cancels the command, so it is not sent later when a reconnect flushes the queue. */
  <T> T await(CompletionStage<T> stage, Duration timeout, String what) {
    java.util.concurrent.CompletableFuture<T> f = stage.toCompletableFuture();
    try {
      return f.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      f.cancel(false);
      throw new RedisCommandTimeoutException(what + " got no reply within " + timeout.toMillis() + " ms");
    } catch (ExecutionException | CompletionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RedisException re) {
        throw re;
      }
      throw new RedisException(what + " failed: " + cause, cause);
    } catch (InterruptedException e) {
      f.cancel(false);
      Thread.currentThread().interrupt();
      throw new OperationTimeoutException(what + ": interrupted while waiting for Redis; it may or may not have run",
          e);
    }
  }

  /** For the benchmark, which counts the commands sent; listeners must be added before the first command. */
  RedisClient client() {
    return client;
  }

  /** Redis failed us: publish falls back until a probe gets an answer. Cheap to call on every failure. */
  void markDown(Throwable cause) {
    signal.degraded(COMPONENT, cause);
    if (healthy.compareAndSet(true, false)) {
      log.warn("work queue {}*: Redis is unreachable ({}); new entries are delivered in-process until it is back",
          keys.prefix(), cause.toString());
    }
    if (!stopped && probing.compareAndSet(false, true)) {
      scheduleProbe(100);
    }
  }

  private void scheduleProbe(long delayMs) {
    try {
      scheduler.schedule(() -> probe(delayMs), delayMs, TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.RejectedExecutionException closing) {
      probing.set(false);
    }
  }

  private void probe(long lastDelayMs) {
    if (stopped) {
      probing.set(false);
      return;
    }
    try {
      await(connect(true).ping(), settings.commandTimeout(), "PING");
      probing.set(false);
      if (healthy.compareAndSet(false, true)) {
        log.info("work queue {}*: Redis is back; new entries go to the streams again", keys.prefix());
        signal.recovered(COMPONENT);
      }
    } catch (RuntimeException e) {
      scheduleProbe(Math.min(lastDelayMs * 2, MAX_PROBE_BACKOFF_MS));
    }
  }

  /** Entries the fallback still holds (published during an outage, not yet handled or forwarded). */
  int fallbackPending() {
    return fallback.pending();
  }

  @Override
  public void close() {
    close(Duration.ofSeconds(10));
  }

  /**
   * Stops: lets the fallback hand over what it holds (to this consumer, or to Redis), then stops the consumer and
   * releases its leases, then the connections.
   */
  synchronized void close(Duration grace) {
    if (closed) {
      return;
    }
    closed = true;
    long deadline = System.nanoTime() + grace.toNanos();
    fallback.close(remaining(deadline));
    StreamConsumer c = consumer.get();
    if (c != null) {
      c.close(remaining(deadline));
    }
    stopped = true;
    scheduler.shutdownNow();
    StatefulRedisConnection<String, String> conn = connection;
    if (conn != null) {
      conn.close();
    }
    if (ownsClient) {
      client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
  }

  private static Duration remaining(long deadline) {
    return Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
  }

  private static String defaultConsumerName() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (Exception e) {
      host = "unknown-host";
    }
    long pid = ManagementFactory.getRuntimeMXBean().getPid();
    return host + "-" + pid + "-" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0xFFFFFF));
  }
}
