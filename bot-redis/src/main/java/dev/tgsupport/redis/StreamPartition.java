package dev.tgsupport.redis;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What one consumer knows about one partition: whether it holds the lease (and until when it may trust it), and the
 * entries read from the stream but not yet handled. The reader thread fills it, one worker at a time drains it, the
 * control thread moves the lease; every method is synchronized and short.
 *
 * <p>Entries are handled in stream order. When an entry fails, its key is "held": the entry and every later entry
 * of that key wait together for the backoff, while the other keys of the partition go on. All of them stay in this
 * consumer's pending list in Redis, so a consumer taking over after a crash sees them in stream order again.
 */
final class StreamPartition {

  /** An entry delivered to this consumer. */
  static final class Msg {
    final String id;
    final String key;
    final String payload;
    /** The number of the next delivery: 1 for a fresh read, Redis's count + 1 for a claimed entry. */
    int deliveries;

    Msg(String id, String key, String payload, int deliveries) {
      this.id = id;
      this.key = key;
      this.payload = payload;
      this.deliveries = deliveries;
    }
  }

  /** An entry taken for handling, with the lease epoch it was taken under. */
  record Taken(Msg msg, long epoch) {}

  private static final class Held {
    final ArrayDeque<Msg> items = new ArrayDeque<>();
    long dueNanos;
  }

  final int index;
  final String stream;
  private final ArrayDeque<Msg> buffer = new ArrayDeque<>();
  private final Map<String, Held> held = new HashMap<>();
  private int size;
  private long epoch;
  private boolean owned;
  private boolean claimed;
  private boolean releasing;
  private boolean running;
  private String claimFrom = "-";
  private long validUntilNanos;
  private long wakeAtNanos = Long.MAX_VALUE;

  StreamPartition(int index, String stream) {
    this.index = index;
    this.stream = stream;
  }

  // --- lease, driven by the control thread ---

  /** The lease is newly ours: forget any local state; the pending entries of the partition are claimed first. */
  synchronized void acquire(long validUntilNanos) {
    epoch++;
    owned = true;
    claimed = false;
    releasing = false;
    claimFrom = "-";
    this.validUntilNanos = validUntilNanos;
    clear();
  }

  /**
   * A read of this partition failed or timed out: Redis may have delivered entries to us that we never saw. Forget
   * the local state and claim the partition's pending entries again, ours included; Redis's pending list is the truth.
   */
  synchronized void resync() {
    if (owned) {
      epoch++;
      claimed = false;
      claimFrom = "-";
      clear();
    }
  }

  synchronized void renew(long validUntilNanos) {
    this.validUntilNanos = validUntilNanos;
  }

  /** The lease is someone else's now; what we buffered is theirs to claim. */
  synchronized boolean lose() {
    if (!owned) {
      return false;
    }
    owned = false;
    epoch++;
    clear();
    return true;
  }

  synchronized boolean owned() {
    return owned;
  }

  /** Asks to give the lease back once no entry is being handled. */
  synchronized void requestRelease() {
    if (owned) {
      releasing = true;
    }
  }

  /** True, and the partition no longer ours locally, when a requested release can go to Redis now. */
  synchronized boolean readyToRelease() {
    if (!owned || !releasing || running) {
      return false;
    }
    owned = false;
    releasing = false;
    epoch++;
    clear();
    return true;
  }

  /**
   * For shutdown: marks the partition not ours unless a handler may still run in it ({@code workersDone} says none
   * can); returns whether the lease can be given back.
   */
  synchronized boolean stopIfIdle(boolean workersDone) {
    if (running && !workersDone) {
      return false;
    }
    boolean was = owned;
    owned = false;
    epoch++;
    clear();
    return was;
  }

  private void clear() {
    buffer.clear();
    held.clear();
    size = 0;
    wakeAtNanos = Long.MAX_VALUE;
  }

  // --- reading, driven by the reader thread ---

  /** The epoch to claim pending entries under, or -1 when there is nothing to claim (or no room for them). */
  synchronized long claimEpoch(long now, int maxBuffered) {
    return owned && !claimed && !releasing && now < validUntilNanos && size < maxBuffered ? epoch : -1;
  }

  synchronized String claimFrom() {
    return claimFrom;
  }

