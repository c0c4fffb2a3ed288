package dev.tgsupport.storage.mybatis;

import static dev.tgsupport.core.contract.Fixtures.alice;
import static dev.tgsupport.core.contract.Fixtures.bob;
import static dev.tgsupport.core.contract.Fixtures.privateChat;
import static dev.tgsupport.core.contract.Fixtures.record;
import static dev.tgsupport.core.contract.Fixtures.reply;
import static dev.tgsupport.core.contract.Fixtures.sent;
import static dev.tgsupport.core.contract.Fixtures.text;
import static dev.tgsupport.core.contract.Fixtures.ticket;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.tgsupport.core.BotException;
import dev.tgsupport.core.ConflictException;
import dev.tgsupport.core.InvalidInputException;
import dev.tgsupport.core.NotFoundException;
import dev.tgsupport.core.OperationTimeoutException;
import dev.tgsupport.core.StorageUnavailableException;
import dev.tgsupport.core.model.KnowledgeSource;
import dev.tgsupport.core.model.KnowledgeStatus;
import dev.tgsupport.core.model.StoredMessage;
import dev.tgsupport.core.model.TelegramUser;
import dev.tgsupport.core.model.Ticket;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Real PostgreSQL errors come out of the storage as the bot-core exception the caller can act on, never as a
 * driver exception: each test provokes the SQLState on the server rather than building a fake exception.
 */
class SqlErrorsIT {
  private static MyBatisStorage storage;

  @RegisterExtension
  static final PgSchemaExtension db =
      new PgSchemaExtension("sqlerrors", s -> {
        storage = s;
        TestSqlMapper.registerOn(s);
      });

  private static void assertIsCoreException(Throwable thrown) {
    assertThat(thrown).isNotNull();
    assertThat(thrown.getClass().getPackageName()).as("type of %s", thrown).isEqualTo("dev.tgsupport.core");
  }

  private static String table(String name) {
    return db.name() + "." + name;
  }

  private static long count(String sql) {
    try (Connection c = TestDatabase.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new IllegalStateException(sql, e);
    }
  }

  @Test
  void aCardIdThatAnotherTicketHasIsAConflictNamingTheUniqueIndex() {
    Ticket first = ticket(storage, alice(), 1, "first");
    Ticket second = ticket(storage, bob(), 2, "second");
    storage.run(s -> s.tickets().setExternalId(first.id(), "CARD-1"));

    Throwable thrown = catchThrowable(() -> storage.run(s -> s.tickets().setExternalId(second.id(), "CARD-1")));

    assertIsCoreException(thrown);
    assertThat(thrown).isInstanceOf(ConflictException.class).hasMessageContaining("tickets_card")
        .hasMessageContaining("23505");
    Ticket unchanged = storage.inTransaction(s -> s.tickets().find(second.id())).orElseThrow();
    assertThat(unchanged.externalId()).isNull();
  }

  @Test
  void anOutgoingMessageToAChatThatWasNeverStoredIsNotFoundNamingTheForeignKey() {
    Throwable thrown = catchThrowable(
        () -> storage.inTransaction(s -> s.messages().recordOutgoing(reply(777, "hi"), sent(777, 5))));

    assertIsCoreException(thrown);
    assertThat(thrown).isInstanceOf(NotFoundException.class).hasMessageContaining("messages_chat_id_fkey")
        .hasMessageContaining("23503");
    assertThat(count("SELECT count(*) FROM " + table("messages"))).isZero();
  }

  @Test
  void aValueTheCheckConstraintRefusesIsInvalidInputNamingTheConstraint() {
    StoredMessage m = record(storage, text(privateChat(alice()), alice(), 1, "hello"));

    // Intent refuses 2.0 itself, so this goes around it: the database is the last line of defence.
    Throwable thrown = catchThrowable(
        () -> storage.run(s -> storage.mapper(MessageMapper.class).setIntent(m.id(), "billing", 2.0)));

    assertIsCoreException(thrown);
    assertThat(thrown).isInstanceOf(InvalidInputException.class).hasMessageContaining("23514");
    assertThat(((InvalidInputException) thrown).field()).isEqualTo("messages_confidence_check");
    assertThat(storage.inTransaction(s -> s.messages().findById(m.id())).orElseThrow().intent()).isNull();
  }

  @Test
  void aMissingRequiredValueIsInvalidInputNamingTheColumn() {
    Throwable thrown = catchThrowable(() -> storage.inTransaction(s -> storage.mapper(KnowledgeMapper.class)
        .insert(null, "answer", List.of(), KnowledgeSource.MANUAL, KnowledgeStatus.DRAFT, null, null, null)));

    assertIsCoreException(thrown);
    assertThat(thrown).isInstanceOf(InvalidInputException.class).hasMessageContaining("23502");
    assertThat(((InvalidInputException) thrown).field()).isEqualTo("knowledge_entries.question");
  }

