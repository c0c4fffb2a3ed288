package dev.tgsupport.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tgsupport.core.port.Cache;
import dev.tgsupport.core.port.RateLimiter.Limit;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Fault tests on a private redis-server: killed and restarted, or frozen and thawed, while every component is in
 * use. Nothing may reach the callers, calls must stay fast once degraded, and the components must find their way
 * back to Redis by themselves.
 */
class RedisOutageIT {
  /** Long, so that a call that waited for Redis cannot be mistaken for one slowed down by a busy machine. */
  private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(1);
  private static final List<String> COMPONENTS =
      List.of("cache:answers", "deduplicator", "dialog-states", "flood-counter", "rate-limiter");
  /**
   * What one call may take once its component is on the fallback: no network, no timeout. The 99th percentile is
   * held to a few milliseconds; the maximum only to half a command timeout, because on a busy two-core machine the
   * scheduler and the collector pause threads for tens of milliseconds now and then.
   */
  private static final long FALLBACK_P99_MS = 5;
  private static final long FALLBACK_MAX_MS = COMMAND_TIMEOUT.toMillis() / 2;

  private final String prefix = "tgsupport-test:outage:";
  private final RecordingListener listener = new RecordingListener();
  private RedisServerProcess server;
  private LogCapture logs;
  private RedisSupport redis;
  private Cache<String, String> cache;

  @BeforeEach
  void start() {
    server = RedisServerProcess.start();
    logs = new LogCapture();
    redis = RedisSupport.builder().url(server.url()).keyPrefix(prefix).commandTimeout(COMMAND_TIMEOUT)
        .probeInterval(Duration.ofMillis(100)).listener(listener).build();
    cache = redis.cache("answers", RedisSupport.Codec.string());
  }

  @AfterEach
  void stop() {
    redis.close();
    logs.close();
    server.close();
  }

  /** Uses every component once; returns the slowest call in ms. */
  private long useEveryComponent(long round) {
    return useEveryComponent(round, new ArrayList<>());
  }

  /** Uses every component once, adding each call's duration in µs to {@code micros}; returns the slowest in ms. */
  private long useEveryComponent(long round, List<Long> micros) {
    long slowest = 0;
    List<Runnable> calls = List.of(
        () -> redis.rateLimiter().tryAcquire("chat:1", Limit.perSecond(1_000)),
        () -> redis.floodCounter().record(1, 2, round, 99, Duration.ofMinutes(1)),
        () -> redis.deduplicator().firstSeen("update:" + round, Duration.ofMinutes(1)),
        () -> redis.dialogStates().put(1, 2, "state " + round, Duration.ofMinutes(1)),
        () -> redis.dialogStates().get(1, 2),
        () -> cache.put("q" + round, "a" + round, Duration.ofMinutes(1)),
        () -> cache.get("q" + round));
    for (Runnable call : calls) {
      long t = System.nanoTime();
      call.run();
      long took = System.nanoTime() - t;
      micros.add(took / 1_000);
      slowest = Math.max(slowest, took / 1_000_000);
    }
    return slowest;
  }

  /** Threads that use every component until stopped, keeping whatever was thrown and the slowest degraded call. */
  private final class Load implements AutoCloseable {
    final AtomicBoolean running = new AtomicBoolean(true);
    final ConcurrentLinkedQueue<Throwable> thrown = new ConcurrentLinkedQueue<>();
    final AtomicLong slowestWhileDegraded = new AtomicLong();
    final AtomicLong calls = new AtomicLong();
    final List<Thread> threads = new ArrayList<>();

    Load(int n) {
      for (int i = 0; i < n; i++) {
        long base = 1_000_000L * (i + 1);
        Thread t = new Thread(() -> {
          long round = 0;
          while (running.get()) {
            try {
              boolean wasDegraded = redis.degradedComponents().size() == COMPONENTS.size();
              // A bounded key space, so the outage journals (10,000 keys) keep every write of this test.
              long slowest = useEveryComponent(base + round++ % 500);
              calls.addAndGet(7);
              // A call that started after every component was on the fallback must not touch the network.
              if (wasDegraded && redis.degradedComponents().size() == COMPONENTS.size()) {
                slowestWhileDegraded.accumulateAndGet(slowest, Math::max);
              }
            } catch (Throwable e) {
              thrown.add(e);
            }
          }
        }, "load-" + i);
        t.start();
        threads.add(t);
      }
    }

    @Override
    public void close() throws InterruptedException {
      running.set(false);
      for (Thread t : threads) {
        t.join(10_000);
      }
    }
  }

