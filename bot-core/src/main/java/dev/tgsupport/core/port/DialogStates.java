package dev.tgsupport.core.port;

import java.time.Duration;
import java.util.Optional;

/**
 * Short-lived per-user conversation state, such as "waiting for the details of a ticket", that expires by itself
 * when the user walks away. Values are small strings (a plugin encodes what it needs). Thread-safe.
 */
public interface DialogStates {

  Optional<String> get(long chatId, long userId);

  /**
   * Sets the state for {@code ttl}, replacing any previous one.
   *
   * @throws dev.tgsupport.core.InvalidInputException when {@code state} is null or {@code ttl} is not positive
   */
  void put(long chatId, long userId, String state, Duration ttl);

  void clear(long chatId, long userId);
}
