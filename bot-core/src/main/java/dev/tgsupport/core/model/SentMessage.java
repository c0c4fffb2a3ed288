package dev.tgsupport.core.model;

import static dev.tgsupport.core.InvalidInputException.check;
import static dev.tgsupport.core.InvalidInputException.requireNonNull;

import java.time.Instant;

/** What Telegram answered for a sent message: the id it gave it. */
public record SentMessage(long chatId, long telegramMessageId, Instant date) {
  public SentMessage {
    check(telegramMessageId > 0, "sent.telegramMessageId", "must be > 0", telegramMessageId);
    requireNonNull(date, "sent.date");
  }
}
