package dev.tgsupport.sample;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tgsupport.kaiten.fake.FakeCard;
import dev.tgsupport.kaiten.fake.FakeKaitenServer;
import dev.tgsupport.knowledge.testing.FakeQdrantServer;
import dev.tgsupport.telegram.fake.FakeTelegramServer;
import dev.tgsupport.telegram.fake.SentMessage;
import dev.tgsupport.telegram.fake.UpdateSamples;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code tgsupport run} end to end in one JVM, with its own wiring (in-process, stopped the way SIGTERM stops it)
 * and every real component it can have: PostgreSQL, Redis, Qdrant (the fake, over gRPC on loopback, so the official
 * client runs unchanged), Kaiten and Telegram (their fakes). One user's question is answered from the knowledge base,
 * another's becomes a Kaiten card, staff's comment and the resolution reach the user, and the metrics and the
 * readiness probe say so.
 */
class EndToEndIT {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String QDRANT_KEY = "qdrant-s3cret-api-key";
  private static final long ASKER = 42;
  private static final long GREETER = 43;
  private static final long UNKNOWN = 77;
  private static final String KNOWN = "How do I reset my password?";
  private static final String UNANSWERABLE = "Why does the zebra widget flicker on Tuesdays?";
  private static final String STAFF_ANSWER = "Restart the zebra widget from Settings > Widgets.";

  private FakeTelegramServer telegram;
  private FakeKaitenServer kaiten;
  private FakeQdrantServer qdrant;
  private String schema;
  private String prefix;

  @BeforeEach
  void start() {
    telegram = FakeTelegramServer.start();
    kaiten = FakeKaitenServer.builder().noRateLimit().start();
    qdrant = FakeQdrantServer.startOnLoopback(QDRANT_KEY);
    schema = TestPostgres.createSchema("e2e");
    prefix = TestRedis.prefix("e2e");
  }

  @AfterEach
  void stop() {
    telegram.close();
    kaiten.close();
    qdrant.close();
    TestPostgres.dropSchema(schema);
    TestRedis.deleteKeys(prefix);
  }

  private Map<String, String> env() {
    return BotSettingsTest.map("TGSUPPORT_HTTP_PORT", "0",
        "TELEGRAM_BOT_TOKEN", telegram.token(), "TELEGRAM_API_URL", telegram.baseUrl(),
        "DATABASE_URL", TestPostgres.urlFor(schema),
        "REDIS_URL", TestRedis.url(), "TGSUPPORT_REDIS_PREFIX", prefix,
        "QDRANT_URL", qdrant.url(), "QDRANT_API_KEY", QDRANT_KEY,
        "KAITEN_BASE_URL", kaiten.baseUrl(), "KAITEN_TOKEN", kaiten.token(),
        "KAITEN_BOARD_ID", Long.toString(FakeKaitenServer.BOARD_ID),
        "KAITEN_COLUMN_ID", Long.toString(FakeKaitenServer.QUEUE_COLUMN_ID), "KAITEN_POLL_INTERVAL", "1s");
  }

