package dev.tgsupport.redis;

import dev.tgsupport.core.port.WorkQueue;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.event.command.CommandListener;
import io.lettuce.core.event.command.CommandStartedEvent;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Measures the Redis work queue end to end on a real Redis: publishers append, one consumer with {@code workers}
 * threads handles each entry with a no-op handler and acknowledges it. Behind {@code tgsupport bench queue}.
 *
 * <pre>{@code
 * QueueBench.Result r = QueueBench.run("redis://127.0.0.1:6379", 100_000, 4, System.out);
 * System.out.printf("processed_per_s=%.0f p99_ms=%.1f%n", r.processedPerS(), r.p99Millis());
 * }</pre>
 *
 * <p>The run uses its own key prefix ({@code tgsupport-bench:<random>:}) and deletes its keys afterwards. A warm-up
 * of a tenth of the messages (between 1,000 and 10,000) runs first and is not measured.
 *
 * <p>Round trips: every command the queue sends over the measured phase (publishes, reads, acknowledgements, lease
 * heartbeats, claims, scripts), counted as it leaves the client, divided by the messages. A command is an upper
 * bound of a round trip, since commands from several threads are pipelined on one connection. Redis's own view,
 * the growth of {@code INFO commandstats} calls, comes along in {@link Result#redisCommandCalls()}: it agrees for
 * plain commands, but also counts the commands a Lua script runs inside Redis (an acknowledgement of several
 * streams is one {@code EVALSHA} round trip but one {@code XACK} call per stream there), and it includes whatever
 * other clients of that Redis do meanwhile.
 *
 * <p>Runs are independent and may overlap, but then the Redis-side counts mix; the bench is meant to run alone.
 */
public final class QueueBench {
  /** Publishing threads by default: about what a webhook server runs requests on. */
  public static final int DEFAULT_PUBLISHERS = 16;
  private static final int CHATS = 1_000;

  /**
   * What a run measured.
   *
   * @param messages entries published and handled in the measured phase
   * @param workers handler threads of the consumer
   * @param publishers threads publishing at once
   * @param enqueuedPerS entries published per second, by the publisher threads
   * @param processedPerS entries acknowledged per second, from the first publish to the last acknowledgement
   * @param p50Millis median time from the start of a publish to its acknowledgement by Redis
   * @param p99Millis 99th percentile of the same
   * @param redisRoundTripsPerMessage commands the queue sent to Redis per message (see the class comment)
   * @param commandsSent those commands by name, e.g. {@code xadd=100000, xreadgroup=1234, xack=250, evalsha=900}
   * @param redisCommandCalls the growth of Redis's {@code INFO commandstats} calls over the same phase, by command
   */
  public record Result(int messages, int workers, int publishers, double enqueuedPerS, double processedPerS,
      double p50Millis, double p99Millis, double redisRoundTripsPerMessage, Map<String, Long> commandsSent,
      Map<String, Long> redisCommandCalls) {
    public Result {
      commandsSent = Collections.unmodifiableMap(new TreeMap<>(commandsSent));
      redisCommandCalls = Collections.unmodifiableMap(new TreeMap<>(redisCommandCalls));
    }
  }

  private QueueBench() {}

  /**
   * Runs the benchmark.
   *
   * @param redisUrl {@code redis://} or {@code rediss://} URL of the Redis to measure
   * @param messages entries in the measured phase, > 0
   * @param workers handler threads, > 0
   * @param progress where to report progress lines (for a command line tool); not the results
   * @throws IllegalStateException when not every entry was handled within a generous time limit
   */
  public static Result run(String redisUrl, int messages, int workers, PrintStream progress) {
    return run(redisUrl, messages, workers, DEFAULT_PUBLISHERS, progress);
  }

  /**
   * Runs the benchmark with {@code publishers} publishing threads (the webhook's request threads, in production).
   *
   * @see #run(String, int, int, PrintStream)
   */
  public static Result run(String redisUrl, int messages, int workers, int publishers, PrintStream progress) {
    Objects.requireNonNull(redisUrl, "redisUrl");
    Objects.requireNonNull(progress, "progress");
    if (messages <= 0) {
      throw new IllegalArgumentException("messages must be > 0, was " + messages);
    }
    if (workers <= 0) {
      throw new IllegalArgumentException("workers must be > 0, was " + workers);
    }
    if (publishers <= 0) {
      throw new IllegalArgumentException("publishers must be > 0, was " + publishers);
    }
    String prefix = "tgsupport-bench:" + UUID.randomUUID().toString().substring(0, 8) + ":";
    QueueSettings settings = QueueSettings.builder().workers(workers).consumerName("bench").build();
    RedisClient statsClient = RedisClient.create(RedisURI.create(redisUrl));
    RedisWorkQueue queue = RedisWorkQueue.create(redisUrl, prefix, settings, DegradationSignal.NONE);
    CommandCounter sent = new CommandCounter();
    queue.client().addListener(sent);
    try (StatefulRedisConnection<String, String> stats = statsClient.connect()) {
      Phase phase = new Phase();
      queue.ackListener = phase::acked;
      WorkQueue.Consumer consumer = queue.consume(entry -> {});
      try {
        int warmUp = Math.min(10_000, Math.max(1_000, messages / 10));
        progress.printf("queue bench: warming up with %d messages%n", warmUp);
        phase.start(warmUp);
        publish(queue, warmUp, publishers);
        phase.await(warmUp, progress);

        progress.printf("queue bench: %d messages, %d publishers, %d workers, %d partitions%n", messages,
            publishers, workers, settings.partitions());
        Map<String, Long> before = commandCalls(stats.sync());
        Map<String, Long> sentBefore = sent.snapshot();
        phase.start(messages);
        long startNanos = System.nanoTime();
        publish(queue, messages, publishers);
        long publishedNanos = System.nanoTime();
        phase.await(messages, progress);
        Map<String, Long> sentDelta = delta(sentBefore, sent.snapshot());
        Map<String, Long> redisDelta = delta(before, commandCalls(stats.sync()));
        redisDelta.remove("info");
        long commands = sentDelta.values().stream().mapToLong(Long::longValue).sum();
        long[] latencies = phase.latencies();
        Arrays.sort(latencies);
        return new Result(messages, workers, publishers, messages / seconds(publishedNanos - startNanos),
            messages / seconds(phase.lastAckNanos.get() - startNanos), millis(percentile(latencies, 0.50)),
            millis(percentile(latencies, 0.99)), (double) commands / messages, sentDelta, redisDelta);
      } finally {
        consumer.close(Duration.ofSeconds(5));
        deleteKeys(stats.sync(), prefix);
      }
    } finally {
      queue.close(Duration.ofSeconds(5));
      statsClient.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
  }

  private static void publish(RedisWorkQueue queue, int messages, int publishers) {
    List<Thread> threads = new ArrayList<>();
    AtomicInteger next = new AtomicInteger();
    for (int t = 0; t < publishers; t++) {
      Thread thread = new Thread(() -> {
        int i;
        while ((i = next.getAndIncrement()) < messages) {
          queue.publish("chat-" + (i % CHATS), Long.toString(System.nanoTime()));
        }
      }, "queue-bench-publisher-" + t);
      threads.add(thread);
      thread.start();
    }
    for (Thread t : threads) {
      try {
        t.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("queue bench interrupted while publishing", e);
      }
    }
  }

  /** Acknowledgements of the current phase, with publish-to-ack latencies. */
  private static final class Phase {
    private volatile long[] latencies = new long[0];
    private final AtomicInteger acked = new AtomicInteger();
    private final AtomicLong lastAckNanos = new AtomicLong();

    void start(int messages) {
      latencies = new long[messages];
      acked.set(0);
    }

    void acked(List<WorkQueue.Entry> entries) {
      long now = System.nanoTime();
      long[] l = latencies;
      for (WorkQueue.Entry e : entries) {
        int i = acked.getAndIncrement();
        if (i < l.length) {
          l[i] = now - Long.parseLong(e.payload());
        }
      }
      lastAckNanos.accumulateAndGet(now, Math::max);
    }

    void await(int messages, PrintStream progress) {
      long limit = System.nanoTime() + TimeUnit.SECONDS.toNanos(60 + messages / 1_000);
      long nextReport = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
      while (acked.get() < messages) {
        long now = System.nanoTime();
        if (now > limit) {
          throw new IllegalStateException("queue bench: only " + acked.get() + " of " + messages
              + " entries were acknowledged in time");
        }
        if (now > nextReport) {
          progress.printf("queue bench: %d/%d acknowledged%n", acked.get(), messages);
          nextReport = now + TimeUnit.SECONDS.toNanos(1);
        }
        try {
          Thread.sleep(5);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("queue bench interrupted", e);
        }
      }
    }

    long[] latencies() {
      return latencies.clone();
    }
  }

  private static Map<String, Long> delta(Map<String, Long> before, Map<String, Long> after) {
    Map<String, Long> delta = new TreeMap<>();
    after.forEach((cmd, calls) -> {
      long d = calls - before.getOrDefault(cmd, 0L);
      if (d > 0) {
        delta.put(cmd, d);
      }
    });
    return delta;
  }

  /** Counts the commands a client sends, by name. */
  private static final class CommandCounter implements CommandListener {
    private final ConcurrentHashMap<String, LongAdder> counts = new ConcurrentHashMap<>();

    @Override
    public void commandStarted(CommandStartedEvent event) {
      counts.computeIfAbsent(event.getCommand().getType().toString().toLowerCase(java.util.Locale.ROOT),
          k -> new LongAdder()).increment();
    }

    Map<String, Long> snapshot() {
      Map<String, Long> m = new TreeMap<>();
      counts.forEach((k, v) -> m.put(k, v.sum()));
      return m;
    }
  }

  /** {@code INFO commandstats} as command name to calls. */
  static Map<String, Long> commandCalls(RedisCommands<String, String> redis) {
    Map<String, Long> calls = new TreeMap<>();
    for (String line : redis.info("commandstats").split("\r?\n")) {
      if (!line.startsWith("cmdstat_")) {
        continue;
      }
      int colon = line.indexOf(':');
      String name = line.substring("cmdstat_".length(), colon);
      for (String field : line.substring(colon + 1).split(",")) {
        if (field.startsWith("calls=")) {
          calls.put(name, Long.parseLong(field.substring("calls=".length())));
        }
      }
    }
    return calls;
  }

  private static void deleteKeys(RedisCommands<String, String> redis, String prefix) {
    ScanCursor cursor = ScanCursor.INITIAL;
    do {
      KeyScanCursor<String> page = redis.scan(cursor, ScanArgs.Builder.matches(prefix + "*").limit(1_000));
      if (!page.getKeys().isEmpty()) {
        redis.unlink(page.getKeys().toArray(new String[0]));
      }
      cursor = page;
    } while (!cursor.isFinished());
  }

  private static long percentile(long[] sorted, double p) {
    if (sorted.length == 0) {
      return 0;
    }
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
  }

  private static double seconds(long nanos) {
    return Math.max(1, nanos) / 1e9;
  }

  private static double millis(long nanos) {
    return nanos / 1e6;
  }
}
