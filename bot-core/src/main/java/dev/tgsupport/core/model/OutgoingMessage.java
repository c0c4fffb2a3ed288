package dev.tgsupport.core.model;

import static dev.tgsupport.core.InvalidInputException.check;
import static dev.tgsupport.core.InvalidInputException.requireNonBlank;

/**
 * A message the bot sends.
 *
 * @param chatId target chat
 * @param text the text; not blank
 * @param replyToMessageId Telegram id of the message answered; nullable
 * @param threadId forum topic to post into; nullable
 */
public record OutgoingMessage(long chatId, String text, Long replyToMessageId, Long threadId) {
  public OutgoingMessage {
    check(chatId != 0, "outgoing.chatId", "must be non-zero", chatId);
    requireNonBlank(text, "outgoing.text");
  }

  public static OutgoingMessage to(long chatId, String text) {
    return new OutgoingMessage(chatId, text, null, null);
  }
}
