package dev.tgsupport.storage.mybatis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tgsupport.core.InvalidInputException;
import dev.tgsupport.core.StorageUnavailableException;
import dev.tgsupport.core.model.Attachment;
import dev.tgsupport.core.model.Chat;
import dev.tgsupport.core.model.ChatType;
import dev.tgsupport.core.model.IncomingMessage;
import dev.tgsupport.core.model.MessageType;
import dev.tgsupport.core.model.StoredMessage;
import dev.tgsupport.core.model.TelegramUser;
import dev.tgsupport.core.port.MessageStore.Recorded;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The batched ingest against real PostgreSQL: correctness under concurrency, failures, close and durability. */
class GroupCommitRecorderIT {
  private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
  /** Java and the model accept it; PostgreSQL's timestamptz ends in 294276 AD and refuses it. */
  private static final Instant BEYOND_POSTGRES = Instant.parse("+300000-01-01T00:00:00Z");

  private static PgSchema db;
  private ExecutorService callers;
  private final List<AutoCloseable> toClose = new ArrayList<>();

  @BeforeAll
  static void createSchema() {
    db = PgSchema.create("groupcommit");
  }

  @AfterAll
  static void dropSchema() {
    db.close();
  }

  @BeforeEach
  void empty() {
    db.truncate();
    callers = Executors.newCachedThreadPool();
  }

  @AfterEach
  void stop() throws Exception {
    for (int i = toClose.size() - 1; i >= 0; i--) {
      toClose.get(i).close();
    }
    callers.shutdownNow();
  }

  private GroupCommitRecorder recorder(GroupCommitRecorder.Builder b) {
    GroupCommitRecorder r = b.build();
    toClose.add(r);
    return r;
  }

  /** A recorder whose writer can be held at the connection gate, so a test can line up exactly one batch. */
  private record Gated(GroupCommitRecorder recorder, GatedDataSource gate) {}

  private Gated gated(int maxBatch) {
    GatedDataSource gate = new GatedDataSource(db.storage().dataSource());
    MyBatisStorage storage = MyBatisStorage.builder().dataSource(gate).build();
    toClose.add(storage);
    // One writer: held at the gate, it lets the test line up exactly the next batch.
    GroupCommitRecorder r = recorder(GroupCommitRecorder.builder(storage).writers(1).maxBatch(maxBatch)
        .linger(Duration.ZERO));
    return new Gated(r, gate);
  }

  /** Holds the writer inside a first batch (one throwaway message) so later messages queue up. */
  private Future<Recorded> holdWriter(Gated g) throws InterruptedException {
    g.gate().shut();
    Future<Recorded> first = submit(g.recorder(), message(group(-1009), user(9), 1, "hold"));
    g.gate().awaitWaiter();
    return first;
  }

  private Future<Recorded> submit(GroupCommitRecorder r, IncomingMessage m) {
    return callers.submit(() -> r.record(m));
  }

