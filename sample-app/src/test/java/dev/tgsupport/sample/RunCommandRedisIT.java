package dev.tgsupport.sample;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tgsupport.telegram.fake.FakeTelegramServer;
import dev.tgsupport.telegram.fake.SentMessage;
import dev.tgsupport.telegram.fake.UpdateSamples;
import java.time.Duration;
import java.util.HashMap;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code tgsupport run} with {@code REDIS_URL}, as users run it (the packaged jar, stopped with SIGTERM), against the
 * fake Telegram and the test Redis; each test keeps its keys under a prefix of its own.
 */
class RunCommandRedisIT {
  private static final Duration START = Duration.ofSeconds(120);
  private static final String PASSWORD = "s3cret-redis-pass";

  private FakeTelegramServer fake;
  private String prefix;

  @BeforeEach
  void start() {
    fake = FakeTelegramServer.start();
    prefix = TestRedis.prefix("run");
  }

  @AfterEach
  void stop() {
    fake.close();
    TestRedis.deleteKeys(prefix);
  }

  private Map<String, String> env(String... more) {
    // Port 0: several bots may run at once here; each takes a free port for its metrics and health.
    Map<String, String> env = new HashMap<>(Map.of("TGSUPPORT_HTTP_PORT", "0", "TELEGRAM_BOT_TOKEN", fake.token(),
        "TELEGRAM_API_URL",
        fake.baseUrl(), "REDIS_URL", TestRedis.url(), "TGSUPPORT_REDIS_PREFIX", prefix));
    env.putAll(BotSettingsTest.map(more));
    return env;
  }

  private static void assertNoSecretsOrTraces(JarProcess p) {
    String all = p.out() + p.err();
    assertThat(all).doesNotContain(BotSettingsTest.SECRET_PART).doesNotContain(PASSWORD).doesNotContain("\tat ")
        .doesNotContain("Exception").doesNotContain("WARN");
  }

  /** Entries on the work queue's streams (acknowledged entries stay until the length cap trims them). */
  private long queued() {
    long n = 0;
    for (int p = 0; p < 16; p++) {
      n += TestRedis.raw().xlen(prefix + "queue:" + p);
    }
    return n;
  }

  private String redisLine() {
    return "tgsupport run: redis: " + RedisUrlOption.of("REDIS_URL", TestRedis.url()).display() + " (REDIS_URL is"
        + " set): shared rate limits, flood counters, dialog state and work queue; key prefix " + prefix;
  }

