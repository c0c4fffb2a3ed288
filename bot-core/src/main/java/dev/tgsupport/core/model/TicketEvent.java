package dev.tgsupport.core.model;

import static dev.tgsupport.core.InvalidInputException.check;
import static dev.tgsupport.core.InvalidInputException.requireNonNull;

import java.time.Instant;

/**
 * One change of a ticket: a status change, a comment, an assignment.
 *
 * @param id storage id
 * @param ticketId the ticket
 * @param kind what changed
 * @param author who did it (a staff name, "user:<id>", "bot"); never null
 * @param body the comment text or the new status; never null
 * @param externalId the tracker's id for the event (a comment id) used to dedupe; nullable
 * @param createdAt when it was stored
 */
public record TicketEvent(
    long id, long ticketId, TicketEventKind kind, String author, String body, String externalId, Instant createdAt) {
  public TicketEvent {
    check(id > 0, "ticketEvent.id", "must be > 0", id);
    check(ticketId > 0, "ticketEvent.ticketId", "must be > 0", ticketId);
    requireNonNull(kind, "ticketEvent.kind");
    author = author == null ? "" : author;
    body = body == null ? "" : body;
    requireNonNull(createdAt, "ticketEvent.createdAt");
  }
}
