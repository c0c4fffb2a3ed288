package dev.tgsupport.core.port;

import dev.tgsupport.core.model.Ticket;

/** An external tracker where staff work on tickets (Kaiten). Calls are idempotent by the ticket's key. */
public interface TicketTracker {
  /** The tracker's record of a ticket. */
  record ExternalTicket(String id, String url) {}

  /**
   * Creates the external card for a ticket, or returns the existing one with the same key (so a retry after a lost
   * answer does not create a second).
   */
  ExternalTicket create(Ticket ticket, String description);

  /** Adds a comment to the card. @throws dev.tgsupport.core.NotFoundException for an unknown card */
  void comment(String externalId, String text);
}
