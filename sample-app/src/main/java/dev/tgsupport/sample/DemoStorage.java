package dev.tgsupport.sample;

import dev.tgsupport.core.memory.InMemoryStorage;
import dev.tgsupport.core.port.MessageRecorder;
import dev.tgsupport.core.port.Transactions;
import dev.tgsupport.storage.mybatis.GroupCommitRecorder;
import dev.tgsupport.storage.mybatis.MyBatisStorage;
import java.io.PrintWriter;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine;

/**
 * Where the demo and {@code run} keep their data ({@code --storage}): in memory, in an embedded PostgreSQL started for
 * the session, or in a PostgreSQL server named by URL. Either database is migrated before use. {@link #close()}
 * releases everything in reverse order (pool, then server); a shutdown hook does the same when the JVM ends first
 * (Ctrl-C), unless the caller took that over ({@link #handOverShutdown()}).
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

  /**
   * How a command opens the storage.
   *
   * @param program the prefix of the lines on stderr, such as {@code tgsupport demo}
   * @param poolSize connections in the pool of either PostgreSQL kind
   * @param embeddedAdvice what to use instead when the embedded server cannot start
   * @param announcePostgres whether {@link #open} says on stderr which server it migrated
   */
  record Options(String program, int poolSize, String embeddedAdvice, boolean announcePostgres) {
    // The demo is one thread: two connections cover a nested lookup, and a small pool starts fast.
    static final Options DEMO = new Options("tgsupport demo", 2, EmbeddedDatabase.DEMO_ADVICE, true);
  }

  private final Kind kind;
  private final PrintWriter err;
  private final Options options;
  private final Deque<AutoCloseable> resources = new ArrayDeque<>();
  private final Thread hook = new Thread(this::closeFromHook, "tgsupport-storage-closer");
  private Transactions transactions;
  private GroupCommitRecorder recorder;
  private String description;
  private int applied = -1;
  private boolean hooked;
  private boolean closed;

  private DemoStorage(Kind kind, PrintWriter err, Options options) {
    this.kind = kind;
    this.err = err;
    this.options = options;
  }

  /** {@link #open(Kind, DatabaseUrlOption, PrintWriter, Options)} for the demo. */
  static DemoStorage open(Kind kind, DatabaseUrlOption url, PrintWriter err) {
    return open(kind, url, err, Options.DEMO);
  }

  /**
   * Opens the storage; for the two PostgreSQL kinds this starts or connects to the server and migrates it.
   *
   * @param url the database for {@link Kind#POSTGRES}, else null
   * @param err where to say which database is used (never with its password)
   * @throws TgSupportCli.CliFailure when the database cannot be started, reached or migrated
   * @throws UsageFailure when the URL is malformed
   */
  static DemoStorage open(Kind kind, DatabaseUrlOption url, PrintWriter err, Options options) {
    DemoStorage s = new DemoStorage(kind, err, options);
    if (kind == Kind.MEMORY) {
      s.transactions = InMemoryStorage.create();
      s.description = "memory";
      return s;
    }
    Runtime.getRuntime().addShutdownHook(s.hook);
    s.hooked = true;
    try {
      if (kind == Kind.EMBEDDED) {
        EmbeddedDatabase db = s.track(EmbeddedDatabase.start(options.embeddedAdvice()));
        MyBatisStorage storage =
            s.track(MyBatisStorage.builder().url(db.jdbcUrl()).maximumPoolSize(options.poolSize()).build());
        try {
          s.applied = storage.migrations().up();
        } catch (RuntimeException e) {
          throw new TgSupportCli.CliFailure("cannot migrate the embedded PostgreSQL: " + e.getMessage());
        }
        s.description = "embedded PostgreSQL on 127.0.0.1:" + db.port();
        s.transactions = storage;
      } else {
        MyBatisStorage storage = s.track(url.open(options.poolSize()));
        try {
          s.applied = storage.migrations().up();
        } catch (RuntimeException e) {
          throw new TgSupportCli.CliFailure(
              "cannot migrate the PostgreSQL database " + url.describe() + ": " + url.failure(e));
        }
        s.description = "PostgreSQL " + url.display();
        if (options.announcePostgres()) {
          err.println(options.program() + ": storage: " + s.description + " (migrated: " + s.migrations() + ")");
          err.flush();
        }
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

  /**
   * How the pipeline should record incoming messages: on PostgreSQL a {@link GroupCommitRecorder} (one statement per
   * message, and one transaction for the messages of concurrent callers), built on first use and closed before the
   * storage, so its accepted messages are written first; in memory null, for the pipeline's default.
   */
  synchronized MessageRecorder recorder() {
    if (recorder == null && transactions instanceof MyBatisStorage storage) {
      recorder = track(GroupCommitRecorder.builder(storage).build());
    }
    return recorder;
  }

  /** Which storage this is, without any password: {@code memory}, {@code PostgreSQL postgres://bot:***@db/app}, … */
  String description() {
    return description;
  }

  /** What migrating did, for PostgreSQL: {@code already up to date} or {@code 2 scripts applied}. */
  String migrations() {
    if (applied < 0) {
      return "none";
    }
    return applied == 0 ? "already up to date" : applied + " script" + (applied == 1 ? "" : "s") + " applied";
  }

  /**
   * Leaves closing at JVM exit to the caller, which must then close this storage from its own shutdown hook: hooks
   * run concurrently, and a bot still finishing its messages needs the database until it is done.
   */
  synchronized void handOverShutdown() {
    if (hooked) {
      hooked = false;
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // Shutting down already: the hook runs anyway.
      }
    }
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
    handOverShutdown();
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
      err.println(options.program() + ": warning: could not close the " + kind.option() + " storage: "
          + e.getMessage());
      err.flush();
    }
  }
}
