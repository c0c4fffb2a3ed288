package dev.tgsupport.core.memory;

import static dev.tgsupport.core.InvalidInputException.requireNonNull;

import dev.tgsupport.core.ConflictException;
import dev.tgsupport.core.InvalidInputException;
import dev.tgsupport.core.NotFoundException;
import dev.tgsupport.core.model.StoredMessage;
import dev.tgsupport.core.model.Ticket;
import dev.tgsupport.core.model.TicketStatus;
import dev.tgsupport.core.port.TicketStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Comparator;
import java.util.Set;
import java.util.Optional;

final class MemoryTicketStore implements TicketStore {
  private final MemoryTransaction tx;

  MemoryTicketStore(MemoryTransaction tx) {
    this.tx = tx;
  }

  @Override
  public Ticket open(long messageId, String title) {
    Tables t = tx.tables();
    StoredMessage m = t.messages.get(messageId);
    if (m == null) {
      throw new NotFoundException("message " + messageId + " not found: cannot open a ticket for it");
    }
    Long existing = t.ticketByMessage.get(messageId);
    if (existing != null) {
      throw new ConflictException("message " + messageId + " already has ticket " + existing);
    }
    if (m.userId() == null) {
      // Same refusal as the PostgreSQL storage: only a message with an author (an incoming one) opens a ticket.
      throw new InvalidInputException(
          "messageId", "must be an incoming message with an author to open a ticket, was " + messageId);
    }
    Ticket ticket = new Ticket(t.nextTicketId(), messageId, m.chatId(), m.userId(), title, TicketStatus.OPEN, null,
        tx.clock().instant(), null);
    tx.put(t.tickets, ticket.id(), ticket);
    tx.put(t.ticketByMessage, messageId, ticket.id());
    return ticket;
  }

  @Override
  public Optional<Ticket> find(long id) {
    return Optional.ofNullable(tx.tables().tickets.get(id));
  }

  @Override
  public Optional<Ticket> findByMessage(long messageId) {
    Tables t = tx.tables();
    Long id = t.ticketByMessage.get(messageId);
    return id == null ? Optional.empty() : Optional.of(t.tickets.get(id));
  }

  @Override
  public Optional<Ticket> findByExternalId(String externalId) {
    requireNonNull(externalId, "externalId");
    Tables t = tx.tables();
    Long id = t.ticketByExternalId.get(externalId);
    return id == null ? Optional.empty() : Optional.of(t.tickets.get(id));
  }

  @Override
  public List<Ticket> listActiveByUser(long userId) {
    List<Ticket> out = new ArrayList<>();
    for (Ticket ticket : tx.tables().tickets.values()) {
      if (ticket.userId() == userId && ticket.status().isActive()) {
        out.add(ticket);
      }
    }
    return List.copyOf(out);
  }

  @Override
  public List<Ticket> listRecent(Set<TicketStatus> statuses, int limit) {
    requireNonNull(statuses, "tickets.statuses");
    InvalidInputException.check(limit >= 1 && limit <= 10_000, "tickets.limit", "must be 1..10000", limit);
    List<Ticket> out = new ArrayList<>();
    for (Ticket ticket : tx.tables().tickets.values()) {
      if (statuses.isEmpty() || statuses.contains(ticket.status())) {
        out.add(ticket);
      }
    }
    out.sort(Comparator.comparingLong(Ticket::id).reversed());
    return List.copyOf(out.subList(0, Math.min(limit, out.size())));
  }

  @Override
  public List<Ticket> listActiveLinked(long afterId, int limit) {
    InvalidInputException.check(limit >= 1 && limit <= 10_000, "tickets.limit", "must be 1..10000", limit);
    List<Ticket> out = new ArrayList<>();
    for (Ticket ticket : tx.tables().tickets.tailMap(afterId, false).values()) {
      if (out.size() == limit) {
        break;
      }
      if (ticket.externalId() != null && ticket.status().isActive()) {
        out.add(ticket);
      }
    }
    return List.copyOf(out);
  }

  @Override
  public Ticket updateStatus(long id, TicketStatus status) {
    requireNonNull(status, "status");
    Ticket old = existing(id);
    // resolvedAt is kept while the ticket is resolved or closed (the first resolution counts) and cleared on reopen.
    Instant resolvedAt = status.isActive() ? null
        : old.resolvedAt() != null ? old.resolvedAt() : tx.clock().instant();
    Ticket updated = new Ticket(id, old.messageId(), old.chatId(), old.userId(), old.title(), status, old.externalId(),
        old.createdAt(), resolvedAt);
    tx.put(tx.tables().tickets, id, updated);
    return updated;
  }

  @Override
  public void setExternalId(long id, String externalId) {
    Tables t = tx.tables();
    Ticket old = existing(id);
    if (externalId != null) {
      Long owner = t.ticketByExternalId.get(externalId);
      if (owner != null && owner != id) {
        throw new ConflictException("external id \"" + externalId + "\" is already linked to ticket " + owner);
      }
    }
    if (old.externalId() != null) {
      tx.remove(t.ticketByExternalId, old.externalId());
    }
    if (externalId != null) {
      tx.put(t.ticketByExternalId, externalId, id);
    }
    tx.put(t.tickets, id, new Ticket(id, old.messageId(), old.chatId(), old.userId(), old.title(), old.status(),
        externalId, old.createdAt(), old.resolvedAt()));
  }

  private Ticket existing(long id) {
    Ticket ticket = tx.tables().tickets.get(id);
    if (ticket == null) {
      throw MemoryTransaction.notFound("ticket", id);
    }
    return ticket;
  }
}
