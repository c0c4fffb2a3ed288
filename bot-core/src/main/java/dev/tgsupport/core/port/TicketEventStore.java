package dev.tgsupport.core.port;

import dev.tgsupport.core.model.TicketEvent;
import dev.tgsupport.core.model.TicketEventKind;
import java.util.List;
import java.util.Optional;

/** The history of each ticket. */
public interface TicketEventStore {
  /**
   * Appends an event. An event whose {@code externalId} the ticket already has is not stored again.
   *
   * @param externalId the tracker's id of the event, for dedup; nullable
   * @return the new event, or empty when it was a duplicate
   * @throws dev.tgsupport.core.NotFoundException when the ticket is unknown
   */
  Optional<TicketEvent> append(long ticketId, TicketEventKind kind, String author, String body, String externalId);

  /** Events of a ticket, oldest first. */
  List<TicketEvent> list(long ticketId);
}
