package dev.tgsupport.storage.mybatis;

import static dev.tgsupport.core.contract.Fixtures.T0;
import static dev.tgsupport.core.contract.Fixtures.privateChat;
import static dev.tgsupport.core.contract.Fixtures.record;
import static dev.tgsupport.core.contract.Fixtures.text;
import static dev.tgsupport.core.contract.Fixtures.user;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.tgsupport.core.ConflictException;
import dev.tgsupport.core.StorageUnavailableException;
import dev.tgsupport.core.model.Chat;
import dev.tgsupport.core.model.ChatType;
import dev.tgsupport.core.model.IncomingMessage;
import dev.tgsupport.core.model.OutboxEntry;
import dev.tgsupport.core.model.StoredMessage;
import dev.tgsupport.core.model.TelegramUser;
import dev.tgsupport.core.model.Ticket;
import dev.tgsupport.core.port.MessageRecorder;
import dev.tgsupport.core.port.MessageStore.Recorded;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Concurrent callers and dying connections against real PostgreSQL: no duplicates, no half-written work. */
class ConcurrencyIT {
  private static final int THREADS = 8;
  private static MyBatisStorage storage;

  @RegisterExtension
  static final PgSchemaExtension db =
      new PgSchemaExtension("concurrency", s -> {
        storage = s;
        TestSqlMapper.registerOn(s);
      });

  private ExecutorService threads;

  @BeforeEach
  void setUp() {
    threads = Executors.newFixedThreadPool(THREADS);
  }

  @AfterEach
  void tearDown() throws InterruptedException {
    threads.shutdownNow();
    assertThat(threads.awaitTermination(10, TimeUnit.SECONDS)).as("worker threads stopped").isTrue();
  }

  private static long count(String sql) {
    try (Connection c = TestDatabase.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new IllegalStateException(sql, e);
    }
  }

  private static String table(String name) {
    return db.name() + "." + name;
  }

  private static <T> T get(Future<T> f) throws Exception {
    return f.get(30, TimeUnit.SECONDS); // a deadlock shows up as a timeout here, not as a hung build
  }

