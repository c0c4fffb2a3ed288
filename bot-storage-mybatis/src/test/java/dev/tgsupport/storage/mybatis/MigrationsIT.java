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
        "sync_log", "ticket_events", "tickets", "users");
    assertThat(m.up()).isZero();
    assertThat(m.status()).allMatch(Migrations.Status::applied);
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
    assertThat(tables()).containsExactly("changelog");
    assertThat(m.status()).filteredOn(Migrations.Status::applied).hasSize(m.known() - 1);
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