  @Test
  void anOutboxPayloadThatIsNotJsonIsInvalidInput() {
    Throwable thrown = catchThrowable(
        () -> storage.inTransaction(s -> s.outbox().enqueue("ticket.create", "{not json", Instant.now())));

    assertIsCoreException(thrown);
    assertThat(thrown).isInstanceOf(InvalidInputException.class).hasMessageContaining("22P02")
        .hasMessageContaining("json");
  }

  @Test
  void twoSerializableTransactionsWritingTheSameRowFailWith40001AsARetriableStorageFailure() throws SQLException {
    storage.run(s -> s.users().upsert(alice()));
    try (Connection a = storage.dataSource().getConnection(); Connection b = storage.dataSource().getConnection()) {
      for (Connection c : List.of(a, b)) {
        c.setAutoCommit(false);
        c.setTransactionIsolation(Connection.TRANSACTION_SERIALIZABLE);
      }
      try (Statement sa = a.createStatement(); Statement sb = b.createStatement()) {
        sa.executeQuery("SELECT first_name FROM users WHERE id = 42").close();
        sb.executeQuery("SELECT first_name FROM users WHERE id = 42").close();
        sa.executeUpdate("UPDATE users SET first_name = 'A' WHERE id = 42");
        a.commit();

        SQLException failure = catchSqlException(
            () -> sb.executeUpdate("UPDATE users SET first_name = 'B' WHERE id = 42"));

        assertThat(failure.getSQLState()).isEqualTo("40001");
        assertThat(SqlErrors.isRetriableConflict(failure)).isTrue();
        RuntimeException translated = SqlErrors.translate("rename user", failure);
        assertIsCoreException(translated);
        assertThat(translated).isInstanceOf(StorageUnavailableException.class)
            .hasMessageContaining("rename user").hasMessageContaining("serialization failure");
        b.rollback();
      }
    }
  }

  @Test
  void aDeadlockIsARetriableStorageFailure() throws Exception {
    storage.run(s -> {
      s.users().upsert(alice());
      s.users().upsert(bob());
    });
    CyclicBarrier bothLockedOneRow = new CyclicBarrier(2);
    ExecutorService threads = Executors.newFixedThreadPool(2);
    try {
      // Each transaction locks one user, then wants the other's: PostgreSQL aborts one of them with 40P01.
      Future<SQLException> first = threads.submit(() -> lockBoth(42, 43, bothLockedOneRow));
      Future<SQLException> second = threads.submit(() -> lockBoth(43, 42, bothLockedOneRow));
      List<SQLException> failures = new java.util.ArrayList<>();
      for (Future<SQLException> f : List.of(first, second)) {
        SQLException e = f.get(30, TimeUnit.SECONDS);
        if (e != null) {
          failures.add(e);
        }
      }

      assertThat(failures).hasSize(1);
      assertThat(failures.get(0).getSQLState()).isEqualTo("40P01");
      assertThat(SqlErrors.isRetriableConflict(failures.get(0))).isTrue();
      RuntimeException translated = SqlErrors.translate("block users", failures.get(0));
      assertIsCoreException(translated);
      assertThat(translated).isInstanceOf(StorageUnavailableException.class).hasMessageContaining("deadlock");
    } finally {
      threads.shutdownNow();
    }
  }

  private static SQLException lockBoth(long firstId, long secondId, CyclicBarrier barrier) throws Exception {
    try (Connection c = storage.dataSource().getConnection(); Statement s = c.createStatement()) {
      c.setAutoCommit(false);
      try {
        s.executeUpdate("UPDATE users SET is_blocked = TRUE WHERE id = " + firstId);
        barrier.await(10, TimeUnit.SECONDS);
        s.executeUpdate("UPDATE users SET is_blocked = TRUE WHERE id = " + secondId);
        c.commit();
        return null;
      } catch (SQLException e) {
        c.rollback();
        return e;
      }
    }
  }

  @Test
  void aWorkThatHitsASerializationFailureOnceIsRunAgainAndItsSecondAttemptCommits() {
    storage.run(s -> s.users().upsert(alice()));
    AtomicInteger attempts = new AtomicInteger();

    storage.run(s -> {
      int attempt = attempts.incrementAndGet();
      storage.mapper(TestSqlMapper.class).repeatableRead();
      s.users().find(42).orElseThrow(); // takes the snapshot
      if (attempt == 1) {
        TestDatabase.exec("UPDATE " + table("users") + " SET first_name = 'Renamed elsewhere' WHERE id = 42");
      }
      s.users().setBlocked(42, true); // the row changed after the snapshot: 40001 on the first attempt
    });

    assertThat(attempts).hasValue(2);
    TelegramUser stored = storage.inTransaction(s -> s.users().find(42)).orElseThrow();
    assertThat(stored.blocked()).isTrue();
    assertThat(stored.firstName()).isEqualTo("Renamed elsewhere");
  }

