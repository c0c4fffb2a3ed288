package dev.tgsupport.kaiten;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Spaces the requests of every caller of one client evenly (a blocking GCRA: each caller reserves the next free
 * slot and waits for it), and holds everyone back while Kaiten has asked us to wait.
 *
 * <p>A pause voids the slots reserved before it: their holders wake up and queue again behind the pause. Otherwise a
 * thread that reserved a slot a second ahead would send in the middle of the wait Kaiten asked for.
 */
final class RequestGate {

  private final long intervalNanos;
  private final LongSupplier nanoTime;
  private long next;
  private long lastGranted;
  private long pausedUntil;
  private long generation;

  RequestGate(double permitsPerSecond, LongSupplier nanoTime) {
    if (!(permitsPerSecond > 0)) {
      throw new IllegalArgumentException("permitsPerSecond must be > 0, was " + permitsPerSecond);
    }
    this.intervalNanos = (long) Math.ceil(TimeUnit.SECONDS.toNanos(1) / permitsPerSecond);
    this.nanoTime = nanoTime;
    long now = nanoTime.getAsLong();
    this.next = now;
    this.pausedUntil = now;
    this.lastGranted = now - intervalNanos;
  }

  /**
   * Waits for this caller's slot.
   *
   * @return {@link Duration#ZERO} once the caller may send, or, without waiting or reserving anything, how long it
   *     would have had to wait when that is more than {@code maxWait}
   */
  Duration acquire(Duration maxWait) throws InterruptedException {
    long maxWaitNanos = maxWait.toNanos();
    synchronized (this) {
      while (true) {
        long now = nanoTime.getAsLong();
        long slot = Math.max(now, Math.max(next, pausedUntil));
        if (slot - now > maxWaitNanos) {
          return Duration.ofNanos(slot - now);
        }
        next = slot + intervalNanos;
        long reservedIn = generation;
        while (reservedIn == generation) {
          long remaining = slot - nanoTime.getAsLong();
          if (remaining <= 0) {
            // A waiter that wakes late must not move this back: a pause spaces the next slot from the latest one.
            lastGranted = Math.max(lastGranted, slot);
            return Duration.ZERO;
          }
          TimeUnit.NANOSECONDS.timedWait(this, remaining);
        }
        // A pause came in while we waited: the slot is void, queue again behind it.
      }
    }
  }

  /** Nobody sends for {@code wait} from now; a shorter pause than one already in force changes nothing. */
  void pauseFor(Duration wait) {
    if (wait.isNegative() || wait.isZero()) {
      return;
    }
    pauseUntil(nanoTime.getAsLong() + wait.toNanos());
  }

  synchronized void pauseUntil(long deadlineNanos) {
    if (deadlineNanos - pausedUntil <= 0) {
      return;
    }
    pausedUntil = deadlineNanos;
    next = Math.max(deadlineNanos, lastGranted + intervalNanos);
    generation++;
    notifyAll();
  }

  /** How long from now until the pause ends; zero when there is none. */
  synchronized Duration pausedFor() {
    long left = pausedUntil - nanoTime.getAsLong();
    return left > 0 ? Duration.ofNanos(left) : Duration.ZERO;
  }

  Duration interval() {
    return Duration.ofNanos(intervalNanos);
  }
}
