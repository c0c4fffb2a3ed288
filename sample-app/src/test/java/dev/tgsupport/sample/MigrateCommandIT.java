package dev.tgsupport.sample;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tgsupport.sample.DemoCommandTest.Run;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code tgsupport migrate} against a fresh schema of the test server, in-process and once through the jar. */
class MigrateCommandIT {
  private static final String APPLIED = "\\d{14} \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)? ";
  private String schema;
  private String url;

  @BeforeEach
  void createSchema() {
    schema = TestPostgres.createSchema("migrate");
    url = TestPostgres.urlFor(schema);
  }

  @AfterEach
  void dropSchema() {
    TestPostgres.dropSchema(schema);
  }

  private Run migrate(String... args) {
    List<String> all = new ArrayList<>(List.of("migrate"));
    all.addAll(List.of(args));
    return DemoCommandTest.run("", all.toArray(String[]::new));
  }

  private long tables() {
    return TestPostgres.count(
        "SELECT count(*) FROM information_schema.tables WHERE table_schema = '" + schema + "'");
  }

  @Test
  void upStatusDownAndAllRoundTrip() {
    Run status = migrate("status", "--database-url", url);
    assertThat(status.exit()).as("stderr: %s", status.err()).isZero();
    assertThat(status.out()).isEqualTo("20261123000001 pending create changelog\n"
        + "20261123000002 pending create core tables\n"
        + "20261123000003 pending edits attachments and raw updates\n"
        + "20261123000004 pending outbox parking and sync log rules\n"
        + "20261123000005 pending knowledge question key\n"
        + "20261123000006 pending spam samples\n");

    assertThat(migrate("up", "--database-url", url).out()).isEqualTo("applied: 6\n");
    assertThat(tables()).isEqualTo(11);
    assertThat(migrate("up", "--database-url", url).out()).isEqualTo("applied: 0\n");
    List<String> lines = migrate("status", "--database-url", url).out().lines().toList();
    assertThat(lines).hasSize(6);
    assertThat(lines.get(0)).matches(APPLIED + "create changelog");
    assertThat(lines.get(1)).matches(APPLIED + "create core tables");
    assertThat(lines.get(2)).matches(APPLIED + "edits attachments and raw updates");
    assertThat(lines.get(3)).matches(APPLIED + "outbox parking and sync log rules");
    assertThat(lines.get(4)).matches(APPLIED + "knowledge question key");
    assertThat(lines.get(5)).matches(APPLIED + "spam samples");

    assertThat(migrate("down", "--database-url", url).out()).isEqualTo("undone: 1\n");
    lines = migrate("status", "--database-url", url).out().lines().toList();
    assertThat(lines.get(4)).matches(APPLIED + "knowledge question key");
    assertThat(lines.get(5)).isEqualTo("20261123000006 pending spam samples");
    assertThat(tables()).isEqualTo(10);

    assertThat(migrate("down", "--database-url", url).out()).isEqualTo("undone: 1\n");
    lines = migrate("status", "--database-url", url).out().lines().toList();
    assertThat(lines.get(3)).matches(APPLIED + "outbox parking and sync log rules");
    assertThat(lines.get(4)).isEqualTo("20261123000005 pending knowledge question key");

    Run down = migrate("down", "--database-url", url);
    assertThat(down.exit()).isZero();
    assertThat(down.out()).isEqualTo("undone: 1\n");
    lines = migrate("status", "--database-url", url).out().lines().toList();
    assertThat(lines.get(2)).matches(APPLIED + "edits attachments and raw updates");
    assertThat(lines.get(3)).isEqualTo("20261123000004 pending outbox parking and sync log rules");
    assertThat(tables()).isEqualTo(10);

    assertThat(migrate("down", "--database-url", url).out()).isEqualTo("undone: 1\n");
    lines = migrate("status", "--database-url", url).out().lines().toList();
    assertThat(lines.get(1)).matches(APPLIED + "create core tables");
    assertThat(lines.get(2)).isEqualTo("20261123000003 pending edits attachments and raw updates");
    assertThat(tables()).isEqualTo(9);

    assertThat(migrate("down", "--steps", "2", "--database-url", url).out()).isEqualTo("undone: 2\n");
    assertThat(tables()).isZero();

    assertThat(migrate("up", "--database-url", url).out()).isEqualTo("applied: 6\n");
    Run all = migrate("down", "--all", "--database-url", url);
    assertThat(all.exit()).isZero();
    assertThat(all.err()).isEmpty();
    assertThat(all.out()).isEqualTo("undone: 6\n");
    assertThat(tables()).isZero();
    assertThat(migrate("down", "--all", "--database-url", url).out()).isEqualTo("undone: 0\n");
    assertThat(migrate("status", "--database-url", url).out()).isEqualTo(status.out());
  }

