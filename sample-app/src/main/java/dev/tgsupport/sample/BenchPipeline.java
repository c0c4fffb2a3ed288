package dev.tgsupport.sample;

import dev.tgsupport.core.memory.InMemoryStorage;
import dev.tgsupport.core.model.IncomingMessage;
import dev.tgsupport.core.model.KnowledgeDraft;
import dev.tgsupport.core.model.OutgoingMessage;
import dev.tgsupport.core.model.SentMessage;
import dev.tgsupport.core.model.TelegramUser;
import dev.tgsupport.core.pipeline.Outcome;
import dev.tgsupport.core.pipeline.Pipeline;
import dev.tgsupport.core.port.Embedder;
import dev.tgsupport.core.port.ReplyGateway;
import dev.tgsupport.core.port.Transactions;
import dev.tgsupport.knowledge.embed.CachingEmbedder;
import dev.tgsupport.knowledge.embed.LocalEmbedder;
import dev.tgsupport.knowledge.hnsw.HnswKnowledgeIndex;
import dev.tgsupport.metrics.PipelineMetrics;
import dev.tgsupport.sample.BenchLoop.Timing;
import dev.tgsupport.sample.BenchPipelineMix.Item;
import dev.tgsupport.storage.mybatis.GroupCommitRecorder;
import dev.tgsupport.storage.mybatis.MyBatisStorage;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * The benchmark behind {@code tgsupport bench pipeline}: a realistic mix ({@link BenchPipelineMix}) through the whole
 * pipeline of {@code run} (learned intents, hybrid knowledge over the bundled MiniLM model and an in-process HNSW
 * index, the demo's noise filter) with a reply gateway that returns at once, and the same rows written by plain JDBC,
 * one transaction per message, as the baseline. Both run in a schema of their own, created, migrated and dropped here.
 */
final class BenchPipeline {
  /** The pseudo-stage after the stages: the reply handed to the gateway, then the verdicts and the reply stored. */
  static final String FINISH = "finish";

  private static final Pattern SCHEMA = Pattern.compile("bench_[a-z0-9]{8}");
  private static final long MEASURED_USERS = 700_000_000L;
  private static final long WARMUP_USERS = 800_000_000L;

  // The user and chat upserts are StorageBench's (its upsertUserAndChat); then MessageMapper.insert
  // (without thread and reply, which this mix never has), TicketMapper.open and OutboxMapper.enqueue.
  private static final String INSERT_MESSAGE = "INSERT INTO messages (chat_id, telegram_message_id, direction,"
      + " user_id, thread_id, reply_to_message_id, message_type, text, stripped_nul_count, sent_at)"
      + " VALUES (?, ?, 'in', ?, NULL, NULL, ?, ?, 0, ?)"
      + " ON CONFLICT ON CONSTRAINT messages_key DO NOTHING RETURNING id";
  private static final String INSERT_TICKET = "INSERT INTO tickets (message_id, chat_id, user_id, title)"
      + " VALUES (?, ?, ?, ?) ON CONFLICT ON CONSTRAINT tickets_message DO NOTHING RETURNING id";
  private static final String INSERT_OUTBOX = "INSERT INTO outbox (kind, payload, next_attempt_at)"
      + " VALUES ('ticket.create', ?::jsonb, ?) RETURNING id";

  /**
   * What to run.
   *
   * @param memory true for the pipeline on {@link InMemoryStorage}, false for PostgreSQL
   */
  record Settings(boolean memory, int messages, int threads, int warmup, int poolSize, int inferenceThreads) {}

  /**
   * What came out; {@link #lines()} is the command's output.
   *
   * @param shares each stage's share of the summed stage self-time, in pipeline order, {@link #FINISH} last
   */
  record Result(int messages, double pipelineRate, double baselineRate, double p50Ms, double p99Ms,
      Map<String, Double> shares) {
    List<String> lines() {
      List<String> lines = new ArrayList<>();
      lines.add("messages: " + messages);
      lines.add("pipeline_msgs_per_s: " + Math.round(pipelineRate));
      lines.add("baseline_msgs_per_s: " + Math.round(baselineRate));
      lines.add("ratio: " + format(pipelineRate / baselineRate));
      lines.add("p50_ms: " + format(p50Ms));
      lines.add("p99_ms: " + format(p99Ms));
      shares.forEach((stage, share) -> lines.add("stage_" + stage + "_share: " + format(share)));
      return lines;
    }

    private static String format(double value) {
      return String.format(Locale.ROOT, "%.2f", value);
    }
  }

  /**
   * The measured pipeline run.
   *
   * @param stageNanos self time per stage (and {@link #FINISH}) over the measured messages
   * @param tickets for each message, whether the pipeline opened a ticket for it
   */
  record PipelineRun(Timing timing, Map<String, Long> stageNanos, Map<Outcome.Kind, Integer> outcomes,
      boolean[] tickets) {
    /** Each stage's fraction of the summed self time. */
    Map<String, Double> shares() {
      long total = stageNanos.values().stream().mapToLong(Long::longValue).sum();
      Map<String, Double> shares = new LinkedHashMap<>();
      stageNanos.forEach((stage, nanos) -> shares.put(stage, total == 0 ? 0.0 : (double) nanos / total));
      return shares;
    }
  }

  /** The text models of {@code run}: the bundled model behind its cache, and an in-process HNSW index. */
  static final class Models implements AutoCloseable {
    private final LocalEmbedder local;
    private final Embedder embedder;
    private final HnswKnowledgeIndex index;

    Models() {
      this(0);
    }

    /** @param inferenceThreads as {@link LocalEmbedder#create(int, int)}; 0 for the JVM-wide session */
    Models(int inferenceThreads) {
      local = LocalEmbedder.create(Runtime.getRuntime().availableProcessors(), inferenceThreads);
      embedder = CachingEmbedder.of(local);
      index = HnswKnowledgeIndex.create(local.dimension());
    }

    @Override
    public void close() {
      index.close();
      local.close();
    }
  }

  /** Telegram answering at once: we measure the SDK, not the network. */
  static final class InstantReplies implements ReplyGateway {
    private final AtomicLong nextId = new AtomicLong(1_000_000);

    @Override
    public SentMessage send(OutgoingMessage message) {
      return new SentMessage(message.chatId(), nextId.incrementAndGet(), Instant.now());
    }

    @Override
    public void edit(long chatId, long telegramMessageId, String text) {}

    long sent() {
      return nextId.get() - 1_000_000;
    }
  }

  private final Settings settings;
  private final PrintWriter progress;

  /** @param progress where to say what is happening, or null for silence */
  BenchPipeline(Settings settings, PrintWriter progress) {
    this.settings = settings;
    this.progress = progress;
  }

  /** The warm-up messages: other users than the measured ones, so no flood count carries over. */
  static List<Item> warmupItems(int count, List<KnowledgeDraft> knowledge) {
    return new BenchPipelineMix(42, WARMUP_USERS, knowledge).items(count);
  }

  /** The measured messages, the same every run. */
  static List<Item> measuredItems(int count, List<KnowledgeDraft> knowledge) {
    return new BenchPipelineMix(7, MEASURED_USERS, knowledge).items(count);
  }

  /**
   * Creates the schema, runs the pipeline and the baseline, and drops the schema again.
   *
   * @param url the database, as given
   * @param admin a storage on the database, used for DDL only
   * @param report where the mix and the outcomes are told, always
   */
  Result run(String url, MyBatisStorage admin, PrintWriter report) throws Exception {
    String schema = "bench_" + Long.toString(new Random().nextLong() & Long.MAX_VALUE, 36)
        .concat("00000000").substring(0, 8);
    if (!SCHEMA.matcher(schema).matches()) {
      throw new IllegalStateException("bad schema name " + schema);
    }
    List<KnowledgeDraft> knowledge = DemoBot.bundledKnowledge();
    List<Item> warmup = warmupItems(settings.warmup(), knowledge);
    List<Item> measured = measuredItems(settings.messages(), knowledge);
    report.println("bench: mix: " + BenchPipelineMix.describe(measured));
    report.flush();
    execute(admin.dataSource(), "CREATE SCHEMA " + schema);
    try (MyBatisStorage baselineStorage = storage(url, schema)) {
      report.println("bench: schema " + schema + " created; migrating");
      report.flush();
      baselineStorage.migrations().up();
      Runnable clean = () -> truncate(admin.dataSource(), schema);
      PipelineRun pipelineRun;
      say("loading the bundled embedding model");
      try (Models models = new Models(settings.inferenceThreads())) {
        if (settings.memory()) {
          pipelineRun = runPipeline(InMemoryStorage.create(), models, knowledge, warmup, measured, () -> {});
        } else {
          try (MyBatisStorage pipelineStorage = storage(url, schema)) {
            pipelineRun = runPipeline(pipelineStorage, models, knowledge, warmup, measured, clean);
          }
        }
      }
      report.println("bench: outcomes: " + describe(pipelineRun.outcomes()));
      report.println("bench: self time per message: " + perMessage(pipelineRun.stageNanos(), measured.size()));
      report.flush();
      clean.run();
      Timing baseline = runBaseline(baselineStorage.dataSource(), warmup, measured, pipelineRun.tickets(), clean);
      Timing p = pipelineRun.timing();
      return new Result(settings.messages(), p.rate(), baseline.rate(), p.percentileMs(0.50),
          p.percentileMs(0.99), pipelineRun.shares());
    } finally {
      execute(admin.dataSource(), "DROP SCHEMA IF EXISTS " + schema + " CASCADE");
      report.println("bench: schema " + schema + " dropped");
      report.flush();
    }
  }

  /**
   * The pipeline of {@code run} on {@code storage}: warms up on {@code warmup}, calls {@code clean}, then processes
   * {@code measured}, timing each message and each stage.
   */
  PipelineRun runPipeline(Transactions storage, Models models, List<KnowledgeDraft> knowledge, List<Item> warmup,
      List<Item> measured, Runnable clean) throws Exception {
    // As run does on PostgreSQL: incoming messages go through group commit.
    try (GroupCommitRecorder recorder = storage instanceof MyBatisStorage pg
        ? GroupCommitRecorder.builder(pg).build() : null) {
      return runPipeline(storage, recorder, models, knowledge, warmup, measured, clean);
    }
  }

  private PipelineRun runPipeline(Transactions storage, GroupCommitRecorder recorder, Models models,
      List<KnowledgeDraft> knowledge, List<Item> warmup, List<Item> measured, Runnable clean) throws Exception {
    MeterRegistry registry = new SimpleMeterRegistry();
    InstantReplies replies = new InstantReplies();
    Pipeline.Builder builder = DemoBot.hybrid(DemoBot.builder(storage), models.embedder, models.index)
        .listener(PipelineMetrics.bind(registry))
        .replyGateway(replies);
    if (recorder != null) {
      builder.recorder(recorder);
    }
    Pipeline pipeline = DemoBot.withKnowledge(builder.build(), knowledge);
    say("warming up: " + warmup.size() + " messages through the pipeline");
    time("pipeline warm-up", warmup, i -> pipeline.process(warmup.get(i).message()));
    clean.run();

    Map<String, Long> before = stageNanos(registry, pipeline.stageNames());
    Outcome.Kind[] kinds = new Outcome.Kind[measured.size()];
    Timing timing = time("pipeline", measured, i -> kinds[i] = pipeline.process(measured.get(i).message()).kind());
    Map<String, Long> after = stageNanos(registry, pipeline.stageNames());

    Map<String, Long> spent = new LinkedHashMap<>();
    after.forEach((stage, nanos) -> spent.put(stage, Math.max(0, nanos - before.getOrDefault(stage, 0L))));
    Map<Outcome.Kind, Integer> outcomes = new EnumMap<>(Outcome.Kind.class);
    boolean[] tickets = new boolean[kinds.length];
    for (int i = 0; i < kinds.length; i++) {
      outcomes.merge(kinds[i], 1, Integer::sum);
      tickets[i] = kinds[i] == Outcome.Kind.TICKET;
    }
    return new PipelineRun(timing, spent, outcomes, tickets);
  }

  /**
   * The baseline: what an application writes by hand for the same messages, one transaction each: the user, the
   * chat and the message, plus the ticket and its outbox row where the pipeline opened one ({@code tickets}).
   */
  Timing runBaseline(DataSource pool, List<Item> warmup, List<Item> measured, boolean[] tickets, Runnable clean)
      throws Exception {
    say("warming up: " + warmup.size() + " messages through the baseline");
    time("baseline warm-up", warmup,
        i -> baseline(pool, warmup.get(i).message(), warmup.get(i).kind() == BenchPipelineMix.Kind.TICKET));
    clean.run();
    return time("baseline", measured, i -> baseline(pool, measured.get(i).message(), tickets[i]));
  }

  /** Self time per stage in pipeline order, then {@link #FINISH}: what the messages took beyond their stages. */
  static Map<String, Long> stageNanos(MeterRegistry registry, List<String> stageNames) {
    Map<String, Long> nanos = new LinkedHashMap<>();
    for (String stage : stageNames) {
      nanos.put(stage, 0L);
    }
    long stages = 0;
    for (Timer t : registry.find("tgsupport.stage.duration").timers()) {
      long took = (long) t.totalTime(TimeUnit.NANOSECONDS);
      nanos.merge(t.getId().getTag("stage"), took, Long::sum);
      stages += took;
    }
    long messages = 0;
    for (Timer t : registry.find("tgsupport.message.duration").timers()) {
      messages += (long) t.totalTime(TimeUnit.NANOSECONDS);
    }
    nanos.put(FINISH, Math.max(0, messages - stages));
    return nanos;
  }

  /** Each stage's mean self time per measured message, for the stderr report: {@code record 1.20 ms, …}. */
  static String perMessage(Map<String, Long> stageNanos, int messages) {
    StringBuilder b = new StringBuilder();
    stageNanos.forEach((stage, nanos) -> b.append(b.length() == 0 ? "" : ", ").append(stage)
        .append(String.format(Locale.ROOT, " %.2f ms", nanos / 1e6 / Math.max(1, messages))));
    return b.toString();
  }

  static String describe(Map<Outcome.Kind, Integer> outcomes) {
    StringBuilder b = new StringBuilder();
    outcomes.forEach((kind, count) -> b.append(b.length() == 0 ? "" : ", ")
        .append(kind.name().toLowerCase(Locale.ROOT)).append(' ').append(count));
    return b.toString();
  }

  /** Messages of one chat go to one thread, in order. */
  private Timing time(String name, List<Item> items, BenchLoop.Step step) throws Exception {
    int n = items.size();
    int threads = settings.threads();
    // As run's dispatcher: one chat's messages on one thread, in order.
    List<List<Integer>> partitions = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      partitions.add(new ArrayList<>());
    }
    for (int i = 0; i < n; i++) {
      partitions.get((int) Math.floorMod(items.get(i).message().chat().id(), (long) threads)).add(i);
    }
    Timing timing = BenchLoop.run(name, n, BenchLoop.partitioned(partitions), step);
    if (n > 0) {
      say(String.format(Locale.ROOT, "%s: %d messages in %.2f s, %.0f msgs/s, p50 %.2f ms, p99 %.2f ms", name, n,
          timing.wallNanos() / 1e9, timing.rate(), timing.percentileMs(0.5), timing.percentileMs(0.99)));
    }
    return timing;
  }

  private static void baseline(DataSource pool, IncomingMessage m, boolean ticket) throws SQLException {
    try (Connection c = pool.getConnection()) {
      c.setAutoCommit(false);
      try {
        TelegramUser u = m.user();
        StorageBench.upsertUserAndChat(c, m);
        Long messageId = null;
        try (PreparedStatement s = c.prepareStatement(INSERT_MESSAGE)) {
          s.setLong(1, m.chat().id());
          s.setLong(2, m.telegramMessageId());
          s.setLong(3, u.id());
          s.setString(4, m.type().wireName());
          s.setString(5, m.text());
          s.setObject(6, OffsetDateTime.ofInstant(m.date(), ZoneOffset.UTC));
          try (ResultSet rs = s.executeQuery()) {
            if (rs.next()) {
              messageId = rs.getLong(1);
            }
          }
        }
        if (ticket && messageId != null) {
          openTicket(c, m, messageId);
        }
        c.commit();
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    }
  }

  private static void openTicket(Connection c, IncomingMessage m, long messageId) throws SQLException {
    long ticketId;
    try (PreparedStatement s = c.prepareStatement(INSERT_TICKET)) {
      s.setLong(1, messageId);
      s.setLong(2, m.chat().id());
      s.setLong(3, m.user().id());
      s.setString(4, title(m.text()));
      try (ResultSet rs = s.executeQuery()) {
        if (!rs.next()) {
          return;
        }
        ticketId = rs.getLong(1);
      }
    }
    try (PreparedStatement s = c.prepareStatement(INSERT_OUTBOX)) {
      s.setString(1, "{\"ticket_id\":" + ticketId + ",\"message_id\":" + messageId + ",\"chat_id\":"
          + m.chat().id() + ",\"user_id\":" + m.user().id() + "}");
      s.setObject(2, OffsetDateTime.now(ZoneOffset.UTC));
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
      }
    }
  }

  /** The ticket stage's title: the first line, at most 120 characters. */
  private static String title(String text) {
    String line = text.strip().replaceAll("\\s+", " ");
    return line.isEmpty() ? "[text]" : line.length() <= 120 ? line : line.substring(0, 119) + "…";
  }

  private MyBatisStorage storage(String url, String schema) {
    return MyBatisStorage.builder().url(url).schema(schema).maximumPoolSize(settings.poolSize()).build();
  }

  private void truncate(DataSource admin, String schema) {
    try {
      execute(admin, "TRUNCATE " + schema + ".outbox, " + schema + ".ticket_events, " + schema + ".tickets, "
          + schema + ".messages, " + schema + ".chats, " + schema + ".users RESTART IDENTITY CASCADE");
    } catch (SQLException e) {
      throw new IllegalStateException("cannot empty the tables of " + schema + ": " + e.getMessage(), e);
    }
    try {
      // Start each measured run with no dirty pages of the other one to write.
      execute(admin, "CHECKPOINT");
    } catch (SQLException e) {
      // Only superusers (and pg_checkpoint members) may; the runs are comparable without it.
    }
  }

  private static void execute(DataSource ds, String sql) throws SQLException {
    try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  private void say(String line) {
    if (progress != null) {
      progress.println("bench: " + line);
      progress.flush();
    }
  }
}
