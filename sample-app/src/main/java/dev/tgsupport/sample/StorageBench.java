package dev.tgsupport.sample;

import dev.tgsupport.core.model.Chat;
import dev.tgsupport.core.model.ChatType;
import dev.tgsupport.core.model.IncomingMessage;
import dev.tgsupport.core.model.MessageType;
import dev.tgsupport.core.model.TelegramUser;
import dev.tgsupport.sample.BenchLoop.Timing;
import dev.tgsupport.storage.mybatis.GroupCommitRecorder;
import dev.tgsupport.storage.mybatis.MyBatisStorage;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * The storage benchmark behind {@code tgsupport bench storage}: the same messages stored by T threads through a
 * plain-JDBC baseline (one transaction per message, three prepared statements) and through the SDK's
 * {@link GroupCommitRecorder}, in a schema of their own that is created, migrated and dropped here.
 */
final class StorageBench {
  private static final Pattern SCHEMA = Pattern.compile("bench_[a-z0-9]{8}");
  private static final int USERS = 500;
  private static final int CHATS = 200;

  // The statements of UserMapper.upsert, ChatMapper.upsert and MessageMapper.insert (which returns the whole row
  // where this returns only the id).
  static final String UPSERT_USER = "INSERT INTO users (id, username, first_name, last_name, language_code)"
      + " VALUES (?, ?, ?, ?, ?)"
      + " ON CONFLICT (id) DO UPDATE SET username = EXCLUDED.username, first_name = EXCLUDED.first_name,"
      + " last_name = EXCLUDED.last_name, language_code = EXCLUDED.language_code, deleted_at = NULL"
      + " WHERE (users.username, users.first_name, users.last_name, users.language_code, users.deleted_at)"
      + " IS DISTINCT FROM (EXCLUDED.username, EXCLUDED.first_name, EXCLUDED.last_name, EXCLUDED.language_code,"
      + " NULL::timestamptz)";
  static final String UPSERT_CHAT = "INSERT INTO chats (id, type, title) VALUES (?, ?, ?)"
      + " ON CONFLICT (id) DO UPDATE SET type = EXCLUDED.type, title = EXCLUDED.title, deleted_at = NULL"
      + " WHERE (chats.type, chats.title, chats.deleted_at)"
      + " IS DISTINCT FROM (EXCLUDED.type, EXCLUDED.title, NULL::timestamptz)";
  private static final String INSERT_MESSAGE = "INSERT INTO messages (chat_id, telegram_message_id, direction,"
      + " user_id, thread_id, reply_to_message_id, message_type, text, stripped_nul_count, sent_at)"
      + " VALUES (?, ?, 'in', ?, ?, ?, ?, ?, 0, ?)"
      + " ON CONFLICT ON CONSTRAINT messages_key DO NOTHING RETURNING id";

  /** What to run. */
  record Settings(
      int messages, int threads, int warmup, int poolSize, Duration linger, int maxBatch, int writers, int rounds) {}

  /**
   * What came out; {@link #lines()} is the command's output.
   *
   * @param baselineRate the median of the rounds' baseline rates
   * @param sdkRate the median of the rounds' SDK rates
   * @param ratioMin the lowest of the rounds' own SDK/baseline ratios
   * @param ratioMax the highest of them
   */
  record Result(
      int messages,
      int threads,
      int rounds,
      double baselineRate,
      double sdkRate,
      double ratioMin,
      double ratioMax,
      double baselineP50Ms,
      double baselineP99Ms,
      double sdkP50Ms,
      double sdkP99Ms,
      double averageBatch) {

    List<String> lines() {
      return List.of(
          "messages: " + messages,
          "threads: " + threads,
          "rounds: " + rounds,
          "baseline_msgs_per_s: " + Math.round(baselineRate),
          "sdk_msgs_per_s: " + Math.round(sdkRate),
          "ratio: " + format(sdkRate / baselineRate),
          "ratio_min: " + format(ratioMin),
          "ratio_max: " + format(ratioMax),
          "baseline_p50_ms: " + format(baselineP50Ms),
          "baseline_p99_ms: " + format(baselineP99Ms),
          "p50_ms: " + format(sdkP50Ms),
          "p99_ms: " + format(sdkP99Ms),
          "avg_batch: " + String.format(Locale.ROOT, "%.1f", averageBatch));
    }

    private static String format(double value) {
      return String.format(Locale.ROOT, "%.2f", value);
    }
  }

  /** One way of storing a message, called from many threads. */
  private interface Path {
    void record(IncomingMessage message) throws Exception;
  }

  private final String url;
  private final Settings settings;
  private final PrintWriter progress;

  StorageBench(String url, Settings settings, PrintWriter progress) {
    this.url = url;
    this.settings = settings;
    this.progress = progress;
  }

