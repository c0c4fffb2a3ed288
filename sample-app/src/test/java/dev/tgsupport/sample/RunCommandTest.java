package dev.tgsupport.sample;

import static dev.tgsupport.sample.BotSettingsTest.map;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tgsupport.telegram.fake.FakeTelegramServer;
import dev.tgsupport.telegram.fake.SentMessage;
import dev.tgsupport.telegram.fake.UpdateSamples;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code tgsupport run} in-process, against the fake Telegram and in-memory storage: the settings it refuses, and one
 * whole life (start, answer, stop). {@code RunCommandIT} runs the packaged jar the way users do.
 */
class RunCommandTest {
  static final String TOKEN = BotSettingsTest.TOKEN;

  record Run(int exit, String out, String err) {}

  /** Stops {@code run} the way SIGTERM does in the program. */
  static final class ManualStop implements StopTrigger {
    private volatile BooleanSupplier stop;

    @Override
    public Registration register(BooleanSupplier stop) {
      this.stop = stop;
      return () -> this.stop = null;
    }

    boolean fire() {
      BooleanSupplier s = stop;
      return s != null && s.getAsBoolean();
    }
  }

  static Run run(Map<String, String> env, String... args) {
    // Any free port for the HTTP server unless a test names one: tests run beside other programs.
    Map<String, String> withPort = new HashMap<>(env);
    withPort.putIfAbsent("TGSUPPORT_HTTP_PORT", "0");
    env = withPort;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit = TgSupportCli.execute(Io.of(new ByteArrayInputStream(new byte[0]), out, err), env, new ManualStop(),
        args);
    return new Run(exit, out.toString(UTF_8), err.toString(UTF_8));
  }

  private static void assertOneLineWithoutSecrets(Run r, String... secrets) {
    assertThat(r.out()).isEmpty();
    assertThat(r.err().lines().toList()).as(r.err()).hasSize(1);
    for (String secret : secrets) {
      assertThat(r.err()).doesNotContain(secret);
    }
    assertThat(r.err()).doesNotContain("Exception", "\tat ");
  }

  @Test
  void aMissingTokenStopsWithExitTwoNamingTheVariable() {
    Run r = run(map(), "run", "--storage", "memory");
    assertThat(r.exit()).isEqualTo(2);
    assertOneLineWithoutSecrets(r);
    assertThat(r.err()).startsWith("tgsupport run: TELEGRAM_BOT_TOKEN is not set");
  }

  @ParameterizedTest
  @ValueSource(strings = {"hunter2hunter2hunter2hunter2", "123456:sh0rt_s3cret", "123456 ABC-DEF1234ghIkl-zyx57W2v1u1"})
  void aMalformedTokenStopsWithExitTwoAndIsNeverPrinted(String token) {
    Run r = run(map("TELEGRAM_BOT_TOKEN", token), "run", "--storage", "memory");
    assertThat(r.exit()).isEqualTo(2);
    assertOneLineWithoutSecrets(r, token, token.substring(7));
    assertThat(r.err()).startsWith("tgsupport run: TELEGRAM_BOT_TOKEN is malformed: ");
  }

  @Test
  void aBadModeStopsWithExitTwoNamingVariableAndValue() {
    Run r = run(map("TELEGRAM_BOT_TOKEN", TOKEN, "TGSUPPORT_MODE", "pull"), "run", "--storage", "memory");
    assertThat(r.exit()).isEqualTo(2);
    assertOneLineWithoutSecrets(r, TOKEN, BotSettingsTest.SECRET_PART);
    assertThat(r.err()).isEqualTo("tgsupport run: TGSUPPORT_MODE must be polling or webhook, was 'pull'\n");
  }

  @Test
  void aBadPortStopsWithExitTwo() {
    Run r = run(map("TELEGRAM_BOT_TOKEN", TOKEN, "TGSUPPORT_HTTP_PORT", "eighty"), "run", "--storage", "memory");
    assertThat(r.exit()).isEqualTo(2);
    assertOneLineWithoutSecrets(r, TOKEN, BotSettingsTest.SECRET_PART);
    assertThat(r.err()).startsWith("tgsupport run: TGSUPPORT_HTTP_PORT must be a port number");
  }

