package dev.tgsupport.sample;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tgsupport.kaiten.fake.FakeCard;
import dev.tgsupport.kaiten.fake.FakeKaitenServer;
import dev.tgsupport.telegram.fake.FakeTelegramServer;
import dev.tgsupport.telegram.fake.SentMessage;
import dev.tgsupport.telegram.fake.UpdateSamples;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code tgsupport run} with Kaiten, as users run it (the packaged jar), against the fake Telegram and the fake Kaiten
 * on PostgreSQL: the whole loop from a question to its resolution; then the {@code tickets} commands on what it
 * stored.
 */
class RunKaitenIT {
  private static final Duration START = Duration.ofSeconds(60);
  private static final Duration LOOP = Duration.ofSeconds(30);
  private static final String QUESTION = "Why does the zebra widget flicker on Tuesdays?";
  private static final String ANSWER = "Restart the zebra widget from Settings > Widgets.";

  private FakeTelegramServer telegram;
  private FakeKaitenServer kaiten;
  private String schema;

  @BeforeEach
  void start() {
    telegram = FakeTelegramServer.start();
    kaiten = FakeKaitenServer.builder().noRateLimit().start();
    schema = TestPostgres.createSchema("runkaiten");
  }

  @AfterEach
  void stop() {
    telegram.close();
    kaiten.close();
    TestPostgres.dropSchema(schema);
  }

  private Map<String, String> env(String... more) {
    Map<String, String> env = new HashMap<>(BotSettingsTest.map("TGSUPPORT_HTTP_PORT", "0", "TELEGRAM_BOT_TOKEN",
        telegram.token(),
        "TELEGRAM_API_URL", telegram.baseUrl(), "DATABASE_URL", TestPostgres.urlFor(schema),
        "KAITEN_BASE_URL", kaiten.baseUrl(), "KAITEN_TOKEN", kaiten.token(),
        "KAITEN_BOARD_ID", Long.toString(FakeKaitenServer.BOARD_ID),
        "KAITEN_COLUMN_ID", Long.toString(FakeKaitenServer.QUEUE_COLUMN_ID), "KAITEN_POLL_INTERVAL", "1s"));
    env.putAll(BotSettingsTest.map(more));
    return env;
  }