  /**
   * Creates the schema, runs both paths and drops the schema again.
   *
   * @param admin a storage on the database (no schema), used for DDL only
   */
  Result run(MyBatisStorage admin) throws Exception {
    String schema = "bench_" + Long.toString(new Random().nextLong() & Long.MAX_VALUE, 36)
        .concat("00000000").substring(0, 8);
    if (!SCHEMA.matcher(schema).matches()) {
      throw new IllegalStateException("bad schema name " + schema);
    }
    List<IncomingMessage> warmup = new Workload(42).messages(settings.warmup());
    List<IncomingMessage> measured = new Workload(7).messages(settings.messages());
    execute(admin.dataSource(), "CREATE SCHEMA " + schema);
    try {
      try (MyBatisStorage sdkStorage = storage(schema); MyBatisStorage baselineStorage = storage(schema)) {
        say("schema " + schema + " created; migrating");
        sdkStorage.migrations().up();
        // The baseline borrows the HikariCP pool the storage builds (same settings, same size) and nothing else:
        // its statements are plain JDBC.
        DataSource pool = baselineStorage.dataSource();
        Path baseline = m -> baseline(pool, m);
        try (GroupCommitRecorder recorder = GroupCommitRecorder.builder(sdkStorage)
            .linger(settings.linger())
            .maxBatch(settings.maxBatch())
            .writers(settings.writers())
            .build()) {
          Path sdk = recorder::record;
          say("warming up: " + warmup.size() + " messages per path");
          measure(admin, schema, "baseline warm-up", baseline, warmup);
          measure(admin, schema, "sdk warm-up", sdk, warmup);

          List<Timing> baselines = new ArrayList<>();
          List<Timing> mine = new ArrayList<>();
          GroupCommitRecorder.Stats before = recorder.stats();
          for (int round = 1; round <= settings.rounds(); round++) {
            // Alternating which path goes first keeps a drift of the machine (autovacuum, a neighbour, the JIT's
            // last compilations) from always landing on the same path.
            boolean sdkFirst = round % 2 == 0;
            String suffix = settings.rounds() == 1 ? "" : " " + round;
            if (sdkFirst) {
              mine.add(measure(admin, schema, "sdk" + suffix, sdk, measured));
            }
            baselines.add(measure(admin, schema, "baseline" + suffix, baseline, measured));
            if (!sdkFirst) {
              mine.add(measure(admin, schema, "sdk" + suffix, sdk, measured));
            }
          }
          GroupCommitRecorder.Stats after = recorder.stats();
          long batches = after.batches() - before.batches();
          double averageBatch = batches == 0 ? 0 : (double) (after.records() - before.records()) / batches;
          return result(baselines, mine, averageBatch);
        }
      }
    } finally {
      execute(admin.dataSource(), "DROP SCHEMA IF EXISTS " + schema + " CASCADE");
      say("schema " + schema + " dropped");
    }
  }

  /** One measured run of a path, on emptied tables. */
  private Timing measure(MyBatisStorage admin, String schema, String name, Path path, List<IncomingMessage> messages)
      throws Exception {
    truncate(admin.dataSource(), schema);
    return time(name, path, messages);
  }

  /** Rates are the rounds' medians; latencies are those of every round together. */
  private Result result(List<Timing> baselines, List<Timing> mine, double averageBatch) {
    double[] ratios = new double[mine.size()];
    for (int i = 0; i < ratios.length; i++) {
      ratios[i] = mine.get(i).rate() / baselines.get(i).rate();
    }
    Timing base = BenchLoop.pooled(baselines);
    Timing sdk = BenchLoop.pooled(mine);
    return new Result(settings.messages(), settings.threads(), settings.rounds(), BenchLoop.medianRate(baselines),
        BenchLoop.medianRate(mine), Arrays.stream(ratios).min().orElse(0), Arrays.stream(ratios).max().orElse(0),
        base.percentileMs(0.50), base.percentileMs(0.99), sdk.percentileMs(0.50), sdk.percentileMs(0.99),
        averageBatch);
  }

  private MyBatisStorage storage(String schema) {
    return MyBatisStorage.builder().url(url).schema(schema).maximumPoolSize(settings.poolSize()).build();
  }

  private Timing time(String name, Path path, List<IncomingMessage> messages) throws Exception {
    int n = messages.size();
    Timing run = BenchLoop.run(name, n, BenchLoop.shared(n, settings.threads()), i -> path.record(messages.get(i)));
    say(String.format(Locale.ROOT, "%s: %d messages in %.2f s, %.0f msgs/s, p50 %.2f ms, p99 %.2f ms", name, n,
        run.wallNanos() / 1e9, run.rate(), run.percentileMs(0.5), run.percentileMs(0.99)));
    return run;
  }

