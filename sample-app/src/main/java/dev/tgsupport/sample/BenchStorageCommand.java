package dev.tgsupport.sample;

import dev.tgsupport.storage.mybatis.MyBatisStorage;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code tgsupport bench storage}: message ingest through the SDK's group commit against plain JDBC. */
@Command(
    name = "storage",
    mixinStandardHelpOptions = true,
    versionProvider = TgSupportCli.Version.class,
    sortOptions = false,
    optionListHeading = "%nOptions:%n",
    usageHelpAutoWidth = true,
    header = "Compare storing incoming messages through the SDK with plain JDBC.",
    description = {
      "Stores the same realistic messages (500 users in 200 group chats, Russian and English texts of 20-400"
          + " characters) from T threads twice, each caller waiting until its message is committed:",
      "  baseline  plain JDBC, one transaction per message: upsert the user, upsert the chat, insert the message"
          + " (ON CONFLICT DO NOTHING), commit; prepared statements on a HikariCP pool;",
      "  sdk       GroupCommitRecorder, which groups concurrent callers' messages into one transaction.",
      "Both paths use a pool of the same size, are warmed up first (not counted) and start from empty tables.",
      "Each path is measured R times (rounds), the two alternating which goes first.",
      "Everything happens in a schema bench_XXXXXXXX created, migrated and dropped by the run (the database"
          + " user needs CREATE on the database); nothing else in the database is touched."
    },
    footerHeading = "%nOutput (stdout), one 'key: value' line each; progress goes to stderr:%n",
    footer = {
      "  messages, threads, rounds what was run (messages per round and path)",
      "  baseline_msgs_per_s      baseline throughput, the median of the rounds",
      "  sdk_msgs_per_s           SDK throughput, the median of the rounds",
      "  ratio                    sdk_msgs_per_s / baseline_msgs_per_s",
      "  ratio_min, ratio_max     the lowest and highest ratio of one round's two runs",
      "  baseline_p50_ms, _p99_ms baseline latency per message, call to durable return, all rounds together",
      "  p50_ms, p99_ms           the same for the SDK",
      "  avg_batch                messages per group-commit transaction",
      "",
      "Exit codes: 0 done; 1 the database could not be reached or a run failed; 2 a usage error."
    })
final class BenchStorageCommand implements Callable<Integer> {
  @ParentCommand private BenchCommand bench;

  @Option(
      names = "--database-url",
      paramLabel = "URL",
      required = true,
      description = "The PostgreSQL database: jdbc:postgresql://HOST:PORT/DB?user=U&password=P or"
          + " postgres://U:P@HOST:PORT/DB. Required (DATABASE_URL is not used: a benchmark should not land on a"
          + " database by accident). The password is never printed.")
  private String databaseUrl;

  @Option(
      names = "--messages",
      paramLabel = "N",
      description = "Messages per path and round (default ${DEFAULT-VALUE}).")
  private int messages = 20_000;

  @Option(
      names = "--threads",
      paramLabel = "T",
      description = "Caller threads per path (default ${DEFAULT-VALUE}).")
  private int threads = 16;

  @Option(
      names = "--warmup",
      paramLabel = "N",
      description = "Messages per path before measuring, not counted (default ${DEFAULT-VALUE}).")
  // 1,000 left the JIT compiling through the measured runs (C2 took up to a core for seconds), which cost the SDK's
  // short run more than the baseline's long one; from 10,000 on the figures are steady.
  private int warmup = 10_000;

  @Option(
      names = "--rounds",
      paramLabel = "R",
      description = "Measured runs of each path, alternating which goes first; rates are the rounds' medians"
          + " (default ${DEFAULT-VALUE}).")
  // One run of each varied by a third from one run to the next on this 2-core machine (the ratio between 1.4 and
  // 2.0 on one build, minutes apart): paired rounds and their median are steadier than one longer run.
  private int rounds = 3;

  // 10 is MyBatisStorage's default pool, and of 2, 4, 10 and 16 the size at which the baseline ran fastest.
  @Option(
      names = "--pool-size",
      paramLabel = "N",
      description = "Connections in each path's pool, the same for both (default ${DEFAULT-VALUE}, the SDK's default"
          + " pool; the group commit itself uses one).")
  private int poolSize = 10;

  @Option(
      names = "--linger-ms",
      paramLabel = "MS",
      description = "GroupCommitRecorder linger: how long a batch waits for more messages (default ${DEFAULT-VALUE}).")
  private int lingerMs = 2;

  @Option(
      names = "--max-batch",
      paramLabel = "N",
      description = "GroupCommitRecorder maxBatch: most messages per transaction (default ${DEFAULT-VALUE}).")
  private int maxBatch = 256;

  @Option(
      names = "--writers",
      paramLabel = "N",
      description = "GroupCommitRecorder writers: batches written at the same time (default ${DEFAULT-VALUE}).")
  private int writers = 2;

  @Override
  public Integer call() throws Exception {
    Io io = bench.io();
    DatabaseUrlOption url;
    MyBatisStorage admin;
    try {
      checkOptions();
      url = DatabaseUrlOption.resolve(databaseUrl);
      admin = url.open(1);
    } catch (UsageFailure e) {
      io.err().println("tgsupport bench storage: " + e.getMessage());
      return UsageFailure.EXIT_CODE;
    }
    StorageBench.Settings settings =
        new StorageBench.Settings(messages, threads, warmup, poolSize, Duration.ofMillis(lingerMs), maxBatch,
            writers, rounds);
    io.err().println("bench: " + messages + " messages, " + rounds + " rounds, " + threads + " threads, pool "
        + poolSize + ", linger " + lingerMs + " ms, max batch " + maxBatch + ", " + writers + " writers, on "
        + url.display());
    StorageBench.Result result;
    try (admin) {
      result = new StorageBench(databaseUrl, settings, io.err()).run(admin);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TgSupportCli.CliFailure("interrupted");
    } catch (Exception e) {
      throw new TgSupportCli.CliFailure("failed on " + url.display() + ": " + url.failure(e));
    }
    PrintWriter out = io.out();
    for (String line : result.lines()) {
      out.println(line);
    }
    out.flush();
    return 0;
  }

  private void checkOptions() {
    check(messages >= 1 && messages <= 10_000_000, "--messages must be in 1..10000000, was " + messages);
    check(threads >= 1 && threads <= 512, "--threads must be in 1..512, was " + threads);
    check(rounds >= 1 && rounds <= 100, "--rounds must be in 1..100, was " + rounds);
    check(warmup >= 0 && warmup <= 1_000_000, "--warmup must be in 0..1000000, was " + warmup);
    check(poolSize >= 1 && poolSize <= 200, "--pool-size must be in 1..200, was " + poolSize);
    check(lingerMs >= 0 && lingerMs <= 1000, "--linger-ms must be in 0..1000, was " + lingerMs);
    check(maxBatch >= 1 && maxBatch <= 2000, "--max-batch must be in 1..2000, was " + maxBatch);
    check(writers >= 1 && writers <= 16, "--writers must be in 1..16, was " + writers);
  }

  private static void check(boolean ok, String problem) {
    if (!ok) {
      throw new UsageFailure(problem);
    }
  }
}