  private List<SentMessage> awaitSent(long chat, int count) throws InterruptedException {
    long deadline = System.nanoTime() + LOOP.toNanos();
    while (telegram.sentMessages(chat).size() < count && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertThat(telegram.sentMessages(chat)).hasSize(count);
    return telegram.sentMessages(chat);
  }

  private FakeCard awaitCard(String externalId) throws InterruptedException {
    long deadline = System.nanoTime() + LOOP.toNanos();
    while (kaiten.cardsByExternalId(externalId).isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertThat(kaiten.cardsByExternalId(externalId)).hasSize(1);
    return kaiten.cardsByExternalId(externalId).get(0);
  }

  @Test
  void aQuestionBecomesACardAndStaffRepliesAndTheResolutionReachTheUser() throws Exception {
    FakeCard card;
    try (JarProcess p = JarProcess.start(env(), "run")) {
      p.awaitErr(l -> l.startsWith("tgsupport run: running"), START);
      assertThat(p.errLines()).contains("tgsupport run: kaiten: board Support (id 10), column 100 Queue via "
          + kaiten.apiUrl() + " as Tgsupport Bot (tgsupport-bot, id 1) (KAITEN_BASE_URL is set); polls every 1s for"
          + " staff replies and card moves (done, archived, reopened) (no Kaiten webhook: KAITEN_WEBHOOK_SECRET is not"
          + " set)");

      telegram.enqueue(UpdateSamples.privateText(1, 42, 10, QUESTION));
      assertThat(awaitSent(42, 1).get(0).text()).contains("ticket #1");

      card = awaitCard("tgsupport-1");
      assertThat(card.title()).contains(QUESTION);
      assertThat(card.boardId()).isEqualTo(FakeKaitenServer.BOARD_ID);
      assertThat(card.columnId()).isEqualTo(FakeKaitenServer.QUEUE_COLUMN_ID);

      kaiten.staffComment(card.id(), ANSWER);
      SentMessage reply = awaitSent(42, 2).get(1);
      assertThat(reply.text()).startsWith("Support replied to your ticket #1:").contains(ANSWER);
      assertThat(reply.replyToMessageId()).isEqualTo(10);

      kaiten.moveToDone(card.id());
      SentMessage resolved = awaitSent(42, 3).get(2);
      assertThat(resolved.text()).startsWith("Your ticket #1 is resolved.").contains(ANSWER);

      // Every Kaiten call is timed on the client meters, as client "kaiten".
      java.util.regex.Matcher port = java.util.regex.Pattern.compile("tgsupport run: http: port (\\d+): ")
          .matcher(p.err());
      assertThat(port.find()).as(p.err()).isTrue();
      String metrics = RunCommandTest.awaitBody(java.net.http.HttpClient.newHttpClient(),
          "http://127.0.0.1:" + port.group(1) + "/metrics",
          "tgsupport_client_duration_seconds_count{client=\"kaiten\",operation=\"create_card\",outcome=\"ok\"} 1\n");
      assertThat(metrics).contains(
          "tgsupport_client_duration_seconds_count{client=\"kaiten\",operation=\"users_current\",outcome=\"ok\"}",
          "tgsupport_client_duration_seconds_count{client=\"kaiten\",operation=\"list_comments\",outcome=\"ok\"}",
          "tgsupport_client_duration_seconds_count{client=\"kaiten\",operation=\"list_cards\",outcome=\"ok\"}");

      p.terminate();
      assertThat(p.waitFor(Duration.ofSeconds(60))).as(p.err()).isZero();
      assertThat(p.out()).isEmpty();
      assertThat(p.err()).doesNotContain(kaiten.token()).doesNotContain(BotSettingsTest.SECRET_PART)
          .doesNotContain("\tat ").doesNotContain("Exception");
      assertThat(kaiten.cards()).hasSize(1);
    }
    assertThat(TestPostgres.count("SELECT count(*) FROM " + schema + ".knowledge_entries WHERE status = 'draft'"
        + " AND source = 'kaiten'")).isEqualTo(1);

    // What it stored, through the tickets commands.
    Map<String, String> db = BotSettingsTest.map("DATABASE_URL", TestPostgres.urlFor(schema));
    RunCommandTest.Run list = RunCommandTest.run(db, "tickets", "list");
    assertThat(list.exit()).as(list.err()).isZero();
    assertThat(list.out().lines().toList()).singleElement().asString()
        .matches("1 resolved \\S+Z " + card.id() + " " + java.util.regex.Pattern.quote(QUESTION));

    RunCommandTest.Run show = RunCommandTest.run(db, "tickets", "show", "1");
    assertThat(show.exit()).as(show.err()).isZero();
    List<String> lines = show.out().lines().toList();
    assertThat(lines).contains("id: 1", "status: resolved", "question: " + QUESTION, "external_id: " + card.id(),
        "external_url: " + kaiten.baseUrl() + "/" + card.id(), "events: 3");
    assertThat(lines).anyMatch(l -> l.startsWith("user: ") && l.endsWith(", id 42"));
    assertThat(lines).anyMatch(l -> l.matches("event: \\S+ status bot: Kaiten card created: .*"));
    assertThat(lines).anyMatch(l -> l.matches("event: \\S+ comment Anna Support: " + java.util.regex.Pattern.quote(
        ANSWER)));
    assertThat(lines).anyMatch(l -> l.matches("event: \\S+ status kaiten: resolved"));

    RunCommandTest.Run json = RunCommandTest.run(db, "tickets", "show", "1", "--json");
    JsonNode o = new ObjectMapper().readTree(json.out());
    assertThat(o.path("status").asText()).isEqualTo("resolved");
    assertThat(o.path("user").path("id").asLong()).isEqualTo(42);
    assertThat(o.path("events").size()).isEqualTo(3);

    RunCommandTest.Run outbox = RunCommandTest.run(db, "tickets", "outbox");
    assertThat(outbox.exit()).as(outbox.err()).isZero();
    assertThat(outbox.out()).isEmpty();
  }

  @Test
  void aRejectedKaitenTokenStopsRunWithExitOneNamingTheVariable() throws Exception {
    String wrong = "0c1d2e3f-wrong-token-4a5b6c7d8e9f";
    try (JarProcess p = JarProcess.start(env("KAITEN_TOKEN", wrong), "run", "--storage", "memory")) {
      assertThat(p.waitFor(START)).isEqualTo(1);
      List<String> lines = p.errLines();
      assertThat(lines.get(lines.size() - 1))
          .startsWith("tgsupport run: KAITEN_TOKEN was rejected by Kaiten (401 Unauthorized)");
      assertThat(lines).noneMatch(l -> l.contains("running"));
      assertThat(p.err()).doesNotContain(wrong).doesNotContain("\tat ");
    }
  }

  @Test
  void withoutKaitenRunSaysSoAndTicketsWaitInTheOutbox() throws Exception {
    Map<String, String> env = env();
    env.keySet().removeIf(k -> k.startsWith("KAITEN_"));
    try (JarProcess p = JarProcess.start(env, "run")) {
      p.awaitErr(l -> l.startsWith("tgsupport run: running"), START);
      assertThat(p.errLines()).contains("tgsupport run: kaiten: none (KAITEN_BASE_URL is not set): tickets stay in"
          + " storage and the outbox waits");
      telegram.enqueue(UpdateSamples.privateText(1, 42, 10, QUESTION));
      awaitSent(42, 1);
      p.terminate();
      assertThat(p.waitFor(Duration.ofSeconds(60))).as(p.err()).isZero();
    }
    RunCommandTest.Run outbox = RunCommandTest.run(BotSettingsTest.map("DATABASE_URL", TestPostgres.urlFor(schema)),
        "tickets", "outbox");
    assertThat(outbox.out().lines().toList()).singleElement().asString()
        .matches("1 pending ticket\\.create 1 0 \\S+Z -");
  }
}