  @Test
  void aQuestionIsAnsweredAnotherBecomesACardAndStaffResolveItAllCountedAndReady() throws Exception {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    RunCommandTest.ManualStop stop = new RunCommandTest.ManualStop();
    Map<String, String> env = env();
    CompletableFuture<Integer> exit = new CompletableFuture<>();
    Thread main = new Thread(() -> exit.complete(TgSupportCli.execute(
        Io.of(new ByteArrayInputStream(new byte[0]), new ByteArrayOutputStream(), err), env, stop, "run")),
        "e2e-run");
    main.start();
    int exitCode;
    try {
      RunCommandTest.awaitText(err, "tgsupport run: running", exit);
      String log = err.toString(UTF_8);
      assertThat(log).contains("tgsupport run: redis: ", "key prefix " + prefix,
          "tgsupport run: vectors: Qdrant collection ", "tgsupport run: storage: PostgreSQL ",
          "tgsupport run: kaiten: board Support (id 10), column 100 Queue via " + kaiten.apiUrl());
      Matcher port = Pattern.compile("tgsupport run: http: port (\\d+): /metrics").matcher(log);
      assertThat(port.find()).as(log).isTrue();
      String ops = "http://127.0.0.1:" + port.group(1);

      // a) A question of the bundled knowledge base is answered from it.
      telegram.enqueue(UpdateSamples.privateText(1, ASKER, 10, KNOWN));
      telegram.enqueue(UpdateSamples.privateText(2, GREETER, 20, "hi"));
      SentMessage answer = awaitSent(ASKER, 1).get(0);
      assertThat(answer.text()).contains("Forgot password");
      assertThat(answer.replyToMessageId()).isEqualTo(10);

      // b) One it cannot answer becomes ticket #1 and, through the outbox, one Kaiten card.
      telegram.enqueue(UpdateSamples.privateText(3, UNKNOWN, 30, UNANSWERABLE));
      assertThat(awaitSent(UNKNOWN, 1).get(0).text()).contains("ticket #1");
      FakeCard card = awaitCard("tgsupport-1");
      assertThat(card.title()).contains(UNANSWERABLE);
      assertThat(card.columnId()).isEqualTo(FakeKaitenServer.QUEUE_COLUMN_ID);

      // c) Staff's comment on the card reaches the user, as a reply to the question.
      kaiten.staffComment(card.id(), STAFF_ANSWER);
      SentMessage reply = awaitSent(UNKNOWN, 2).get(1);
      assertThat(reply.text()).startsWith("Support replied to your ticket #1:").contains(STAFF_ANSWER);
      assertThat(reply.replyToMessageId()).isEqualTo(30);

      // d) Done in Kaiten: the ticket is resolved, the user told, and the answer drafted into the knowledge base.
      kaiten.moveToDone(card.id());
      assertThat(awaitSent(UNKNOWN, 3).get(2).text()).startsWith("Your ticket #1 is resolved.")
          .contains(STAFF_ANSWER);
      awaitTrue("ticket 1 resolved in storage", () -> TestPostgres.count("SELECT count(*) FROM " + schema
          + ".tickets WHERE id = 1 AND status = 'resolved' AND resolved_at IS NOT NULL") == 1);
      assertThat(TestPostgres.count("SELECT count(*) FROM " + schema + ".tickets")).isEqualTo(1);
      assertThat(TestPostgres.count("SELECT count(*) FROM " + schema + ".tickets WHERE chat_id = " + UNKNOWN
          + " AND kaiten_card_id = '" + card.id() + "'")).isEqualTo(1);
      awaitTrue("a draft knowledge entry from Kaiten", () -> TestPostgres.count("SELECT count(*) FROM " + schema
          + ".knowledge_entries WHERE status = 'draft' AND source = 'kaiten' AND answer LIKE '%zebra widget%'")
          == 1);
      // The greeting got nothing back; every message is stored once.
      assertThat(telegram.sentMessages(GREETER)).isEmpty();
      assertThat(TestPostgres.count("SELECT count(*) FROM " + schema + ".messages WHERE direction = 'in'"))
          .isEqualTo(3);

      // e) Everything counted, exactly.
      HttpClient http = HttpClient.newHttpClient();
      Map<String, Double> expected = Map.of(
          "tgsupport_messages_received_total{chat=\"private\",type=\"text\"}", 3.0,
          "tgsupport_noise_total{reason=\"greeting\"}", 1.0,
          "tgsupport_answers_total", 1.0,
          "tgsupport_tickets_opened_total", 1.0,
          // The pipeline's own replies: the answer and "ticket #1".
          "tgsupport_replies_sent_total", 2.0,
          // Those two, plus staff's comment and the resolution sent by the Kaiten bridge.
          "tgsupport_telegram_sent_total", 4.0,
          "tgsupport_outbox_pending", 0.0);
      String metrics = awaitMetrics(http, ops + "/metrics", expected);
      assertThat(sum(metrics, "tgsupport_messages_processed_total{")).isEqualTo(3.0);
      assertThat(sum(metrics, "tgsupport_client_errors_total{client=\"qdrant\",")).isZero();

      // Qdrant was really used: the knowledge base is in its collection, and the questions searched it.
      assertThat(qdrant.collections()).hasSize(1);
      String collection = qdrant.collections().iterator().next();
      assertThat(log).contains("tgsupport run: vectors: Qdrant collection " + collection + " at " + qdrant.url());
      assertThat(qdrant.pointCount(collection)).isGreaterThanOrEqualTo(36);
      assertThat(qdrant.calls("Points/Upsert")).isPositive();
      assertThat(qdrant.calls("Points/Search")).isPositive();
      double searches = sum(metrics,
          "tgsupport_client_duration_seconds_count{client=\"qdrant\",operation=\"search\",outcome=\"ok\"}");
      assertThat(searches).as(metrics).isGreaterThanOrEqualTo(2);
      assertThat(sum(metrics, "tgsupport_client_duration_seconds_count{client=\"qdrant\",")).as(metrics)
          .isGreaterThan(searches);

      // f) Ready, with every component up.
      HttpResponse<String> ready = http.send(HttpRequest.newBuilder(URI.create(ops + "/health/ready")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
      JsonNode health = new ObjectMapper().readTree(ready.body());
      assertThat(health.path("status").asText()).isEqualTo("ready");
      assertThat(health.path("degraded")).as(ready.body()).isEmpty();
      List<String> components = new ArrayList<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = health.path("components").fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> c = it.next();
        components.add(c.getKey());
        assertThat(c.getValue().path("state").asText()).as(c.getKey() + " in " + ready.body()).isEqualTo("up");
      }
      assertThat(components).containsExactlyInAnyOrder("storage", "telegram", "redis", "kaiten", "qdrant");
    } finally {
      // Stopped even when an assertion failed, so the next test finds no bot polling its fake.
      stop.fire();
      exitCode = exit.get(60, TimeUnit.SECONDS);
    }
    assertThat(exitCode).as(err.toString(UTF_8)).isZero();
    String log = err.toString(UTF_8);
    assertThat(log).contains("tgsupport run: stopped").doesNotContain(BotSettingsTest.SECRET_PART)
        .doesNotContain(QDRANT_KEY).doesNotContain(kaiten.token()).doesNotContain("\tat ");
    assertThat(telegram.confirmedUpTo()).isEqualTo(3);
    assertThat(kaiten.cards()).hasSize(1);
  }

  private List<SentMessage> awaitSent(long chat, int count) throws InterruptedException {
    awaitTrue(count + " message(s) to chat " + chat, () -> telegram.sentMessages(chat).size() >= count);
    assertThat(telegram.sentMessages(chat)).hasSize(count);
    return telegram.sentMessages(chat);
  }

  private FakeCard awaitCard(String externalId) throws InterruptedException {
    awaitTrue("card " + externalId, () -> !kaiten.cardsByExternalId(externalId).isEmpty());
    assertThat(kaiten.cardsByExternalId(externalId)).hasSize(1);
    return kaiten.cardsByExternalId(externalId).get(0);
  }

  private static void awaitTrue(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no " + what + " within " + WAIT);
      }
      Thread.sleep(50);
    }
  }

  /** Scrapes until every series has its expected value (meters lag the replies by a moment); returns the body. */
  private static String awaitMetrics(HttpClient http, String url, Map<String, Double> expected) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (true) {
      String body = http.send(HttpRequest.newBuilder(URI.create(url)).build(),
          HttpResponse.BodyHandlers.ofString()).body();
      boolean all = expected.entrySet().stream().allMatch(e -> sum(body, e.getKey()) == e.getValue());
      if (all || System.nanoTime() > deadline) {
        for (Map.Entry<String, Double> e : expected.entrySet()) {
          assertThat(sum(body, e.getKey())).as(e.getKey() + " in\n" + body).isEqualTo(e.getValue());
        }
        return body;
      }
      Thread.sleep(100);
    }
  }

  /**
   * The value of one whole series ({@code name{a="b"}} or a bare name), NaN when it is missing; or, for a prefix
   * ending in {@code {} or {@code ,}, the sum of the series that start with it, 0 when none does.
   */
  static double sum(String metrics, String series) {
    boolean prefix = series.endsWith("{") || series.endsWith(",");
    double total = 0;
    boolean found = false;
    for (String line : metrics.lines().toList()) {
      if (line.startsWith("#") || !line.startsWith(series)) {
        continue;
      }
      int space = line.lastIndexOf(' ');
      if (prefix || line.substring(0, space).equals(series)) {
        total += Double.parseDouble(line.substring(space + 1));
        found = true;
      }
    }
    return found || prefix ? total : Double.NaN;
  }
}
