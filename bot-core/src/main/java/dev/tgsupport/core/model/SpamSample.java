package dev.tgsupport.core.model;

import static dev.tgsupport.core.InvalidInputException.check;
import static dev.tgsupport.core.InvalidInputException.requireNonBlank;
import static dev.tgsupport.core.InvalidInputException.requireNonNull;

import java.time.Instant;
import java.util.Locale;

/**
 * A message text the spam detector learns from, taught by staff ({@code /spam}, {@code /notspam}) or loaded from
 * files.
 *
 * @param id storage id, positive
 * @param kind spam or ham (an ordinary message)
 * @param text the text
 * @param chatId the chat of the message it was taken from; null for a sample that came from no message
 * @param telegramMessageId that message's id in its chat; null exactly when {@code chatId} is
 * @param addedBy the Telegram user id of the staff member who taught it; nullable
 * @param createdAt when it was stored
 */
public record SpamSample(
    long id, Kind kind, String text, Long chatId, Long telegramMessageId, Long addedBy, Instant createdAt) {

  /** What a sample teaches. */
  public enum Kind {
    SPAM,
    HAM;

    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public SpamSample {
    check(id > 0, "spamSample.id", "must be > 0", id);
    requireNonNull(kind, "spamSample.kind");
    requireNonBlank(text, "spamSample.text");
    check((chatId == null) == (telegramMessageId == null), "spamSample.telegramMessageId",
        "must be given exactly when chatId is", telegramMessageId);
    check(telegramMessageId == null || telegramMessageId > 0, "spamSample.telegramMessageId", "must be > 0",
        telegramMessageId);
    requireNonNull(createdAt, "spamSample.createdAt");
  }

  /**
   * A sample before storage gives it an id.
   *
   * @param kind spam or ham
   * @param text the text, not blank
   * @param chatId the chat of the source message; null for none
   * @param telegramMessageId the source message; null exactly when {@code chatId} is
   * @param addedBy who taught it; nullable
   */
  public record Draft(Kind kind, String text, Long chatId, Long telegramMessageId, Long addedBy) {
    public Draft {
      requireNonNull(kind, "spamSample.kind");
      requireNonBlank(text, "spamSample.text");
      check((chatId == null) == (telegramMessageId == null), "spamSample.telegramMessageId",
          "must be given exactly when chatId is", telegramMessageId);
      check(telegramMessageId == null || telegramMessageId > 0, "spamSample.telegramMessageId", "must be > 0",
          telegramMessageId);
    }

    /** A sample taken from a stored message. */
    public static Draft of(Kind kind, StoredMessage message, Long addedBy) {
      return new Draft(kind, message.text(), message.chatId(), message.telegramMessageId(), addedBy);
    }
  }
}