  private static void awaitQueued(GroupCommitRecorder r, int n) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (r.queued() != n) {
      assertThat(System.nanoTime()).as("%d messages queued in time, have %d", n, r.queued()).isLessThan(deadline);
      Thread.sleep(1);
    }
  }

  private static TelegramUser user(long id) {
    return TelegramUser.of(id, "user" + id, "User " + id, null, "ru");
  }

  private static Chat group(long id) {
    return Chat.of(id, ChatType.SUPERGROUP, "Group " + id);
  }

  private static IncomingMessage message(Chat chat, TelegramUser user, long telegramId, String text) {
    return new IncomingMessage(chat, user, telegramId, null, null, MessageType.TEXT, text, T0);
  }

  private static long count(String sql) {
    try (Connection c = TestDatabase.connect(); PreparedStatement s = c.prepareStatement(sql)) {
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String table(String name) {
    return db.name() + "." + name;
  }

  @Test
  void twoWritersHaveTwoBatchesInFlightAtOnceAndBothCommit() throws Exception {
    GatedDataSource gate = new GatedDataSource(db.storage().dataSource());
    MyBatisStorage storage = MyBatisStorage.builder().dataSource(gate).build();
    toClose.add(storage);
    GroupCommitRecorder r = recorder(GroupCommitRecorder.builder(storage).writers(2).linger(Duration.ZERO));
    gate.shut();
    Future<Recorded> first = submit(r, message(group(-1011), user(111), 1, "first"));
    gate.awaitWaiters(1);
    // The first writer is held inside its batch; the second takes the next message instead of it waiting behind.
    Future<Recorded> second = submit(r, message(group(-1011), user(112), 2, "second"));
    gate.awaitWaiters(2);
    assertThat(r.queued()).isZero();
    assertThat(first.isDone()).isFalse();
    gate.open();
    assertThat(first.get(10, TimeUnit.SECONDS).created()).isTrue();
    assertThat(second.get(10, TimeUnit.SECONDS).created()).isTrue();
    assertThat(r.stats().batches()).isEqualTo(2);
    assertThat(count("SELECT count(*) FROM " + table("messages") + " WHERE chat_id = -1011")).isEqualTo(2);
  }

  @Test
  void concurrentWritersStoreOneRowAndOneCreatorPerKeyRacedAcrossBatches() throws Exception {
    GroupCommitRecorder r = recorder(GroupCommitRecorder.builder(db.storage()).writers(4).maxBatch(3)
        .linger(Duration.ZERO));
    int threads = 12;
    int keys = 200;
    CountDownLatch start = new CountDownLatch(1);
    List<Future<Integer>> created = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int thread = t;
      created.add(callers.submit(() -> {
        start.await();
        int mine = 0;
        for (int i = 0; i < keys; i++) {
          // Every thread records every key, each with its own user version: rows and upserts race across writers.
          int k = (i + thread * 17) % keys;
          Recorded rec = r.record(message(group(-1012 - (k % 5)), user(200 + k % 7), 1 + k, "key " + k));
          assertThat(rec.message().text()).isEqualTo("key " + k);
          mine += rec.created() ? 1 : 0;
        }
        return mine;
      }));
    }
    start.countDown();
    int total = 0;
    for (Future<Integer> f : created) {
      total += f.get(120, TimeUnit.SECONDS);
    }
    assertThat(total).as("exactly one creator per key").isEqualTo(keys);
    assertThat(count("SELECT count(*) FROM " + table("messages") + " WHERE chat_id BETWEEN -1016 AND -1012"))
        .isEqualTo(keys);
  }

  @Test
  void sixteenThreadsStoreEveryMessageExactlyOnceInSharedBatches() throws Exception {
    GroupCommitRecorder r = recorder(GroupCommitRecorder.builder(db.storage()));
    int threads = 16;
    int perThread = 500;
    CountDownLatch start = new CountDownLatch(1);
    List<Future<List<Recorded>>> results = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int thread = t;
      Callable<List<Recorded>> work = () -> {
        start.await();
        List<Recorded> mine = new ArrayList<>();
        for (int i = 0; i < perThread; i++) {
          long telegramId = thread * 10_000L + i + 1;
          IncomingMessage m = message(group(-1000 - (i % 20)), user(100 + (i * 7 + thread) % 50), telegramId,
              "Сообщение " + telegramId + " from thread " + thread);
          Recorded rec = r.record(m);
          assertThat(rec.created()).isTrue();
          assertThat(rec.message().chatId()).isEqualTo(m.chat().id());
          assertThat(rec.message().telegramMessageId()).isEqualTo(telegramId);
          assertThat(rec.message().userId()).isEqualTo(m.user().id());
          assertThat(rec.message().text()).isEqualTo(m.text());
          mine.add(rec);
        }
        return mine;
      };
      results.add(callers.submit(work));
    }
    start.countDown();
    Set<Long> ids = new HashSet<>();
    for (Future<List<Recorded>> f : results) {
      for (Recorded rec : f.get(120, TimeUnit.SECONDS)) {
        ids.add(rec.message().id());
      }
    }
    assertThat(ids).hasSize(threads * perThread);
    assertThat(count("SELECT count(*) FROM " + table("messages"))).isEqualTo(threads * perThread);
    assertThat(count("SELECT count(*) FROM " + table("users"))).isEqualTo(50);
    assertThat(count("SELECT count(*) FROM " + table("chats"))).isEqualTo(20);
    GroupCommitRecorder.Stats stats = r.stats();
    assertThat(stats.records()).isEqualTo(threads * perThread);
    assertThat(stats.retriedBatches()).isZero();
    assertThat(stats.averageBatchSize()).as("%s", stats).isGreaterThan(1.0);
  }

  @Test
  void duplicatesOfOneKeyWithinAndAcrossBatchesMakeOneRowAndOneCreator() throws Exception {
    Gated g = gated(4);
    Future<Recorded> held = holdWriter(g);
    IncomingMessage m = message(group(-1001), user(101), 77, "twice, thrice, ten times");
    List<Future<Recorded>> dups = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      dups.add(submit(g.recorder(), m));
    }
    awaitQueued(g.recorder(), 10);
    g.gate().open();
    held.get(10, TimeUnit.SECONDS);
    int creators = 0;
    Set<Long> ids = new HashSet<>();
    for (Future<Recorded> f : dups) {
      Recorded rec = f.get(10, TimeUnit.SECONDS);
      creators += rec.created() ? 1 : 0;
      ids.add(rec.message().id());
    }
    assertThat(creators).isEqualTo(1);
    assertThat(ids).hasSize(1);
    // Ten messages in batches of at most 4: duplicates met within a batch and across batches.
    assertThat(g.recorder().stats().batches()).isEqualTo(1 + 3);
    assertThat(g.recorder().record(m).created()).isFalse();
    assertThat(count("SELECT count(*) FROM " + table("messages") + " WHERE chat_id = -1001")).isEqualTo(1);
  }

  @Test
  void attachmentsInOneBatchLandOnTheirOwnMessagesAndMatchWhatIsReadBack() throws Exception {
    Gated g = gated(256);
    Future<Recorded> held = holdWriter(g);
    List<IncomingMessage> sent = new ArrayList<>();
    List<Future<Recorded>> all = new ArrayList<>();
    for (int i = 1; i <= 6; i++) {
      MessageType type = i % 3 == 0 ? MessageType.TEXT : i % 3 == 1 ? MessageType.DOCUMENT : MessageType.VIDEO;
      Attachment file = type == MessageType.TEXT ? null
          : i % 2 == 0 ? Attachment.of(type, "file-" + i)
          : new Attachment(type, "file-" + i, "uniq-" + i, "файл " + i + ".pdf", "application/pdf", (long) i);
      IncomingMessage m = new IncomingMessage(group(-1020), user(120 + i), i, null, null, type, "m" + i, T0, file);
      sent.add(m);
      all.add(submit(g.recorder(), m));
    }
    awaitQueued(g.recorder(), 6);
    g.gate().open();
    held.get(10, TimeUnit.SECONDS);

    for (int i = 0; i < all.size(); i++) {
      StoredMessage stored = all.get(i).get(10, TimeUnit.SECONDS).message();
      assertThat(stored.attachment()).as("message %d", i + 1).isEqualTo(sent.get(i).attachment());
      assertThat(stored.type()).isEqualTo(sent.get(i).type());
      assertThat(stored).isEqualTo(db.storage().inTransaction(s -> s.messages().findById(stored.id())).orElseThrow());
    }
    assertThat(g.recorder().stats().batches()).isEqualTo(2);
    assertThat(g.recorder().stats().retriedBatches()).isZero();
  }

  @Test
  void anAttachmentWhoseFileIdIsOnlyNulsFailsOnlyItsOwnCallerNamingTheField() throws Exception {
    Gated g = gated(256);
    Future<Recorded> held = holdWriter(g);
    Future<Recorded> good = submit(g.recorder(), message(group(-1021), user(130), 1, "fine"));
    Future<Recorded> bad = submit(g.recorder(), new IncomingMessage(group(-1021), user(131), 2, null, null,
        MessageType.DOCUMENT, "", T0, Attachment.of(MessageType.DOCUMENT, "\0\0")));
    awaitQueued(g.recorder(), 2);
    g.gate().open();
    held.get(10, TimeUnit.SECONDS);

    assertThat(good.get(10, TimeUnit.SECONDS).created()).isTrue();
    assertThatThrownBy(() -> bad.get(10, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .cause().isInstanceOf(InvalidInputException.class).hasMessageContaining("attachment.fileId");
    assertThat(count("SELECT count(*) FROM " + table("messages") + " WHERE chat_id = -1021")).isEqualTo(1);
  }

  @Test
  void aUserAndChatMetManyTimesInOneBatchAreUpsertedOnceTheLastVersionWinning() throws Exception {
    Gated g = gated(256);
    TelegramUser staff = user(500);
    Chat chat = group(-1500);
    db.storage().run(s -> {
      s.users().upsert(staff);
      s.users().setInternal(staff.id(), true);
      s.chats().upsert(chat);
      s.chats().setArchived(chat.id(), true);
    });
    Future<Recorded> held = holdWriter(g);
    List<Future<Recorded>> all = new ArrayList<>();
    for (int i = 1; i <= 8; i++) {
      // One at a time, so the queue order (the batch order) is known.
      TelegramUser version = TelegramUser.of(staff.id(), "staff", "Name v" + i, null, "en");
      Chat chatVersion = Chat.of(chat.id(), ChatType.SUPERGROUP, "Title v" + i);
      all.add(submit(g.recorder(), message(chatVersion, version, i, "message " + i)));
      awaitQueued(g.recorder(), i);
    }
    g.gate().open();
    held.get(10, TimeUnit.SECONDS);
    for (Future<Recorded> f : all) {
      assertThat(f.get(10, TimeUnit.SECONDS).created()).isTrue();
    }
    assertThat(g.recorder().stats().batches()).isEqualTo(2);
    assertThat(g.recorder().stats().retriedBatches()).isZero();
    TelegramUser storedUser = db.storage().inTransaction(s -> s.users().find(staff.id())).orElseThrow();
    assertThat(storedUser.firstName()).isEqualTo("Name v8");
    assertThat(storedUser.languageCode()).isEqualTo("en");
    assertThat(storedUser.internal()).as("flags never come from the message").isTrue();
    Chat storedChat = db.storage().inTransaction(s -> s.chats().find(chat.id())).orElseThrow();
    assertThat(storedChat.title()).isEqualTo("Title v8");
    assertThat(storedChat.archived()).isTrue();
  }

  @Test
  void aMessageTheDatabaseRefusesFailsOnlyItsOwnCaller() throws Exception {
    Gated g = gated(256);
    Future<Recorded> held = holdWriter(g);
    List<Future<Recorded>> good = new ArrayList<>();
    for (int i = 1; i <= 5; i++) {
      good.add(submit(g.recorder(), message(group(-1002), user(102), i, "fine " + i)));
    }
    IncomingMessage bad =
        new IncomingMessage(group(-1002), user(103), 99, null, null, MessageType.TEXT, "from the far future",
            BEYOND_POSTGRES);
    Future<Recorded> refused = submit(g.recorder(), bad);
    awaitQueued(g.recorder(), 6);
    g.gate().open();
    held.get(10, TimeUnit.SECONDS);
    for (Future<Recorded> f : good) {
      assertThat(f.get(10, TimeUnit.SECONDS).created()).isTrue();
    }
    assertThatThrownBy(() -> refused.get(10, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("22008");
    assertThat(g.recorder().stats().retriedBatches()).isEqualTo(1);
    assertThat(count("SELECT count(*) FROM " + table("messages") + " WHERE chat_id = -1002")).isEqualTo(5);
  }

  @Test
  void closeWritesEveryAcceptedMessageAndCompletesItsCaller() throws Exception {
    Gated g = gated(256);
    Future<Recorded> held = holdWriter(g);
    List<Future<Recorded>> pending = new ArrayList<>();
    for (int i = 1; i <= 10; i++) {
      pending.add(submit(g.recorder(), message(group(-1003), user(104), i, "pending " + i)));
    }
    awaitQueued(g.recorder(), 10);
    CompletableFuture<Void> closing = CompletableFuture.runAsync(g.recorder()::close, callers);
    // close() waits for the writer, which is held at the gate.
    Thread.sleep(50);
    assertThat(closing).isNotDone();
    g.gate().open();
    closing.get(10, TimeUnit.SECONDS);
    // The recorder has completed every caller's result by now; the caller threads (an executor here) may still be
    // returning from record(), so wait for them rather than racing them.
    held.get(10, TimeUnit.SECONDS);
    for (Future<Recorded> f : pending) {
      assertThat(f.get(10, TimeUnit.SECONDS).created()).isTrue();
    }
    assertThat(count("SELECT count(*) FROM " + table("messages") + " WHERE chat_id = -1003")).isEqualTo(10);
  }

  @Test
  void afterCloseRecordIsRefused() {
    GroupCommitRecorder r = recorder(GroupCommitRecorder.builder(db.storage()));
    r.close();
    r.close();
    assertThatThrownBy(() -> r.record(message(group(-1004), user(105), 1, "too late")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("GroupCommitRecorder is closed: message 1 of chat -1004 refused");
    assertThat(count("SELECT count(*) FROM " + table("messages"))).isZero();
  }

  @Test
  void whenRecordReturnsAFreshConnectionSeesTheRow() throws Exception {
    GroupCommitRecorder r = recorder(GroupCommitRecorder.builder(db.storage()).linger(Duration.ofMillis(5)));
    List<Future<Integer>> checks = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      int thread = t;
      checks.add(callers.submit(() -> {
        int seen = 0;
        for (int i = 1; i <= 10; i++) {
          Recorded rec = r.record(message(group(-1005), user(106 + thread), thread * 100L + i, "durable"));
          try (Connection c = TestDatabase.connect();
              PreparedStatement s = c.prepareStatement("SELECT count(*) FROM " + table("messages") + " WHERE id = ?")) {
            s.setLong(1, rec.message().id());
            try (ResultSet rs = s.executeQuery()) {
              rs.next();
              seen += rs.getInt(1);
            }
          }
        }
        return seen;
      }));
    }
    for (Future<Integer> f : checks) {
      assertThat(f.get(30, TimeUnit.SECONDS)).isEqualTo(10);
    }
  }

  @Test
  void aCallerInterruptedWhileQueuedGetsARetriableErrorAndNothingIsStored() throws Exception {
    Gated g = gated(256);
    Future<Recorded> held = holdWriter(g);
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    AtomicReference<Boolean> flag = new AtomicReference<>();
    Thread caller = new Thread(() -> {
      try {
        g.recorder().record(message(group(-1006), user(107), 1, "never mind"));
      } catch (RuntimeException e) {
        thrown.set(e);
      }
      flag.set(Thread.currentThread().isInterrupted());
    });
    caller.start();
    awaitQueued(g.recorder(), 1);
    caller.interrupt();
    caller.join(10_000);
    assertThat(thrown.get())
        .isInstanceOf(StorageUnavailableException.class)
        .hasMessage("recording message 1 of chat -1006 failed: interrupted before it was written; nothing was stored");
    assertThat(flag.get()).isTrue();
    g.gate().open();
    held.get(10, TimeUnit.SECONDS);
    g.recorder().close();
    assertThat(count("SELECT count(*) FROM " + table("messages") + " WHERE chat_id = -1006")).isZero();
  }

  @Test
  void aCallerInterruptedWhileItsBatchIsWrittenStillLearnsTheOutcome() throws Exception {
    Gated g = gated(256);
    g.gate().shut();
    AtomicReference<Recorded> result = new AtomicReference<>();
    AtomicReference<Boolean> flag = new AtomicReference<>();
    Thread caller = new Thread(() -> {
      result.set(g.recorder().record(message(group(-1007), user(108), 1, "keep me")));
      flag.set(Thread.currentThread().isInterrupted());
    });
    caller.start();
    g.gate().awaitWaiter();
    caller.interrupt();
    Thread.sleep(50);
    assertThat(caller.isAlive()).as("still waiting for its batch").isTrue();
    g.gate().open();
    caller.join(10_000);
    assertThat(result.get().created()).isTrue();
    assertThat(flag.get()).isTrue();
  }

  @Test
  void aFullQueueRefusesAfterTheEnqueueTimeout() throws Exception {
    GatedDataSource gate = new GatedDataSource(db.storage().dataSource());
    MyBatisStorage storage = MyBatisStorage.builder().dataSource(gate).build();
    toClose.add(storage);
    GroupCommitRecorder r = recorder(GroupCommitRecorder.builder(storage).writers(1).queueCapacity(2)
        .enqueueTimeout(Duration.ofMillis(100)).linger(Duration.ZERO));
    gate.shut();
    Future<Recorded> held = submit(r, message(group(-1008), user(109), 1, "held"));
    gate.awaitWaiter();
    List<Future<Recorded>> queued = List.of(submit(r, message(group(-1008), user(109), 2, "q1")),
        submit(r, message(group(-1008), user(109), 3, "q2")));
    awaitQueued(r, 2);
    assertThatThrownBy(() -> r.record(message(group(-1008), user(109), 4, "no room")))
        .isInstanceOf(StorageUnavailableException.class)
        .hasMessage("recording message 4 of chat -1008 failed: the queue of 2 messages stayed full for 100 ms;"
            + " the database is slower than the input");
    gate.open();
    held.get(10, TimeUnit.SECONDS);
    for (Future<Recorded> f : queued) {
      assertThat(f.get(10, TimeUnit.SECONDS).created()).isTrue();
    }
  }

  @Test
  void storedValuesMatchWhatTheOneByOnePathStores() throws Exception {
    GroupCommitRecorder r = recorder(GroupCommitRecorder.builder(db.storage()));
    IncomingMessage m = new IncomingMessage(Chat.privateChat(110, "Bob"),
        new TelegramUser(110, "@bob", "Bob\0", "Smith", "en", true, true), 5, 3L, 4L, MessageType.PHOTO,
        "a\0b\uD800c", Instant.parse("2026-11-23T10:00:00.123456789Z"),
        new Attachment(MessageType.PHOTO, "AgAC\0id", "AQAD", "shot\uDC00.jpg", "image/jpeg", 5_000_000_000L));
    StoredMessage stored = r.record(m).message();
    assertThat(stored.text()).isEqualTo("ab\uFFFDc");
    assertThat(stored.attachment())
        .isEqualTo(new Attachment(MessageType.PHOTO, "AgACid", "AQAD", "shot\uFFFD.jpg", "image/jpeg", 5_000_000_000L));
    assertThat(stored.threadId()).isEqualTo(3L);
    assertThat(stored.replyToMessageId()).isEqualTo(4L);
    assertThat(stored.type()).isEqualTo(MessageType.PHOTO);
    // PostgreSQL keeps microseconds; the driver rounds.
    assertThat(Duration.between(m.date(), stored.sentAt()).abs()).isLessThan(Duration.ofNanos(1000));
    assertThat(count("SELECT stripped_nul_count FROM " + table("messages") + " WHERE id = " + stored.id()))
        .isEqualTo(1);
    TelegramUser user = db.storage().inTransaction(s -> s.users().find(110)).orElseThrow();
    assertThat(user.firstName()).isEqualTo("Bob");
    assertThat(user.internal()).as("never taken from the message").isFalse();
    assertThat(user.blocked()).isFalse();
    StoredMessage oneByOne = db.storage().inTransaction(s -> s.messages().findById(stored.id())).orElseThrow();
    assertThat(stored).isEqualTo(oneByOne);
  }

  @Test
  void aKeyStoredBeforeComesBackAsStoredWithCreatedFalse() throws Exception {
    IncomingMessage m = message(group(-1010), user(111), 5, "stored one by one first");
    long id = db.storage().inTransaction(s -> {
      s.users().upsert(m.user());
      s.chats().upsert(m.chat());
      return s.messages().recordIncoming(m).message().id();
    });
    db.storage().run(s -> s.messages().setIntent(id, new dev.tgsupport.core.model.Intent("billing", 0.75)));
    GroupCommitRecorder r = recorder(GroupCommitRecorder.builder(db.storage()));
    Recorded again = r.record(m);
    assertThat(again.created()).isFalse();
    assertThat(again.message().id()).isEqualTo(id);
    assertThat(again.message().intent().name()).isEqualTo("billing");
    assertThat(again.message())
        .isEqualTo(db.storage().inTransaction(s -> s.messages().findById(id)).orElseThrow());
  }

  @Test
  void aSoftDeletedMessageRecordedAgainStaysDeleted() {
    GroupCommitRecorder r = recorder(GroupCommitRecorder.builder(db.storage()));
    IncomingMessage m = message(group(-1011), user(112), 6, "deleted later");
    long id = r.record(m).message().id();
    TestDatabase.exec("UPDATE " + table("messages") + " SET deleted_at = now() WHERE id = " + id);
    Recorded again = r.record(m);
    assertThat(again.created()).isFalse();
    assertThat(again.message().id()).isEqualTo(id);
    assertThat(count("SELECT count(*) FROM " + table("messages") + " WHERE deleted_at IS NULL AND id = " + id))
        .isZero();
  }

  @Test
  void aLoneMessageDoesNotWaitOutTheLinger() {
    GroupCommitRecorder r = recorder(GroupCommitRecorder.builder(db.storage()).linger(Duration.ofSeconds(1)));
    for (int i = 1; i <= 3; i++) {
      long t0 = System.nanoTime();
      r.record(message(group(-1012), user(113), i, "alone"));
      // Waiting out the linger takes 1 s; a commit, even on a busy machine, far less.
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofMillis(900));
    }
    assertThat(r.stats().batches()).isEqualTo(3);
  }

  @Test
  void anUnreachableDatabaseFailsEveryCallerOfTheBatchAtOnce() throws Exception {
    MyBatisStorage down = MyBatisStorage.builder().url("jdbc:postgresql://127.0.0.1:1/none?user=nobody")
        .connectionTimeout(Duration.ofMillis(250)).build();
    toClose.add(down);
    GroupCommitRecorder r = recorder(GroupCommitRecorder.builder(down));
    long t0 = System.nanoTime();
    List<Future<Recorded>> calls = new ArrayList<>();
    for (int i = 1; i <= 6; i++) {
      calls.add(submit(r, message(group(-1013), user(114), i, "nobody home")));
    }
    for (Future<Recorded> f : calls) {
      assertThatThrownBy(() -> f.get(20, TimeUnit.SECONDS))
          .cause()
          .isInstanceOf(StorageUnavailableException.class)
          .hasMessageStartingWith("recording message ");
    }
    // Each batch fails once, as a whole: no message-by-message retries against a database that is not there.
    assertThat(r.stats().retriedBatches()).isEqualTo(r.stats().batches());
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
  }

  @Test
  void theBuilderNamesTheSettingOutOfRange() {
    GroupCommitRecorder.Builder b = GroupCommitRecorder.builder(db.storage());
    assertThatThrownBy(() -> b.maxBatch(0).build())
        .isInstanceOf(InvalidInputException.class).hasMessage("maxBatch must be in 1..2000, was 0");
    assertThatThrownBy(() -> GroupCommitRecorder.builder(db.storage()).linger(Duration.ofMillis(-1)).build())
        .isInstanceOf(InvalidInputException.class).hasMessage("linger must be in 0..1 s, was PT-0.001S");
    assertThatThrownBy(() -> GroupCommitRecorder.builder(db.storage()).writers(0).build())
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("writers").hasMessageContaining("0");
    assertThatThrownBy(() -> GroupCommitRecorder.builder(db.storage()).writers(17).build())
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("writers").hasMessageContaining("17");
    assertThatThrownBy(() -> GroupCommitRecorder.builder(db.storage()).queueCapacity(0).build())
        .isInstanceOf(InvalidInputException.class).hasMessage("queueCapacity must be in 1..1000000, was 0");
    assertThatThrownBy(() -> GroupCommitRecorder.builder(db.storage()).enqueueTimeout(null).build())
        .isInstanceOf(InvalidInputException.class).hasMessage("enqueueTimeout must be in 0..10 min, was null");
    assertThatThrownBy(() -> GroupCommitRecorder.builder(null)).isInstanceOf(NullPointerException.class);
  }
}
