package dev.tgsupport.core.memory;

import static dev.tgsupport.core.InvalidInputException.requireNonNull;

import dev.tgsupport.core.OperationTimeoutException;
import dev.tgsupport.core.port.WorkQueue;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link WorkQueue} in this process's memory: the embedded default, and the fallback of the Redis queue while
 * Redis is down. It works like a keyed executor: {@code workers} lanes, each served by one thread of the consumer;
 * a partition key always maps to the same lane (by hash), and a lane hands out one entry at a time, in order.
 *
 * <pre>{@code
 * InMemoryWorkQueue queue = InMemoryWorkQueue.builder().workers(4).capacity(10_000).build();
 * WorkQueue.Consumer consumer = queue.consume(entry -> pipeline.process(decode(entry.payload())));
 * queue.publish(Long.toString(chatId), encode(update));   // blocks while 10,000 entries wait
 * ...
 * queue.close(Duration.ofSeconds(5));                       // handles what was published, then stops
 * }</pre>
 *
 * <p><b>Failures.</b> When a handler throws, the entry is delivered again after a backoff ({@code retryBackoff},
 * doubling per delivery, at most a minute or {@code retryBackoff} if longer); meanwhile the later entries of the same
 * key wait, and the other keys of the lane go on. After {@code maxDeliveries} failed deliveries the entry is
 * dead-lettered: logged, passed to the {@code onDeadLetter} listener, kept in a bounded list ({@link #deadLetters()})
 * and acknowledged, so its key proceeds.
 *
 * <p><b>Capacity.</b> At most {@code capacity} entries are held (waiting, in progress or in backoff);
 * {@link #publish} blocks until one is acknowledged. Do not publish from a handler into a full queue of your own:
 * it would wait for itself.
 *
 * <p><b>Durability.</b> None beyond the process: entries not yet handled are lost when the process stops or when
 * {@link #close(Duration)} runs out of grace. Redelivery after a failure happens in this process only.
 *
 * <p>Thread-safe. Handlers run on the consumer's threads ({@code <name>-worker-<n>}, daemon threads), never
 * concurrently for one partition key. One open consumer at a time; when it closes, the entries stay queued for the
 * next one.
 */
public final class InMemoryWorkQueue implements WorkQueue {
  private static final Logger log = LoggerFactory.getLogger(InMemoryWorkQueue.class);
  private static final long MAX_BACKOFF_NANOS = Duration.ofMinutes(1).toNanos();

  /**
   * An entry given up on after its last delivery failed.
   *
   * @param entry the last delivery, whose {@code deliveries} is the number of attempts made
   * @param error the class and message of the last failure
   * @param at when it was given up on
   */
  public record DeadLetter(Entry entry, String error, Instant at) {}

  private final String name;
  private final int maxDeliveries;
  private final long backoffNanos;
  private final int deadLetterCapacity;
  private final java.util.function.Consumer<DeadLetter> onDeadLetter;
  private final Lane[] lanes;
  private final Semaphore capacity;
  private final AtomicLong ids = new AtomicLong();
  private final AtomicInteger pending = new AtomicInteger();
  private final ReentrantLock idleLock = new ReentrantLock();
  private final Condition idle = idleLock.newCondition();
  private final ArrayDeque<DeadLetter> deadLetters = new ArrayDeque<>();
  private final AtomicReference<Workers> consumer = new AtomicReference<>();
  private volatile boolean closed;

  private InMemoryWorkQueue(Builder b) {
    this.name = b.name;
    this.maxDeliveries = b.maxDeliveries;
    this.backoffNanos = b.retryBackoff.toNanos();
    this.deadLetterCapacity = b.deadLetterCapacity;
    this.onDeadLetter = b.onDeadLetter;
    this.capacity = new Semaphore(b.capacity);
    this.lanes = new Lane[b.workers];
    for (int i = 0; i < lanes.length; i++) {
      lanes[i] = new Lane();
    }
  }

  /** A queue with the {@link Builder} defaults. */
  public static InMemoryWorkQueue create() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Appends an entry; blocks while the queue holds {@code capacity} entries. */
  @Override
  public String publish(String partitionKey, String payload) {
    requireNonNull(partitionKey, "partitionKey");
    requireNonNull(payload, "payload");
    checkOpen(partitionKey);
    try {
      capacity.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new OperationTimeoutException("queue '" + name + "': interrupted while waiting for capacity to publish an"
          + " entry of key " + partitionKey + "; it was not published", e);
    }
    pending.incrementAndGet();
    String id = Long.toString(ids.incrementAndGet());
    lanes[laneOf(partitionKey)].add(new Item(id, partitionKey, payload));
    return id;
  }

  private void checkOpen(String partitionKey) {
    if (closed) {
      throw new IllegalStateException("queue '" + name + "' is closed: entry of key " + partitionKey + " refused");
    }
  }

  @Override
  public Consumer consume(Handler handler) {
    Objects.requireNonNull(handler, "handler");
    if (closed) {
      throw new IllegalStateException("queue '" + name + "' is closed: cannot consume");
    }
    Workers w = new Workers(handler);
    if (!consumer.compareAndSet(null, w)) {
      throw new IllegalStateException("queue '" + name + "' already has an open consumer; close it first");
    }
    w.start();
    return w;
  }

  /** Entries published and not yet acknowledged or dead-lettered (waiting, in progress or in backoff). */
  public int pending() {
    return pending.get();
  }

  /** The most recent dead letters (up to {@code deadLetterCapacity}), oldest first. */
  public List<DeadLetter> deadLetters() {
    synchronized (deadLetters) {
      return List.copyOf(deadLetters);
    }
  }

  /**
   * Waits until every published entry has been acknowledged or dead-lettered.
   *
   * @return false when {@code timeout} passed first, or the thread was interrupted (the flag is kept)
   */
  public boolean awaitIdle(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    idleLock.lock();
    try {
      while (pending.get() > 0) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        idle.awaitNanos(left);
      }
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } finally {
      idleLock.unlock();
    }
  }

  /** {@link #close(Duration)} with 10 seconds of grace. */
  @Override
  public void close() {
    close(Duration.ofSeconds(10));
  }

  /**
   * Refuses new entries, lets the open consumer (if any) handle everything already published within {@code grace},
   * then stops it. Entries still unhandled after that are lost; their number is logged.
   */
  public void close(Duration grace) {
    long deadline = System.nanoTime() + grace.toNanos();
    closed = true;
    Workers w = consumer.get();
    if (w != null && !w.stopping) {
      awaitIdle(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
    }
    if (w != null) {
      w.close(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
    }
    int left = pending.get();
    if (left > 0) {
      log.warn("queue '{}' closed with {} entries not handled; they are lost (in-memory queue)", name, left);
    }
  }

  private int laneOf(String key) {
    // String.hashCode is weak in the low bits for short numeric keys such as chat ids; spread it first.
    return Math.floorMod(key.hashCode() * 0x9E3779B9, lanes.length);
  }

  private long backoffNanos(int deliveries) {
    long cap = Math.max(backoffNanos, MAX_BACKOFF_NANOS);
    int shift = Math.min(deliveries - 1, 30);
    long b = backoffNanos << shift;
    return b < 0 || b > cap || (b >> shift) != backoffNanos ? cap : b;
  }

  private void acknowledged() {
    capacity.release();
    if (pending.decrementAndGet() == 0) {
      idleLock.lock();
      try {
        idle.signalAll();
      } finally {
        idleLock.unlock();
      }
    }
  }

  private void deadLetter(Entry entry, Throwable failure) {
    DeadLetter dl = new DeadLetter(entry, failure.getClass().getName() + ": " + failure.getMessage(), Instant.now());
    log.warn("queue '{}': entry {} of key {} dead-lettered after {} deliveries: {}", name, entry.id(),
        entry.partitionKey(), entry.deliveries(), dl.error());
    synchronized (deadLetters) {
      if (deadLetters.size() == deadLetterCapacity) {
        deadLetters.pollFirst();
      }
      deadLetters.addLast(dl);
    }
    try {
      onDeadLetter.accept(dl);
    } catch (RuntimeException e) {
      log.warn("queue '{}': the dead-letter listener failed on entry {}", name, entry.id(), e);
    }
  }

  private static final class Item {
    final String id;
    final String key;
    final String payload;
    int deliveries;

    Item(String id, String key, String payload) {
      this.id = id;
      this.key = key;
      this.payload = payload;
    }
  }

  /** The entries of a key whose head failed: they wait together until the head's backoff is over. */
  private static final class Held {
    final ArrayDeque<Item> items = new ArrayDeque<>();
    long dueNanos;
  }

  private final class Lane {
    final ReentrantLock lock = new ReentrantLock();
    final Condition changed = lock.newCondition();
    final ArrayDeque<Item> ready = new ArrayDeque<>();
    final Map<String, Held> held = new HashMap<>();
    // A closed consumer's thread may still be inside a handler when the next consumer starts: the lane stays busy
    // until it returns, so a key never runs on two threads.
    boolean busy;

    void add(Item item) {
      lock.lock();
      try {
        ready.addLast(item);
        changed.signalAll();
      } finally {
        lock.unlock();
      }
    }

    void wake() {
      lock.lock();
      try {
        changed.signalAll();
      } finally {
        lock.unlock();
      }
    }

    void serve(Workers w) {
      while (true) {
        Item item = null;
        Held from = null;
        lock.lock();
        try {
          while (item == null) {
            if (w.stopping) {
              return;
            }
            long waitNanos = Long.MAX_VALUE;
            if (!busy) {
              long now = System.nanoTime();
              for (Held h : held.values()) {
                long d = h.dueNanos - now;
                if (d <= 0) {
                  from = h;
                  item = h.items.peekFirst();
                  break;
                }
                waitNanos = Math.min(waitNanos, d);
              }
              Item r;
              while (item == null && (r = ready.pollFirst()) != null) {
                Held h = held.get(r.key);
                if (h != null) {
                  h.items.addLast(r); // behind its key's failed entry
                } else {
                  item = r;
                }
              }
            }
            if (item == null) {
              if (waitNanos == Long.MAX_VALUE) {
                changed.await();
              } else {
                changed.awaitNanos(waitNanos);
              }
            }
          }
          busy = true;
          item.deliveries++;
        } catch (InterruptedException e) {
          return; // close ran out of grace; nothing was taken
        } finally {
          lock.unlock();
        }
        handle(w, item, from);
      }
    }

    private void handle(Workers w, Item item, Held from) {
      Entry entry = new Entry(item.id, item.key, item.payload, item.deliveries);
      Throwable failure = null;
      try {
        w.handler.handle(entry);
      } catch (Throwable t) {
        failure = t;
      }
      boolean done = failure == null || item.deliveries >= maxDeliveries;
      lock.lock();
      try {
        busy = false;
        long now = System.nanoTime();
        if (done) {
          if (from != null) {
            from.items.pollFirst();
            if (from.items.isEmpty()) {
              held.remove(item.key);
            } else {
              from.dueNanos = now; // the key's next entry goes at once
            }
          }
        } else {
          if (from == null) {
            from = new Held();
            from.items.addFirst(item);
            held.put(item.key, from);
          }
          from.dueNanos = now + backoffNanos(item.deliveries);
        }
        changed.signalAll();
      } finally {
        lock.unlock();
      }
      if (failure != null) {
        if (done) {
          deadLetter(entry, failure);
        } else {
          log.debug("queue '{}': entry {} of key {} failed (delivery {}), retrying after a backoff", name, item.id,
              item.key, item.deliveries, failure);
        }
      }
      if (done) {
        acknowledged();
      }
    }
  }

  private final class Workers implements Consumer {
    final Handler handler;
    final List<Thread> threads = new ArrayList<>();
    volatile boolean stopping;

    Workers(Handler handler) {
      this.handler = handler;
    }

    void start() {
      for (int i = 0; i < lanes.length; i++) {
        Lane lane = lanes[i];
        Thread t = new Thread(() -> lane.serve(this), name + "-worker-" + (i + 1));
        t.setDaemon(true);
        threads.add(t);
      }
      threads.forEach(Thread::start);
    }

    @Override
    public void close(Duration grace) {
      stopping = true;
      for (Lane lane : lanes) {
        lane.wake();
      }
      long deadline = System.nanoTime() + grace.toNanos();
      boolean interrupted = false;
      for (Thread t : threads) {
        try {
          t.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
        } catch (InterruptedException e) {
          interrupted = true;
        }
        if (t.isAlive()) {
          // A handler overran the grace: ask it to stop; its entry is delivered again if it throws.
          t.interrupt();
        }
      }
      consumer.compareAndSet(this, null);
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * Settings of an {@link InMemoryWorkQueue}; every one has a default.
   */
  public static final class Builder {
    private String name = "tgsupport-queue";
    private int workers = Math.max(2, Runtime.getRuntime().availableProcessors());
    private int capacity = 10_000;
    private int maxDeliveries = 5;
    private Duration retryBackoff = Duration.ofSeconds(1);
    private int deadLetterCapacity = 1_000;
    private java.util.function.Consumer<DeadLetter> onDeadLetter = dl -> {};

    private Builder() {}

    /** Names the queue in logs and its threads' names; default {@code tgsupport-queue}. */
    public Builder name(String name) {
      if (name == null || name.isBlank()) {
        throw new IllegalArgumentException("name must not be blank, was " + (name == null ? "null" : "\"\""));
      }
      this.name = name;
      return this;
    }

    /** Lanes and consumer threads; default the number of processors, at least 2. */
    public Builder workers(int workers) {
      positive("workers", workers);
      this.workers = workers;
      return this;
    }

    /** Entries held before {@link #publish} blocks; default 10,000. */
    public Builder capacity(int capacity) {
      positive("capacity", capacity);
      this.capacity = capacity;
      return this;
    }

    /** Deliveries of a failing entry before it is dead-lettered; default 5. */
    public Builder maxDeliveries(int maxDeliveries) {
      positive("maxDeliveries", maxDeliveries);
      this.maxDeliveries = maxDeliveries;
      return this;
    }

    /** Wait before the second delivery of a failed entry, doubling for each later one; default 1 s. */
    public Builder retryBackoff(Duration retryBackoff) {
      Objects.requireNonNull(retryBackoff, "retryBackoff");
      if (retryBackoff.isNegative()) {
        throw new IllegalArgumentException("retryBackoff must be >= 0, was " + retryBackoff);
      }
      this.retryBackoff = retryBackoff;
      return this;
    }

    /** Dead letters kept for {@link #deadLetters()}; default 1,000 (older ones are dropped). */
    public Builder deadLetterCapacity(int deadLetterCapacity) {
      positive("deadLetterCapacity", deadLetterCapacity);
      this.deadLetterCapacity = deadLetterCapacity;
      return this;
    }

    /** Called on the worker thread for each dead letter, e.g. for a metric; must be fast and not throw. */
    public Builder onDeadLetter(java.util.function.Consumer<DeadLetter> onDeadLetter) {
      this.onDeadLetter = Objects.requireNonNull(onDeadLetter, "onDeadLetter");
      return this;
    }

    public InMemoryWorkQueue build() {
      return new InMemoryWorkQueue(this);
    }

    private static void positive(String field, int value) {
      if (value <= 0) {
        throw new IllegalArgumentException(field + " must be > 0, was " + value);
      }
    }
  }
}