  @Test
  void eightThreadsRecordingTheSameNewMessageStoreOneRowAndExactlyOneOfThemCreatedIt() throws Exception {
    MessageRecorder recorder = MessageRecorder.transactional(storage);
    for (int round = 1; round <= 50; round++) {
      // A new user, a new group and a new message every round: all three inserts race.
      TelegramUser author = user(1000 + round, "Racer " + round);
      Chat group = Chat.of(-1001000000000L - round, ChatType.SUPERGROUP, "Group " + round);
      IncomingMessage m = text(group, author, round, "same message " + round);
      CyclicBarrier start = new CyclicBarrier(THREADS);
      List<Future<Recorded>> calls = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        calls.add(threads.submit(() -> {
          start.await(10, TimeUnit.SECONDS);
          return recorder.record(m);
        }));
      }
      List<Recorded> results = new ArrayList<>();
      for (Future<Recorded> call : calls) {
        results.add(get(call));
      }

      Set<Long> ids = new HashSet<>();
      results.forEach(r -> ids.add(r.message().id()));
      assertThat(ids).as("round %d: ids the callers got", round).hasSize(1);
      assertThat(results.stream().filter(Recorded::created).count()).as("round %d: created", round).isEqualTo(1);
      assertThat(count("SELECT count(*) FROM " + table("messages") + " WHERE chat_id = " + group.id()
          + " AND telegram_message_id = " + round)).as("round %d: rows", round).isEqualTo(1);
      assertThat(count("SELECT count(*) FROM " + table("users") + " WHERE id = " + author.id())).isEqualTo(1);
      assertThat(count("SELECT count(*) FROM " + table("chats") + " WHERE id = " + group.id())).isEqualTo(1);
    }
    assertThat(count("SELECT count(*) FROM " + table("messages"))).isEqualTo(50);
  }

  @Test
  void twoTransactionsOpeningATicketForTheSameMessageAtOnceLeaveOneTicketAndOneOutboxEntry() throws Exception {
    for (int round = 1; round <= 20; round++) {
      TelegramUser author = user(2000 + round, "Asker " + round);
      StoredMessage m = record(storage, text(privateChat(author), author, round, "help " + round));
      CyclicBarrier bothLookedFirst = new CyclicBarrier(2);
      AtomicIntegerArray pids = new AtomicIntegerArray(2);
      List<Future<Ticket>> calls = new ArrayList<>();
      for (int t = 0; t < 2; t++) {
        int me = t;
        calls.add(threads.submit(() -> storage.inTransaction(s -> {
          pids.set(me, storage.mapper(TestSqlMapper.class).backendPid());
          Optional<Ticket> existing = s.tickets().findByMessage(m.id());
          if (existing.isPresent()) {
            return existing.get();
          }
          await(bothLookedFirst);
          Ticket opened = s.tickets().open(m.id(), "Ticket " + me);
          // Hold the new ticket uncommitted until the other transaction is queued behind it: a real overlap.
          awaitBlockedBy(pids.get(1 - me), pids.get(me));
          s.outbox().enqueue(OutboxEntry.TICKET_CREATE, "{\"ticket_id\":" + opened.id() + "}", T0);
          return opened;
        })));
      }
      List<Ticket> opened = new ArrayList<>();
      List<Throwable> refused = new ArrayList<>();
      for (Future<Ticket> call : calls) {
        try {
          opened.add(get(call));
        } catch (ExecutionException e) {
          refused.add(e.getCause());
        }
      }

      assertThat(opened).as("round %d", round).hasSize(1);
      assertThat(refused).as("round %d", round).singleElement().isInstanceOf(ConflictException.class);
      assertThat(count("SELECT count(*) FROM " + table("tickets") + " WHERE message_id = " + m.id())).isEqualTo(1);
      assertThat(count("SELECT count(*) FROM " + table("outbox") + " WHERE payload->>'ticket_id' = '"
          + opened.get(0).id() + "'")).isEqualTo(1);
    }
    assertThat(count("SELECT count(*) FROM " + table("outbox"))).isEqualTo(20);
  }

  private static void await(CyclicBarrier barrier) {
    try {
      barrier.await(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("the other transaction never arrived", e);
    }
  }

  /** Waits until backend {@code waiter} waits for a lock that backend {@code holder} holds. */
  private static void awaitBlockedBy(int waiter, int holder) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    try (Connection c = TestDatabase.connect();
        PreparedStatement ps = c.prepareStatement("SELECT ?::int = ANY (pg_blocking_pids(?))")) {
      ps.setInt(1, holder);
      ps.setInt(2, waiter);
      while (System.nanoTime() < deadline) {
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          if (rs.getBoolean(1)) {
            return;
          }
        }
        Thread.sleep(5);
      }
    } catch (SQLException | InterruptedException e) {
      throw new AssertionError(e);
    }
    throw new AssertionError("backend " + waiter + " never waited for backend " + holder);
  }

  @Test
  void aConnectionKilledInTheMiddleOfATransactionLosesOnlyThatTransactionAndThePoolRecovers() throws Exception {
    List<StoredMessage> acknowledged = new ArrayList<>();
    for (int i = 1; i <= 10; i++) {
      TelegramUser u = user(3000 + i, "Before " + i);
      acknowledged.add(record(storage, text(privateChat(u), u, i, "acknowledged " + i)));
    }
    TelegramUser victim = user(4000, "Victim");
    AtomicInteger attempts = new AtomicInteger();
    AtomicInteger killedPid = new AtomicInteger();

    Throwable thrown = catchThrowable(() -> storage.run(s -> {
      attempts.incrementAndGet();
      s.users().upsert(victim);
      int pid = storage.mapper(TestSqlMapper.class).backendPid();
      killedPid.set(pid);
      try {
        assertThat(get(threads.submit(() -> terminate(pid)))).as("backend %d terminated", pid).isTrue();
      } catch (Exception e) {
        throw new AssertionError(e);
      }
      s.chats().upsert(privateChat(victim));
      s.messages().recordIncoming(text(privateChat(victim), victim, 1, "never stored"));
    }));

    assertThat(thrown).isInstanceOf(StorageUnavailableException.class);
    assertThat(thrown.getClass().getPackageName()).isEqualTo("dev.tgsupport.core");
    assertThat(attempts).as("a lost connection is not retried blindly").hasValue(1);
    assertThat(count("SELECT count(*) FROM " + table("users") + " WHERE id = 4000")).isZero();
    assertThat(count("SELECT count(*) FROM " + table("chats") + " WHERE id = 4000")).isZero();
    for (StoredMessage m : acknowledged) {
      Optional<StoredMessage> stillThere = storage.inTransaction(s -> s.messages().findById(m.id()));
      assertThat(stillThere).contains(m);
    }
    // More transactions than the pool has connections, concurrently: each on a live connection.
    List<Future<Integer>> after = new ArrayList<>();
    for (int i = 1; i <= 3 * THREADS; i++) {
      TelegramUser u = user(5000 + i, "After " + i);
      after.add(threads.submit(() -> storage.inTransaction(s -> {
        s.users().upsert(u);
        s.chats().upsert(privateChat(u));
        s.messages().recordIncoming(text(privateChat(u), u, 1, "after the kill"));
        return storage.mapper(TestSqlMapper.class).backendPid();
      })));
    }
    for (Future<Integer> f : after) {
      assertThat(get(f)).isNotEqualTo(killedPid.get());
    }
    assertThat(count("SELECT count(*) FROM " + table("messages"))).isEqualTo(10 + 3 * THREADS);
  }

  @Test
  void pooledConnectionsThatDiedWhileIdleAreReplacedBeforeTheNextTransactionUsesThem() throws Exception {
    try (MyBatisStorage small = MyBatisStorage.builder().url(TestDatabase.url()).schema(db.name())
        .maximumPoolSize(2).build()) {
      TestSqlMapper.registerOn(small);
      // Two transactions at once take both connections of the pool (a session connects on its first statement);
      // each tells which backend it runs on.
      CyclicBarrier both = new CyclicBarrier(2);
      List<Future<Integer>> pids = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        pids.add(threads.submit(() -> small.inTransaction(s -> {
          int pid = small.mapper(TestSqlMapper.class).backendPid();
          await(both);
          return pid;
        })));
      }
      Set<Integer> poolPids = new HashSet<>(List.of(get(pids.get(0)), get(pids.get(1))));
      assertThat(poolPids).hasSize(2);
      for (int pid : poolPids) {
        assertThat(terminate(pid)).isTrue();
      }
      // Connections idle for over 500 ms are checked before Hikari hands them out.
      Thread.sleep(700);

      for (int i = 1; i <= 5; i++) {
        TelegramUser u = user(6000 + i, "Idle " + i);
        int pid = small.inTransaction(s -> {
          s.users().upsert(u);
          return small.mapper(TestSqlMapper.class).backendPid();
        });
        assertThat(poolPids).doesNotContain(pid);
      }
      assertThat(count("SELECT count(*) FROM " + table("users") + " WHERE id BETWEEN 6001 AND 6005")).isEqualTo(5);
    }
  }

  /** Terminates a backend from a connection of its own and waits (up to 5 s) until it is gone. */
  private static boolean terminate(int pid) throws SQLException {
    try (Connection c = TestDatabase.connect();
        PreparedStatement ps = c.prepareStatement("SELECT pg_terminate_backend(?, 5000)")) {
      ps.setInt(1, pid);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getBoolean(1);
      }
    }
  }
}
