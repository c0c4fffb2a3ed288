package dev.tgsupport.storage.mybatis;

import dev.tgsupport.core.BotException;
import dev.tgsupport.core.StorageUnavailableException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.apache.ibatis.session.SqlSession;
import org.apache.ibatis.session.SqlSessionFactory;
import org.apache.ibatis.migration.Change;
import org.apache.ibatis.migration.DataSourceConnectionProvider;
import org.apache.ibatis.migration.operations.DownOperation;
import org.apache.ibatis.migration.operations.StatusOperation;
import org.apache.ibatis.migration.operations.UpOperation;
import org.apache.ibatis.migration.options.DatabaseOperationOption;

/**
 * The schema, as mybatis-migrations scripts shipped in this jar. Get one from {@link MyBatisStorage#migrations()}.
 * Not meant for concurrent use: run migrations from one process at a time (a deploy step or startup).
 */
public final class Migrations {
  /** One script and whether it is applied. */
  public record Status(String id, String description, String appliedAt) {
    public boolean applied() {
      return appliedAt != null;
    }
  }

  private final DataSource dataSource;
  private final SqlSessionFactory sessions;
  private final ClasspathMigrationLoader loader = new ClasspathMigrationLoader();

  Migrations(DataSource dataSource, SqlSessionFactory sessions) {
    this.dataSource = dataSource;
    this.sessions = sessions;
  }

  private static DatabaseOperationOption options() {
    DatabaseOperationOption o = new DatabaseOperationOption();
    o.setChangelogTable("changelog");
    // Whole scripts go to the server at once so PL/pgSQL bodies with semicolons survive.
    o.setSendFullScript(true);
    o.setStopOnError(true);
    o.setAutoCommit(false);
    // "extension pg_trgm already exists, skipping" is a notice, not a failure.
    o.setThrowWarning(false);
    return o;
  }

  /** Applies every pending script; returns how many were applied. */
  public int up() {
    return locked(() -> {
      int before = appliedCount();
      run("migrate up", out -> new UpOperation().operate(provider(), loader, options(), out));
      return appliedCount() - before;
    });
  }

  /** Undoes the {@code steps} most recent scripts; returns how many were undone. */
  public int down(int steps) {
    if (steps < 1) {
      throw new IllegalArgumentException("steps must be >= 1, was " + steps);
    }
    return locked(() -> {
      int before = appliedCount();
      run("migrate down", out -> new DownOperation(steps).operate(provider(), loader, options(), out));
      return before - appliedCount();
    });
  }

  /**
   * Runs {@code work} holding the schema's migration lock: a second process starting at the same moment waits, then
   * finds the scripts applied, instead of failing halfway through the same DDL.
   */
  private int locked(java.util.function.IntSupplier work) {
    // The lock belongs to the session's connection: lock and unlock on the same one, and keep it open meanwhile.
    try (SqlSession session = sessions.openSession(true)) {
      MigrationLockMapper lock = session.getMapper(MigrationLockMapper.class);
      try {
        lock.lock();
      } catch (RuntimeException e) {
        throw SqlErrors.translate("migration lock", e);
      }
      try {
        return work.getAsInt();
      } finally {
        try {
          lock.unlock();
        } catch (RuntimeException e) {
          // Closing the session's connection ends the lock anyway; the pool may hand it out again, so say so.
          org.slf4j.LoggerFactory.getLogger(Migrations.class).warn("could not release the migration lock: {}",
              DatabaseUrl.redact(String.valueOf(e.getMessage())));
        }
      }
    }
  }

  /** Undoes every script, the changelog table included. */
  public int downAll() {
    int applied = appliedCount();
    return applied == 0 ? 0 : down(applied);
  }

  /** Every known script, oldest first, with when it was applied (null when pending). */
  public List<Status> status() {
    StatusOperation op = new StatusOperation();
    run("migrate status", out -> op.operate(provider(), loader, options(), out));
    List<Status> out = new ArrayList<>();
    for (Change c : op.getCurrentStatus()) {
      out.add(new Status(c.getId().toPlainString(), c.getDescription(), c.getAppliedTimestamp()));
    }
    return out;
  }

  /** Number of scripts this jar ships. */
  public int known() {
    return loader.getMigrations().size();
  }

  /** True when every script this jar ships is applied. */
  public boolean isCurrent() {
    return appliedCount() == known();
  }

  private int appliedCount() {
    int n = 0;
    for (Status s : status()) {
      if (s.applied()) {
        n++;
      }
    }
    return n;
  }

  private DataSourceConnectionProvider provider() {
    return new DataSourceConnectionProvider(dataSource);
  }

  private interface Operation {
    void run(PrintStream out);
  }

  private static void run(String name, Operation op) {
    // mybatis-migrations prints progress; keep it for the error message instead of the console.
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    try (PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8)) {
      op.run(out);
    } catch (RuntimeException e) {
      RuntimeException mapped = SqlErrors.translate(name, e);
      if (mapped instanceof StorageUnavailableException) {
        throw mapped;
      }
      throw new BotException(name + " failed: " + rootMessage(e) + lastLines(buffer), e);
    }
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return DatabaseUrl.redact(String.valueOf(t.getMessage()));
  }

  private static String lastLines(ByteArrayOutputStream buffer) {
    String s = buffer.toString(StandardCharsets.UTF_8).strip();
    if (s.isEmpty()) {
      return "";
    }
    return " (last output: " + (s.length() > 500 ? "…" + s.substring(s.length() - 500) : s) + ")";
  }
}
