package dev.tgsupport.core.port;

import dev.tgsupport.core.model.Ticket;
import dev.tgsupport.core.model.TicketStatus;
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
