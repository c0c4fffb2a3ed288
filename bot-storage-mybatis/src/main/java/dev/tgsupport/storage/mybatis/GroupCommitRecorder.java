package dev.tgsupport.storage.mybatis;

import dev.tgsupport.core.InvalidInputException;
import dev.tgsupport.core.StorageUnavailableException;
import dev.tgsupport.core.model.IncomingMessage;
import dev.tgsupport.core.port.MessageRecorder;
import dev.tgsupport.core.port.MessageStore.Recorded;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.apache.ibatis.session.Configuration;
import org.apache.ibatis.session.SqlSessionFactory;
import org.apache.ibatis.session.SqlSessionFactoryBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link MessageRecorder} that groups the messages of many concurrent callers into one transaction (group commit):
 * each caller still returns only once its own message is committed, so it may acknowledge the update then.
 *
 * <pre>{@code
 * try (MyBatisStorage storage = MyBatisStorage.builder().url(url).build();
 *     GroupCommitRecorder recorder = GroupCommitRecorder.builder(storage).build()) {
 *   Pipeline pipeline = Pipeline.builder().transactions(storage).recorder(recorder).build();
 *   …
 * }
 * }</pre>
 *
 * <p><b>How it works.</b> {@link #record} puts the message on a bounded queue and waits. A writer thread (a daemon
 * named {@code tgsupport-group-commit-N}; {@link Builder#writers writers} of them, default 2) takes the first waiting
 * message, waits up to {@link Builder#linger linger} for more (at most {@link Builder#maxBatch maxBatch}), and writes
 * them in one transaction on a pooled connection of its own: a single statement upserts the distinct users (the last of the batch wins) and the
 * distinct chats and inserts the messages, committing before it answers; a select then reads back the keys that were
 * stored before, if any. The semantics are those of {@link MessageRecorder#transactional}: the {@code internal},
 * {@code blocked} and {@code archived} flags are never taken from the message, the text is cleaned the same way, and
 * of several messages with one key only the first caller gets {@code created == true}.
 *
 * <p><b>Linger.</b> A writer stops waiting early once it has its share (one per writer) of the messages that were
 * in flight when the last batch committed (the callers of every batch being written, who may be straight back, plus
 * those queued meanwhile). So N threads that record one message after another keep every writer busy without idling
 * out the linger: with two writers, the database works on one batch while the callers of the other come back with
 * their next messages. A lone message on a quiet bot is written at once; {@code linger} only bounds the wait when
 * fewer come back than expected. Batches of different writers may touch the same users and chats: the rows are
 * locked in one order (users, then chats, each by id), and a deadlock or serialization failure is retried like any
 * failed batch.
 *
 * <p><b>Failures.</b> When the batch transaction fails, each of its messages is retried in a transaction of its own
 * through {@link MessageRecorder#transactional}, so a message the database refuses fails only its own caller, with
 * the {@code bot-core} exception {@link MyBatisStorage} would throw. When the database is unreachable, every caller
 * of the batch gets a {@link StorageUnavailableException} at once instead.
 *
 * <p><b>Back-pressure.</b> The queue holds {@link Builder#queueCapacity queueCapacity} messages. When it is full,
 * {@link #record} blocks up to {@link Builder#enqueueTimeout enqueueTimeout} for room, then throws {@link
 * StorageUnavailableException} (nothing was stored; retry later).
 *
 * <p><b>Lifecycle.</b> One instance per storage and process, shared by all threads; thread-safe. Close it before
 * the {@link MyBatisStorage} it writes to, which it does not close. {@link #close()} refuses new messages, writes
 * every message already accepted, completes its caller and stops the writer threads.
 */
public final class GroupCommitRecorder implements MessageRecorder, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(GroupCommitRecorder.class);
  private static final AtomicInteger THREADS = new AtomicInteger();
  private static final Pending WAKE_UP = new Pending(null);
  private static final long IDLE_POLL_MILLIS = 1000;

  private final MyBatisStorage storage;
  private final SqlSessionFactory sessions;
  private final MessageRecorder oneByOne;
  private final int maxBatch;
  private final long lingerNanos;
  private final long enqueueTimeoutNanos;
  private final BlockingQueue<Pending> queue;
  private final List<Thread> writers;
  // Read-held while enqueuing, write-held while closing: a message accepted before close() is always written.
  private final ReadWriteLock admission = new ReentrantReadWriteLock();
  private volatile boolean closed;
  private volatile boolean terminated;

  // Messages in batches being written right now, by all writers.
  private final AtomicInteger writing = new AtomicInteger();
  // Writers still running; the last one to stop fails whatever is left in the queue.
  private final AtomicInteger liveWriters = new AtomicInteger();
  // Messages in the recorder (being written or queued) when the last batch committed: how many callers may be back.
  private volatile int inFlightAtLastCommit;

  private final AtomicLong batches = new AtomicLong();
  private final AtomicLong records = new AtomicLong();
  private final AtomicLong retriedBatches = new AtomicLong();

  private GroupCommitRecorder(Builder b) {
    this.storage = b.storage;
    this.maxBatch = b.maxBatch;
    this.lingerNanos = b.linger.toNanos();
    this.enqueueTimeoutNanos = b.enqueueTimeout.toNanos();
    this.queue = new LinkedBlockingQueue<>(b.queueCapacity);
    this.oneByOne = MessageRecorder.transactional(storage);
    // A configuration of its own, on the storage's pool: the batch statements stay out of the shared one.
    Configuration configuration = MyBatisStorage.configuration(storage.dataSource());
    configuration.addMapper(IngestMapper.class);
    this.sessions = new SqlSessionFactoryBuilder().build(configuration);
    List<Thread> threads = new ArrayList<>(b.writers);
    for (int i = 0; i < b.writers; i++) {
      Thread t = new Thread(this::runWriter, "tgsupport-group-commit-" + THREADS.incrementAndGet());
      t.setDaemon(true);
      threads.add(t);
    }
    this.writers = List.copyOf(threads);
  }

  /** A builder for a recorder writing through {@code storage}'s pool (it uses one connection at a time). */
  public static Builder builder(MyBatisStorage storage) {
    return new Builder(Objects.requireNonNull(storage, "storage"));
  }

  /**
   * Stores the message with its user and chat, grouped with those of concurrent callers, and returns once that
   * transaction committed. May block for room in the queue (see the class comment).
   *
   * @throws InvalidInputException when the database refuses a value of this message (not retriable)
   * @throws StorageUnavailableException when the database is unreachable, the queue stayed full for
   *     {@code enqueueTimeout}, or the thread was interrupted before its message was taken for writing (the
   *     interrupt flag is then set again); nothing was stored, retry
   * @throws IllegalStateException after {@link #close()}
   */
  @Override
  public Recorded record(IncomingMessage message) {
    InvalidInputException.requireNonNull(message, "message");
    Pending p = new Pending(message);
    admission.readLock().lock();
    try {
      if (closed) {
        throw new IllegalStateException("GroupCommitRecorder is closed: message " + describe(message) + " refused");
      }
      if (!queue.offer(p, enqueueTimeoutNanos, TimeUnit.NANOSECONDS)) {
        throw new StorageUnavailableException("recording message " + describe(message) + " failed: the queue of "
            + (queue.size() + queue.remainingCapacity()) + " messages stayed full for "
            + Duration.ofNanos(enqueueTimeoutNanos).toMillis() + " ms; the database is slower than the input");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StorageUnavailableException("recording message " + describe(message)
          + " failed: interrupted before it was queued; nothing was stored", e);
    } finally {
      admission.readLock().unlock();
    }
    if (terminated && p.claim()) {
      // The writer stopped on its own (interrupted or broken) after this message got in.
      throw new IllegalStateException("GroupCommitRecorder has stopped: message " + describe(message) + " refused");
    }
    return await(p);
  }

  private static Recorded await(Pending p) {
    boolean interrupted = false;
    try {
      while (true) {
        try {
          return p.result.get();
        } catch (InterruptedException e) {
          if (p.claim()) {
            // Still queued: the writer will skip it, so nothing is stored.
            interrupted = true;
            throw new StorageUnavailableException("recording message " + describe(p.message)
                + " failed: interrupted before it was written; nothing was stored", e);
          }
          // Being written already: the caller must learn the outcome, so wait on and restore the flag after.
          interrupted = true;
        } catch (ExecutionException e) {
          if (e.getCause() instanceof RuntimeException r) {
            throw r;
          }
          throw new IllegalStateException("group commit failed: " + e.getCause(), e.getCause());
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Counters since the recorder was built; a consistent-enough snapshot, cheap to take. */
  public Stats stats() {
    return new Stats(batches.get(), records.get(), retriedBatches.get());
  }

  /**
   * Refuses new messages, writes every message already accepted (their callers complete as usual), and stops the
   * writer thread. Idempotent. If the calling thread is interrupted while waiting, it returns early with the flag
   * set and the writer finishes in the background.
   */
  @Override
  public void close() {
    admission.writeLock().lock();
    try {
      closed = true;
    } finally {
      admission.writeLock().unlock();
    }
    for (int i = 0; i < writers.size(); i++) {
      queue.offer(WAKE_UP);
    }
    for (Thread writer : writers) {
      if (Thread.currentThread() == writer) {
        // Closed from a callback on a writer thread: the writers stop by themselves once the queue is empty.
        return;
      }
    }
    try {
      for (Thread writer : writers) {
        writer.join();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Messages accepted and not yet taken by the writer; for tests. */
  int queued() {
    return queue.size();
  }

  @Override
  public String toString() {
    return "GroupCommitRecorder[writers=" + writers.size() + ", maxBatch=" + maxBatch + ", linger=" + Duration.ofNanos(lingerNanos)
        + ", queueCapacity=" + (queue.size() + queue.remainingCapacity()) + ", " + storage + "]";
  }

  private void runWriter() {
    List<Pending> batch = new ArrayList<>(maxBatch);
    try {
      while (true) {
        try {
          Pending first = closed ? queue.poll() : queue.poll(IDLE_POLL_MILLIS, TimeUnit.MILLISECONDS);
          if (first != null) {
            gather(first, batch);
          }
        } catch (InterruptedException e) {
          // Someone wants this thread gone: accept nothing more, write what was accepted, then stop.
          log.debug("group commit writer interrupted; draining and stopping");
          closed = true;
        }
        if (!batch.isEmpty()) {
          try {
            write(batch);
          } catch (RuntimeException e) {
            log.debug("group commit of {} messages failed unexpectedly", batch.size(), e);
            fail(batch, e);
          }
          batch.clear();
        } else if (closed && queue.isEmpty()) {
          return;
        }
      }
    } catch (Error e) {
      fail(batch, e);
      throw e;
    } finally {
      if (liveWriters.decrementAndGet() == 0) {
        terminated = true;
        List<Pending> left = new ArrayList<>();
        queue.drainTo(left);
        fail(left, new IllegalStateException("GroupCommitRecorder has stopped"));
      }
    }
  }

  /**
   * The first message plus whatever arrives within the linger, up to maxBatch; claimed, so never written twice. The
   * linger ends early once as many messages are in as were in flight when the previous batch committed (its callers,
   * who may come straight back, and those already queued): a closed loop of N callers then closes each batch as
   * soon as all N are back instead of idling out the linger.
   */
  private void gather(Pending first, List<Pending> batch) throws InterruptedException {
    add(first, batch);
    int n = writers.size();
    // Each writer takes its share of the callers expected back, so the batches of all writers are in flight at
    // once; a backlog is shared out the same way, each share at most maxBatch.
    int target = Math.min(maxBatch, Math.max(1, ceilDiv(inFlightAtLastCommit, n)));
    int limit = Math.min(maxBatch, Math.max(target, ceilDiv(queue.size() + 1, n)));
    long deadline = System.nanoTime() + lingerNanos;
    List<Pending> more = new ArrayList<>();
    while (batch.size() < limit) {
      more.clear();
      queue.drainTo(more, limit - batch.size());
      for (Pending p : more) {
        add(p, batch);
      }
      if (batch.size() >= target || closed) {
        return;
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return;
      }
      Pending next = queue.poll(left, TimeUnit.NANOSECONDS);
      if (next == null) {
        return;
      }
      add(next, batch);
    }
  }

  private static int ceilDiv(int a, int b) {
    return (a + b - 1) / b;
  }

  private static void add(Pending p, List<Pending> batch) {
    if (p != WAKE_UP && p.claim()) {
      batch.add(p);
    }
  }

  private void write(List<Pending> batch) {
    List<IncomingMessage> messages = new ArrayList<>(batch.size());
    for (Pending p : batch) {
      messages.add(p.message);
    }
    writing.addAndGet(batch.size());
    try {
      writeCounted(batch, messages);
    } finally {
      writing.addAndGet(-batch.size());
    }
  }

  private void writeCounted(List<Pending> batch, List<IncomingMessage> messages) {
    long started = System.nanoTime();
    List<GroupCommitBatch.Outcome> outcomes;
    try {
      outcomes = GroupCommitBatch.write(sessions, messages);
    } catch (RuntimeException e) {
      inFlightAtLastCommit = writing.get() + queue.size();
      RuntimeException translated = SqlErrors.translate("group commit of " + batch.size() + " messages", e);
      batches.incrementAndGet();
      records.addAndGet(batch.size());
      retriedBatches.incrementAndGet();
      if (translated instanceof StorageUnavailableException && !SqlErrors.isRetriableConflict(e)) {
        log.debug("group commit of {} messages failed, database unavailable: {}", batch.size(), e.toString());
        failUnavailable(batch, translated);
        return;
      }
      log.debug("group commit of {} messages failed ({}); retrying them one by one", batch.size(), e.toString());
      retryOneByOne(batch);
      return;
    }
    // Before any caller of this batch is answered: they and those who queued meanwhile may be back soon.
    inFlightAtLastCommit = writing.get() + queue.size();
    batches.incrementAndGet();
    records.addAndGet(batch.size());
    if (log.isDebugEnabled()) {
      log.debug("group commit of {} messages in {} µs", batch.size(), (System.nanoTime() - started) / 1000);
    }
    List<Pending> again = new ArrayList<>();
    for (int i = 0; i < batch.size(); i++) {
      GroupCommitBatch.Outcome o = outcomes.get(i);
      if (o.recorded() != null) {
        batch.get(i).result.complete(o.recorded());
      } else {
        again.add(batch.get(i));
      }
    }
    if (!again.isEmpty()) {
      log.debug("{} messages of a committed batch were stored before and could not be read back; retrying them",
          again.size());
      retryOneByOne(again);
    }
  }

  private void retryOneByOne(List<Pending> batch) {
    for (int i = 0; i < batch.size(); i++) {
      Pending p = batch.get(i);
      try {
        p.result.complete(oneByOne.record(p.message));
      } catch (RuntimeException e) {
        RuntimeException translated = SqlErrors.translate("recording message " + describe(p.message), e);
        p.result.completeExceptionally(translated);
        if (translated instanceof StorageUnavailableException && !SqlErrors.isRetriableConflict(e)) {
          // The database went away: do not make every remaining caller wait for its own connection timeout.
          failUnavailable(batch.subList(i + 1, batch.size()), translated);
          return;
        }
      }
    }
  }

  private static void failUnavailable(List<Pending> pending, RuntimeException cause) {
    for (Pending p : pending) {
      // One exception per caller: each may add its own suppressed exceptions and stack.
      p.result.completeExceptionally(new StorageUnavailableException(
          "recording message " + describe(p.message) + " failed: " + cause.getMessage(), cause.getCause()));
    }
  }

  private static void fail(List<Pending> pending, Throwable cause) {
    for (Pending p : pending) {
      if (p == WAKE_UP) {
        continue;
      }
      // Messages still queued are claimed first; those of a batch were claimed already.
      p.claim();
      p.result.completeExceptionally(cause instanceof RuntimeException r ? r
          : new IllegalStateException("group commit writer failed: " + cause, cause));
    }
  }

  private static String describe(IncomingMessage m) {
    return m.telegramMessageId() + " of chat " + m.chat().id();
  }

  /** One caller's message and the outcome it waits for. */
  private static final class Pending {
    final IncomingMessage message;
    final CompletableFuture<Recorded> result = new CompletableFuture<>();
    // Set once by whoever decides the message's fate first: the writer (it will be written) or its interrupted
    // caller (it will not).
    private final AtomicBoolean claimed = new AtomicBoolean();

    Pending(IncomingMessage message) {
      this.message = message;
    }

    boolean claim() {
      return claimed.compareAndSet(false, true);
    }
  }

  /**
   * What the recorder did since it was built.
   *
   * @param batches transactions attempted, one per batch
   * @param records messages taken into those batches
   * @param retriedBatches batches whose transaction failed, after which their messages were retried one by one
   */
  public record Stats(long batches, long records, long retriedBatches) {
    /** Messages per batch on average; 0 before the first batch. */
    public double averageBatchSize() {
      return batches == 0 ? 0 : (double) records / batches;
    }
  }

  /**
   * Configures a {@link GroupCommitRecorder}; every setting has a default, so {@code builder(storage).build()} is
   * ready to use. Not thread-safe; {@link #build()} validates and starts the writer thread.
   */
  public static final class Builder {
    private final MyBatisStorage storage;
    private int maxBatch = 256;
    private Duration linger = Duration.ofMillis(2);
    private int queueCapacity = 10_000;
    private Duration enqueueTimeout = Duration.ofSeconds(5);
    private int writers = 2;

    private Builder(MyBatisStorage storage) {
      this.storage = storage;
    }

    /** Most messages in one transaction; default 256, at most 2000 (PostgreSQL's limit on parameters). */
    public Builder maxBatch(int maxBatch) {
      this.maxBatch = maxBatch;
      return this;
    }

    /**
     * The longest the writer waits for more messages after the first of a batch (it often stops sooner, see the
     * class comment); default 2 ms, at most 1 s. Zero writes whatever is waiting at once: batches then form only
     * from the messages that arrive while the previous one commits.
     */
    public Builder linger(Duration linger) {
      this.linger = linger;
      return this;
    }

    /**
     * Batches written at the same time, each by a writer thread of its own on a connection of its own; default 2,
     * at most 16 (and it should stay below the pool's size, which other work shares). Two let the database work on
     * one batch while the callers of the other come back with their next messages; one writes strictly one batch
     * after the other.
     */
    public Builder writers(int writers) {
      this.writers = writers;
      return this;
    }

    /** Messages waiting to be written at most; default 10 000. */
    public Builder queueCapacity(int queueCapacity) {
      this.queueCapacity = queueCapacity;
      return this;
    }

    /** How long {@link GroupCommitRecorder#record} waits for room in a full queue; default 5 s, 0 fails at once. */
    public Builder enqueueTimeout(Duration enqueueTimeout) {
      this.enqueueTimeout = enqueueTimeout;
      return this;
    }

    /**
     * Validates the settings and starts the writer thread.
     *
     * @throws InvalidInputException naming the first setting out of range
     */
    public GroupCommitRecorder build() {
      InvalidInputException.check(maxBatch >= 1 && maxBatch <= 2000, "maxBatch", "must be in 1..2000", maxBatch);
      InvalidInputException.check(
          linger != null && !linger.isNegative() && linger.compareTo(Duration.ofSeconds(1)) <= 0,
          "linger", "must be in 0..1 s", linger);
      InvalidInputException.check(queueCapacity >= 1 && queueCapacity <= 1_000_000, "queueCapacity",
          "must be in 1..1000000", queueCapacity);
      InvalidInputException.check(enqueueTimeout != null && !enqueueTimeout.isNegative()
          && enqueueTimeout.compareTo(Duration.ofMinutes(10)) <= 0, "enqueueTimeout", "must be in 0..10 min",
          enqueueTimeout);
      InvalidInputException.check(writers >= 1 && writers <= 16, "writers", "must be in 1..16", writers);
      GroupCommitRecorder recorder = new GroupCommitRecorder(this);
      recorder.liveWriters.set(recorder.writers.size());
      for (Thread writer : recorder.writers) {
        writer.start();
      }
      return recorder;
    }
  }
}