  /** The baseline: what an application writes by hand, one transaction per message. */
  private static void baseline(DataSource pool, IncomingMessage m) throws SQLException {
    try (Connection c = pool.getConnection()) {
      c.setAutoCommit(false);
      try {
        TelegramUser u = m.user();
        upsertUserAndChat(c, m);
        try (PreparedStatement s = c.prepareStatement(INSERT_MESSAGE)) {
          s.setLong(1, m.chat().id());
          s.setLong(2, m.telegramMessageId());
          s.setLong(3, u.id());
          setLong(s, 4, m.threadId());
          setLong(s, 5, m.replyToMessageId());
          s.setString(6, m.type().wireName());
          s.setString(7, m.text());
          s.setObject(8, OffsetDateTime.ofInstant(m.date(), ZoneOffset.UTC));
          try (ResultSet rs = s.executeQuery()) {
            rs.next();
          }
        }
        c.commit();
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    }
  }

  /** The baseline's first two statements, which bench pipeline's baseline shares. */
  static void upsertUserAndChat(Connection c, IncomingMessage m) throws SQLException {
    TelegramUser u = m.user();
    try (PreparedStatement s = c.prepareStatement(UPSERT_USER)) {
      s.setLong(1, u.id());
      s.setString(2, u.username());
      s.setString(3, u.firstName());
      s.setString(4, u.lastName());
      s.setString(5, u.languageCode());
      s.executeUpdate();
    }
    try (PreparedStatement s = c.prepareStatement(UPSERT_CHAT)) {
      s.setLong(1, m.chat().id());
      s.setString(2, m.chat().type().wireName());
      s.setString(3, m.chat().title());
      s.executeUpdate();
    }
  }

  private static void setLong(PreparedStatement s, int index, Long value) throws SQLException {
    if (value == null) {
      s.setNull(index, Types.BIGINT);
    } else {
      s.setLong(index, value);
    }
  }

  private void truncate(DataSource admin, String schema) throws SQLException {
    execute(admin, "TRUNCATE " + schema + ".messages, " + schema + ".chats, " + schema + ".users"
        + " RESTART IDENTITY CASCADE");
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
    progress.println("bench: " + line);
    progress.flush();
  }

  /**
   * Support traffic: 500 users (60% writing Russian) in 200 group chats, texts of 20–400 characters, Telegram ids
   * counting up per chat. Seeded, so every run stores the same messages.
   */
  static final class Workload {
    private static final String[] RU = ("здравствуйте не приходит код подтверждения по смс приложение вылетает при"
        + " входе подскажите пожалуйста как сбросить пароль оплата прошла но подписка не активна выгрузить задачи в"
        + " csv не работает уведомления перестали приходить после обновления добавить коллегу в пространство ошибка"
        + " синхронизации календаря спасибо заранее срочно помогите вчера всё работало сегодня снова проблема")
        .split(" ");
    private static final String[] EN = ("hello the verification code never arrives app crashes on login could you"
        + " please tell me how to reset my password payment went through but the plan is not active export tasks to"
        + " csv does not work notifications stopped after the update invite a teammate to the workspace calendar"
        + " sync error thanks in advance urgent it worked yesterday same problem again today").split(" ");

    private final Random random;
    private final TelegramUser[] users = new TelegramUser[USERS];
    private final Chat[] chats = new Chat[CHATS];
    private final long[] lastId = new long[CHATS];

    Workload(long seed) {
      this.random = new Random(seed);
      Random names = new Random(1);
      for (int i = 0; i < USERS; i++) {
        boolean russian = names.nextInt(10) < 6;
        users[i] = TelegramUser.of(100_000 + i, "user" + i, (russian ? "Пользователь " : "User ") + i,
            names.nextBoolean() ? null : "L" + i, russian ? "ru" : "en");
      }
      for (int i = 0; i < CHATS; i++) {
        chats[i] = Chat.of(-1_001_000_000_000L - i, ChatType.SUPERGROUP, "Support group " + i);
      }
    }

    List<IncomingMessage> messages(int count) {
      List<IncomingMessage> out = new ArrayList<>(count);
      Instant t = Instant.parse("2026-11-23T10:00:00Z");
      for (int i = 0; i < count; i++) {
        int u = random.nextInt(USERS);
        // A user mostly writes in one chat, sometimes in another.
        int c = random.nextInt(10) == 0 ? random.nextInt(CHATS) : u % CHATS;
        TelegramUser user = users[u];
        String text = text("ru".equals(user.languageCode()) ? RU : EN, 20 + random.nextInt(381));
        out.add(new IncomingMessage(chats[c], user, ++lastId[c], null, null, MessageType.TEXT, text,
            t.plusMillis(i * 10L)));
      }
      return out;
    }

    private String text(String[] words, int length) {
      StringBuilder b = new StringBuilder(length + 16);
      while (b.length() < length) {
        if (b.length() > 0) {
          b.append(random.nextInt(8) == 0 ? ". " : " ");
        }
        b.append(words[random.nextInt(words.length)]);
      }
      b.setLength(length);
      if (b.charAt(length - 1) == ' ') {
        b.setCharAt(length - 1, '.');
      }
      return b.toString();
    }
  }
}
