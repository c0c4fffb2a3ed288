package dev.tgsupport.telegram;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The webhook's memory of update ids: a bounded window of ids the sink made durable, plus the ids being handed to the
 * sink right now. Telegram redelivers an update whenever an answer is late or lost, possibly while the first delivery
 * is still being stored, so "seen" alone is not enough: a second request for an id in flight waits for the first
 * one's outcome instead of storing the update twice.
 */
final class WebhookDedup {
  private final int capacity;
  // Insertion order is enough: update ids mostly increase, so the oldest entry is the least likely to come back.
  private final LinkedHashMap<Long, Boolean> recent;
  private final Map<Long, CompletableFuture<Boolean>> inFlight = new HashMap<>();

  WebhookDedup(int capacity) {
    if (capacity <= 0) {
      throw new IllegalArgumentException("recentUpdateIds must be > 0, was " + capacity);
    }
    this.capacity = capacity;
    this.recent = new LinkedHashMap<>(Math.min(capacity, 1024), 0.75f, false) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<Long, Boolean> eldest) {
        return size() > WebhookDedup.this.capacity;
      }
    };
  }

  /**
   * What a request for an update id should do.
   *
   * @param owner true when this request must hand the update to the sink and then call {@link #done}
   * @param durable completes with true once the update is durable, false if the owner's attempt failed; already
   *     true for an id in the window
   */
  record Claim(boolean owner, CompletableFuture<Boolean> durable) {}

  synchronized Claim claim(long updateId) {
    if (recent.containsKey(updateId)) {
      return new Claim(false, CompletableFuture.completedFuture(true));
    }
    CompletableFuture<Boolean> running = inFlight.get(updateId);
    if (running != null) {
      return new Claim(false, running);
    }
    CompletableFuture<Boolean> mine = new CompletableFuture<>();
    inFlight.put(updateId, mine);
    return new Claim(true, mine);
  }

  /** Ends the owner's attempt; only a durable update enters the window, so a failed one is accepted again later. */
  void done(long updateId, boolean durable) {
    CompletableFuture<Boolean> finished;
    synchronized (this) {
      if (durable) {
        recent.put(updateId, Boolean.TRUE);
      }
      finished = inFlight.remove(updateId);
    }
    // Completed outside the lock: waiters resume on their own threads, but a dependent stage would run here.
    if (finished != null) {
      finished.complete(durable);
    }
  }

  synchronized boolean remembers(long updateId) {
    return recent.containsKey(updateId);
  }

  synchronized int size() {
    return recent.size();
  }
}