  @Test
  void aMalformedUrlExitsTwoWithOneLineAndNoPassword() {
    for (String bad : List.of("mysql://bot:hunter22@db/app", "postgres://bot:hunter22@db/",
        "jdbc:postgresql://db:99999999/app?user=bot&password=hunter22")) {
      Run r = migrate("up", "--database-url", bad);
      assertThat(r.exit()).as(bad).isEqualTo(2);
      assertThat(r.out()).isEmpty();
      assertThat(r.err()).as(bad).startsWith("tgsupport migrate: bad --database-url").hasLineCount(1)
          .doesNotContain("hunter22");
    }
  }

  @Test
  void anUnreachableDatabaseExitsOneWithOneLineAndNoPassword() throws IOException {
    int port = freePort();
    Run r = migrate("status", "--database-url", "postgres://bot:hunter22@127.0.0.1:" + port + "/test");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).isEqualTo("tgsupport migrate: migrate status failed on postgres://bot:***@127.0.0.1:" + port
        + "/test: Connection to 127.0.0.1:" + port + " refused. Check that the hostname and port are correct and"
        + " that the postmaster is accepting TCP/IP connections.\n");
  }

  @Test
  void aMissingSchemaIsNamedInTheError() {
    Run r = migrate("up", "--database-url", TestPostgres.urlFor(schema + "_missing"));
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).hasLineCount(1).contains("does the schema named by currentSchema exist?");
  }

  @Test
  void optionsThatDoNotFitTheActionAreUsageErrors() {
    assertThat(migrate("up", "--steps", "2", "--database-url", url).err())
        .isEqualTo("tgsupport migrate: --steps goes with 'down' only\n");
    assertThat(migrate("status", "--all", "--database-url", url).exit()).isEqualTo(2);
    assertThat(migrate("down", "--all", "--steps", "1", "--database-url", url).err())
        .isEqualTo("tgsupport migrate: give --steps or --all, not both\n");
    assertThat(migrate("down", "--steps", "0", "--database-url", url).exit()).isEqualTo(2);
    assertThat(migrate("sideways", "--database-url", url).exit()).isEqualTo(2);
    assertThat(migrate("--database-url", url).exit()).isEqualTo(2);
    assertThat(tables()).isZero();
  }

  @Test
  void helpNamesTheActionsTheOutputAndTheEnvironmentVariable() {
    Run r = migrate("--help");
    assertThat(r.exit()).isZero();
    assertThat(r.out()).contains("ACTION", "up", "down", "status", "--steps=N", "--all", "--database-url=URL",
        "DATABASE_URL", "applied: N", "undone: N", "<id> <applied_at or pending> <description>");
    assertThat(DemoCommandTest.run("", "--help").out()).contains("migrate");
  }

  /** The packaged jar, with the URL only in the environment, as a deploy step would run it. */
  @Test
  void theJarReadsDatabaseUrlFromTheEnvironment() throws Exception {
    Path jar = Path.of(System.getProperty("basedir", ".")).resolve("target/tgsupport.jar").toAbsolutePath();
    assertThat(jar).as("the shaded jar; run 'mvn verify' so the package phase builds it").isRegularFile();
    ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-jar", jar.toString(), "migrate", "up");
    pb.environment().put("DATABASE_URL", url);
    Process p = pb.start();
    p.getOutputStream().close();
    CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
    CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("stderr: %s", err.get()).isZero();
    assertThat(out.get()).isEqualTo("applied: 6\n");
    assertThat(err.get()).isEmpty();
    assertThat(tables()).isEqualTo(11);
  }

  private static String read(InputStream in) {
    try (in) {
      return new String(in.readAllBytes(), UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