  @Test
  void webhookModeNeedsItsSecret() {
    Run r = run(map("TELEGRAM_BOT_TOKEN", TOKEN, "TGSUPPORT_MODE", "webhook"), "run", "--storage", "memory");
    assertThat(r.exit()).isEqualTo(2);
    assertOneLineWithoutSecrets(r, TOKEN, BotSettingsTest.SECRET_PART);
    assertThat(r.err()).startsWith("tgsupport run: TGSUPPORT_WEBHOOK_SECRET is not set; webhook mode needs it");
  }

  @Test
  void postgresStorageNeedsDatabaseUrl() {
    Run r = run(map("TELEGRAM_BOT_TOKEN", TOKEN), "run", "--storage", "postgres");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).startsWith("tgsupport run: --storage postgres needs DATABASE_URL");
  }

  @Test
  void aRejectedTokenStopsWithExitOneNamingTheVariable() {
    String other = "654321:ZYX-wvu9876abcDEF-qrs12T3u4v567xy89";
    try (FakeTelegramServer fake = FakeTelegramServer.start()) {
      Run r = run(map("TELEGRAM_BOT_TOKEN", other, "TELEGRAM_API_URL", fake.baseUrl()), "run", "--storage", "memory");
      assertThat(r.exit()).isEqualTo(1);
      assertThat(r.out()).isEmpty();
      assertThat(r.err()).doesNotContain(other).doesNotContain(other.substring(7)).doesNotContain("\tat ");
      List<String> lines = r.err().lines().toList();
      assertThat(lines.get(lines.size() - 1))
          .startsWith("tgsupport run: TELEGRAM_BOT_TOKEN was rejected by Telegram (401 Unauthorized)");
    }
  }

  @Test
  void anUnreachableApiStopsWithExitOneNamingTheVariable() {
    Run r = run(map("TELEGRAM_BOT_TOKEN", TOKEN, "TELEGRAM_API_URL", "http://127.0.0.1:1"), "run", "--storage",
        "memory");
    assertThat(r.exit()).isEqualTo(1);
    List<String> lines = r.err().lines().toList();
    assertThat(lines.get(lines.size() - 1))
        .startsWith("tgsupport run: cannot reach Telegram at TELEGRAM_API_URL=http://127.0.0.1:1: ");
    assertThat(r.err()).doesNotContain(BotSettingsTest.SECRET_PART).doesNotContain("\tat ");
  }

  @ParameterizedTest
  @ValueSource(strings = {"cache:6379", "redis://:s3cret-pass@cache:http", "redis://:s3cret-pass@cache:99999",
      "s3cret-pass@cache:6379"})
  void aMalformedRedisUrlStopsWithExitTwoNamingTheVariableWithoutThePassword(String url) {
    Run r = run(map("TELEGRAM_BOT_TOKEN", TOKEN, "REDIS_URL", url), "run", "--storage", "memory");
    assertThat(r.exit()).isEqualTo(2);
    List<String> lines = r.err().lines().toList();
    assertThat(lines.get(lines.size() - 1)).startsWith("tgsupport run: REDIS_URL must ");
    assertThat(r.err()).doesNotContain("s3cret-pass", "Exception", "\tat ", "running");
    assertThat(r.out()).isEmpty();
  }

  @Test
  void anUnreachableRedisStopsWithExitOneInOneLineNamingTheVariable() {
    Run r = run(map("TELEGRAM_BOT_TOKEN", TOKEN, "REDIS_URL", "redis://bot:s3cret-pass@127.0.0.1:1/0"), "run",
        "--storage", "memory");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.out()).isEmpty();
    assertThat(r.err().lines().toList()).as(r.err()).containsExactly(
        "tgsupport run: knowledge: 36 entries (the bundled demo base about Tasklane; --knowledge FILE for yours)",
        "tgsupport run: cannot reach Redis at REDIS_URL=redis://bot:***@127.0.0.1:1/0: Connection refused");
  }

  @Test
  void aWorkerNeedsRedisAndIgnoresTheReceivingSettings() {
    Run r = run(map("TELEGRAM_BOT_TOKEN", TOKEN, "TGSUPPORT_ROLE", "worker"), "run", "--storage", "memory");
    assertThat(r.exit()).isEqualTo(2);
    assertOneLineWithoutSecrets(r, TOKEN, BotSettingsTest.SECRET_PART);
    assertThat(r.err()).isEqualTo("tgsupport run: TGSUPPORT_ROLE=worker needs REDIS_URL: a worker processes the"
        + " updates that the receiving instance puts on the Redis work queue\n");

    // Webhook mode without its secret would be a usage error for a receiver; a worker gets as far as Redis.
    Run worker = run(map("TELEGRAM_BOT_TOKEN", TOKEN, "TGSUPPORT_ROLE", "worker", "TGSUPPORT_MODE", "webhook",
        "REDIS_URL", "redis://127.0.0.1:1"), "run", "--storage", "memory");
    assertThat(worker.exit()).isEqualTo(1);
    assertThat(worker.err()).endsWith("tgsupport run: cannot reach Redis at REDIS_URL=redis://127.0.0.1:1:"
        + " Connection refused\n");
  }

  @Test
  void aBadRoleStopsWithExitTwo() {
    Run r = run(map("TELEGRAM_BOT_TOKEN", TOKEN, "TGSUPPORT_ROLE", "receiver"), "run", "--storage", "memory");
    assertThat(r.exit()).isEqualTo(2);
    assertOneLineWithoutSecrets(r, TOKEN, BotSettingsTest.SECRET_PART);
    assertThat(r.err()).startsWith("tgsupport run: TGSUPPORT_ROLE must be all (receive and process updates) or"
        + " worker");
  }

  @Test
  void withoutRedisItSaysSoAtStart() {
    Run r = run(map("TELEGRAM_BOT_TOKEN", TOKEN, "TELEGRAM_API_URL", "http://127.0.0.1:1"), "run", "--storage",
        "memory");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).contains("tgsupport run: redis: none (REDIS_URL is not set): limits, counters and queue in"
        + " this process\n");
  }

  @Test
  void kaitenCallsAreTimedAsClientKaiten() {
    io.micrometer.core.instrument.simple.SimpleMeterRegistry registry =
        new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
    dev.tgsupport.kaiten.KaitenCallListener listener = RunCommand.kaitenMeters(registry);
    listener.onCall(new dev.tgsupport.kaiten.KaitenCall("create_card", Duration.ofMillis(40), 1, null));
    listener.onCall(new dev.tgsupport.kaiten.KaitenCall("list_cards", Duration.ofMillis(900), 3,
        "ServerErrorException"));

    assertThat(registry.get("tgsupport.client.duration")
        .tags("client", "kaiten", "operation", "create_card", "outcome", "ok").timer().count()).isEqualTo(1);
    assertThat(registry.get("tgsupport.client.duration")
        .tags("client", "kaiten", "operation", "list_cards", "outcome", "error").timer().count()).isEqualTo(1);
    assertThat(registry.get("tgsupport.client.errors")
        .tags("client", "kaiten", "operation", "list_cards", "error", "ServerErrorException").counter().count())
        .isEqualTo(1);
  }

  @Test
  void helpDocumentsEveryVariable() {
    Run r = run(map(), "run", "--help");
    assertThat(r.exit()).isZero();
    assertThat(r.out()).contains(BotSettings.KEYS).contains("--config=FILE", "--storage=KIND", "--knowledge=FILE",
        "/telegram/webhook", "Exit codes", "redis://", "rediss://", "TGSUPPORT_ROLE=worker");
  }

  @Test
  void answersQuestionsIgnoresGreetingsAndStopsCleanly() throws Exception {
    try (FakeTelegramServer fake = FakeTelegramServer.start()) {
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      ManualStop stop = new ManualStop();
      Map<String, String> env = new HashMap<>(map("TGSUPPORT_HTTP_PORT", "0", "TELEGRAM_BOT_TOKEN", fake.token(),
          "TELEGRAM_API_URL",
          fake.baseUrl()));
      CompletableFuture<Integer> exit = new CompletableFuture<>();
      Thread main = new Thread(() -> exit.complete(TgSupportCli.execute(
          Io.of(new ByteArrayInputStream(new byte[0]), new ByteArrayOutputStream(), err), env, stop,
          "run", "--storage", "memory")));
      main.start();
      awaitText(err, "tgsupport run: running", exit);

      fake.enqueue(UpdateSamples.privateText(1, 42, 10, "hi"));
      fake.enqueue(UpdateSamples.privateText(2, 42, 11, "How do I reset my password?"));
      List<SentMessage> sent = fake.awaitSentMessages(1, Duration.ofSeconds(20));
      assertThat(sent).hasSize(1);
      assertThat(sent.get(0).chatId()).isEqualTo(42);
      assertThat(sent.get(0).text()).contains("Forgot password");
      assertThat(sent.get(0).replyToMessageId()).isEqualTo(11);

      // The one HTTP port serves metrics and health; its number is on the start-up line.
      java.util.regex.Matcher port = java.util.regex.Pattern.compile("tgsupport run: http: port (\\d+): /metrics,"
          + " /health/live, /health/ready").matcher(err.toString(UTF_8));
      assertThat(port.find()).as(err.toString(UTF_8)).isTrue();
      String base = "http://127.0.0.1:" + port.group(1);
      java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
      String metrics = awaitBody(http, base + "/metrics", "tgsupport_answers_total 1.0");
      assertThat(metrics).contains("tgsupport_noise_total{reason=\"greeting\"} 1.0",
          "tgsupport_messages_received_total{chat=\"private\",type=\"text\"} 2.0",
          "tgsupport_outbox_pending", "jvm_memory_used_bytes", "tgsupport_telegram_sent_total 1.0",
          "tgsupport_telegram_http429_total 0.0", "tgsupport_telegram_send_queue 0.0",
          "tgsupport_client_duration_seconds_count{client=\"hnsw\",operation=\"search\",outcome=\"ok\"}",
          "tgsupport_client_duration_seconds_count{client=\"embedder\",operation=\"embed\",outcome=\"ok\"}",
          "tgsupport_stage_duration_seconds_count{result=\"ok\",stage=\"knowledge\"}");
      java.net.http.HttpResponse<String> ready = http.send(java.net.http.HttpRequest.newBuilder(
          java.net.URI.create(base + "/health/ready")).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
      assertThat(ready.statusCode()).isEqualTo(200);
      assertThat(ready.body()).startsWith("{\"status\":\"ready\"").contains("\"storage\":{\"state\":\"up\"",
          "\"telegram\":{\"state\":\"up\"");

      assertThat(stop.fire()).isTrue();
      assertThat(exit.get(30, TimeUnit.SECONDS)).isZero();
      assertThat(fake.confirmedUpTo()).isGreaterThanOrEqualTo(2);
      assertThat(fake.sentMessages()).hasSize(1);
      String log = err.toString(UTF_8);
      assertThat(log).contains(
          "tgsupport run: knowledge: ",
          "tgsupport run: storage: memory (--storage memory): nothing is kept when the bot stops",
          "tgsupport run: telegram: @" + UpdateSamples.BOT_USERNAME + " (" + UpdateSamples.BOT_ID + ") via "
              + fake.baseUrl() + " (TELEGRAM_API_URL); privacy mode on",
          "tgsupport run: mode: long polling (TGSUPPORT_MODE is not set; no webhook is set)",
          "tgsupport run: knowledge lookup: hybrid, bm25 words + vectors (TGSUPPORT_LEXICAL is not set)",
          "tgsupport run: spam: built-in checks (TGSUPPORT_SPAM_SAMPLES is not set); spam is deleted when the bot"
              + " may; staff teach it with /spam and /notspam",
          "tgsupport run: stopping: finishing the messages in flight",
          "tgsupport run: stopped");
      assertThat(log).doesNotContain(BotSettingsTest.SECRET_PART);
    }
  }

  @Test
  void aWebhookSetBeforehandStopsPollingAtStartWithOneLine() {
    try (FakeTelegramServer fake = FakeTelegramServer.start()) {
      Map<String, String> env = map("TGSUPPORT_HTTP_PORT", "0", "TELEGRAM_BOT_TOKEN", fake.token(),
          "TELEGRAM_API_URL", fake.baseUrl(),
          "TGSUPPORT_WEBHOOK_SECRET", "wh00k_secret");
      assertThat(run(env, "webhook", "set", "http://127.0.0.1:9/telegram/webhook").exit()).isZero();

      Run r = run(env, "run", "--storage", "memory");
      assertThat(r.exit()).isEqualTo(1);
      List<String> lines = r.err().lines().toList();
      assertThat(lines.get(lines.size() - 1)).isEqualTo("tgsupport run: Telegram refuses long polling while a"
          + " webhook is set for this bot (409; it delivers to http://127.0.0.1:9/telegram/webhook): remove it with"
          + " './tgsupport webhook delete', or run with TGSUPPORT_MODE=webhook");
      assertThat(lines).noneMatch(l -> l.contains("running"));
    }
  }

  @Test
  void aWebhookSetWhilePollingStopsTheBotWithExitOne() throws Exception {
    try (FakeTelegramServer fake = FakeTelegramServer.start()) {
      Map<String, String> env = map("TGSUPPORT_HTTP_PORT", "0", "TELEGRAM_BOT_TOKEN", fake.token(),
          "TELEGRAM_API_URL", fake.baseUrl(),
          "TGSUPPORT_WEBHOOK_SECRET", "wh00k_secret");
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      CompletableFuture<Integer> exit = new CompletableFuture<>();
      new Thread(() -> exit.complete(TgSupportCli.execute(
          Io.of(new ByteArrayInputStream(new byte[0]), new ByteArrayOutputStream(), err), env, new ManualStop(),
          "run", "--storage", "memory"))).start();
      awaitText(err, "tgsupport run: running", exit);
      // A long poll is recorded only once answered: count the calls instead.
      while (fake.getUpdatesCalls() < 1) {
        Thread.sleep(10);
      }

      assertThat(run(env, "webhook", "set", "http://127.0.0.1:9/telegram/webhook").exit()).isZero();
      assertThat(exit.get(30, TimeUnit.SECONDS)).isEqualTo(1);
      List<String> lines = err.toString(UTF_8).lines().toList();
      assertThat(lines.get(lines.size() - 1)).isEqualTo("tgsupport run: Telegram refuses long polling while a"
          + " webhook is set for this bot (409): remove it with './tgsupport webhook delete', or run with"
          + " TGSUPPORT_MODE=webhook");
    }
  }

  @Test
  void aSecondInstancePollingWithTheSameTokenStopsTheFirstWithExitOne() throws Exception {
    try (FakeTelegramServer fake = FakeTelegramServer.start()) {
      Map<String, String> env = map("TGSUPPORT_HTTP_PORT", "0", "TELEGRAM_BOT_TOKEN", fake.token(),
          "TELEGRAM_API_URL", fake.baseUrl());
      ByteArrayOutputStream firstErr = new ByteArrayOutputStream();
      CompletableFuture<Integer> first = new CompletableFuture<>();
      new Thread(() -> first.complete(TgSupportCli.execute(
          Io.of(new ByteArrayInputStream(new byte[0]), new ByteArrayOutputStream(), firstErr), env, new ManualStop(),
          "run", "--storage", "memory"))).start();
      awaitText(firstErr, "tgsupport run: running", first);

      ByteArrayOutputStream secondErr = new ByteArrayOutputStream();
      ManualStop stopSecond = new ManualStop();
      CompletableFuture<Integer> second = new CompletableFuture<>();
      new Thread(() -> second.complete(TgSupportCli.execute(
          Io.of(new ByteArrayInputStream(new byte[0]), new ByteArrayOutputStream(), secondErr), env, stopSecond,
          "run", "--storage", "memory"))).start();
      awaitText(secondErr, "tgsupport run: running", second);

      // Telegram answers the older of two pollers 409 "terminated by other getUpdates request".
      assertThat(first.get(30, TimeUnit.SECONDS)).isEqualTo(1);
      List<String> lines = firstErr.toString(UTF_8).lines().toList();
      assertThat(lines.get(lines.size() - 1)).startsWith("tgsupport run: Telegram stopped long polling (409):"
          + " another process is polling with this TELEGRAM_BOT_TOKEN; only one instance may poll");
      assertThat(stopSecond.fire()).isTrue();
      assertThat(second.get(30, TimeUnit.SECONDS)).isZero();
    }
  }

  /** GETs {@code url} until its body contains {@code text} (metrics lag the reply by a moment); returns the body. */
  static String awaitBody(java.net.http.HttpClient http, String url, String text) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (true) {
      String body = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url)).build(),
          java.net.http.HttpResponse.BodyHandlers.ofString()).body();
      if (body.contains(text) || System.nanoTime() > deadline) {
        assertThat(body).contains(text);
        return body;
      }
      Thread.sleep(50);
    }
  }

  static void awaitText(ByteArrayOutputStream stream, String text, CompletableFuture<Integer> exit)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!stream.toString(UTF_8).contains(text)) {
      if (exit.isDone()) {
        throw new AssertionError("run ended (" + exit.join() + ") before '" + text + "': " + stream.toString(UTF_8));
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no '" + text + "' within 30 s: " + stream.toString(UTF_8));
      }
      Thread.sleep(20);
    }
  }
}
