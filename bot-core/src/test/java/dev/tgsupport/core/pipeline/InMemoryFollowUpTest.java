package dev.tgsupport.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tgsupport.core.StorageUnavailableException;
import dev.tgsupport.core.memory.InMemoryStorage;
import dev.tgsupport.core.model.OutboxEntry;
import dev.tgsupport.core.model.Ticket;
import dev.tgsupport.core.model.TicketEventKind;
import dev.tgsupport.core.port.OutboxStore;
import dev.tgsupport.core.port.Stores;
import dev.tgsupport.core.port.Transactions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class InMemoryFollowUpTest extends FollowUpContract {
  private final InMemoryStorage storage = InMemoryStorage.create();

  @Override
  protected Transactions transactions() {
    return storage;
  }

  @Test
  void whenTheOutboxRowCannotBeWrittenTheCommentIsNotStoredEither() {
    Pipeline p = Pipeline.builder().transactions(new FailingCommentOutbox(storage)).build();
    Outcome opened = p.process(Messages.text("The export button does nothing"));
    Ticket ticket = opened.context().ticket();

    Outcome o = p.process(Messages.text("/ticket " + ticket.id() + " Version 4.2 on Windows"));

    assertThat(o.kind()).isEqualTo(Outcome.Kind.FAILED);
    assertThat(storage.inTransaction((Stores s) -> s.ticketEvents().list(ticket.id())))
        .noneMatch(e -> e.kind() == TicketEventKind.COMMENT);
    assertThat(storage.inTransaction((Stores s) -> s.outbox().listPending(10))).extracting(OutboxEntry::kind)
        .containsExactly(OutboxEntry.TICKET_CREATE);
  }

  /** The in-memory storage, but enqueuing a {@code ticket.comment} row fails as a lost connection would. */
  private static final class FailingCommentOutbox implements Transactions {
    private final Transactions inner;

    FailingCommentOutbox(Transactions inner) {
      this.inner = inner;
    }

    @Override
    public <T> T inTransaction(Function<Stores, T> work) {
      return inner.inTransaction(s -> work.apply(new ForwardingStores(s) {
        @Override
        public OutboxStore outbox() {
          OutboxStore real = s.outbox();
          return new OutboxStore() {
            @Override
            public OutboxEntry enqueue(String kind, String payload, Instant dueAt) {
              if (kind.equals(OutboxEntry.TICKET_COMMENT)) {
                throw new StorageUnavailableException("connection reset");
              }
              return real.enqueue(kind, payload, dueAt);
            }

            @Override
            public List<OutboxEntry> claimDue(Instant now, int limit, Duration lease, java.util.Set<String> kinds) {
              return real.claimDue(now, limit, lease, kinds);
            }

            @Override
            public void markDone(long id, Instant at) {
              real.markDone(id, at);
            }

            @Override
            public Backlog backlog() {
              return real.backlog();
            }

            @Override
            public void markFailed(long id, String error, Instant retryAt) {
              real.markFailed(id, error, retryAt);
            }

            @Override
            public List<OutboxEntry> listPending(int limit) {
              return real.listPending(limit);
            }

            @Override
            public void park(long id, String error, Instant at) {
              real.park(id, error, at);
            }

            @Override
            public void unpark(long id, Instant retryAt) {
              real.unpark(id, retryAt);
            }

            @Override
            public List<OutboxEntry> listParked(int limit) {
              return real.listParked(limit);
            }
          };
        }
      }));
    }
  }
}
