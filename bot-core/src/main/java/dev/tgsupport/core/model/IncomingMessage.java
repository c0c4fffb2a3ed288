package dev.tgsupport.core.model;

import static dev.tgsupport.core.InvalidInputException.check;
import static dev.tgsupport.core.InvalidInputException.requireNonNull;

import java.time.Instant;

/**
 * A message a user sent, as the pipeline receives it.
 *
 * @param chat where it was written
 * @param user who wrote it
 * @param telegramMessageId Telegram's message id, unique within the chat, positive
 * @param threadId the forum topic (message_thread_id) when the message belongs to one; nullable
 * @param replyToMessageId the Telegram id of the message this one replies to; nullable
 * @param type what the message carries
 * @param text the text, or the caption of a media message; "" when there is none (never null)
 * @param date when Telegram says it was sent
 * @param attachment the file the message carries; null for text and for types without a file (contact, location)
 */
public record IncomingMessage(
    Chat chat,
    TelegramUser user,
    long telegramMessageId,
    Long threadId,
    Long replyToMessageId,
    MessageType type,
    String text,
    Instant date,
    Attachment attachment) {

  public IncomingMessage {
    requireNonNull(chat, "message.chat");
    requireNonNull(user, "message.user");
    check(telegramMessageId > 0, "message.telegramMessageId", "must be > 0", telegramMessageId);
    check(threadId == null || threadId > 0, "message.threadId", "must be > 0 when present", threadId);
    check(replyToMessageId == null || replyToMessageId > 0,
        "message.replyToMessageId", "must be > 0 when present", replyToMessageId);
    requireNonNull(type, "message.type");
    text = text == null ? "" : text;
    requireNonNull(date, "message.date");
  }

  /** A message without an attachment. */
  public IncomingMessage(
      Chat chat, TelegramUser user, long telegramMessageId, Long threadId, Long replyToMessageId, MessageType type,
      String text, Instant date) {
    this(chat, user, telegramMessageId, threadId, replyToMessageId, type, text, date, null);
  }

  /** A plain text message with no thread and no reply, dated now. */
  public static IncomingMessage text(Chat chat, TelegramUser user, long telegramMessageId, String text) {
    return new IncomingMessage(chat, user, telegramMessageId, null, null, MessageType.TEXT, text, Instant.now());
  }

  /** True when the text is a bot command such as {@code /help} or {@code /ticket@MyBot details}. */
  public boolean isCommand() {
    return text.length() > 1 && text.charAt(0) == '/' && Character.isLetter(text.charAt(1));
  }

  public IncomingMessage withText(String newText) {
    return new IncomingMessage(
        chat, user, telegramMessageId, threadId, replyToMessageId, type, newText, date, attachment);
  }
}
