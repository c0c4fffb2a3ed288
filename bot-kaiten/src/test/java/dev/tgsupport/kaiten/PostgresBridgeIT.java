package dev.tgsupport.kaiten;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tgsupport.core.knowledge.KnowledgeBase;
import dev.tgsupport.core.memory.InMemoryReplyGateway;
import dev.tgsupport.core.model.KnowledgeEntry;
import dev.tgsupport.core.model.KnowledgeStatus;
import dev.tgsupport.core.model.Ticket;
import dev.tgsupport.core.model.TicketEvent;
import dev.tgsupport.core.model.TicketEventKind;
import dev.tgsupport.core.model.TicketStatus;
import dev.tgsupport.core.port.Stores;
import dev.tgsupport.core.port.SyncLogStore.SyncRun;
import dev.tgsupport.core.text.LexicalKnowledgeRetriever;
import dev.tgsupport.kaiten.fake.FakeKaitenServer;
import dev.tgsupport.storage.mybatis.MyBatisStorage;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The bridge on real PostgreSQL (bot-storage-mybatis), in a schema of its own created and dropped here. */
class PostgresBridgeIT {
  private static final Logger log = LoggerFactory.getLogger(PostgresBridgeIT.class);
  private static final String URL =
      System.getProperty("tgsupport.test.pg", "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");
  private String schema;
  private MyBatisStorage storage;

  // A schema per test: fakes restart card ids, so cards of one test must not meet tickets of another.
  @BeforeEach
  void createSchema() {
    schema = "kaiten_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12).toLowerCase(Locale.ROOT);
    try {
      exec("CREATE SCHEMA " + schema);
    } catch (SQLException e) {
      assumeTrue(false, "PostgreSQL not reachable at " + URL + ": " + e.getMessage());
    }
    storage = MyBatisStorage.builder().url(URL).schema(schema).build();
    storage.migrations().up();
  }

  @AfterEach
  void dropSchema() throws SQLException {
    if (storage != null) {
      storage.close();
    }
    if (schema != null) {
      exec("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    }
  }

  private static void exec(String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection(URL); Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  @Test
  void exactlyOneCardPerTicketWithRandomFaults() throws Exception {
    try (FakeKaitenServer kaiten = FakeKaitenServer.builder().noRateLimit().start()) {
      ExactlyOnceIT.Result r = ExactlyOnceIT.run(kaiten, storage, 200, 7L);
      ExactlyOnceIT.assertExactlyOnce(kaiten, storage, r.ids());
      log.info("exactly-once on PostgreSQL: {} tickets, {} cards, {} POST /cards, {} faults, {} kills, {} ms",
          r.ids().size(), kaiten.cards().size(), kaiten.requests("POST", "/cards").size(), r.faults(), r.kills(),
          r.millis());
    }
  }

  @Test
  void staffReplyAndResolutionReachTheUser() {
    try (FakeKaitenServer kaiten = FakeKaitenServer.builder().noRateLimit().start()) {
      KaitenConfig config = TestClients.config(kaiten).requestsPerSecond(50).build();
      InMemoryReplyGateway replies = InMemoryReplyGateway.create();
      try (KaitenBridge bridge = KaitenBridge.builder().config(config).transactions(storage).replies(replies)
          .client(new KaitenClient(config, TestClients.fastTuning())).build()) {
        var t = TestTickets.open(storage, 990_001, "Where is my invoice?");
        bridge.drainOutboxOnce();
        long cardId = kaiten.cardsByExternalId("tgsupport-" + t.id()).get(0).id();
        kaiten.staffComment(cardId, "Sent it again to your mail.");
        kaiten.moveToDone(cardId);

        bridge.syncCard(cardId);
        bridge.syncCard(cardId);

        assertThat(replies.sent()).hasSize(2);
        assertThat(storage.inTransaction((Stores s) -> s.tickets().find(t.id())).orElseThrow().status())
            .isEqualTo(TicketStatus.RESOLVED);
        List<SyncRun> runs = storage.inTransaction((Stores s) -> s.syncLog().recent("kaiten", 50));
        assertThat(runs).extracting(SyncRun::kind).contains("outbox", "webhook");
      }
    }
  }

  @Test
  void aCardsLifecycleReopensResolvesAgainAndClosesOnPostgres() {
    try (FakeKaitenServer kaiten = FakeKaitenServer.builder().noRateLimit().start()) {
      kaiten.webhooksEnabled(false);
      KaitenConfig config = TestClients.config(kaiten).requestsPerSecond(50).build();
      InMemoryReplyGateway replies = InMemoryReplyGateway.create();
      KnowledgeBase knowledge = new KnowledgeBase(storage, LexicalKnowledgeRetriever.create(), Clock.systemUTC());
      try (KaitenBridge bridge = KaitenBridge.builder().config(config).transactions(storage).replies(replies)
          .knowledge(knowledge).client(new KaitenClient(config, TestClients.fastTuning())).build()) {
        Ticket reopened = TestTickets.open(storage, 990_001, "Where is my invoice?");
        Ticket deleted = TestTickets.open(storage, 990_002, "Can I pay by card?");
        bridge.drainOutboxOnce();
        long card = kaiten.cardsByExternalId("tgsupport-" + reopened.id()).get(0).id();
        kaiten.staffComment(card, "Sent it again to your mail.");
        kaiten.moveToDone(card);
        bridge.syncOnce();
        kaiten.moveTo(card, FakeKaitenServer.IN_PROGRESS_COLUMN_ID);
        kaiten.staffComment(card, "It bounced: which address should we use?");
        bridge.syncOnce();
        assertThat(status(reopened)).isEqualTo(TicketStatus.IN_PROGRESS);
        kaiten.moveToDone(card);
        kaiten.deleteCard(kaiten.cardsByExternalId("tgsupport-" + deleted.id()).get(0).id());

        bridge.syncOnce();
        assertThat(bridge.syncOnce()).isZero();

        assertThat(status(reopened)).isEqualTo(TicketStatus.RESOLVED);
        assertThat(status(deleted)).isEqualTo(TicketStatus.CLOSED);
        assertThat(replies.sent()).hasSize(6);
        List<String> keys = storage.inTransaction((Stores s) -> s.ticketEvents().list(reopened.id())).stream()
            .filter(e -> e.kind() == TicketEventKind.STATUS && e.author().equals("kaiten"))
            .map(TicketEvent::externalId).toList();
        assertThat(keys).hasSize(3).doesNotHaveDuplicates();
        assertThat(knowledge.list(KnowledgeStatus.DRAFT)).singleElement().extracting(KnowledgeEntry::answer)
            .isEqualTo("It bounced: which address should we use?");
        assertThat(storage.inTransaction((Stores s) -> s.tickets().listActiveLinked(0, 10))).isEmpty();
      }
    }
  }

  private TicketStatus status(Ticket t) {
    return storage.inTransaction((Stores s) -> s.tickets().find(t.id())).orElseThrow().status();
  }
}