  /** Polling with Redis: each update goes through the stream, is answered by this process, and SIGTERM exits 0. */
  @Test
  void pollingWithRedisAnswersThroughTheWorkQueueAndStopsOnSigterm() throws Exception {
    try (JarProcess p = JarProcess.start(env(), "run", "--storage", "memory")) {
      p.awaitErr(l -> l.startsWith("tgsupport run: running"), START);
      fake.enqueue(UpdateSamples.privateText(1, 42, 10, "привет"));
      fake.enqueue(UpdateSamples.privateText(2, 42, 11, "How do I reset my password?"));

      List<SentMessage> sent = fake.awaitSentMessages(1, Duration.ofSeconds(30));
      assertThat(sent).singleElement().satisfies(m -> {
        assertThat(m.text()).contains("Forgot password");
        assertThat(m.replyToMessageId()).isEqualTo(11);
      });
      assertThat(queued()).as("both updates went through the Redis stream").isEqualTo(2);
      assertThat(TestRedis.keys(prefix)).as("the noise filter counts on Redis")
          .anyMatch(k -> k.startsWith(prefix + "flood:"));

      p.terminate();
      assertThat(p.waitFor(Duration.ofSeconds(60))).as(p.err()).isZero();
      assertThat(fake.confirmedUpTo()).isEqualTo(2);
      assertThat(fake.sentMessages()).hasSize(1);
      assertThat(p.out()).isEmpty();
      // The HTTP port is a free one; the rest of the start-up report is exact.
      assertThat(p.errLines().stream().map(l -> l.replaceFirst("^tgsupport run: http: port \\d+:", "tgsupport run: http: port N:"))
          .toList()).containsExactly(
          "tgsupport run: knowledge: 36 entries (the bundled demo base about Tasklane; --knowledge FILE for yours)",
          redisLine(),
          "tgsupport run: embedder: all-minilm-l6-v2-q, bundled, 384 dimensions, English only: other languages are"
              + " matched by words alone (TGSUPPORT_EMBEDDING_URL is not set)",
          "tgsupport run: vectors: in-process HNSW index, filled from storage at the first question (QDRANT_URL is"
              + " not set)",
          "tgsupport run: storage: memory (--storage memory): nothing is kept when the bot stops",
          "tgsupport run: note: the instances on one REDIS_URL share the work queue, so any of them may take a"
              + " message, but this storage is this process's own: give them all one DATABASE_URL",
          "tgsupport run: telegram: @" + UpdateSamples.BOT_USERNAME + " (" + UpdateSamples.BOT_ID + ") via "
              + fake.baseUrl() + " (TELEGRAM_API_URL); privacy mode on: in groups it sees only commands, replies to"
              + " it and mentions",
          "tgsupport run: knowledge lookup: hybrid, bm25 words + vectors (TGSUPPORT_LEXICAL is not set)",
          "tgsupport run: spam: built-in checks (TGSUPPORT_SPAM_SAMPLES is not set); spam is deleted when the bot"
              + " may; staff teach it with /spam and /notspam",
          "tgsupport run: kaiten: none (KAITEN_BASE_URL is not set): tickets stay in storage and the outbox waits",
          "tgsupport run: http: port N: /metrics, /health/live, /health/ready",
          "tgsupport run: mode: long polling (TGSUPPORT_MODE is not set; no webhook is set)",
          "tgsupport run: running; Ctrl-C or SIGTERM stops it after the messages in flight",
          "tgsupport run: stopping: finishing the messages in flight",
          "tgsupport run: stopped");
      assertNoSecretsOrTraces(p);
    }
  }

  /**
   * One poller and one worker (TGSUPPORT_ROLE=worker), each on a database schema of its own so that the rows show
   * who processed what: once they split the queue's partitions, both answer their share, and each chat once.
   */
  @Test
  void aWorkerTakesItsShareOfTheQueueThatThePollerFills() throws Exception {
    String receiverSchema = TestPostgres.createSchema("redis_recv");
    String workerSchema = TestPostgres.createSchema("redis_work");
    try (JarProcess worker = JarProcess.start(env("TGSUPPORT_ROLE", "worker", "TGSUPPORT_MODE", "webhook",
        "DATABASE_URL", TestPostgres.urlFor(workerSchema)), "run")) {
      worker.awaitErr(l -> l.startsWith("tgsupport run: running"), START);
      assertThat(worker.errLines()).contains(redisLine(), "tgsupport run: mode: worker: processes the updates on"
          + " the Redis work queue, receives none (TGSUPPORT_ROLE=worker; TGSUPPORT_MODE is not used)");
      assertThat(fake.getUpdatesCalls()).as("a worker never polls").isZero();

      try (JarProcess receiver = JarProcess.start(env("DATABASE_URL", TestPostgres.urlFor(receiverSchema)), "run")) {
        receiver.awaitErr(l -> l.startsWith("tgsupport run: running"), START);
        awaitLeasesSplit();
        int chats = 48;
        for (int i = 0; i < chats; i++) {
          fake.enqueue(UpdateSamples.privateText(i + 1, 5000 + i, 10, "How do I reset my password?"));
        }
        assertThat(fake.awaitSentMessages(chats, Duration.ofSeconds(60))).hasSize(chats);
        Set<Long> answered = new HashSet<>();
        fake.sentMessages().forEach(m -> answered.add(m.chatId()));
        assertThat(answered).as("each chat answered once").hasSize(chats);

        // A message is marked handled just after its answer went out: give the last ones a moment.
        String in = ".messages WHERE direction = 'in' AND handled_at IS NOT NULL";
        long byReceiver;
        long byWorker;
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        do {
          Thread.sleep(50);
          byReceiver = TestPostgres.count("SELECT count(*) FROM " + receiverSchema + in);
          byWorker = TestPostgres.count("SELECT count(*) FROM " + workerSchema + in);
        } while (byReceiver + byWorker < chats && System.nanoTime() < deadline);
        assertThat(byWorker).as("the worker's share").isPositive();
        assertThat(byReceiver).as("the poller's share").isPositive();
        assertThat(byReceiver + byWorker).isEqualTo(chats);

        receiver.terminate();
        assertThat(receiver.waitFor(Duration.ofSeconds(60))).as(receiver.err()).isZero();
        assertThat(fake.confirmedUpTo()).isEqualTo(chats);
        assertNoSecretsOrTraces(receiver);
      }
      worker.terminate();
      assertThat(worker.waitFor(Duration.ofSeconds(60))).as(worker.err()).isZero();
      assertThat(worker.errLines()).contains("tgsupport run: stopped");
      assertThat(worker.out()).isEmpty();
      assertNoSecretsOrTraces(worker);
    } finally {
      TestPostgres.dropSchema(receiverSchema);
      TestPostgres.dropSchema(workerSchema);
    }
  }

