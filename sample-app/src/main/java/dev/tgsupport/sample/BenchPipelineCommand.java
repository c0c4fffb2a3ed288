package dev.tgsupport.sample;

import dev.tgsupport.storage.mybatis.MyBatisStorage;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code tgsupport bench pipeline}: the whole pipeline against the bare per-message database writes. */
@Command(
    name = "pipeline",
    mixinStandardHelpOptions = true,
    versionProvider = TgSupportCli.Version.class,
    sortOptions = false,
    optionListHeading = "%nOptions:%n",
    usageHelpAutoWidth = true,
    header = "Compare the whole pipeline of 'run' with plain JDBC writes of the same rows.",
    description = {
      "Replays a realistic mix of private-chat messages, seeded so every run sends the same ones: about 40%% noise"
          + " (greetings, thanks, +1, emoji, stickers), 40%% paraphrases of the bundled knowledge base's questions"
          + " and 20%% questions it cannot answer, in Russian and English. Then, in the same run:",
      "  pipeline  run's pipeline with its real text models (intents learned on the bundled MiniLM model, hybrid"
          + " knowledge lookup over an in-process HNSW index, the demo's noise filter) and a reply gateway that"
          + " returns at once, on --storage;",
      "  baseline  plain JDBC on PostgreSQL, one transaction per message writing the rows the pipeline wrote for"
          + " it: upsert the user, upsert the chat, insert the message, and the ticket and its outbox row where the"
          + " pipeline opened one.",
      "Both use T threads, each chat's messages on one thread in order, are warmed up first (not counted) and"
          + " start from empty tables. The baseline always needs PostgreSQL, so a database is required even with"
          + " --storage memory. Everything happens in a schema bench_XXXXXXXX created, migrated and dropped by the"
          + " run (the database user needs CREATE on the database); nothing else in the database is touched.",
      "The mix and what the pipeline made of it are told on stderr."
    },
    footerHeading = "%nOutput (stdout), one 'key: value' line each; progress goes to stderr on a terminal:%n",
    footer = {
      "  messages                 messages measured",
      "  pipeline_msgs_per_s      pipeline throughput",
      "  baseline_msgs_per_s      baseline throughput",
      "  ratio                    pipeline_msgs_per_s / baseline_msgs_per_s",
      "  p50_ms, p99_ms           pipeline latency per message, call to outcome",
      "  stage_<name>_share       one line per stage (record, noise, followup,",
      "                           intent, knowledge, ticket) and finish (after",
      "                           the stages: the reply handed over, verdicts and",
      "                           reply stored): its share of the summed self-time",
      "",
      "Exit codes: 0 done; 1 the database could not be reached or a run failed; 2 a usage error."
    })
final class BenchPipelineCommand implements Callable<Integer> {
  private static final String PROGRAM = "tgsupport bench pipeline";

  @ParentCommand private BenchCommand bench;

  @Option(
      names = "--storage",
      paramLabel = "KIND",
      description = "Where the pipeline stores: postgres (default: the database of --database-url) or memory. The"
          + " baseline is on PostgreSQL either way.")
  private String storage = "postgres";

  @Option(
      names = "--database-url",
      paramLabel = "URL",
      description = "The PostgreSQL database: jdbc:postgresql://HOST:PORT/DB?user=U&password=P or"
          + " postgres://U:P@HOST:PORT/DB; default DATABASE_URL. Required: the baseline needs it. The password is"
          + " never printed.")
  private String databaseUrl;

  @Option(
      names = "--messages",
      paramLabel = "N",
      description = "Messages measured (default ${DEFAULT-VALUE}).")
  private int messages = 2_000;

  @Option(
      names = "--threads",
      paramLabel = "T",
      description = "Worker threads, as run's dispatcher (default ${DEFAULT-VALUE}).")
  private int threads = 2;

  @Option(
      names = "--warmup",
      paramLabel = "N",
      description = "Messages before measuring, other users, not counted (default ${DEFAULT-VALUE}).")
  private int warmup = 300;

  @Option(
      names = "--inference-threads",
      paramLabel = "N",
      description = "Cores the bundled model uses for one text; 0 shares the JVM-wide session, which uses them all"
          + " (default ${DEFAULT-VALUE}, as run).")
  private int inferenceThreads = 1;

  // run's pool size; the baseline gets a pool of the same size.
  private static final int POOL_SIZE = 10;

  @Override
  public Integer call() throws Exception {
    Io io = bench.io();
    PrintWriter err = io.err();
    String rawUrl;
    DatabaseUrlOption url;
    MyBatisStorage admin;
    boolean memory;
    try {
      memory = storageKind();
      checkOptions();
      rawUrl = databaseUrl != null ? databaseUrl : bench.env().get(DatabaseUrlOption.ENV);
      url = resolveUrl();
      admin = url.open(1);
    } catch (UsageFailure e) {
      err.println(PROGRAM + ": " + e.getMessage());
      err.flush();
      return UsageFailure.EXIT_CODE;
    }
    BenchPipeline.Settings settings = new BenchPipeline.Settings(memory, messages, threads, warmup, POOL_SIZE,
        inferenceThreads);
    err.println("bench: " + messages + " messages, " + threads + " threads, warm-up " + warmup + ", pipeline on "
        + (memory ? "memory" : "PostgreSQL") + ", baseline on PostgreSQL " + url.display());
    err.flush();
    BenchPipeline.Result result;
    try (admin) {
      result = new BenchPipeline(settings, io.interactive() ? err : null).run(rawUrl.strip(), admin, err);
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

  private boolean storageKind() {
    String kind = storage.strip().toLowerCase(Locale.ROOT);
    if (kind.equals("memory")) {
      return true;
    }
    if (kind.equals("postgres")) {
      return false;
    }
    throw new UsageFailure("--storage must be memory or postgres, was '" + storage + "'");
  }

  private DatabaseUrlOption resolveUrl() {
    if (databaseUrl != null) {
      return DatabaseUrlOption.resolve(databaseUrl);
    }
    String fromEnv = bench.env().get(DatabaseUrlOption.ENV);
    if (fromEnv == null || fromEnv.isBlank()) {
      throw new UsageFailure("no database: give --database-url URL or set " + DatabaseUrlOption.ENV
          + " (the baseline writes to PostgreSQL, also with --storage memory)");
    }
    return DatabaseUrlOption.fromVariable(DatabaseUrlOption.ENV, fromEnv);
  }

  private void checkOptions() {
    check(messages >= 1 && messages <= 1_000_000, "--messages must be in 1..1000000, was " + messages);
    check(threads >= 1 && threads <= 64, "--threads must be in 1..64, was " + threads);
    check(warmup >= 0 && warmup <= 100_000, "--warmup must be in 0..100000, was " + warmup);
    check(inferenceThreads >= 0 && inferenceThreads <= 64,
        "--inference-threads must be in 0..64, was " + inferenceThreads);
  }

  private static void check(boolean ok, String problem) {
    if (!ok) {
      throw new UsageFailure(problem);
    }
  }
}
