package dev.tgsupport.sample;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tgsupport.kaiten.fake.FakeKaitenServer;
import dev.tgsupport.storage.mybatis.MyBatisStorage;
import dev.tgsupport.telegram.fake.FakeTelegramServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code tgsupport tickets list|show|outbox|unpark|sync} on PostgreSQL, with tickets the demo opened. */
class TicketsCommandIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private String schema;
  private String url;

  @BeforeEach
  void seed() {
    schema = TestPostgres.createSchema("tickets");
    url = TestPostgres.urlFor(schema);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    byte[] in = ("Why does the zebra widget flicker on Tuesdays?\nHow do I reset my password?\n"
        + "позовите оператора\n").getBytes(UTF_8);
    int exit = TgSupportCli.execute(Io.of(new ByteArrayInputStream(in), out, err), Map.of(),
        new RunCommandTest.ManualStop(), "demo", "--storage", "postgres", "--database-url", url);
    assertThat(exit).as(err.toString(UTF_8)).isZero();
  }

  @AfterEach
  void drop() {
    TestPostgres.dropSchema(schema);
  }

  private RunCommandTest.Run tickets(String... args) {
    String[] all = new String[args.length + 3];
    all[0] = "tickets";
    System.arraycopy(args, 0, all, 1, args.length);
    all[args.length + 1] = "--database-url";
    all[args.length + 2] = url;
    return RunCommandTest.run(Map.of(), all);
  }

  @Test
  void listIsNewestFirstOneLinePerTicketOrOneJsonObject() throws Exception {
    RunCommandTest.Run r = tickets("list");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.err()).isEmpty();
    List<String> lines = r.out().lines().toList();
    assertThat(lines).hasSize(2);
    assertThat(lines.get(0)).matches("2 open \\S+Z - Asked for a person: позовите оператора");
    assertThat(lines.get(1)).matches("1 open \\S+Z - Why does the zebra widget flicker on Tuesdays\\?");

    RunCommandTest.Run limited = tickets("list", "--limit", "1", "--json");
    JsonNode o = JSON.readTree(limited.out());
    assertThat(limited.out().lines().toList()).hasSize(1);
    assertThat(o.path("id").asLong()).isEqualTo(2);
    assertThat(o.path("status").asText()).isEqualTo("open");
    assertThat(o.path("external_id").isNull()).isTrue();
    List<String> keys = iterable(o);
    assertThat(keys).containsExactly("id", "status", "title", "created_at", "resolved_at", "user_id", "chat_id",
        "external_id");

    assertThat(tickets("list", "--status", "resolved").out()).isEmpty();
    assertThat(tickets("list", "--status", "active").out().lines().toList()).hasSize(2);
  }

  private static List<String> iterable(JsonNode o) {
    List<String> keys = new java.util.ArrayList<>();
    o.fieldNames().forEachRemaining(keys::add);
    return keys;
  }

  @Test
  void showPrintsTheTicketItsQuestionUserAndChat() throws Exception {
    RunCommandTest.Run r = tickets("show", "1");
    assertThat(r.exit()).as(r.err()).isZero();
    List<String> lines = r.out().lines().toList();
    assertThat(lines.get(0)).isEqualTo("id: 1");
    assertThat(lines).contains("status: open", "title: Why does the zebra widget flicker on Tuesdays?",
        "resolved_at: ", "user: Demo User (@demo_user), id 1001", "chat: 1001, private, Demo User (@demo_user)",
        "question: Why does the zebra widget flicker on Tuesdays?", "message_id: 1 / 1", "external_id: ",
        "external_url: ", "events: 0");
    JsonNode o = JSON.readTree(tickets("show", "1", "--json").out());
    assertThat(o.path("user").path("username").asText()).isEqualTo("demo_user");
    assertThat(o.path("chat").path("type").asText()).isEqualTo("private");
    assertThat(o.path("events").isArray()).isTrue();

    RunCommandTest.Run missing = tickets("show", "99");
    assertThat(missing.exit()).isEqualTo(1);
    assertThat(missing.err()).startsWith("tgsupport tickets show: no ticket #99 in ").hasLineCount(1);
  }

  @Test
  void outboxShowsPendingAndParkedRowsAndUnparkMakesOneDueAgain() throws Exception {
    RunCommandTest.Run r = tickets("outbox");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out().lines().toList()).satisfiesExactly(
        l -> assertThat(l).matches("1 pending ticket\\.create 1 0 \\S+Z -"),
        l -> assertThat(l).matches("2 pending ticket\\.create 2 0 \\S+Z -"));

    try (MyBatisStorage storage = MyBatisStorage.builder().url(url).maximumPoolSize(1).build()) {
      storage.run(s -> s.outbox().park(2, "NonRetriableException: Kaiten refused POST /cards (400)", Instant.now()));
    }
    List<String> lines = tickets("outbox").out().lines().toList();
    assertThat(lines).hasSize(2);
    assertThat(lines.get(1)).matches("2 parked ticket\\.create 2 0 \\S+Z NonRetriableException: Kaiten refused POST"
        + " /cards \\(400\\)");
    assertThat(tickets("outbox", "--parked").out().lines().toList()).singleElement().asString().startsWith("2 parked");
    JsonNode o = JSON.readTree(tickets("outbox", "--parked", "--json").out());
    assertThat(iterable(o)).containsExactly("id", "state", "kind", "ticket_id", "attempts", "next_attempt_at",
        "last_error", "created_at", "parked_at");
    assertThat(o.path("state").asText()).isEqualTo("parked");
    assertThat(o.path("ticket_id").asLong()).isEqualTo(2);

    RunCommandTest.Run unpark = tickets("unpark", "2");
    assertThat(unpark.exit()).as(unpark.err()).isZero();
    assertThat(unpark.out()).isEqualTo("unparked: 2\n");
    assertThat(tickets("outbox", "--parked").out()).isEmpty();
    RunCommandTest.Run again = tickets("unpark", "2");
    assertThat(again.exit()).isEqualTo(1);
    assertThat(again.err()).startsWith("tgsupport tickets unpark: outbox row 2 is not parked");
  }

  @Test
  void syncCreatesTheCardsOfTheOutboxAndPrintsCounts() throws Exception {
    try (FakeKaitenServer kaiten = FakeKaitenServer.builder().noRateLimit().start();
        FakeTelegramServer telegram = FakeTelegramServer.start()) {
      Map<String, String> env = BotSettingsTest.map("DATABASE_URL", url, "TELEGRAM_BOT_TOKEN", telegram.token(),
          "TELEGRAM_API_URL", telegram.baseUrl(), "KAITEN_BASE_URL", kaiten.baseUrl(), "KAITEN_TOKEN",
          kaiten.token(), "KAITEN_BOARD_ID", "10", "KAITEN_COLUMN_ID", "100");
      RunCommandTest.Run r = RunCommandTest.run(env, "tickets", "sync");
      assertThat(r.exit()).as(r.err()).isZero();
      assertThat(r.out().lines().toList()).containsExactly("outbox_claimed: 2", "synced: 0", "pending: 0",
          "parked: 0");
      assertThat(kaiten.cards()).hasSize(2);
      long card = kaiten.cardsByExternalId("tgsupport-1").get(0).id();
      assertThat(tickets("show", "1").out()).contains("external_id: " + card + "\n",
          "external_url: " + kaiten.baseUrl() + "/" + card + "\n", "events: 1\n");

      kaiten.staffComment(card, "Restart it.");
      RunCommandTest.Run again = RunCommandTest.run(env, "tickets", "sync", "--json");
      assertThat(again.exit()).as(again.err()).isZero();
      JsonNode o = JSON.readTree(again.out());
      assertThat(o.path("outbox_claimed").asInt()).isZero();
      assertThat(o.path("synced").asInt()).isEqualTo(1);
      assertThat(telegram.sentMessages(1001)).singleElement().satisfies(m ->
          assertThat(m.text()).contains("Restart it."));
      assertThat(r.err() + again.err()).doesNotContain(kaiten.token());
    }
  }
}
