package dev.tgsupport.core.port;

import java.time.Duration;

/**
 * Remembers keys for a while so that work arriving twice (a webhook retried by Telegram, an update delivered to two
 * instances) is done once. Thread-safe.
 */
public interface Deduplicator {

  /**
   * Claims {@code key} for {@code ttl}.
   *
   * @return true for the first caller within the ttl, false for every later one
   * @throws dev.tgsupport.core.InvalidInputException when {@code key} is null or {@code ttl} is not positive
   */
  boolean firstSeen(String key, Duration ttl);

  /** Forgets a claim, so the work can be done again (it failed after the claim). */
  void release(String key);
}