  @Test
  void aWorkThatConflictsOnEveryAttemptFailsAsStorageUnavailableAfterMaxAttempts() {
    storage.run(s -> s.users().upsert(alice()));
    AtomicInteger attempts = new AtomicInteger();
    try (MyBatisStorage twoAttempts =
        MyBatisStorage.builder().url(TestDatabase.url()).schema(db.name()).maxAttempts(2).build()) {
      TestSqlMapper.registerOn(twoAttempts);

      Throwable thrown = catchThrowable(() -> twoAttempts.run(s -> {
        int attempt = attempts.incrementAndGet();
        twoAttempts.mapper(TestSqlMapper.class).repeatableRead();
        s.users().find(42).orElseThrow();
        TestDatabase.exec("UPDATE " + table("users") + " SET first_name = 'Attempt " + attempt + "' WHERE id = 42");
        s.users().setBlocked(42, true);
      }));

      assertIsCoreException(thrown);
      assertThat(thrown).isInstanceOf(StorageUnavailableException.class).hasMessageContaining("serialization failure");
      assertThat(attempts).hasValue(2);
      assertThat(storage.inTransaction(s -> s.users().find(42)).orElseThrow().blocked()).isFalse();
    }
  }

  @Test
  void anUnreachableDatabaseFailsFastWithStorageUnavailable() {
    try (MyBatisStorage unreachable = MyBatisStorage.builder().url("jdbc:postgresql://127.0.0.1:1/test?user=postgres")
        .connectionTimeout(Duration.ofMillis(500)).build()) {
      long start = System.nanoTime();

      Throwable thrown = catchThrowable(() -> unreachable.inTransaction(s -> s.users().find(42)));

      Duration took = Duration.ofNanos(System.nanoTime() - start);
      assertIsCoreException(thrown);
      assertThat(thrown).isInstanceOf(StorageUnavailableException.class).hasMessageContaining("unavailable");
      assertThat(took).isLessThan(Duration.ofSeconds(3));
    }
  }

  @Test
  void aStatementThatExceedsTheServersStatementTimeoutIsAnOperationTimeout() {
    Throwable thrown = catchThrowable(() -> storage.run(s -> {
      s.users().upsert(alice());
      TestSqlMapper sql = storage.mapper(TestSqlMapper.class);
      sql.setLocalStatementTimeout("100ms");
      sql.sleep(5);
    }));

    assertIsCoreException(thrown);
    assertThat(thrown).isInstanceOf(OperationTimeoutException.class).hasMessageContaining("57014");
    Optional<TelegramUser> rolledBack = storage.inTransaction(s -> s.users().find(42));
    assertThat(rolledBack).isEmpty();
  }

  @Test
  void aStatementThatExceedsItsJdbcQueryTimeoutIsAnOperationTimeout() {
    long start = System.nanoTime();

    Throwable thrown = catchThrowable(
        () -> storage.run(s -> storage.mapper(TestSqlMapper.class).sleepWithOneSecondQueryTimeout(10)));

    assertIsCoreException(thrown);
    assertThat(thrown).isInstanceOf(OperationTimeoutException.class).hasMessageContaining("57014");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(8));
  }

  @Test
  void waitingLongerThanTheLockTimeoutForARowIsAnOperationTimeout() throws SQLException {
    storage.run(s -> s.users().upsert(alice()));
    try (Connection holder = TestDatabase.connect(); Statement hs = holder.createStatement()) {
      holder.setAutoCommit(false);
      hs.executeUpdate("UPDATE " + table("users") + " SET first_name = 'Held' WHERE id = 42");

      Throwable thrown = catchThrowable(() -> storage.run(s -> {
        storage.mapper(TestSqlMapper.class).setLocalLockTimeout("200ms");
        s.users().setBlocked(42, true);
      }));

      holder.rollback();
      assertIsCoreException(thrown);
      assertThat(thrown).isInstanceOf(OperationTimeoutException.class).hasMessageContaining("55P03");
    }
    assertThat(storage.inTransaction(s -> s.users().find(42)).orElseThrow().blocked()).isFalse();
  }

  @Test
  void aFailureWithoutSqlStateOrCoreTypeKeepsItsOwnExceptionAndBotExceptionsPassThroughUnchanged() {
    BotException own = new BotException("mine");
    assertThat(SqlErrors.translate("op", own)).isSameAs(own);
    IllegalStateException misuse = new IllegalStateException("misuse");
    assertThat(SqlErrors.translate("op", misuse)).isSameAs(misuse);
  }

  private interface SqlCall {
    void run() throws SQLException;
  }

  private static SQLException catchSqlException(SqlCall call) {
    try {
      call.run();
    } catch (SQLException e) {
      return e;
    }
    throw new AssertionError("expected an SQLException");
  }
}
