package dev.tgsupport.core.model;

import static dev.tgsupport.core.InvalidInputException.check;
import static dev.tgsupport.core.InvalidInputException.requireNonBlank;
import static dev.tgsupport.core.InvalidInputException.requireNonNull;

import java.time.Instant;

/**
 * Work for an external system written in the same transaction as the business change that caused it, so it is
 * done at least once even across crashes (the transactional outbox).
 *
 * @param id storage id
 * @param kind what to do, e.g. {@code "ticket.create"}
 * @param payload a JSON object with what the worker needs
 * @param attempts how many times a worker tried it
 * @param nextAttemptAt when it is due (again)
 * @param lastError the last failure; nullable
 * @param doneAt when it succeeded; null while pending
 * @param createdAt when it was written
 * @param parkedAt when it was parked as poison (never claimed again); null otherwise
 */
public record OutboxEntry(
    long id,
    String kind,
    String payload,
    int attempts,
    Instant nextAttemptAt,
    String lastError,
    Instant doneAt,
    Instant createdAt,
    Instant parkedAt) {

  /** Kind of the entry the ticket stage writes: create the ticket in the external tracker. */
  public static final String TICKET_CREATE = "ticket.create";

  /** Kind of the entry for a user's follow-up on an open ticket: add it to the external card as a comment. */
  public static final String TICKET_COMMENT = "ticket.comment";

  /** An entry that was never parked. */
  public OutboxEntry(long id, String kind, String payload, int attempts, Instant nextAttemptAt, String lastError,
      Instant doneAt, Instant createdAt) {
    this(id, kind, payload, attempts, nextAttemptAt, lastError, doneAt, createdAt, null);
  }

  public OutboxEntry {
    check(id > 0, "outbox.id", "must be > 0", id);
    requireNonBlank(kind, "outbox.kind");
    requireNonNull(payload, "outbox.payload");
    check(attempts >= 0, "outbox.attempts", "must be >= 0", attempts);
    requireNonNull(nextAttemptAt, "outbox.nextAttemptAt");
    requireNonNull(createdAt, "outbox.createdAt");
  }

  public boolean isDone() {
    return doneAt != null;
  }

  public boolean isParked() {
    return parkedAt != null;
  }
}
