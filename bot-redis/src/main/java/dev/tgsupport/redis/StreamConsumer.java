package dev.tgsupport.redis;

import dev.tgsupport.core.port.WorkQueue;
import dev.tgsupport.core.port.WorkQueue.Entry;
import io.lettuce.core.Consumer;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisBusyException;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XClaimArgs;
import io.lettuce.core.XGroupCreateArgs;
import io.lettuce.core.XPendingArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.XReadArgs.StreamOffset;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.models.stream.PendingMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One process's consumer of the partitioned streams. Three kinds of threads:
 * <ul>
 *   <li>the control thread runs the lease heartbeat ({@link StreamScripts#TICK}) every third of the lease time;
 *   <li>one reader thread, on its own connection, claims the pending entries of newly acquired partitions, then reads
 *       new entries of all held partitions in one blocking {@code XREADGROUP} (COUNT per stream);
 *   <li>{@code workers} threads drain partitions, one worker per partition at a time; a drain yields its thread
 *       after {@code batchSize} entries when other partitions wait. Acknowledgements of all partitions are
 *       coalesced for up to 2 ms (or {@code batchSize} entries) into one command.
 * </ul>
 * So the hot path costs one read per batch and one acknowledgement per batch, on top of the publisher's XADD.
 *
 * <p>Fencing: a lease renewed by a heartbeat sent at {@code t} is trusted until {@code t + 0.8 ttl}; Redis keeps it
 * until at least {@code t + ttl}. Past that, this consumer stops handling the partition (entries stay pending), so a
 * consumer that lost its lease, e.g. during a long pause, stops before another one takes the partition over. A
 * handler already running is not interrupted, so a handler that outlives the lease can overlap with the next owner.
 */
final class StreamConsumer implements WorkQueue.Consumer {
  private static final Logger log = LoggerFactory.getLogger(StreamConsumer.class);
  private static final AtomicInteger INSTANCES = new AtomicInteger();
  private static final long MAX_BACKOFF_MS = 5_000;
  private static final long MAX_RETRY_BACKOFF_NANOS = Duration.ofMinutes(1).toNanos();
  /** How long an acknowledgement may wait for others to share its round trip. */
  private static final long ACK_DELAY_MS = 2;
  /** After a read that did not fill a batch, wait this long so that the next read returns more per round trip. */
  private static final long READ_LINGER_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

  private final RedisWorkQueue queue;
  private final QueueSettings settings;
  private final StreamKeys keys;
  private final WorkQueue.Handler handler;
  private final Consumer<String> me;
  private final StreamPartition[] partitions;
  private final String[] tickKeys;
  private final ThreadPoolExecutor workers;
  private final Thread reader;
  private final long ttlNanos;
  private final int maxBuffered;
  private final int scanStart;
  private volatile ScheduledFuture<?> ticker;
  private volatile boolean stopping;
  private volatile boolean closed;
  private StatefulRedisConnection<String, String> readConnection;
  private boolean groupsReady;
  private long lastSweepNanos = System.nanoTime();
  private final Map<String, List<StreamPartition.Msg>> acks = new HashMap<>();
  private int ackCount;
  private boolean ackFlushScheduled;

  StreamConsumer(RedisWorkQueue queue, WorkQueue.Handler handler) {
    this.queue = queue;
    this.settings = queue.settings;
    this.keys = queue.keys;
    this.handler = handler;
    this.me = Consumer.from(settings.group(), queue.consumerName);
    this.partitions = new StreamPartition[settings.partitions()];
    this.tickKeys = new String[settings.partitions() + 1];
    tickKeys[0] = keys.consumers();
    for (int p = 0; p < partitions.length; p++) {
      partitions[p] = new StreamPartition(p, keys.stream(p));
      tickKeys[p + 1] = keys.lease(p);
    }
    this.ttlNanos = settings.leaseTtl().toNanos();
    this.maxBuffered = 2 * settings.batchSize();
    this.scanStart = Math.floorMod(queue.consumerName.hashCode(), settings.partitions());
    int n = INSTANCES.incrementAndGet();
    AtomicInteger threads = new AtomicInteger();
    this.workers = new ThreadPoolExecutor(settings.workers(), settings.workers(), 0, TimeUnit.MILLISECONDS,
        new LinkedBlockingQueue<>(), r -> {
          Thread t = new Thread(r, "tgsupport-queue-" + n + "-worker-" + threads.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
    this.reader = new Thread(this::readLoop, "tgsupport-queue-" + n + "-reader");
    reader.setDaemon(true);
  }

  void start() {
    long period = Math.max(1, ttlNanos / 3);
    ticker = queue.scheduler.scheduleWithFixedDelay(this::tick, 0, period, TimeUnit.NANOSECONDS);
    reader.start();
    log.info("work queue {}*: consumer {} started ({} partitions, {} workers)", keys.prefix(), me.getName(),
        partitions.length, settings.workers());
  }

  WorkQueue.Handler handler() {
    return handler;
  }

  boolean isOpen() {
    return !stopping;
  }

  // --- leases ---

  private void tick() {
    if (stopping) {
      return;
    }
    long sentAt = System.nanoTime();
    List<Object> reply;
    try {
      reply = queue.await(StreamScripts.TICK.run(queue.commands(), ScriptOutputType.MULTI, tickKeys, me.getName(),
          Long.toString(settings.leaseTtl().toMillis()), Integer.toString(scanStart)), settings.commandTimeout(),
          "lease heartbeat");
    } catch (RedisException e) {
      queue.markDown(e);
      return; // the leases lapse locally at their fence; the partitions stay pending in Redis
    } catch (RuntimeException e) {
      log.warn("work queue {}*: lease heartbeat failed", keys.prefix(), e);
      return;
    }
    long validUntil = sentAt + ttlNanos - ttlNanos / 5;
    Set<Integer> held = indexes(reply.get(0));
    Set<Integer> acquired = indexes(reply.get(1));
    int fair = ((Long) reply.get(2)).intValue();
    boolean newWork = false;
    for (StreamPartition p : partitions) {
      if (held.contains(p.index)) {
        if (acquired.contains(p.index) || !p.owned()) {
          p.acquire(validUntil);
          newWork = true;
          log.debug("work queue {}*: {} took partition {}", keys.prefix(), me.getName(), p.index);
        } else {
          p.renew(validUntil);
          kick(p); // entries left when the lease was about to lapse can go on
        }
      } else if (p.lose()) {
        log.warn("work queue {}*: {} lost the lease of partition {}; its entries go to the new holder",
            keys.prefix(), me.getName(), p.index);
      }
    }
    // More than our share (a consumer joined): the reader gives the extra partitions back once they are idle.
    int extra = held.size() - fair;
    for (int i = partitions.length - 1; i >= 0 && extra > 0; i--) {
      StreamPartition p = partitions[(scanStart + i) % partitions.length];
      if (held.contains(p.index)) {
        p.requestRelease();
        extra--;
        newWork = true;
      }
    }
    if (newWork) {
      LockSupport.unpark(reader);
    }
  }

  private static Set<Integer> indexes(Object list) {
    Set<Integer> s = new HashSet<>();
    for (Object o : (List<?>) list) {
      s.add(((Long) o).intValue());
    }
    return s;
  }

  /**
   * Runs on the reader thread between reads: a lease must not be given back while a read that includes its stream
   * is in flight, or entries delivered by that read would wait in our pending list for the sweep.
   */
  private void releaseIdle() {
    List<Integer> release = new ArrayList<>();
    for (StreamPartition p : partitions) {
      if (p.readyToRelease()) {
        release.add(p.index);
      }
    }
    if (!release.isEmpty()) {
      flushAcks(); // the next holder must not find entries we handled still pending
      releaseLeases(release, false);
      log.info("work queue {}*: {} gave partitions {} back to balance the load", keys.prefix(), me.getName(),
          release);
    }
  }

  private void releaseLeases(List<Integer> indexes, boolean leave) {
    String[] k = new String[indexes.size() + 1];
    k[0] = keys.consumers();
    for (int i = 0; i < indexes.size(); i++) {
      k[i + 1] = keys.lease(indexes.get(i));
    }
    try {
      queue.await(StreamScripts.RELEASE.run(queue.commands(), ScriptOutputType.INTEGER, k, me.getName(),
          leave ? "1" : "0"), settings.commandTimeout(), "lease release");
    } catch (RuntimeException e) {
      log.debug("work queue {}*: releasing leases {} failed; they expire on their own", keys.prefix(), indexes, e);
    }
  }

  // --- reading ---

  private void readLoop() {
    long backoffMs = 0;
    while (!stopping) {
      try {
        if (readConnection == null) {
          readConnection = queue.connectForReads();
        }
        if (!groupsReady) {
          createGroups();
          groupsReady = true;
        }
        releaseIdle();
        boolean claimedAny = claimPending();
        sweepIfDue();
        int read = readNew();
        if (read < 0 && !claimedAny) {
          LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(50));
        } else if (read > 0 && read < settings.batchSize()) {
          LockSupport.parkNanos(this, READ_LINGER_NANOS);
        }
        backoffMs = 0;
      } catch (RedisCommandExecutionException e) {
        if (stopping) {
          break;
        }
        if (String.valueOf(e.getMessage()).startsWith("NOGROUP")) {
          groupsReady = false; // Redis restarted empty or the stream was deleted: create the groups again
          continue;
        }
        backoffMs = failed(e, backoffMs);
      } catch (RuntimeException e) {
        if (stopping) {
          break;
        }
        backoffMs = failed(e, backoffMs);
      }
    }
  }

  private long failed(RuntimeException e, long backoffMs) {
    long next = backoffMs == 0 ? 100 : Math.min(backoffMs * 2, MAX_BACKOFF_MS);
    if (e instanceof RedisCommandExecutionException) {
      // Redis answered with an error: it is there, so publishing stays on it; say so once per streak.
      if (backoffMs == 0) {
        log.warn("work queue {}*: reading failed: {}; retrying with backoff", keys.prefix(), e.getMessage());
      }
    } else {
      queue.markDown(e);
    }
    log.debug("work queue {}*: read failed, retrying in {} ms", keys.prefix(), next, e);
    sleep(next + ThreadLocalRandom.current().nextLong(next / 4 + 1));
    return next;
  }

  private void createGroups() {
    RedisAsyncCommands<String, String> redis = readConnection.async();
    for (StreamPartition p : partitions) {
      try {
        queue.await(redis.xgroupCreate(StreamOffset.from(p.stream, "0"), settings.group(),
            new XGroupCreateArgs().mkstream(true)), settings.commandTimeout(), "XGROUP CREATE " + p.stream);
      } catch (RedisBusyException exists) {
        // BUSYGROUP: another consumer created it first
      } catch (RedisCommandExecutionException e) {
        if (!String.valueOf(e.getMessage()).startsWith("BUSYGROUP")) {
          throw e;
        }
      }
    }
  }

  /**
   * Takes over the pending entries of newly acquired partitions, whoever they were delivered to, before any new
   * entry is read: the previous holder released the lease or let it expire, so nobody else works on them.
   */
  private boolean claimPending() {
    boolean any = false;
    long now = System.nanoTime();
    for (StreamPartition p : partitions) {
      long epoch = p.claimEpoch(now, maxBuffered);
      if (epoch < 0) {
        continue;
      }
      any = true;
      // Acknowledgements go first on the same connection, so entries we handled are not claimed back.
      flushAcks();
      String from = p.claimFrom();
      List<PendingMessage> pending = queue.await(queue.commands().xpending(p.stream,
          XPendingArgs.Builder.xpending(settings.group(), Range.create(from, "+"), Limit.from(settings.batchSize()))),
          settings.commandTimeout(), "XPENDING " + p.stream);
      List<StreamPartition.Msg> msgs = claim(p, pending, 0);
      if (p.offer(epoch, msgs)) {
        workers.execute(() -> drain(p));
      }
      if (!pending.isEmpty()) {
        log.info("work queue {}*: {} took over {} pending entries of partition {}", keys.prefix(), me.getName(),
            msgs.size(), p.index);
      }
      p.claimed(epoch, pending.size() < settings.batchSize() ? null
          : nextId(pending.get(pending.size() - 1).getId()));
    }
    return any;
  }

  /**
   * The safety net: entries pending at another consumer for longer than the claim timeout in a partition we hold
   * (a consumer that read just as it lost its lease) are taken over. Their order relative to entries already
   * handled is lost, but not the entries.
   */
  private void sweepIfDue() {
    long now = System.nanoTime();
    if (now - lastSweepNanos < settings.claimTimeout().toNanos() / 2) {
      return;
    }
    lastSweepNanos = now;
    for (StreamPartition p : partitions) {
      long epoch = p.readEpoch(now, Integer.MAX_VALUE);
      if (epoch < 0) {
        continue;
      }
      List<PendingMessage> stale = queue.await(queue.commands().xpending(p.stream,
          XPendingArgs.Builder.xpending(settings.group(), Range.create("-", "+"), Limit.from(settings.batchSize()))
              .idle(settings.claimTimeout())), settings.commandTimeout(), "XPENDING " + p.stream);
      stale = new ArrayList<>(stale);
      stale.removeIf(m -> m.getConsumer().equals(me.getName()));
      if (!stale.isEmpty()) {
        List<StreamPartition.Msg> msgs = claim(p, stale, settings.claimTimeout().toMillis());
        log.warn("work queue {}*: {} reclaimed {} entries of partition {} idle for over {} ms", keys.prefix(),
            me.getName(), msgs.size(), p.index, settings.claimTimeout().toMillis());
        if (p.offer(epoch, msgs)) {
          workers.execute(() -> drain(p));
        }
      }
    }
  }

  private List<StreamPartition.Msg> claim(StreamPartition p, List<PendingMessage> pending, long minIdleMs) {
    if (pending.isEmpty()) {
      return List.of();
    }
    Map<String, Long> counts = new HashMap<>();
    String[] ids = new String[pending.size()];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = pending.get(i).getId();
      counts.put(ids[i], pending.get(i).getRedeliveryCount());
    }
    List<StreamMessage<String, String>> claimed = queue.await(queue.commands().xclaim(p.stream, me,
        XClaimArgs.Builder.minIdleTime(minIdleMs), ids), settings.commandTimeout(), "XCLAIM " + p.stream);
    List<StreamPartition.Msg> msgs = new ArrayList<>(claimed.size());
    for (StreamMessage<String, String> m : claimed) {
      if (m == null || m.getBody() == null) {
        continue; // trimmed or deleted meanwhile: Redis dropped it from the pending list
      }
      long before = counts.getOrDefault(m.getId(), 0L);
      msgs.add(msg(m, (int) Math.min(Integer.MAX_VALUE, before + 1)));
    }
    return msgs;
  }

  /** Reads new entries of every readable partition; returns how many, or -1 when no partition was readable. */
  private int readNew() {
    long now = System.nanoTime();
    List<StreamPartition> eligible = new ArrayList<>();
    List<Long> epochs = new ArrayList<>();
    for (StreamPartition p : partitions) {
      long epoch = p.readEpoch(now, maxBuffered);
      if (epoch >= 0) {
        eligible.add(p);
        epochs.add(epoch);
      }
    }
    if (eligible.isEmpty()) {
      return -1;
    }
    @SuppressWarnings("unchecked")
    StreamOffset<String>[] offsets = new StreamOffset[eligible.size()];
    for (int i = 0; i < offsets.length; i++) {
      offsets[i] = StreamOffset.lastConsumed(eligible.get(i).stream);
    }
    List<StreamMessage<String, String>> read;
    try {
      read = queue.await(readConnection.async().xreadgroup(me,
          XReadArgs.Builder.count(settings.batchSize()).block(settings.blockTimeout()), offsets),
          settings.blockTimeout().plus(settings.commandTimeout()), "XREADGROUP");
    } catch (RuntimeException e) {
      // Redis may have run the read while its reply was lost, or dropped by our timeout: the entries it delivered
      // are pending at us but unknown here. Claiming the partitions again finds them.
      eligible.forEach(StreamPartition::resync);
      throw e;
    }
    if (read.isEmpty()) {
      return 0;
    }
    Map<String, List<StreamPartition.Msg>> byPartition = new HashMap<>();
    for (StreamMessage<String, String> m : read) {
      byPartition.computeIfAbsent(m.getStream(), s -> new ArrayList<>()).add(msg(m, 1));
    }
    for (int i = 0; i < eligible.size(); i++) {
      StreamPartition p = eligible.get(i);
      List<StreamPartition.Msg> msgs = byPartition.get(p.stream);
      if (msgs != null && p.offer(epochs.get(i), msgs)) {
        workers.execute(() -> drain(p));
      }
    }
    return read.size();
  }

  private static StreamPartition.Msg msg(StreamMessage<String, String> m, int deliveries) {
    Map<String, String> body = m.getBody();
    return new StreamPartition.Msg(m.getId(), body.get("key"), body.get("payload"), deliveries);
  }

  /** The smallest stream id after {@code id}, to page through a pending list. */
  static String nextId(String id) {
    int dash = id.indexOf('-');
    return id.substring(0, dash) + "-" + (Long.parseLong(id, dash + 1, id.length(), 10) + 1);
  }

  // --- handling ---

  private void kick(StreamPartition p) {
    if (!stopping && p.startIfIdle(System.nanoTime())) {
      try {
        workers.execute(() -> drain(p));
      } catch (java.util.concurrent.RejectedExecutionException closing) {
        p.drainAborted();
      }
    }
  }

  private void drain(StreamPartition p) {
    try {
      int handled = 0;
      while (true) {
        if (handled >= settings.batchSize()) {
          if (!workers.getQueue().isEmpty()) {
            // Other partitions wait for a worker: go to the back of the line rather than keep this one busy.
            workers.execute(() -> drain(p));
            return;
          }
          handled = 0;
        }
        handled++;
        StreamPartition.Taken t = p.take(System.nanoTime(), stopping);
        if (t == null) {
          if (p.endDrain(System.nanoTime(), stopping)) {
            break;
          }
          continue;
        }
        StreamPartition.Msg m = t.msg();
        if (m.key == null || m.payload == null) {
          deadLetter(p, t, "malformed entry: fields 'key' and 'payload' are required");
          continue;
        }
        if (m.deliveries > settings.maxDeliveries()) {
          deadLetter(p, t, "delivered " + (m.deliveries - 1) + " times without an acknowledgement"
              + " (its consumers died or lost their lease while handling it)");
          continue;
        }
        Throwable failure = null;
        try {
          queue.handle(handler, new Entry(m.id, m.key, m.payload, m.deliveries));
        } catch (Throwable e) {
          failure = e;
        }
        if (failure == null) {
          // Queued before the drain can end, so the reader flushes it before it gives the lease back.
          ack(p, m);
          p.finished(t, System.nanoTime());
        } else if (m.deliveries >= settings.maxDeliveries()) {
          deadLetter(p, t, failure.getClass().getName() + ": " + failure.getMessage());
        } else {
          log.debug("work queue {}*: entry {} of key {} failed (delivery {}), retrying after a backoff",
              keys.prefix(), m.id, m.key, m.deliveries, failure);
          p.retryAt(t, System.nanoTime() + backoffNanos(m.deliveries));
        }
      }
    } catch (RuntimeException | Error e) {
      p.drainAborted();
      log.error("work queue {}*: draining partition {} failed", keys.prefix(), p.index, e);
      return;
    }
    long wake = p.wakeAtNanos();
    if (wake != Long.MAX_VALUE && !stopping) {
      try {
        queue.scheduler.schedule(() -> kick(p), Math.max(0, wake - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (java.util.concurrent.RejectedExecutionException closing) {
        // the queue is closing
      }
    }
  }

  private long backoffNanos(int failedDelivery) {
    long base = settings.retryBackoff().toNanos();
    int shift = Math.min(Math.max(0, failedDelivery - 1), 30);
    long b = base << shift;
    long cap = Math.max(base, MAX_RETRY_BACKOFF_NANOS);
    return b < 0 || (b >> shift) != base || b > cap ? cap : b;
  }

  /** Queues an acknowledgement; sent with others within {@link #ACK_DELAY_MS}, or at once when a batch is full. */
  private void ack(StreamPartition p, StreamPartition.Msg m) {
    synchronized (acks) {
      acks.computeIfAbsent(p.stream, s -> new ArrayList<>()).add(m);
      ackCount++;
      if (ackCount >= settings.batchSize()) {
        flushAcksLocked();
      } else if (!ackFlushScheduled) {
        ackFlushScheduled = true;
        try {
          queue.scheduler.schedule(this::flushAcks, ACK_DELAY_MS, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException closing) {
          ackFlushScheduled = false; // close() flushes
        }
      }
    }
  }

  /** Sends the queued acknowledgements, of all partitions, in one command. */
  private void flushAcks() {
    synchronized (acks) {
      ackFlushScheduled = false;
      flushAcksLocked();
    }
  }

  // Sent under the lock: acknowledgements reach Redis in the order they were flushed, and before a lease release
  // that follows a flush on the same connection.
  private void flushAcksLocked() {
    if (ackCount == 0) {
      return;
    }
    Map<String, List<StreamPartition.Msg>> batch = new HashMap<>(acks);
    acks.clear();
    ackCount = 0;
    java.util.function.Consumer<List<Entry>> listener = queue.ackListener;
    try {
      java.util.concurrent.CompletionStage<Long> sent;
      if (batch.size() == 1) {
        Map.Entry<String, List<StreamPartition.Msg>> only = batch.entrySet().iterator().next();
        sent = queue.commands().xack(only.getKey(), settings.group(), ids(only.getValue()));
      } else {
        String[] streams = batch.keySet().toArray(String[]::new);
        List<String> args = new ArrayList<>();
        args.add(settings.group());
        for (String stream : streams) {
          List<StreamPartition.Msg> msgs = batch.get(stream);
          args.add(Integer.toString(msgs.size()));
          for (StreamPartition.Msg m : msgs) {
            args.add(m.id);
          }
        }
        sent = StreamScripts.ACK.run(queue.commands(), ScriptOutputType.INTEGER, streams, args.toArray(String[]::new));
      }
      sent.whenComplete((n, e) -> {
        if (e != null) {
          log.debug("work queue {}*: acknowledging {} entries failed; retrying", keys.prefix(), batch.size(), e);
          requeueAcks(batch);
        } else if (listener != null) {
          List<Entry> done = new ArrayList<>();
          batch.values().forEach(l -> l.forEach(m -> done.add(new Entry(m.id, m.key, m.payload, m.deliveries))));
          listener.accept(done);
        }
      });
    } catch (RuntimeException e) {
      queue.markDown(e);
      requeueAcks(batch);
    }
  }

  /** Until sent, a takeover after a crash would handle these entries again; they are retried with the next flush. */
  private void requeueAcks(Map<String, List<StreamPartition.Msg>> batch) {
    synchronized (acks) {
      batch.forEach((stream, msgs) -> {
        acks.computeIfAbsent(stream, s -> new ArrayList<>()).addAll(msgs);
        ackCount += msgs.size();
      });
      if (!ackFlushScheduled && !closed) {
        ackFlushScheduled = true;
        try {
          queue.scheduler.schedule(this::flushAcks, 100, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException closing) {
          ackFlushScheduled = false;
        }
      }
    }
  }

  private static String[] ids(List<StreamPartition.Msg> msgs) {
    String[] ids = new String[msgs.size()];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = msgs.get(i).id;
    }
    return ids;
  }

  private void deadLetter(StreamPartition p, StreamPartition.Taken t, String error) {
    StreamPartition.Msg m = t.msg();
    log.warn("work queue {}*: entry {} of key {} dead-lettered to {} after {} deliveries: {}", keys.prefix(), m.id,
        m.key, keys.dead(), m.deliveries, error);
    try {
      StreamScripts.DEAD_LETTER.<Long>run(queue.commands(), ScriptOutputType.INTEGER,
          new String[] {keys.dead(), p.stream}, settings.group(), m.id, String.valueOf(m.key),
          String.valueOf(m.payload), error, Integer.toString(m.deliveries), Long.toString(settings.maxLength()))
          .whenComplete((n, e) -> {
            if (e != null) {
              // Still pending: redelivered (and dead-lettered again) after a takeover.
              log.warn("work queue {}*: could not dead-letter entry {}: {}", keys.prefix(), m.id, e.toString());
            }
          });
    } catch (RuntimeException e) {
      queue.markDown(e);
    }
    p.finished(t, System.nanoTime());
  }

  // --- shutdown ---

  @Override
  public void close(Duration grace) {
    if (closed) {
      return;
    }
    closed = true;
    stopping = true;
    long deadline = System.nanoTime() + grace.toNanos();
    ScheduledFuture<?> t = ticker;
    if (t != null) {
      t.cancel(false);
    }
    LockSupport.unpark(reader);
    workers.shutdown();
    boolean workersDone = false;
    try {
      workersDone = workers.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      if (!workersDone) {
        workers.shutdownNow(); // handlers past the grace are interrupted; their entries stay pending
      }
      reader.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    // Give back the leases of idle partitions at once, so another consumer goes on without waiting for them to
    // expire; a partition whose handler overran the grace keeps its lease until it expires.
    List<Integer> release = new ArrayList<>();
    for (StreamPartition p : partitions) {
      if (p.stopIfIdle(workersDone)) {
        release.add(p.index);
      }
    }
    flushAcks();
    releaseLeases(release, true);
    if (reader.isAlive()) {
      reader.interrupt();
    }
    StatefulRedisConnection<String, String> rc = readConnection;
    if (rc != null && !reader.isAlive()) {
      rc.close();
    }
    queue.consumerClosed(this);
    log.info("work queue {}*: consumer {} stopped", keys.prefix(), me.getName());
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