  /** The epoch to read new entries under, or -1 when the partition must not be read now. */
  synchronized long readEpoch(long now, int maxBuffered) {
    return owned && claimed && !releasing && now < validUntilNanos && size < maxBuffered ? epoch : -1;
  }

  /**
   * Appends entries read or claimed under {@code epoch}; dropped when the lease changed meanwhile (they stay
   * pending in Redis for whoever holds it).
   *
   * @return true when the caller must start a drain
   */
  synchronized boolean offer(long epoch, List<Msg> msgs) {
    if (epoch != this.epoch || !owned || msgs.isEmpty()) {
      return false;
    }
    buffer.addAll(msgs);
    size += msgs.size();
    return startIfIdle(System.nanoTime());
  }

  /** Records claim progress; {@code next == null} means all pending entries were claimed. */
  synchronized void claimed(long epoch, String next) {
    if (epoch != this.epoch) {
      return;
    }
    if (next == null) {
      claimed = true;
    } else {
      claimFrom = next;
    }
  }

  /** True when a drain should start (an entry can be taken and nobody drains); marks it running. */
  synchronized boolean startIfIdle(long now) {
    if (running || size == 0) {
      return false;
    }
    boolean due = !buffer.isEmpty() || heldDue(now);
    running = due;
    return due;
  }

  /** Ends a drain that stopped abnormally. */
  synchronized void drainAborted() {
    running = false;
  }

  // --- draining, by one worker at a time ---

  /**
   * The next entry to handle, or null when there is none due or the partition may not be handled now: lease lost,
   * being released, past its fence, or the consumer stopping. A null does not end the drain: {@link #endDrain} does.
   */
  synchronized Taken take(long now, boolean stopping) {
    if (!handleable(now, stopping)) {
      return null;
    }
    Msg next = null;
    for (Held h : held.values()) {
      if (h.dueNanos <= now) {
        next = h.items.peekFirst();
        break;
      }
    }
    Msg m;
    while (next == null && (m = buffer.pollFirst()) != null) {
      Held h = held.get(m.key);
      if (h != null) {
        h.items.addLast(m); // behind its key's failed entry
      } else {
        next = m; // moves to "held" only if it fails
      }
    }
    return next == null ? null : new Taken(next, epoch);
  }

  /**
   * Ends the drain unless an entry became takeable since the last {@link #take} returned null (the reader offers
   * entries without starting a drain while one runs).
   *
   * @return true when the drain ended
   */
  synchronized boolean endDrain(long now, boolean stopping) {
    boolean more = handleable(now, stopping) && (!buffer.isEmpty() || heldDue(now));
    if (!more) {
      running = false;
      wakeAtNanos = Long.MAX_VALUE;
      if (handleable(now, stopping)) {
        for (Held h : held.values()) {
          wakeAtNanos = Math.min(wakeAtNanos, h.dueNanos);
        }
      }
    }
    return !more;
  }

  private boolean handleable(long now, boolean stopping) {
    return owned && !releasing && !stopping && now < validUntilNanos;
  }

  private boolean heldDue(long now) {
    for (Held h : held.values()) {
      if (h.dueNanos <= now) {
        return true;
      }
    }
    return false;
  }

  /** When the last drain ended with keys in backoff: the time to start the next one, else MAX_VALUE. */
  synchronized long wakeAtNanos() {
    return wakeAtNanos;
  }

  /** The entry is finished (handled or dead-lettered): its key's next entry may go. */
  synchronized void finished(Taken t, long now) {
    if (t.epoch() != epoch) {
      return;
    }
    size--;
    Held h = held.get(t.msg().key);
    if (h != null && h.items.peekFirst() == t.msg()) {
      h.items.pollFirst();
      if (h.items.isEmpty()) {
        held.remove(t.msg().key);
      } else {
        h.dueNanos = now;
      }
    }
  }

  /** The entry failed and will be delivered again at {@code dueNanos}; its key waits. */
  synchronized void retryAt(Taken t, long dueNanos) {
    if (t.epoch() != epoch) {
      return;
    }
    t.msg().deliveries++;
    Held h = held.get(t.msg().key);
    if (h == null) {
      h = new Held();
      h.items.addFirst(t.msg());
      held.put(t.msg().key, h);
    }
    h.dueNanos = dueNanos;
  }
}
