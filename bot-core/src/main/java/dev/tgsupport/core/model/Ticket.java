package dev.tgsupport.core.model;

import static dev.tgsupport.core.InvalidInputException.check;
import static dev.tgsupport.core.InvalidInputException.requireNonNull;

import java.time.Instant;

/**
 * A question handed to support staff.
 *
 * @param id the ticket number users see, positive
 * @param messageId storage id of the message that opened it (one ticket per message)
 * @param chatId Telegram chat id
 * @param userId Telegram user id of the asker
 * @param title a one-line summary
 * @param status where it stands
 * @param externalId the tracker's id (a Kaiten card id); nullable until the card exists
 * @param createdAt when it was opened
 * @param resolvedAt when it was resolved; nullable
 */
public record Ticket(
    long id,
    long messageId,
    long chatId,
    long userId,
    String title,
    TicketStatus status,
    String externalId,
    Instant createdAt,
    Instant resolvedAt) {

  public Ticket {
    check(id > 0, "ticket.id", "must be > 0", id);
    check(messageId > 0, "ticket.messageId", "must be > 0", messageId);
    check(userId > 0, "ticket.userId", "must be > 0", userId);
    title = title == null ? "" : title;
    requireNonNull(status, "ticket.status");
    requireNonNull(createdAt, "ticket.createdAt");
  }
}
