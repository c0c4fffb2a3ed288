package dev.tgsupport.sample;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tgsupport.telegram.fake.FakeTelegramServer;
import dev.tgsupport.telegram.fake.SentMessage;
import dev.tgsupport.telegram.fake.UpdateSamples;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code tgsupport run} as users run it: the packaged jar in its own process, against the fake Telegram; stopped with
 * SIGTERM ({@link Process#destroy()}).
 */
class RunCommandIT {
  private static final Duration START = Duration.ofSeconds(60);
  private static final String SECRET = "it_Webhook-s3cret";

  private FakeTelegramServer fake;

  @BeforeEach
  void startFake() {
    fake = FakeTelegramServer.start();
  }

  @AfterEach
  void stopFake() {
    fake.close();
  }

  private Map<String, String> env(String... more) {
    // Port 0: several bots may run at once here; each takes a free port for its metrics and health.
    Map<String, String> env = new HashMap<>(Map.of("TGSUPPORT_HTTP_PORT", "0", "TELEGRAM_BOT_TOKEN", fake.token(),
        "TELEGRAM_API_URL",
        fake.baseUrl()));
    env.putAll(BotSettingsTest.map(more));
    return env;
  }

  private static void assertNoSecretsOrTraces(JarProcess p, String... secrets) {
    String all = p.out() + p.err();
    assertThat(all).doesNotContain(BotSettingsTest.SECRET_PART).doesNotContain("\tat ").doesNotContain("Exception");
    for (String s : secrets) {
      assertThat(all).doesNotContain(s);
    }
  }

  /** A question is answered, a greeting is not, and SIGTERM ends the process with 0 and the offset confirmed. */
  @Test
  void pollingAnswersQuestionsIgnoresGreetingsAndStopsOnSigterm() throws Exception {
    try (JarProcess p = JarProcess.start(env(), "run", "--storage", "memory")) {
      p.awaitErr(l -> l.startsWith("tgsupport run: running"), START);
      fake.enqueue(UpdateSamples.privateText(1, 42, 10, "привет"));
      fake.enqueue(UpdateSamples.privateText(2, 42, 11, "How do I reset my password?"));
      fake.enqueue(UpdateSamples.privateText(3, 77, 5, "Как сбросить пароль?"));

      List<SentMessage> sent = fake.awaitSentMessages(2, Duration.ofSeconds(30));
      assertThat(sent).hasSize(2);
      assertThat(fake.sentMessages(42)).singleElement().satisfies(m -> {
        assertThat(m.text()).contains("Forgot password");
        assertThat(m.replyToMessageId()).isEqualTo(11);
      });
      assertThat(fake.sentMessages(77)).singleElement().satisfies(m -> assertThat(m.text()).contains("Забыли"));

      p.terminate();
      assertThat(p.waitFor(Duration.ofSeconds(60))).as(p.err()).isZero();
      assertThat(fake.confirmedUpTo()).isEqualTo(3);
      assertThat(fake.sentMessages()).hasSize(2);
      assertThat(p.out()).isEmpty();
      // The HTTP port is a free one; the rest of the start-up report is exact.
      assertThat(p.errLines().stream().map(l -> l.replaceFirst("^tgsupport run: http: port \\d+:", "tgsupport run: http: port N:"))
          .toList()).containsExactly(
          "tgsupport run: knowledge: 36 entries (the bundled demo base about Tasklane; --knowledge FILE for yours)",
          "tgsupport run: redis: none (REDIS_URL is not set): limits, counters and queue in this process",
          "tgsupport run: embedder: all-minilm-l6-v2-q, bundled, 384 dimensions, English only: other languages are"
              + " matched by words alone (TGSUPPORT_EMBEDDING_URL is not set)",
          "tgsupport run: vectors: in-process HNSW index, filled from storage at the first question (QDRANT_URL is"
              + " not set)",
          "tgsupport run: storage: memory (--storage memory): nothing is kept when the bot stops",
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

  @Test
  void aWebhookSetForTheBotStopsPollingWithOneClearLine() throws Exception {
    assertThat(RunCommandTest.run(env("TGSUPPORT_WEBHOOK_SECRET", SECRET), "webhook", "set",
        "http://127.0.0.1:9/telegram/webhook").exit()).isZero();
    try (JarProcess p = JarProcess.start(env(), "run", "--storage", "memory")) {
      assertThat(p.waitFor(START)).isEqualTo(1);
      List<String> lines = p.errLines();
      assertThat(lines.get(lines.size() - 1)).startsWith("tgsupport run: Telegram refuses long polling while a webhook"
          + " is set for this bot (409").contains("'./tgsupport webhook delete'");
      assertThat(lines).noneMatch(l -> l.contains("running"));
      assertNoSecretsOrTraces(p);
    }
  }

  @Test
  void aRejectedTokenStopsWithExitOneNamingTheVariableWithoutPrintingIt() throws Exception {
    String other = "654321:ZYX-wvu9876abcDEF-qrs12T3u4v567xy89";
    try (JarProcess p = JarProcess.start(env("TELEGRAM_BOT_TOKEN", other), "run", "--storage", "memory")) {
      assertThat(p.waitFor(START)).isEqualTo(1);
      List<String> lines = p.errLines();
      assertThat(lines.get(lines.size() - 1))
          .startsWith("tgsupport run: TELEGRAM_BOT_TOKEN was rejected by Telegram (401 Unauthorized)");
      assertNoSecretsOrTraces(p, other, other.substring(7));
    }
  }

  @Test
  void aMalformedTokenIsAUsageErrorAndNeverPrinted() throws Exception {
    String token = "12345:not a token but a secret";
    try (JarProcess p = JarProcess.start(env("TELEGRAM_BOT_TOKEN", token), "run")) {
      assertThat(p.waitFor(START)).isEqualTo(2);
      assertThat(p.errLines()).singleElement().asString()
          .startsWith("tgsupport run: TELEGRAM_BOT_TOKEN is malformed: ");
      assertNoSecretsOrTraces(p, token, "but a secret");
    }
  }

  /** Webhook mode: Telegram (the fake) POSTs the update with the secret header, and the answer goes out. */
  @Test
  void webhookModeReceivesUpdatesFromTelegramAndAnswers() throws Exception {
    Map<String, String> env = env("TGSUPPORT_MODE", "webhook", "TGSUPPORT_WEBHOOK_SECRET", SECRET,
        "TGSUPPORT_HTTP_PORT", "0");
    try (JarProcess p = JarProcess.start(env, "run", "--storage", "memory")) {
      String mode = p.awaitErr(l -> l.startsWith("tgsupport run: mode: "), START);
      Matcher m = Pattern.compile("mode: webhook on port (\\d+) path /telegram/webhook \\(TGSUPPORT_MODE=webhook\\);"
          + " no webhook is registered with Telegram yet: run './tgsupport webhook set").matcher(mode);
      assertThat(m.find()).as(mode).isTrue();
      p.awaitErr(l -> l.startsWith("tgsupport run: running"), START);

      String url = "http://127.0.0.1:" + m.group(1) + "/telegram/webhook";
      RunCommandTest.Run set = RunCommandTest.run(env, "webhook", "set", url);
      assertThat(set.exit()).as(set.err()).isZero();
      assertThat(set.out()).startsWith("url: " + url + "\n");

      fake.enqueue(UpdateSamples.privateText(1, 42, 10, "hi"));
      fake.enqueue(UpdateSamples.privateText(2, 42, 11, "How do I reset my password?"));
      List<SentMessage> sent = fake.awaitSentMessages(1, Duration.ofSeconds(30));
      assertThat(sent).singleElement().satisfies(s -> assertThat(s.text()).contains("Forgot password"));
      // The fake counts a delivery once it has read the answer, which may come after the bot's reply.
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (fake.webhookDeliveries() < 2 && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(fake.webhookDeliveries()).isEqualTo(2);
      assertThat(fake.webhookFailures()).isZero();

      p.terminate();
      assertThat(p.waitFor(Duration.ofSeconds(60))).as(p.err()).isZero();
      assertThat(fake.sentMessages()).hasSize(1);
      assertThat(p.errLines()).contains("tgsupport run: stopped");
      assertNoSecretsOrTraces(p, SECRET);
    }
  }

  /** With DATABASE_URL the bot stores everything in PostgreSQL, migrated at start. */
  @Test
  void onPostgresFromDatabaseUrl() throws Exception {
    String schema = TestPostgres.createSchema("run");
    try (JarProcess p = JarProcess.start(env("DATABASE_URL", TestPostgres.urlFor(schema)), "run")) {
      p.awaitErr(l -> l.startsWith("tgsupport run: running"), START);
      assertThat(p.err()).contains("tgsupport run: storage: PostgreSQL jdbc:postgresql://",
          "(DATABASE_URL is set), migrated: ");
      fake.enqueue(UpdateSamples.privateText(1, 42, 10, "How do I reset my password?"));
      assertThat(fake.awaitSentMessages(1, Duration.ofSeconds(30))).hasSize(1);

      p.terminate();
      assertThat(p.waitFor(Duration.ofSeconds(60))).as(p.err()).isZero();
      assertThat(fake.confirmedUpTo()).isEqualTo(1);
      assertThat(TestPostgres.count("SELECT count(*) FROM " + schema + ".messages WHERE direction = 'in'"
          + " AND handled_at IS NOT NULL")).isEqualTo(1);
      assertThat(TestPostgres.count("SELECT count(*) FROM " + schema + ".messages WHERE direction = 'out'"))
          .isEqualTo(1);
      assertNoSecretsOrTraces(p);
    } finally {
      TestPostgres.dropSchema(schema);
    }
  }
}
