package dev.tgsupport.sample;

import dev.tgsupport.core.memory.InMemoryStorage;
import dev.tgsupport.core.port.Transactions;
import dev.tgsupport.storage.mybatis.MyBatisStorage;
import java.io.PrintWriter;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine;

/**
 * Where the demo keeps its data ({@code --storage}): in memory, in an embedded PostgreSQL started for the session,
 * or in a PostgreSQL server named by URL. Either database is migrated before use. {@link #close()} releases
 * everything in reverse order (pool, then server); a shutdown hook does the same when the JVM ends first (Ctrl-C).
 */
final class DemoStorage implements AutoCloseable {
  /** The {@code --storage} values. */
  enum Kind {
    MEMORY,
    EMBEDDED,
    POSTGRES;

    String option() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** Accepts the lower-case names users type. */
    static final class Converter implements CommandLine.ITypeConverter<Kind> {
      @Override
      public Kind convert(String value) {
        for (Kind k : values()) {
          if (k.option().equals(value.strip().toLowerCase(Locale.ROOT))) {
            return k;
          }
        }
        throw new CommandLine.TypeConversionException(
            "expected memory, embedded or postgres, was '" + value + "'");
      }
    }

    /** For {@code ${COMPLETION-CANDIDATES}} in the help. */
    static final class Names implements Iterable<String> {
      @Override
      public java.util.Iterator<String> iterator() {
        return List.of("memory", "embedded", "postgres").iterator();
      }
    }
  }

  // The demo is one thread: two connections cover a nested lookup, and a small pool starts fast.
  private static final int POOL_SIZE = 2;

  private final Kind kind;
  private final PrintWriter err;
  private final Deque<AutoCloseable> resources = new ArrayDeque<>();
  private final Thread hook = new Thread(this::closeFromHook, "tgsupport-demo-storage-closer");
  private Transactions transactions;
  private boolean closed;

  private DemoStorage(Kind kind, PrintWriter err) {
    this.kind = kind;
    this.err = err;
  }

  /**
   * Opens the storage; for the two PostgreSQL kinds this starts or connects to the server and migrates it.
   *
   * @param url the database for {@link Kind#POSTGRES}, else null
   * @param err where to say which database the demo uses (never with its password)
   * @throws TgSupportCli.CliFailure when the database cannot be started, reached or migrated
   * @throws UsageFailure when the URL is malformed
   */
  static DemoStorage open(Kind kind, DatabaseUrlOption url, PrintWriter err) {
    DemoStorage s = new DemoStorage(kind, err);
    if (kind == Kind.MEMORY) {
      s.transactions = InMemoryStorage.create();
      return s;
    }
    Runtime.getRuntime().addShutdownHook(s.hook);
    try {
      if (kind == Kind.EMBEDDED) {
        EmbeddedDatabase db = s.track(EmbeddedDatabase.start());
        MyBatisStorage storage = s.track(MyBatisStorage.builder().url(db.jdbcUrl()).maximumPoolSize(POOL_SIZE).build());
        try {
          storage.migrations().up();
        } catch (RuntimeException e) {
          throw new TgSupportCli.CliFailure("cannot migrate the embedded PostgreSQL: " + e.getMessage());
        }
        s.transactions = storage;
      } else {
        MyBatisStorage storage = s.track(url.open(POOL_SIZE));
        int applied;
        try {
          applied = storage.migrations().up();
        } catch (RuntimeException e) {
          throw new TgSupportCli.CliFailure(
              "cannot migrate the PostgreSQL database " + url.display() + ": " + url.failure(e));
        }
        err.println("tgsupport demo: storage: PostgreSQL " + url.display() + " (migrated: "
            + (applied == 0 ? "already up to date" : applied + " script" + (applied == 1 ? "" : "s") + " applied")
            + ")");
        err.flush();
        s.transactions = storage;
      }
      return s;
    } catch (RuntimeException e) {
      s.close();
      throw e;
    }
  }

  Kind kind() {
    return kind;
  }

  Transactions transactions() {
    return transactions;
  }

  private synchronized <T extends AutoCloseable> T track(T resource) {
    if (closed) {
      // The JVM is shutting down (Ctrl-C during start): release it at once.
      closeQuietly(resource);
      throw new TgSupportCli.CliFailure("interrupted while starting the storage");
    }
    resources.push(resource);
    return resource;
  }

  @Override
  public void close() {
    release();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException | IllegalArgumentException e) {
      // Shutting down already, or the hook was never added (memory storage).
    }
  }

  private void closeFromHook() {
    release();
  }

  private synchronized void release() {
    if (closed) {
      return;
    }
    closed = true;
    while (!resources.isEmpty()) {
      closeQuietly(resources.pop());
    }
  }

  private void closeQuietly(AutoCloseable resource) {
    try {
      resource.close();
    } catch (Exception e) {
      err.println("tgsupport demo: warning: could not close the " + kind.option() + " storage: " + e.getMessage());
      err.flush();
    }
  }
}
