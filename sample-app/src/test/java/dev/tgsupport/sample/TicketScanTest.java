package dev.tgsupport.sample;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tgsupport.core.memory.InMemoryStorage;
import dev.tgsupport.core.model.Ticket;
import dev.tgsupport.core.model.TicketStatus;
import dev.tgsupport.core.pipeline.Pipeline;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code tickets list} reads tickets by number: finding the newest one, and filtering downwards from it. */
class TicketScanTest {
  @Test
  void findsTheNewestTicketAndListsNewestFirst() {
    InMemoryStorage storage = InMemoryStorage.create();
    assertThat(storage.inTransaction(TicketsCommand.ListTickets::maxId)).isZero();
    Pipeline pipeline = DemoBot.pipeline(storage, List.of());
    for (int i = 1; i <= 150; i++) {
      pipeline.process(DemoBot.message(i, "позовите оператора " + i));
    }
    storage.run(s -> s.tickets().updateStatus(7, TicketStatus.RESOLVED));
    assertThat(storage.inTransaction(TicketsCommand.ListTickets::maxId)).isEqualTo(150);
    List<Ticket> newest = storage.inTransaction(s -> TicketsCommand.ListTickets.newest(s,
        List.of(TicketStatus.values()), 3, 10_000));
    assertThat(newest).extracting(Ticket::id).containsExactly(150L, 149L, 148L);
    List<Ticket> resolved = storage.inTransaction(s -> TicketsCommand.ListTickets.newest(s,
        List.of(TicketStatus.RESOLVED), 20, 10_000));
    assertThat(resolved).extracting(Ticket::id).containsExactly(7L);
    List<Ticket> capped = storage.inTransaction(s -> TicketsCommand.ListTickets.newest(s,
        List.of(TicketStatus.RESOLVED), 20, 100));
    assertThat(capped).isEmpty();
  }
}
