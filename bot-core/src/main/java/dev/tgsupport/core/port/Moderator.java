package dev.tgsupport.core.port;

import java.time.Duration;

/**
 * Chat moderation on the messenger: deleting messages and restricting members. Every method returns false, rather
 * than throwing, when the bot may not do it (it is not an administrator with that right, the message is gone or too
 * old): moderation is best effort and never blocks the pipeline. Thread-safe.
 */
public interface Moderator {
  /** Deletes a message of a chat; false when the bot may not or the message is gone. */
  boolean deleteMessage(long chatId, long telegramMessageId);

  /**
   * Forbids the user to send anything in the chat for {@code duration}; false when the bot may not. Telegram treats
   * less than 30 seconds or more than 366 days as forever.
   */
  boolean restrict(long chatId, long userId, Duration duration);

  /** Lifts a restriction: the user may write again with the chat's default permissions; false when the bot may not. */
  boolean unrestrict(long chatId, long userId);

  /** A moderator that may do nothing, for bots that are no administrators anywhere. */
  static Moderator none() {
    return new Moderator() {
      @Override
      public boolean deleteMessage(long chatId, long telegramMessageId) {
        return false;
      }

      @Override
      public boolean restrict(long chatId, long userId, Duration duration) {
        return false;
      }

      @Override
      public boolean unrestrict(long chatId, long userId) {
        return false;
      }

      @Override
      public String toString() {
        return "Moderator.none()";
      }
    };
  }
}
