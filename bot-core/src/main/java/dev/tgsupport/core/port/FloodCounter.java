package dev.tgsupport.core.port;

import java.time.Duration;

/**
 * Counts how often a user repeats the same text in a chat, for the noise stage's flood check. Shared through Redis
 * when several instances serve one bot, so a flood spread over instances is still seen. Thread-safe.
 */
public interface FloodCounter {

  /**
   * Records one message and counts the messages with the same text hash from the same user in the same chat within
   * {@code window} (this one included). Recording the same message id again (a redelivery) does not count twice.
   *
   * @param textHash a hash of the normalised text
   * @return the count, at least 1
   * @throws dev.tgsupport.core.InvalidInputException when {@code window} is null or not positive
   */
  int record(long chatId, long userId, long messageId, long textHash, Duration window);
}
