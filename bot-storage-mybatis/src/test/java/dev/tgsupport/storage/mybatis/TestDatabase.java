package dev.tgsupport.storage.mybatis;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * The PostgreSQL server every storage test uses: Testcontainers' PostgreSQL when a Docker engine is available,
 * otherwise the server named by {@code TGSUPPORT_TEST_JDBC_URL} (default: the local test database). Each test class
 * gets its own freshly migrated schema and drops it afterwards.
 */
final class TestDatabase {
  static final String DEFAULT_URL = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";
  private static volatile String url;

  private TestDatabase() {}

  static synchronized String url() {
    if (url == null) {
      String configured = System.getenv("TGSUPPORT_TEST_JDBC_URL");
      if (configured != null && !configured.isBlank()) {
        url = configured;
      } else if (dockerAvailable()) {
        PostgreSQLContainer pg = new PostgreSQLContainer("postgres:15-alpine");
        pg.start();
        Runtime.getRuntime().addShutdownHook(new Thread(pg::stop));
        url = pg.getJdbcUrl() + (pg.getJdbcUrl().contains("?") ? "&" : "?") + "user=" + pg.getUsername()
            + "&password=" + pg.getPassword();
      } else {
        url = DEFAULT_URL;
      }
    }
    return url;
  }

  private static boolean dockerAvailable() {
    // Asking Testcontainers costs seconds of probing when there is no socket at all; skip it then.
    if (!Files.exists(Path.of("/var/run/docker.sock")) && System.getenv("DOCKER_HOST") == null) {
      return false;
    }
    try {
      return DockerClientFactory.instance().isDockerAvailable();
    } catch (RuntimeException e) {
      return false;
    }
  }

  static Connection connect() throws SQLException {
    return DriverManager.getConnection(url());
  }

  /** Creates an empty schema with a unique name. */
  static String createSchema(String prefix) {
    String schema = ("t_" + prefix + "_" + UUID.randomUUID().toString().substring(0, 8)).toLowerCase();
    exec("CREATE SCHEMA " + schema);
    return schema;
  }

  static void dropSchema(String schema) {
    exec("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
  }

  static void exec(String sql) {
    try (Connection c = connect(); Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(sql + ": " + e.getMessage(), e);
    }
  }

  /** A storage on a new schema, migrated up. Close it and drop the schema afterwards. */
  static MyBatisStorage migratedStorage(String schema) {
    MyBatisStorage storage = MyBatisStorage.builder().url(url()).schema(schema).maximumPoolSize(8).build();
    storage.migrations().up();
    return storage;
  }

  /** Empties every table of a schema, restarting its sequences. */
  static void truncateAll(String schema) {
    exec("TRUNCATE " + schema + ".spam_samples, " + schema + ".telegram_updates, " + schema + ".sync_log, " + schema + ".outbox, " + schema
        + ".knowledge_entries, " + schema + ".ticket_events, " + schema + ".tickets, " + schema + ".messages, "
        + schema + ".chats, " + schema + ".users RESTART IDENTITY CASCADE");
  }
}
