package dev.tgsupport.storage.mybatis;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.tgsupport.core.InvalidInputException;
import dev.tgsupport.core.model.ChatType;
import dev.tgsupport.core.model.Direction;
import dev.tgsupport.core.model.KnowledgeSource;
import dev.tgsupport.core.model.SpamSample;
import dev.tgsupport.core.model.KnowledgeStatus;
import dev.tgsupport.core.model.MessageType;
import dev.tgsupport.core.model.TicketEventKind;
import dev.tgsupport.core.model.TicketStatus;
import dev.tgsupport.core.port.Stores;
import dev.tgsupport.core.port.Transactions;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.apache.ibatis.mapping.Environment;
import org.apache.ibatis.session.Configuration;
import org.apache.ibatis.session.ExecutorType;
import org.apache.ibatis.session.SqlSession;
import org.apache.ibatis.session.SqlSessionFactory;
import org.apache.ibatis.session.SqlSessionFactoryBuilder;
import org.apache.ibatis.transaction.jdbc.JdbcTransactionFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PostgreSQL storage for tgsupport: every storage port of {@code bot-core} through MyBatis mappers, a HikariCP pool
 * and the schema as mybatis-migrations scripts inside this jar.
 *
 * <pre>{@code
 * try (MyBatisStorage storage = MyBatisStorage.builder().url("postgres://bot:secret@db/support").build()) {
 *   storage.migrations().up();
 *   Pipeline pipeline = Pipeline.builder().transactions(storage).build();
 * }
 * }</pre>
 *
 * <p>One instance per database and process; thread-safe. {@link #inTransaction} opens one {@link SqlSession} per
 * business operation, commits when the work returns and rolls back when it throws; a serialization failure or
 * deadlock runs the work again (a bounded number of times), so the work must touch nothing but storage. Failures
 * come out as the {@code bot-core} exception tree: {@link dev.tgsupport.core.ConflictException},
 * {@link dev.tgsupport.core.StorageUnavailableException} (retriable), {@link InvalidInputException} naming the
 * column, never a raw {@code PSQLException}. {@link #close()} closes the pool it created.
 */
public final class MyBatisStorage implements Transactions, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(MyBatisStorage.class);
  private static final ThreadLocal<PgStores> CURRENT = new ThreadLocal<>();

  private final DataSource dataSource;
  private final HikariDataSource ownedPool;
  private final SqlSessionFactory sessions;
  private final Clock clock;
  private final int maxAttempts;
  private final String schema;

  private MyBatisStorage(Builder b, DataSource dataSource, HikariDataSource ownedPool) {
    this.dataSource = dataSource;
    this.ownedPool = ownedPool;
    this.clock = b.clock;
    this.maxAttempts = b.maxAttempts;
    this.schema = b.schema;
    this.sessions = new SqlSessionFactoryBuilder().build(configuration(dataSource));
  }

  public static Builder builder() {
    return new Builder();
  }

  static Configuration configuration(DataSource dataSource) {
    Configuration c = new Configuration(new Environment("tgsupport", new JdbcTransactionFactory(), dataSource));
    c.setMapUnderscoreToCamelCase(true);
    c.setArgNameBasedConstructorAutoMapping(true);
    c.setDefaultStatementTimeout(30);
    c.setCacheEnabled(false);
    c.setLocalCacheScope(org.apache.ibatis.session.LocalCacheScope.STATEMENT);
    var handlers = c.getTypeHandlerRegistry();
    handlers.register(ChatType.class, new WireEnumTypeHandler<>(ChatType.class));
    handlers.register(Direction.class, new WireEnumTypeHandler<>(Direction.class));
    handlers.register(MessageType.class, new WireEnumTypeHandler<>(MessageType.class));
    handlers.register(TicketStatus.class, new WireEnumTypeHandler<>(TicketStatus.class));
    handlers.register(TicketEventKind.class, new WireEnumTypeHandler<>(TicketEventKind.class));
    handlers.register(KnowledgeStatus.class, new WireEnumTypeHandler<>(KnowledgeStatus.class));
    handlers.register(KnowledgeSource.class, new WireEnumTypeHandler<>(KnowledgeSource.class));
    handlers.register(SpamSample.Kind.class, new WireEnumTypeHandler<>(SpamSample.Kind.class));
    handlers.register(List.class, new TextArrayTypeHandler());
    for (Class<?> mapper : List.of(UserMapper.class, ChatMapper.class, MessageMapper.class, TicketMapper.class,
        TicketEventMapper.class, KnowledgeMapper.class, OutboxMapper.class, KnowledgeSearchMapper.class,
        UpdateMapper.class, SyncLogMapper.class, MigrationLockMapper.class, SpamSampleMapper.class,
        CommitMapper.class)) {
      c.addMapper(mapper);
    }
    return c;
  }

  @Override
  public <T> T inTransaction(Function<Stores, T> work) {
    return inTransaction(work, false);
  }

  /** Sets {@code synchronous_commit} to off for this transaction only ({@code SET LOCAL}). */
  @Override
  public void runWithAsynchronousCommit(Consumer<Stores> work) {
    Objects.requireNonNull(work, "work");
    inTransaction(stores -> {
      work.accept(stores);
      return null;
    }, true);
  }

  private <T> T inTransaction(Function<Stores, T> work, boolean asynchronousCommit) {
    Objects.requireNonNull(work, "work");
    PgStores joined = CURRENT.get();
    if (joined != null) {
      return work.apply(joined);
    }
    for (int attempt = 1; ; attempt++) {
      try {
        return once(work, asynchronousCommit);
      } catch (RuntimeException e) {
        if (attempt < maxAttempts && SqlErrors.isRetriableConflict(e)) {
          log.debug("transaction attempt {} hit a serialization failure or deadlock; running it again", attempt);
          sleepBeforeRetry(attempt);
          continue;
        }
        throw SqlErrors.translate("storage transaction", e);
      }
    }
  }

  private <T> T once(Function<Stores, T> work, boolean asynchronousCommit) {
    try (SqlSession session = sessions.openSession(ExecutorType.REUSE, false)) {
      PgStores stores = new PgStores(session, clock);
      CURRENT.set(stores);
      try {
        if (asynchronousCommit) {
          session.getMapper(CommitMapper.class).asynchronousCommit();
        }
        T result = work.apply(stores);
        session.commit(true);
        return result;
      } catch (RuntimeException | Error e) {
        // Forced: MyBatis skips the rollback of a session it thinks clean, and statements written as @Select
        // (INSERT … RETURNING) leave it so; closing would then switch auto-commit back on, which commits.
        try {
          session.rollback(true);
        } catch (RuntimeException rollbackFailure) {
          e.addSuppressed(rollbackFailure);
        }
        throw e;
      } finally {
        CURRENT.remove();
        stores.close();
      }
    }
  }

  private static void sleepBeforeRetry(int attempt) {
    long base = Math.min(200, 5L << attempt);
    try {
      Thread.sleep(base + ThreadLocalRandom.current().nextLong(base + 1));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new dev.tgsupport.core.StorageUnavailableException("interrupted while retrying a transaction", e);
    }
  }

  /**
   * A knowledge retriever that searches the validated entries of this storage with PostgreSQL full-text search
   * (Russian and English stemming) and trigram similarity; give it to {@code Pipeline.Builder.knowledgeRetriever}
   * with {@link #RECOMMENDED_KNOWLEDGE_THRESHOLD} as the threshold. Storage is its index, so it needs no reindexing.
   */
  public dev.tgsupport.core.port.KnowledgeRetriever knowledgeRetriever() {
    return new PostgresKnowledgeRetriever(this);
  }

  /** The score a {@link #knowledgeRetriever()} hit must reach to answer, calibrated on a bilingual FAQ. */
  public static final double RECOMMENDED_KNOWLEDGE_THRESHOLD = 0.3;

  /** The mapper of the current transaction's session; only inside {@link #inTransaction}. */
  <M> M mapper(Class<M> type) {
    PgStores current = CURRENT.get();
    if (current == null) {
      throw new IllegalStateException("no transaction on this thread");
    }
    return current.mapperFor(type);
  }

  /** The schema scripts of this jar, run against this storage's database (and schema, if one was set). */
  public Migrations migrations() {
    return new Migrations(dataSource, sessions);
  }

  /** The pool, for code of the application that needs plain JDBC. */
  public DataSource dataSource() {
    return dataSource;
  }

  /** The schema this storage works in, or null for the connection's default search path. */
  public String schema() {
    return schema;
  }

  SqlSessionFactory sessions() {
    return sessions;
  }

  Clock clock() {
    return clock;
  }

  @Override
  public void close() {
    if (ownedPool != null) {
      ownedPool.close();
    }
  }

  @Override
  public String toString() {
    return "MyBatisStorage[" + (ownedPool != null ? ownedPool.getJdbcUrl() : "external DataSource")
        + (schema != null ? ", schema=" + schema : "") + "]";
  }

  /**
   * Configures a {@link MyBatisStorage}. Give either a URL (with optional user and password) or a
   * {@link DataSource} the application owns.
   *
   * <p>Pool defaults, chosen for a bot process next to its database: 10 connections at most (PostgreSQL does best
   * with few busy connections; the batched ingest needs one), connections kept warm, a 5 s connection timeout so an
   * unreachable database fails fast instead of stalling updates, 10 min idle and 30 min lifetime.
   */
  public static final class Builder {
    private static final Pattern SCHEMA = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
    private String url;
    private String user;
    private String password;
    private DataSource dataSource;
    private String schema;
    private int maximumPoolSize = 10;
    private Duration connectionTimeout = Duration.ofSeconds(5);
    private int maxAttempts = 3;
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    /** {@code jdbc:postgresql://host:port/db[?user=…&password=…]} or {@code postgres://user:pass@host:port/db}. */
    public Builder url(String url) {
      this.url = url;
      return this;
    }

    /** Overrides a user given in the URL. */
    public Builder user(String user) {
      this.user = user;
      return this;
    }

    /** Overrides a password given in the URL. Never logged or shown. */
    public Builder password(String password) {
      this.password = password;
      return this;
    }

    /** Use the application's own pool instead; {@link #close()} then leaves it open. */
    public Builder dataSource(DataSource dataSource) {
      this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
      return this;
    }

    /**
     * Work in this existing schema instead of the default search path; {@code public} stays on the path for the
     * pg_trgm extension.
     */
    public Builder schema(String schema) {
      if (schema != null && !SCHEMA.matcher(schema).matches()) {
        throw new InvalidInputException("schema", "must match [a-z_][a-z0-9_]{0,62}, was \"" + schema + "\"");
      }
      this.schema = schema;
      return this;
    }

    public Builder maximumPoolSize(int size) {
      InvalidInputException.check(size >= 1 && size <= 200, "maximumPoolSize", "must be in 1..200", size);
      this.maximumPoolSize = size;
      return this;
    }

    public Builder connectionTimeout(Duration timeout) {
      InvalidInputException.check(timeout != null && timeout.toMillis() >= 250, "connectionTimeout",
          "must be at least 250 ms", timeout);
      this.connectionTimeout = timeout;
      return this;
    }

    /** Attempts per transaction on serialization failures and deadlocks; default 3. */
    public Builder maxAttempts(int attempts) {
      InvalidInputException.check(attempts >= 1 && attempts <= 20, "maxAttempts", "must be in 1..20", attempts);
      this.maxAttempts = attempts;
      return this;
    }

    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Creates the pool (without connecting yet) and the storage.
     *
     * @throws InvalidInputException for a missing or malformed URL; the message never shows the password
     */
    public MyBatisStorage build() {
      if (dataSource != null) {
        if (url != null) {
          throw new InvalidInputException("url", "must not be set together with dataSource");
        }
        return new MyBatisStorage(this, dataSource, null);
      }
      DatabaseUrl parsed = DatabaseUrl.parse(url);
      HikariConfig config = new HikariConfig();
      String jdbcUrl = parsed.jdbcUrl();
      if (schema != null) {
        jdbcUrl += (jdbcUrl.contains("?") ? "&" : "?") + "currentSchema=" + schema + ",public";
      }
      config.setJdbcUrl(jdbcUrl);
      String u = user != null ? user : parsed.user();
      String p = password != null ? password : parsed.password();
      if (u != null) {
        config.setUsername(u);
      }
      if (p != null) {
        config.setPassword(p);
      }
      config.setPoolName("tgsupport");
      config.setMaximumPoolSize(maximumPoolSize);
      config.setMinimumIdle(Math.min(2, maximumPoolSize));
      config.setConnectionTimeout(connectionTimeout.toMillis());
      config.setIdleTimeout(Duration.ofMinutes(10).toMillis());
      config.setMaxLifetime(Duration.ofMinutes(30).toMillis());
      config.setAutoCommit(true);
      // Do not connect in the constructor: a bot must start, say what is wrong and keep its message intact.
      config.setInitializationFailTimeout(-1);
      config.addDataSourceProperty("ApplicationName", "tgsupport");
      config.addDataSourceProperty("reWriteBatchedInserts", "true");
      HikariDataSource pool = new HikariDataSource(config);
      return new MyBatisStorage(this, pool, pool);
    }
  }
}
