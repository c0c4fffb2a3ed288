package dev.tgsupport.core.port;

import dev.tgsupport.core.InvalidInputException;
import dev.tgsupport.core.model.Ticket;
import dev.tgsupport.core.model.TicketStatus;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Tickets: at most one per message. */
public interface TicketStore {
  /**
   * Opens a ticket for a stored message.
   *
   * @throws dev.tgsupport.core.ConflictException when the message already has a ticket
   * @throws dev.tgsupport.core.NotFoundException when the message is unknown
   * @throws dev.tgsupport.core.InvalidInputException when the message has no author (a bot's outgoing message)
   */
  Ticket open(long messageId, String title);

  Optional<Ticket> find(long id);

  Optional<Ticket> findByMessage(long messageId);

  Optional<Ticket> findByExternalId(String externalId);

  /** Open and in-progress tickets of a user, oldest first. */
  List<Ticket> listActiveByUser(long userId);

  /**
   * The most recent tickets, newest first, for staff tools.
   *
   * @param statuses the statuses to include; empty for every status
   * @param limit at most this many, 1..10000
   */
  List<Ticket> listRecent(Set<TicketStatus> statuses, int limit);

  /**
   * Open and in-progress tickets linked to a tracker card (their external id is set), oldest first, for a tracker
   * bridge that checks on cards it no longer sees: page with the last id of the previous page as {@code afterId}.
   *
   * <p>The default reads the 10,000 newest active tickets through {@link #listRecent}; storages override it with
   * one query that has no such bound.
   *
   * @param afterId only tickets with a greater id; 0 for the first page
   * @param limit at most this many, 1..10000
   */
  default List<Ticket> listActiveLinked(long afterId, int limit) {
    InvalidInputException.check(limit >= 1 && limit <= 10_000, "tickets.limit", "must be 1..10000", limit);
    return listRecent(EnumSet.of(TicketStatus.OPEN, TicketStatus.IN_PROGRESS), 10_000).stream()
        .filter(t -> t.externalId() != null && t.id() > afterId)
        .sorted(Comparator.comparingLong(Ticket::id))
        .limit(limit)
        .toList();
  }

  /**
   * Changes the status. {@code resolvedAt} is set when the ticket first becomes resolved or closed, kept while it
   * stays resolved or closed, and cleared when it is reopened (open or in progress).
   *
   * @return the updated ticket
   * @throws dev.tgsupport.core.NotFoundException for an unknown id
   */
  Ticket updateStatus(long id, TicketStatus status);

  /**
   * Links the ticket to the tracker's card; null unlinks it. An external id belongs to at most one ticket.
   *
   * @throws dev.tgsupport.core.NotFoundException for an unknown ticket
   * @throws dev.tgsupport.core.ConflictException when another ticket has the external id
   */
  void setExternalId(long id, String externalId);
}
