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
      "Everything happens in a schema bench_XXXXXXXX created, migrated and dropped by the run (the database"
          + " user needs CREATE on the database); nothing else in the database is touched."
    },
    footerHeading = "%nOutput (stdout), one 'key: value' line each; progress goes to stderr:%n",
    footer = {
      "  messages, threads        what was run",
      "  baseline_msgs_per_s      baseline throughput",
      "  sdk_msgs_per_s           SDK throughput",
      "  ratio                    sdk_msgs_per_s / baseline_msgs_per_s",
      "  baseline_p50_ms, _p99_ms baseline latency per message, call to durable return",
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
      description = "Messages per path, measured (default ${DEFAULT-VALUE}).")
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
            writers);
    io.err().println("bench: " + messages + " messages, " + threads + " threads, pool " + poolSize + ", linger "
        + lingerMs + " ms, max batch " + maxBatch + ", " + writers + " writers, on " + url.display());
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
