package dev.tgsupport.telegram.fake;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The server-side update store shared by getUpdates and webhook delivery: sorted by update_id, confirmed by offset,
 * filtered by the sticky allowed_updates setting, with one pending long poll at a time.
 */
final class UpdateQueue {

  /** What an empty or never-set allowed_updates leaves out. */
  static final Set<String> NOT_BY_DEFAULT = Set.of("chat_member", "message_reaction", "message_reaction_count");

  static final String TERMINATED =
      "terminated by other getUpdates request; make sure that only one bot instance is running";
  static final String WEBHOOK_ACTIVE =
      "can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first";

  /**
   * One stored update.
   *
   * @param type the payload field ({@code message}, {@code future_update}), or {@code null} for unparseable text
   */
  record Entry(long updateId, String json, String type) {}

  private static final class Poll {
    String conflict;
  }

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final List<Entry> entries = new ArrayList<>();
  private Set<String> allowed;
  private long confirmedUpTo;
  private long getUpdatesCalls;
  private long filtered;
  private Poll current;
  private boolean webhookActive;
  private boolean closed;

  boolean enqueue(Entry entry) {
    lock.lock();
    try {
      if (entry.type() != null && !isAllowed(entry.type())) {
        // Telegram never stores an update the bot did not ask for, so it is gone even if the setting changes later.
        filtered++;
        return false;
      }
      int at = entries.size();
      while (at > 0 && entries.get(at - 1).updateId() > entry.updateId()) {
        at--;
      }
      entries.add(at, entry);
      changed.signalAll();
      return true;
    } finally {
      lock.unlock();
    }
  }

  /**
   * One getUpdates call: confirms by {@code offset}, then waits up to {@code timeoutMillis} for something to return.
   *
   * @throws ApiException 409 when a webhook is set or a newer getUpdates call took over
   */
  List<Entry> poll(Long offset, int limit, long timeoutMillis, List<String> allowedUpdates)
      throws InterruptedException {
    lock.lock();
    try {
      getUpdatesCalls++;
      if (webhookActive) {
        throw ApiException.conflict(WEBHOOK_ACTIVE);
      }
      if (allowedUpdates != null) {
        setAllowed(allowedUpdates);
      }
      if (current != null) {
        // The newer request wins, as on Telegram: the older one is answered 409.
        current.conflict = TERMINATED;
        changed.signalAll();
      }
      Poll me = new Poll();
      current = me;
      try {
        applyOffset(offset);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (true) {
          if (me.conflict != null) {
            throw ApiException.conflict(me.conflict);
          }
          List<Entry> batch = batch(offset, limit);
          long remaining = deadline - System.nanoTime();
          if (!batch.isEmpty() || closed || remaining <= 0) {
            return batch;
          }
          changed.awaitNanos(remaining);
        }
      } finally {
        if (current == me) {
          current = null;
        }
      }
    } finally {
      lock.unlock();
    }
  }

  /** The oldest pending update while a webhook is active, waiting up to {@code maxWaitMillis}; null if none. */
  Entry awaitWebhookHead(long maxWaitMillis) throws InterruptedException {
    lock.lock();
    try {
      long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(maxWaitMillis);
      while (!closed && (!webhookActive || entries.isEmpty())) {
        long remaining = deadline - System.nanoTime();
        if (remaining <= 0) {
          return null;
        }
        changed.awaitNanos(remaining);
      }
      return closed ? null : entries.get(0);
    } finally {
      lock.unlock();
    }
  }

  /** Forgets an update the webhook accepted. */
  void delivered(Entry entry) {
    lock.lock();
    try {
      if (entries.remove(entry)) {
        confirmedUpTo = Math.max(confirmedUpTo, entry.updateId());
      }
    } finally {
      lock.unlock();
    }
  }

  void setWebhookActive(boolean active) {
    lock.lock();
    try {
      webhookActive = active;
      if (active && current != null) {
        current.conflict = WEBHOOK_ACTIVE;
      }
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  void setAllowed(List<String> allowedUpdates) {
    lock.lock();
    try {
      allowed = allowedUpdates.isEmpty() ? null : new LinkedHashSet<>(allowedUpdates);
    } finally {
      lock.unlock();
    }
  }

  /** The explicit allowed_updates list, or empty for the default set. */
  List<String> allowed() {
    lock.lock();
    try {
      return allowed == null ? List.of() : List.copyOf(allowed);
    } finally {
      lock.unlock();
    }
  }

  void dropPending() {
    lock.lock();
    try {
      entries.clear();
    } finally {
      lock.unlock();
    }
  }

  int pending() {
    lock.lock();
    try {
      return entries.size();
    } finally {
      lock.unlock();
    }
  }

  long confirmedUpTo() {
    lock.lock();
    try {
      return confirmedUpTo;
    } finally {
      lock.unlock();
    }
  }

  long getUpdatesCalls() {
    lock.lock();
    try {
      return getUpdatesCalls;
    } finally {
      lock.unlock();
    }
  }

  long filtered() {
    lock.lock();
    try {
      return filtered;
    } finally {
      lock.unlock();
    }
  }

  void close() {
    lock.lock();
    try {
      closed = true;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  private boolean isAllowed(String type) {
    return allowed == null ? !NOT_BY_DEFAULT.contains(type) : allowed.contains(type);
  }

  private void applyOffset(Long offset) {
    if (offset == null) {
      return;
    }
    if (offset >= 0) {
      while (!entries.isEmpty() && entries.get(0).updateId() < offset) {
        entries.remove(0);
      }
      confirmedUpTo = Math.max(confirmedUpTo, offset - 1);
    } else {
      long keep = -offset;
      while (entries.size() > keep) {
        confirmedUpTo = Math.max(confirmedUpTo, entries.remove(0).updateId());
      }
    }
  }

  private List<Entry> batch(Long offset, int limit) {
    List<Entry> batch = new ArrayList<>();
    for (Entry entry : entries) {
      if (batch.size() == limit) {
        break;
      }
      if (offset == null || offset < 0 || entry.updateId() >= offset) {
        batch.add(entry);
      }
    }
    return batch;
  }
}
