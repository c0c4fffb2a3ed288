package dev.tgsupport.storage.mybatis;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MigrationsIT {
  private String schema;
  private MyBatisStorage storage;

  @BeforeEach
  void setUp() {
    schema = TestDatabase.createSchema("migrations");
    storage = MyBatisStorage.builder().url(TestDatabase.url()).schema(schema).build();
  }

  @AfterEach
  void tearDown() {
    storage.close();
    TestDatabase.dropSchema(schema);
  }

  private List<String> tables() throws Exception {
    List<String> out = new ArrayList<>();
    try (Connection c = TestDatabase.connect(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT table_name FROM information_schema.tables WHERE table_schema = '"
            + schema + "' ORDER BY table_name")) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }

  @Test
  void upCreatesEveryTableAndIsIdempotent() throws Exception {
    Migrations m = storage.migrations();
    assertThat(m.status()).allMatch(s -> !s.applied());
    assertThat(m.up()).isEqualTo(m.known());
    assertThat(m.isCurrent()).isTrue();
    assertThat(tables()).containsExactly("changelog", "chats", "knowledge_entries", "messages", "outbox",
        "spam_samples", "sync_log", "telegram_updates", "ticket_events", "tickets", "users");
    assertThat(m.up()).isZero();
    assertThat(m.status()).allMatch(Migrations.Status::applied);
  }

  @Test
  void instancesStartingTogetherMigrateOnceAndAllSucceed() throws Exception {
    int instances = 4;
    List<MyBatisStorage> storages = new ArrayList<>();
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(instances);
    try {
      java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
      List<java.util.concurrent.Future<Integer>> applied = new ArrayList<>();
      for (int i = 0; i < instances; i++) {
        MyBatisStorage s = MyBatisStorage.builder().url(TestDatabase.url()).schema(schema).maximumPoolSize(2).build();
        storages.add(s);
        applied.add(pool.submit(() -> {
          go.await();
          return s.migrations().up();
        }));
      }
      go.countDown();
      int total = 0;
      for (java.util.concurrent.Future<Integer> f : applied) {
        total += f.get(60, java.util.concurrent.TimeUnit.SECONDS);
      }
      // Exactly one instance applied the scripts; the others waited for the lock and found nothing to do.
      assertThat(total).isEqualTo(storage.migrations().known());
      assertThat(storage.migrations().isCurrent()).isTrue();
    } finally {
      pool.shutdownNow();
      storages.forEach(MyBatisStorage::close);
    }
  }

  @Test
  void downToZeroThenUpAgainRebuildsTheSchema() throws Exception {
    Migrations m = storage.migrations();
    m.up();
    assertThat(m.downAll()).isEqualTo(m.known());
    assertThat(tables()).isEmpty();
    assertThat(m.up()).isEqualTo(m.known());
    assertThat(tables()).contains("messages", "tickets");
  }

  @Test
  void downOneStepUndoesOnlyTheLatestScript() throws Exception {
    Migrations m = storage.migrations();
    m.up();
    assertThat(m.down(1)).isEqualTo(1);
    assertThat(tables()).doesNotContain("spam_samples").contains("telegram_updates");
    assertThat(indexes("knowledge_entries")).contains("knowledge_question_key");
    assertThat(m.down(1)).isEqualTo(1);
    assertThat(indexes("knowledge_entries")).doesNotContain("knowledge_question_key").contains("knowledge_status");
    assertThat(columns("outbox")).contains("parked_at");
    assertThat(m.down(1)).isEqualTo(1);
    assertThat(columns("outbox")).doesNotContain("parked_at");
    assertThat(m.down(1)).isEqualTo(1);
    assertThat(tables()).containsExactly("changelog", "chats", "knowledge_entries", "messages", "outbox",
        "sync_log", "ticket_events", "tickets", "users");
    assertThat(m.status()).filteredOn(Migrations.Status::applied).hasSize(m.known() - 4);
  }

  /** Undoes every applied script from the latest back to and including script {@code id}. */
  private static void undoThrough(Migrations m, String id) {
    long later = m.status().stream().filter(Migrations.Status::applied).filter(st -> st.id().compareTo(id) >= 0)
        .count();
    assertThat(later).isPositive();
    assertThat(m.down((int) later)).isEqualTo((int) later);
  }

  private List<String> indexes(String table) throws Exception {
    try (Connection c = TestDatabase.connect(); Statement s = c.createStatement()) {
      return strings(s, "SELECT indexname FROM pg_indexes WHERE schemaname = '" + schema + "' AND tablename = '"
          + table + "' ORDER BY indexname");
    }
  }

  private List<String> columns(String table) throws Exception {
    try (Connection c = TestDatabase.connect(); Statement s = c.createStatement()) {
      return strings(s, "SELECT column_name FROM information_schema.columns WHERE table_schema = '" + schema
          + "' AND table_name = '" + table + "' ORDER BY column_name");
    }
  }

  @Test
  void undoingParkingHidesParkedEntriesFromTheOldQueriesButKeepsThemAndTheirErrors() throws Exception {
    Migrations m = storage.migrations();
    m.up();
    try (Connection c = TestDatabase.connect(); Statement s = c.createStatement()) {
      s.execute("SET search_path = " + schema + ", public");
      s.execute("INSERT INTO outbox (kind, payload, last_error, parked_at) VALUES"
          + " ('ticket.create', '{\"n\": 1}', 'Kaiten answered 400', now()),"
          + " ('ticket.create', '{\"n\": 2}', NULL, NULL)");
      s.execute("INSERT INTO sync_log (integration, kind, status, finished_at) VALUES ('kaiten', 'poll', 'ok', now())");

      undoThrough(m, "20261123000004");

      assertThat(strings(s, "SELECT payload->>'n' || ' ' || (deleted_at IS NOT NULL) || ' ' || tags::text || ' '"
          + " || coalesce(last_error, '-') FROM outbox ORDER BY id"))
          .containsExactly("1 true {parked} Kaiten answered 400", "2 false {} -");
      // The old, looser sync_log accepts what the new rules refuse.
      assertThat(catchSql(s, "INSERT INTO sync_log (integration, kind, status) VALUES ('kaiten', 'poll', 'weird')"))
          .isEqualTo("no error");
      s.execute("DELETE FROM sync_log WHERE status = 'weird'");
    }
    assertThat(m.up()).isPositive();
    assertThat(m.isCurrent()).isTrue();
  }

  @Test
  void theParkingScriptRefusesAnUnknownSyncStatusAFinishedRunningRunAndNegativeCounts() throws Exception {
    storage.migrations().up();
    try (Connection c = TestDatabase.connect(); Statement s = c.createStatement()) {
      s.execute("SET search_path = " + schema + ", public");
      String insert = "INSERT INTO sync_log (integration, kind, status, finished_at, records) VALUES ";
      assertThat(catchSql(s, insert + "('kaiten', 'poll', 'done', now(), 0)")).contains("sync_log_status_check");
      assertThat(catchSql(s, insert + "('kaiten', 'poll', 'running', now(), 0)")).contains("sync_log_finished_check");
      assertThat(catchSql(s, insert + "('kaiten', 'poll', 'ok', NULL, 0)")).contains("sync_log_finished_check");
      assertThat(catchSql(s, insert + "('kaiten', 'poll', 'ok', now(), -1)")).contains("sync_log_records_check");
      assertThat(catchSql(s, insert + "('kaiten', 'poll', 'failed', now(), 3)")).isEqualTo("no error");
    }
  }

  @Test
  void undoingEditsAndAttachmentsKeepsEveryRowAndMapsNewValuesToOldOnes() throws Exception {
    Migrations m = storage.migrations();
    m.up();
    try (Connection c = TestDatabase.connect(); Statement s = c.createStatement()) {
      s.execute("SET search_path = " + schema + ", public");
      s.execute("INSERT INTO users (id, first_name) VALUES (1, 'a')");
      s.execute("INSERT INTO chats (id, type) VALUES (1, 'private')");
      s.execute("INSERT INTO messages (chat_id, telegram_message_id, direction, user_id, message_type, sent_at,"
          + " attachment_type, attachment_file_id, edited_at) VALUES"
          + " (1, 1, 'in', 1, 'video', now(), 'video', 'file-1', now()),"
          + " (1, 2, 'in', 1, 'photo', now(), 'photo', 'file-2', NULL),"
          + " (1, 3, 'in', 1, 'location', now(), NULL, NULL, NULL)");
      s.execute("INSERT INTO tickets (message_id, chat_id, user_id) SELECT id, 1, 1 FROM messages"
          + " WHERE telegram_message_id = 1");
      s.execute("INSERT INTO ticket_events (ticket_id, kind, author, body) SELECT id, 'edit', '@a', 'new text'"
          + " FROM tickets");
      s.execute("INSERT INTO telegram_updates (update_id, kind, payload) VALUES (1, 'poll', '{}')");

      // The later scripts first, then the edits script.
      undoThrough(m, "20261123000003");

      assertThat(strings(s, "SELECT message_type FROM messages ORDER BY telegram_message_id"))
          .containsExactly("other", "photo", "other");
      assertThat(strings(s, "SELECT kind || ' ' || author || ' ' || body FROM ticket_events"))
          .containsExactly("comment @a new text");
      assertThat(strings(s, "SELECT column_name FROM information_schema.columns WHERE table_schema = '" + schema
          + "' AND table_name = 'messages' AND (column_name LIKE 'attachment%' OR column_name = 'edited_at')"))
          .isEmpty();
      // The old constraints are back.
      assertThat(catchSql(s, "UPDATE messages SET message_type = 'video'")).contains("messages_message_type_check");
      assertThat(catchSql(s, "UPDATE ticket_events SET kind = 'edit'")).contains("ticket_events_kind_check");
    }
    assertThat(m.up()).isPositive();
    assertThat(m.isCurrent()).isTrue();
  }

  private static List<String> strings(Statement s, String sql) throws Exception {
    List<String> out = new ArrayList<>();
    try (ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }

  private static String catchSql(Statement s, String sql) {
    try {
      s.execute(sql);
      return "no error";
    } catch (java.sql.SQLException e) {
      return e.getMessage();
    }
  }

  @Test
  void theEditsScriptRefusesAnAttachmentWithoutAFileIdOrWithANegativeSize() throws Exception {
    storage.migrations().up();
    try (Connection c = TestDatabase.connect(); Statement s = c.createStatement()) {
      s.execute("SET search_path = " + schema + ", public");
      s.execute("INSERT INTO users (id, first_name) VALUES (1, 'a')");
      s.execute("INSERT INTO chats (id, type) VALUES (1, 'private')");
      String insert = "INSERT INTO messages (chat_id, telegram_message_id, direction, user_id, message_type, sent_at,"
          + " attachment_type, attachment_file_id, attachment_file_name, attachment_file_size) VALUES ";
      assertThat(catchSql(s, insert + "(1, 1, 'in', 1, 'photo', now(), 'photo', NULL, NULL, NULL)"))
          .contains("messages_attachment_whole");
      assertThat(catchSql(s, insert + "(1, 2, 'in', 1, 'photo', now(), NULL, NULL, 'a.jpg', NULL)"))
          .contains("messages_attachment_whole");
      assertThat(catchSql(s, insert + "(1, 3, 'in', 1, 'photo', now(), 'photo', 'f', NULL, -1)"))
          .contains("messages_attachment_file_size_check");
      assertThat(catchSql(s, insert + "(1, 4, 'in', 1, 'photo', now(), 'gif', 'f', NULL, NULL)"))
          .contains("messages_attachment_type_check");
      assertThat(catchSql(s, insert + "(1, 5, 'in', 1, 'animation', now(), 'animation', 'f', 'a.mp4', 10)"))
          .isEqualTo("no error");
    }
  }

  @Test
  void everyScriptInTheSourceTreeIsListed() throws Exception {
    var dir = java.nio.file.Path.of("src/main/resources", ClasspathMigrationLoader.BASE);
    List<String> files;
    try (var stream = java.nio.file.Files.list(dir)) {
      files = stream.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".sql")).sorted().toList();
    }
    List<String> listed = new ClasspathMigrationLoader().getMigrations().stream().map(c -> c.getFilename()).toList();
    assertThat(listed).containsExactlyElementsOf(files);
  }

  @Test
  void updatedAtIsKeptByTheTrigger() throws Exception {
    storage.migrations().up();
    try (Connection c = TestDatabase.connect(); Statement s = c.createStatement()) {
      s.execute("SET search_path = " + schema + ", public");
      s.execute("INSERT INTO users (id, first_name, updated_at) VALUES (1, 'a', now() - interval '1 day')");
      s.execute("UPDATE users SET first_name = 'b' WHERE id = 1");
      try (ResultSet rs = s.executeQuery("SELECT updated_at > now() - interval '1 minute' FROM users")) {
        rs.next();
        assertThat(rs.getBoolean(1)).isTrue();
      }
    }
  }
}
