package dev.tgsupport.kaiten;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tgsupport.core.memory.InMemoryReplyGateway;
import dev.tgsupport.core.model.TicketStatus;
import dev.tgsupport.core.port.Stores;
import dev.tgsupport.core.port.SyncLogStore.SyncRun;
import dev.tgsupport.kaiten.fake.FakeKaitenServer;
import dev.tgsupport.storage.mybatis.MyBatisStorage;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
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
}
