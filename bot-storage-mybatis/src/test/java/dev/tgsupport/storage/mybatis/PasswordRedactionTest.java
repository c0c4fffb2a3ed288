package dev.tgsupport.storage.mybatis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.zaxxer.hikari.HikariDataSource;
import dev.tgsupport.core.InvalidInputException;
import dev.tgsupport.core.StorageUnavailableException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The database password never shows: not in what the storage and its pool log (at DEBUG, through slf4j-simple to
 * System.err, see simplelogger.properties), not in {@code toString()}, not in any exception or cause. Needs no
 * server: nothing listens on port 1, so every connection attempt fails.
 */
class PasswordRedactionTest {
  private static final String PASSWORD = "Sup3rS3cret";
  private static final Duration FAST = Duration.ofMillis(250);

  private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
  private PrintStream originalErr;
  private PrintStream originalOut;

  @BeforeEach
  void captureConsole() {
    originalErr = System.err;
    originalOut = System.out;
    PrintStream capture = new PrintStream(captured, true, StandardCharsets.UTF_8);
    System.setErr(capture);
    System.setOut(capture);
  }

  @AfterEach
  void restoreConsole() {
    System.setErr(originalErr);
    System.setOut(originalOut);
    // Show what was captured, for whoever reads the report.
    originalErr.println(console());
  }

  private String console() {
    return captured.toString(StandardCharsets.UTF_8);
  }

  @Test
  void aPasswordInAPostgresUrlIsNeverLoggedShownOrThrown() {
    assertPasswordNeverAppears(() -> MyBatisStorage.builder()
        .url("postgres://postgres:" + PASSWORD + "@127.0.0.1:1/test").connectionTimeout(FAST).build());
  }

  @Test
  void aPasswordInAJdbcUrlIsNeverLoggedShownOrThrown() {
    assertPasswordNeverAppears(() -> MyBatisStorage.builder()
        .url("jdbc:postgresql://127.0.0.1:1/test?user=postgres&password=" + PASSWORD + "&sslmode=disable")
        .connectionTimeout(FAST).build());
  }

  @Test
  void aPasswordGivenToTheBuilderIsNeverLoggedShownOrThrown() {
    assertPasswordNeverAppears(() -> MyBatisStorage.builder().url("jdbc:postgresql://127.0.0.1:1/test")
        .user("postgres").password(PASSWORD).schema("tenant_a").connectionTimeout(FAST).build());
  }

  private void assertPasswordNeverAppears(Supplier<MyBatisStorage> build) {
    StringBuilder seen = new StringBuilder();
    try (MyBatisStorage storage = build.get()) {
      HikariDataSource pool = (HikariDataSource) storage.dataSource();
      // The password is not dropped on the way: the pool has it, just never shows it.
      assertThat(pool.getPassword()).isEqualTo(PASSWORD);
      assertThat(pool.getUsername()).isEqualTo("postgres");
      seen.append(storage).append('\n').append(pool).append('\n').append(pool.getJdbcUrl()).append('\n');

      Throwable transaction = catchThrowable(() -> storage.inTransaction(s -> s.users().find(42)));
      Throwable migration = catchThrowable(() -> storage.migrations().up());

      assertThat(transaction).isInstanceOf(StorageUnavailableException.class);
      assertThat(migration).isInstanceOf(StorageUnavailableException.class);
      seen.append(everything(transaction)).append(everything(migration));
    }
    String console = console();
    // The capture works: the pool logged its configuration and the failed attempts.
    assertThat(console).contains("tgsupport - configuration").contains("127.0.0.1:1");
    assertThat(seen.toString()).contains("127.0.0.1:1").doesNotContain(PASSWORD);
    assertThat(console).doesNotContain(PASSWORD);
  }

  @Test
  void malformedUrlsWithAPasswordAreRefusedWithoutShowingIt() {
    for (String url : new String[] {
        "postgres://postgres:" + PASSWORD + "@/test",
        "postgres://postgres:" + PASSWORD + "@127.0.0.1:1/",
        "mysql://postgres:" + PASSWORD + "@127.0.0.1:1/test",
        "jdbc:mysql://127.0.0.1:1/test?user=postgres&password=" + PASSWORD,
        "postgres://postgres:" + PASSWORD + "@127.0.0.1:1/test\u0000"}) {
      Throwable thrown = catchThrowable(() -> MyBatisStorage.builder().url(url).build().close());

      assertThat(thrown).as(url).isInstanceOf(InvalidInputException.class);
      assertThat(everything(thrown)).as(url).contains("databaseUrl").doesNotContain(PASSWORD);
    }
    assertThat(console()).doesNotContain(PASSWORD);
  }

  @Test
  void passwordsWithUnencodedSpecialCharactersAreNotShownEither() {
    for (String password : new String[] {"Sup3r@S3cret", "Sup3r/S3cret", "Sup3r S3cret"}) {
      String url = "postgres://postgres:" + password + "@127.0.0.1:1/test";

      Throwable thrown = catchThrowable(() -> MyBatisStorage.builder().url(url).build().close());

      assertThat(thrown).as(url).isInstanceOf(InvalidInputException.class);
      assertThat(everything(thrown)).as(url).doesNotContain("S3cret");
    }
  }

  /** toString, message and stack trace of the exception, its causes and suppressed exceptions. */
  private static String everything(Throwable t) {
    StringWriter out = new StringWriter();
    t.printStackTrace(new PrintWriter(out));
    return out.toString();
  }
}
