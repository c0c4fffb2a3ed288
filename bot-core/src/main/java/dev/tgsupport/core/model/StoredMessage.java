package dev.tgsupport.core.model;

import static dev.tgsupport.core.InvalidInputException.check;
import static dev.tgsupport.core.InvalidInputException.requireNonNull;

import java.time.Instant;

/**
 * A message as storage keeps it, incoming or outgoing.
 *
 * @param id the storage id, positive
 * @param chatId Telegram chat id
 * @param userId author; nullable for outgoing messages
 * @param telegramMessageId Telegram's id; unique per chat and direction
 * @param direction in (from a user) or out (from the bot)
 * @param threadId nullable forum topic
 * @param replyToMessageId nullable Telegram id of the replied-to message
 * @param type what the message carries
 * @param text never null
 * @param sentAt Telegram's date
 * @param noiseReason why it was judged noise; null when it is not noise
 * @param intent the classified intent; nullable until the intent stage ran
 * @param handledAt when the pipeline finished with it; null while unprocessed (a redelivery then runs it again)
 * @param attachment the file an incoming message carried; nullable
 */
public record StoredMessage(
    long id,
    long chatId,
    Long userId,
    long telegramMessageId,
    Direction direction,
    Long threadId,
    Long replyToMessageId,
    MessageType type,
    String text,
    Instant sentAt,
    String noiseReason,
    Intent intent,
    Instant handledAt,
    Attachment attachment) {

  public StoredMessage {
    check(id > 0, "storedMessage.id", "must be > 0", id);
    requireNonNull(direction, "storedMessage.direction");
    requireNonNull(type, "storedMessage.type");
    text = text == null ? "" : text;
    requireNonNull(sentAt, "storedMessage.sentAt");
  }

  /** A message without an attachment. */
  public StoredMessage(
      long id, long chatId, Long userId, long telegramMessageId, Direction direction, Long threadId,
      Long replyToMessageId, MessageType type, String text, Instant sentAt, String noiseReason, Intent intent,
      Instant handledAt) {
    this(id, chatId, userId, telegramMessageId, direction, threadId, replyToMessageId, type, text, sentAt,
        noiseReason, intent, handledAt, null);
  }

  public boolean isNoise() {
    return noiseReason != null;
  }

  public boolean isHandled() {
    return handledAt != null;
  }
}