  /**
   * Instances started together on one empty database (a deployment scaled to three) take turns to migrate it and
   * add the knowledge base: none fails on another's half-made tables, and the knowledge base is there once.
   */
  @Test
  void instancesStartedTogetherOnOneDatabaseMigrateItAndAddTheKnowledgeOnce() throws Exception {
    String schema = TestPostgres.createSchema("redis_many");
    List<JarProcess> instances = new ArrayList<>();
    try {
      for (int i = 0; i < 3; i++) {
        instances.add(JarProcess.start(env("TGSUPPORT_ROLE", "worker", "DATABASE_URL", TestPostgres.urlFor(schema)),
            "run"));
      }
      for (JarProcess p : instances) {
        p.awaitErr(l -> l.startsWith("tgsupport run: running"), START);
      }
      assertThat(TestPostgres.count("SELECT count(*) FROM " + schema + ".knowledge_entries")).isEqualTo(36);
      String all = instances.stream().map(JarProcess::err).reduce("", String::concat);
      assertThat(instances).as(all).filteredOn(p -> p.err().matches("(?s).*migrated: \\d+ scripts? applied.*"))
          .hasSize(1);
      assertThat(instances).as(all).filteredOn(p -> p.err().contains("migrated: already up to date")).hasSize(2);
      assertThat(TestRedis.keys(prefix)).as("the start-up lock is released").noneMatch(k -> k.contains("startup"));
      for (JarProcess p : instances) {
        p.terminate();
      }
      for (JarProcess p : instances) {
        assertThat(p.waitFor(Duration.ofSeconds(60))).as(p.err()).isZero();
        assertNoSecretsOrTraces(p);
      }
    } finally {
      instances.forEach(JarProcess::close);
      TestPostgres.dropSchema(schema);
    }
  }

  /** Each consumer takes its fair share of the 16 partitions a few seconds after the second one joined. */
  private void awaitLeasesSplit() throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(45).toNanos();
    Map<String, Integer> holders = new HashMap<>();
    while (System.nanoTime() < deadline) {
      holders.clear();
      for (int p = 0; p < 16; p++) {
        String holder = TestRedis.raw().get(prefix + "queue:lease:" + p);
        if (holder != null) {
          holders.merge(holder, 1, Integer::sum);
        }
      }
      if (holders.size() == 2 && holders.values().stream().mapToInt(Integer::intValue).sum() == 16) {
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("the two consumers did not split the partitions: " + holders);
  }

  @Test
  void anUnreachableRedisStopsWithExitOneInOneLineWithoutThePassword() throws Exception {
    try (JarProcess p = JarProcess.start(env("REDIS_URL", "redis://:" + PASSWORD + "@127.0.0.1:1"), "run",
        "--storage", "memory")) {
      assertThat(p.waitFor(START)).isEqualTo(1);
      assertThat(p.errLines()).containsExactly(
          "tgsupport run: knowledge: 36 entries (the bundled demo base about Tasklane; --knowledge FILE for yours)",
          "tgsupport run: cannot reach Redis at REDIS_URL=redis://:***@127.0.0.1:1: Connection refused");
      assertThat(p.out()).isEmpty();
      assertNoSecretsOrTraces(p);
    }
  }
}
