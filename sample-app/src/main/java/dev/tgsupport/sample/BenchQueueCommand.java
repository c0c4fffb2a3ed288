package dev.tgsupport.sample;

import dev.tgsupport.redis.QueueBench;
import dev.tgsupport.redis.RedisSupport;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code tgsupport bench queue}: the Redis work queue end to end, publish to acknowledgement. */
@Command(
    name = "queue",
    mixinStandardHelpOptions = true,
    versionProvider = TgSupportCli.Version.class,
    sortOptions = false,
    optionListHeading = "%nOptions:%n",
    usageHelpAutoWidth = true,
    header = "Push updates through the SDK's Redis work queue and measure its throughput and latency.",
    description = {
      "On a real Redis, " + QueueBench.DEFAULT_PUBLISHERS + " publisher threads (as a webhook server's request"
          + " threads would) append N entries for 1,000 chats to the work queue (Redis Streams, 16 partitions), and"
          + " one consumer with W handler threads takes them with a no-op handler and acknowledges them: the queue's"
          + " own cost, without the pipeline. A warm-up of N/10 entries (1,000-10,000) runs first, not counted.",
      "",
      "The run uses keys of its own (tgsupport-bench:<random>:*) and deletes them afterwards; nothing else in"
          + " Redis is touched. Run it alone: redis_round_trips_per_message counts what this process sends, but"
          + " the command counts of Redis on stderr include any other client's."
    },
    footerHeading = "%nOutput (stdout), one 'key: value' line each; progress goes to stderr:%n",
    footer = {
      "  messages, workers              what was run",
      "  enqueued_per_s                 entries published a second",
      "  processed_per_s                entries acknowledged a second, first",
      "                                 publish to last acknowledgement",
      "  p50_ms, p99_ms                 publish to acknowledgement, per entry",
      "  redis_round_trips_per_message  commands the queue sent to Redis per",
      "                                 entry (publishes, reads, acks, leases)",
      "",
      "Exit codes: 0 done; 1 Redis could not be reached or the run failed (one",
      "line); 2 a usage error."
    })
final class BenchQueueCommand implements Callable<Integer> {
  static final String DEFAULT_URL = "redis://127.0.0.1:6379";
  private static final String PROGRAM = "tgsupport bench queue";

  @ParentCommand private BenchCommand bench;

  @Option(names = "--messages", paramLabel = "N", description = "Entries to measure (default ${DEFAULT-VALUE}).")
  private int messages = 100_000;

  @Option(
      names = "--workers",
      paramLabel = "W",
      description = "Handler threads of the consumer (default ${DEFAULT-VALUE}, as 'run' uses).")
  private int workers = 4;

  @Option(
      names = "--redis-url",
      paramLabel = "URL",
      description = "The Redis to measure: redis://[[user]:password@]HOST[:PORT][/DB] or rediss://… Default: the"
          + " REDIS_URL environment variable, else " + DEFAULT_URL + ". The password is never printed.")
  private String redisUrl;

  @Override
  public Integer call() {
    Io io = bench.io();
    PrintWriter err = io.err();
    RedisUrlOption url;
    try {
      check(messages >= 1 && messages <= 10_000_000, "--messages must be in 1..10000000, was " + messages);
      check(workers >= 1 && workers <= 256, "--workers must be in 1..256, was " + workers);
      url = url(bench.env());
    } catch (UsageFailure e) {
      err.println(PROGRAM + ": " + e.getMessage());
      err.flush();
      return UsageFailure.EXIT_CODE;
    }

    // A clear line for a Redis that is not there, instead of the benchmark's first failing command.
    try (RedisSupport redis = url.open("tgsupport-bench:", new RedisSupport.Listener() {})) {
      url.ping(redis);
    } catch (UsageFailure e) {
      err.println(PROGRAM + ": " + e.getMessage());
      err.flush();
      return UsageFailure.EXIT_CODE;
    }
    err.println("bench: " + messages + " messages, " + workers + " workers, " + QueueBench.DEFAULT_PUBLISHERS
        + " publishers, on " + url.display());
    err.flush();

    QueueBench.Result r;
    try (PrintStream progress = new PrintStream(new LinesTo(err), true, StandardCharsets.UTF_8)) {
      r = QueueBench.run(url.url(), messages, workers, progress);
    } catch (RuntimeException e) {
      throw new TgSupportCli.CliFailure("failed on Redis at " + url.where() + ": " + url.scrub(RedisUrlOption.reason(e)));
    }
    err.println("bench: commands sent per kind: " + counts(r.commandsSent()));
    err.println("bench: Redis-side calls per kind (INFO commandstats, scripts' inner calls and other clients"
        + " included): " + counts(r.redisCommandCalls()));
    err.flush();
    PrintWriter out = io.out();
    for (String line : lines(r)) {
      out.println(line);
    }
    out.flush();
    return 0;
  }

  /** The {@code key: value} lines of stdout. */
  static List<String> lines(QueueBench.Result r) {
    return List.of(
        "messages: " + r.messages(),
        "workers: " + r.workers(),
        "enqueued_per_s: " + Math.round(r.enqueuedPerS()),
        "processed_per_s: " + Math.round(r.processedPerS()),
        String.format(Locale.ROOT, "p50_ms: %.2f", r.p50Millis()),
        String.format(Locale.ROOT, "p99_ms: %.2f", r.p99Millis()),
        String.format(Locale.ROOT, "redis_round_trips_per_message: %.3f", r.redisRoundTripsPerMessage()));
  }

  /** {@code --redis-url}, else {@code REDIS_URL}, else the local default. */
  private RedisUrlOption url(Map<String, String> env) {
    if (redisUrl != null) {
      return RedisUrlOption.of("--redis-url", redisUrl);
    }
    String fromEnv = env.get(RedisUrlOption.ENV);
    if (fromEnv != null && !fromEnv.isBlank()) {
      return RedisUrlOption.of(RedisUrlOption.ENV, fromEnv);
    }
    return RedisUrlOption.byDefault(DEFAULT_URL, "--redis-url",
        "the default: no --redis-url given and " + RedisUrlOption.ENV + " is not set");
  }

  private static String counts(Map<String, Long> counts) {
    return counts.isEmpty() ? "none" : counts.entrySet().stream()
        .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", "));
  }

  private static void check(boolean ok, String problem) {
    if (!ok) {
      throw new UsageFailure(problem);
    }
  }

  /** The benchmark's progress (a PrintStream) onto stderr (a PrintWriter), line by line. */
  private static final class LinesTo extends OutputStream {
    private final PrintWriter target;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();

    LinesTo(PrintWriter target) {
      this.target = target;
    }

    @Override
    public synchronized void write(int b) {
      if (b == '\n') {
        target.println(line.toString(StandardCharsets.UTF_8));
        target.flush();
        line.reset();
      } else if (b != '\r') {
        line.write(b);
      }
    }

    @Override
    public synchronized void close() {
      if (line.size() > 0) {
        write('\n');
      }
    }
  }
}
