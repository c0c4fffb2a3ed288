package dev.tgsupport.sample;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * The PostgreSQL server the sample-app ITs use: {@code TGSUPPORT_TEST_JDBC_URL} when set, else the local test
 * database. Each test works in a schema of its own, created here with plain JDBC and dropped afterwards.
 */
final class TestPostgres {
  static final String DEFAULT_URL = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";

  private TestPostgres() {}

  static String url() {
    String configured = System.getenv("TGSUPPORT_TEST_JDBC_URL");
    return configured != null && !configured.isBlank() ? configured : DEFAULT_URL;
  }

  /** True for the default server, which trusts local connections and so ignores any password in the URL. */
  static boolean trustsPasswords() {
    return url().equals(DEFAULT_URL);
  }

  /** The server's URL narrowed to {@code schema}: what a user passes to {@code --database-url}. */
  static String urlFor(String schema) {
    String url = url();
    return url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema;
  }

  static String createSchema(String prefix) {
    String schema = ("it_" + prefix + "_" + UUID.randomUUID().toString().substring(0, 8)).toLowerCase();
    exec("CREATE SCHEMA " + schema);
    return schema;
  }

  static void dropSchema(String schema) {
    exec("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
  }

  static long count(String sql) {
    try (Connection c = DriverManager.getConnection(url()); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new IllegalStateException(sql + ": " + e.getMessage(), e);
    }
  }

  private static void exec(String sql) {
    try (Connection c = DriverManager.getConnection(url()); Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(sql + ": " + e.getMessage(), e);
    }
  }
}
