package dev.tgsupport.redis;

import io.lettuce.core.RedisCommandInterruptedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether one component is on Redis or on its in-process twin. A failed call flips it to the twin at once; from
 * then on calls go straight to the twin (a volatile read, no command timeout to wait out) until the probe has seen
 * Redis answer and {@link #recover} has replayed what the outage left behind.
 */
final class Guard {
  private static final Logger log = LoggerFactory.getLogger(RedisSupport.class);

  /** Runs once Redis is back, before and after calls return to it; throws when Redis failed again. */
  interface Recovery {
    void replay(RedisLink link);

    /** Forgets the state the twin gathered during the outage, so the next outage starts clean. */
    default void resetTwin() {}
  }

  private final String component;
  private final DegradationSignal signal;
  private final Recovery recovery;
  private volatile boolean down;
  private volatile boolean closed;

  Guard(String component, DegradationSignal signal, Recovery recovery) {
    this.component = component;
    this.signal = signal;
    this.recovery = recovery;
  }

  String component() {
    return component;
  }

  /** True while calls should go to Redis. */
  boolean onRedis() {
    return !down;
  }

  /** A Redis call failed: the caller answers from the twin, and so do later calls until recovery. */
  void failed(RuntimeException cause) {
    if (cause instanceof RedisCommandInterruptedException) {
      // The caller was interrupted (shutting down, most likely), which says nothing about Redis: this one call is
      // answered from the twin, and the caller keeps its interrupt.
      Thread.currentThread().interrupt();
      return;
    }
    if (closed) {
      down = true;
      return;
    }
    down = true;
    log.debug("{}: Redis call failed, answering from in-process state", component, cause);
    signal.degraded(component, cause);
  }

  /** Called by the probe after Redis answered a PING; a no-op unless down. */
  synchronized void recover(RedisLink link) {
    if (!down || closed) {
      return;
    }
    try {
      recovery.replay(link);
    } catch (RuntimeException e) {
      log.debug("{}: replay after the outage failed; staying on in-process state", component, e);
      return;
    }
    down = false;
    recovery.resetTwin();
    try {
      // Writes that raced with the switch landed in the journal after the first replay.
      recovery.replay(link);
    } catch (RuntimeException e) {
      failed(e);
      return;
    }
    signal.recovered(component);
  }

  /** After {@link RedisSupport#close()}: answer from the twin, quietly. */
  void close() {
    closed = true;
    down = true;
  }
}