  private static String describe(List<Long> micros) {
    List<Long> sorted = micros.stream().sorted().toList();
    return String.format("%d fallback calls: median %d µs, p99 %d µs, max %d µs", sorted.size(),
        sorted.get(sorted.size() / 2), sorted.get(sorted.size() * 99 / 100), sorted.get(sorted.size() - 1));
  }

  private static void assertFast(List<Long> micros) {
    List<Long> sorted = micros.stream().sorted().toList();
    assertThat(sorted.get(sorted.size() * 99 / 100)).as("p99 of the fallback calls (µs)")
        .isLessThan(FALLBACK_P99_MS * 1_000);
    assertThat(sorted.get(sorted.size() - 1)).as("slowest fallback call (µs)").isLessThan(FALLBACK_MAX_MS * 1_000);
  }

  private static void await(String what, Duration within, BooleanSupplier condition) {
    long deadline = System.nanoTime() + within.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + within + ": " + what);
      }
      RedisServerProcess.sleep(20);
    }
  }

  private RedisCommands<String, String> rawConnection(List<AutoCloseable> toClose) {
    RedisClient client = RedisClient.create(server.url());
    StatefulRedisConnection<String, String> c = client.connect();
    toClose.add(client::shutdown);
    return c.sync();
  }

  @Test
  void aKilledServerIsSurvivedAndARestartedOneIsUsedAgainByItself() throws Exception {
    assertThat(useEveryComponent(0)).isLessThan(COMMAND_TIMEOUT.toMillis());
    assertThat(redis.isDegraded()).isFalse();
    List<AutoCloseable> toClose = new ArrayList<>();
    assertThat(rawConnection(toClose).exists(prefix + "dedup:update:0")).as("on Redis at first").isEqualTo(1);
    toClose.get(0).close();

    try (Load load = new Load(2)) {
      RedisServerProcess.sleep(200);
      server.kill();
      long firstAfterKill = useEveryComponent(1);
      assertThat(firstAfterKill).as("the calls that met the dead server (ms)")
          .isLessThan(COMMAND_TIMEOUT.toMillis() + 200);
      await("every component degraded", Duration.ofSeconds(5), () -> redis.degradedComponents().size() == 5);
      assertThat(redis.degradedComponents()).containsExactlyElementsOf(COMPONENTS);
      assertThat(redis.isDegraded()).isTrue();

      List<Long> micros = new ArrayList<>();
      for (long round = 2; round < 300; round++) {
        useEveryComponent(round, micros);
      }
      System.out.printf("killed: first calls %d ms; %s%n", firstAfterKill, describe(micros));
      assertFast(micros);

      // Work done during the outage that the other instances must see once Redis is back.
      redis.dialogStates().put(5, 6, "waiting for details", Duration.ofMinutes(5));
      assertThat(redis.deduplicator().firstSeen("claimed-during-outage", Duration.ofMinutes(5))).isTrue();
      assertThat(redis.deduplicator().firstSeen("update:0", Duration.ofMinutes(1)))
          .as("a claim this process won on Redis is still known on the fallback").isFalse();
      assertThat(redis.dialogStates().get(5, 6)).hasValue("waiting for details");
      cache.put("answer", "from the fallback", Duration.ofMinutes(1));
      assertThat(cache.get("answer")).hasValue("from the fallback");

      RedisServerProcess.sleep(500);
      server.restart();
      await("every component back on Redis", Duration.ofSeconds(10), () -> !redis.isDegraded());
      RedisServerProcess.sleep(300);

      System.out.printf("load: %d calls, slowest degraded call %d ms%n", load.calls.get(),
          load.slowestWhileDegraded.get());
      assertThat(load.thrown).as("thrown to callers").isEmpty();
      assertThat(load.calls.get()).as("calls made by the load").isGreaterThan(1_000);
      assertThat(load.slowestWhileDegraded.get()).as("slowest degraded call of the load (ms)")
          .isLessThan(FALLBACK_MAX_MS);
    }

    for (String c : COMPONENTS) {
      assertThat(listener.count("degraded " + c)).as("listener told once of %s", c).isEqualTo(1);
      assertThat(listener.count("recovered " + c)).as("listener told once of %s back", c).isEqualTo(1);
      assertThat(logs.lines("Redis unavailable for " + c + " ")).as("warned once of %s", c).isEqualTo(1);
      assertThat(logs.lines("Redis is back for " + c + " ")).as("logged once %s back", c).isEqualTo(1);
    }
    assertThat(redis.degradedComponents()).isEmpty();

    RedisCommands<String, String> raw = rawConnection(toClose);
    try {
      assertThat(raw.get(prefix + "dialog:5:6")).as("replayed dialog state").isEqualTo("waiting for details");
      assertThat(raw.exists(prefix + "dedup:claimed-during-outage")).as("replayed claim").isEqualTo(1);
      assertThat(raw.pttl(prefix + "dedup:claimed-during-outage")).isBetween(1L, 300_000L);

      useEveryComponent(7_777);
      // A slow limit, so its key lives long enough to be seen (a key expires once its bucket is full again).
      redis.rateLimiter().tryAcquire("chat:slow", new Limit(1, Duration.ofMinutes(1), 1));
      assertThat(raw.exists(prefix + "dedup:update:7777", prefix + "rate:chat:slow", prefix + "flood:1:2:63",
          prefix + "dialog:1:2", prefix + "cache:answers:q7777")).as("every component writes to Redis again")
          .isEqualTo(5);
      assertThat(redis.dialogStates().get(5, 6)).hasValue("waiting for details");
      assertThat(redis.deduplicator().firstSeen("claimed-during-outage", Duration.ofMinutes(1))).isFalse();
    } finally {
      for (AutoCloseable c : toClose) {
        c.close();
      }
    }
  }

  @Test
  void aFrozenServerCostsOneCommandTimeoutPerComponentThenCallsAreFast() throws Exception {
    useEveryComponent(0);
    cache.put("answer", "old answer", Duration.ofMinutes(10));
    assertThat(redis.isDegraded()).isFalse();

    server.freeze();
    long t = System.nanoTime();
    long slowestFirst = useEveryComponent(1);
    long firstRoundMs = (System.nanoTime() - t) / 1_000_000;
    // Each of the five components waits out one command timeout, once; its later calls go to the fallback.
    assertThat(slowestFirst).as("slowest first call (ms)").isLessThan(COMMAND_TIMEOUT.toMillis() + 200);
    assertThat(firstRoundMs).as("first round (ms)").isLessThan(5 * (COMMAND_TIMEOUT.toMillis() + 100));
    assertThat(redis.degradedComponents()).containsExactlyElementsOf(COMPONENTS);

    List<Long> micros = new ArrayList<>();
    for (long round = 2; round < 300; round++) {
      useEveryComponent(round, micros);
    }
    System.out.printf("frozen: first round %d ms (slowest call %d ms); %s%n", firstRoundMs, slowestFirst,
        describe(micros));
    assertFast(micros);
    cache.put("answer", "new answer", Duration.ofMinutes(10));
    assertThat(cache.get("answer")).hasValue("new answer");

    server.thaw();
    await("every component back on Redis", Duration.ofSeconds(10), () -> !redis.isDegraded());

    List<AutoCloseable> toClose = new ArrayList<>();
    try {
      RedisCommands<String, String> raw = rawConnection(toClose);
      assertThat(raw.get(prefix + "cache:answers:answer")).as("the stale value was deleted").isNull();
      assertThat(cache.get("answer")).as("a miss, not the stale answer").isEmpty();
      assertThat(listener.events).filteredOn(e -> e.startsWith("degraded")).hasSize(5);
      assertThat(listener.events).filteredOn(e -> e.startsWith("recovered")).hasSize(5);
    } finally {
      for (AutoCloseable c : toClose) {
        c.close();
      }
    }
  }

  @Test
  void startingWithoutRedisRunsOnTheFallbackUntilRedisAppears() {
    server.kill();
    RecordingListener early = new RecordingListener();
    try (RedisSupport late = RedisSupport.builder().url(server.url()).keyPrefix(prefix)
        .probeInterval(Duration.ofMillis(100)).listener(early).build()) {
      assertThat(late.degradedComponents())
          .containsExactly("deduplicator", "dialog-states", "flood-counter", "rate-limiter");
      assertThat(late.rateLimiter().tryAcquire("k", Limit.perSecond(1))).isZero();
      assertThat(late.deduplicator().firstSeen("u", Duration.ofMinutes(1))).isTrue();
      assertThat(late.cache("c", RedisSupport.Codec.string()).get("k")).isEmpty();

      server.restart();
      await("back on Redis", Duration.ofSeconds(10), () -> !late.isDegraded());
      assertThat(early.events).filteredOn(e -> e.startsWith("recovered")).hasSize(5);
      late.ping();
    }
  }
}
