package dev.tgsupport.core.memory;

import static dev.tgsupport.core.InvalidInputException.requireNonNull;

import dev.tgsupport.core.model.TicketEvent;
import dev.tgsupport.core.model.TicketEventKind;
import dev.tgsupport.core.port.TicketEventStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

final class MemoryTicketEventStore implements TicketEventStore {
  private final MemoryTransaction tx;

  MemoryTicketEventStore(MemoryTransaction tx) {
    this.tx = tx;
  }

  @Override
  public Optional<TicketEvent> append(
      long ticketId, TicketEventKind kind, String author, String body, String externalId) {
    requireNonNull(kind, "kind");
    Tables t = tx.tables();
    if (!t.tickets.containsKey(ticketId)) {
      throw MemoryTransaction.notFound("ticket", ticketId);
    }
    Tables.EventKey key = externalId == null ? null : new Tables.EventKey(ticketId, externalId);
    if (key != null && t.ticketEventByExternalId.containsKey(key)) {
      return Optional.empty();
    }
    TicketEvent event =
        new TicketEvent(t.nextTicketEventId(), ticketId, kind, author, body, externalId, tx.clock().instant());
    tx.put(t.ticketEvents, event.id(), event);
    if (key != null) {
      tx.put(t.ticketEventByExternalId, key, event.id());
    }
    return Optional.of(event);
  }

  @Override
  public List<TicketEvent> list(long ticketId) {
    List<TicketEvent> out = new ArrayList<>();
    for (TicketEvent e : tx.tables().ticketEvents.values()) {
      if (e.ticketId() == ticketId) {
        out.add(e);
      }
    }
    return List.copyOf(out);
  }
}
