package dev.tgsupport.core.memory;

import static dev.tgsupport.core.InvalidInputException.requireNonNull;

import dev.tgsupport.core.NotFoundException;
import dev.tgsupport.core.model.Ticket;
import dev.tgsupport.core.port.TicketTracker;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link TicketTracker} that keeps its cards in memory, for demos and tests of the outbox worker. A card is keyed by
 * the ticket id: {@link #create} for a ticket that has a card returns that card's {@link ExternalTicket} again, as a
 * retry after a lost answer must. Card ids are {@code "1"}, {@code "2"}, … in creation order; urls are
 * {@code memory://tracker/cards/<id>}.
 *
 * <p>Thread-safe; one instance per test or per demo bot. Nothing survives the process.
 */
public final class InMemoryTicketTracker implements TicketTracker {
  /**
   * A card as the tracker holds it.
   *
   * @param ticketId the ticket it was created for (its key)
   * @param external the card's id and url
   * @param title the ticket title at creation
   * @param description the description given at creation
   * @param comments the comments, oldest first
   */
  public record Card(long ticketId, ExternalTicket external, String title, String description, List<String> comments) {
    public Card {
      comments = List.copyOf(comments);
    }
  }

  private final Map<Long, Card> byTicket = new LinkedHashMap<>();
  private final Map<String, Long> ticketByCard = new LinkedHashMap<>();
  private long lastCardId;

  private InMemoryTicketTracker() {}

  /** An empty tracker. */
  public static InMemoryTicketTracker create() {
    return new InMemoryTicketTracker();
  }

  /** Creates the card of {@code ticket}, or returns the card it already has (the description is then ignored). */
  @Override
  public synchronized ExternalTicket create(Ticket ticket, String description) {
    requireNonNull(ticket, "ticket");
    Card existing = byTicket.get(ticket.id());
    if (existing != null) {
      return existing.external();
    }
    String id = Long.toString(++lastCardId);
    ExternalTicket external = new ExternalTicket(id, "memory://tracker/cards/" + id);
    byTicket.put(ticket.id(), new Card(ticket.id(), external, ticket.title(),
        description == null ? "" : description, List.of()));
    ticketByCard.put(id, ticket.id());
    return external;
  }

  /** Adds a comment to the card. @throws NotFoundException when there is no card with that id */
  @Override
  public synchronized void comment(String externalId, String text) {
    requireNonNull(externalId, "externalId");
    requireNonNull(text, "text");
    Long ticketId = ticketByCard.get(externalId);
    if (ticketId == null) {
      throw new NotFoundException("card \"" + externalId + "\" not found");
    }
    Card c = byTicket.get(ticketId);
    List<String> comments = new ArrayList<>(c.comments());
    comments.add(text);
    byTicket.put(ticketId, new Card(c.ticketId(), c.external(), c.title(), c.description(), comments));
  }

  /** Every card, in creation order; immutable snapshots. */
  public synchronized List<Card> cards() {
    return List.copyOf(byTicket.values());
  }
}
