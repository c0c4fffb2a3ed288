package dev.tgsupport.core.contract;

import static dev.tgsupport.core.contract.Fixtures.T0;
import static dev.tgsupport.core.contract.Fixtures.alice;
import static dev.tgsupport.core.contract.Fixtures.privateChat;
import static dev.tgsupport.core.contract.Fixtures.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tgsupport.core.ConflictException;
import dev.tgsupport.core.model.Chat;
import dev.tgsupport.core.model.Direction;
import dev.tgsupport.core.model.IncomingMessage;
import dev.tgsupport.core.model.KnowledgeDraft;
import dev.tgsupport.core.model.KnowledgeEntry;
import dev.tgsupport.core.model.KnowledgeStatus;
import dev.tgsupport.core.model.OutboxEntry;
import dev.tgsupport.core.model.StoredMessage;
import dev.tgsupport.core.model.TelegramUser;
import dev.tgsupport.core.model.Ticket;
import dev.tgsupport.core.model.TicketEventKind;
import dev.tgsupport.core.model.TicketStatus;
import dev.tgsupport.core.port.MessageStore.Recorded;
import dev.tgsupport.core.port.Stores;
import dev.tgsupport.core.port.Transactions;
import dev.tgsupport.core.port.UserStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The behaviour of {@link Transactions} every storage must have: one business operation commits or rolls back as a
 * whole, across all stores; nested calls join; concurrent operations stay consistent. Extend it and return a fresh,
 * empty storage from {@link #transactions()} for each test.
 */
public abstract class TransactionsContract {
  /** A fresh, empty storage for the current test. */
  protected abstract Transactions transactions();

  /** Thrown by test work to force a rollback. */
  private static final class Boom extends RuntimeException {
    Boom() {
      super("boom");
    }
  }

  @Test
  void aCommittedWriteIsVisibleToTheNextTransaction() {
    transactions().run(s -> s.users().upsert(alice()));

    assertThat(transactions().inTransaction((Stores s) -> s.users().find(Fixtures.ALICE_ID))).contains(alice());
  }

  @Test
  void inTransactionReturnsTheResultOfTheWork() {
    assertThat(transactions().inTransaction((Stores s) -> "result")).isEqualTo("result");
    assertThat(transactions().<Object>inTransaction(s -> null)).isNull();
  }

  @Test
  void aThrowingOperationRollsBackEverythingItWroteAcrossStoresAndRethrowsTheSameException() {
    Boom boom = new Boom();
    AtomicReference<Long> messageId = new AtomicReference<>();
    AtomicReference<Long> ticketId = new AtomicReference<>();
    AtomicReference<Long> knowledgeId = new AtomicReference<>();
    IncomingMessage m = text(Fixtures.group(), alice(), 5, "Платёж не прошёл");

    assertThatThrownBy(() -> transactions().run(s -> {
      s.users().upsert(m.user());
      s.chats().upsert(m.chat());
      StoredMessage stored = s.messages().recordIncoming(m).message();
      messageId.set(stored.id());
      Ticket t = s.tickets().open(stored.id(), "Платёж не прошёл");
      ticketId.set(t.id());
      s.ticketEvents().append(t.id(), TicketEventKind.COMMENT, "bot", "opened", "e-1");
      s.outbox().enqueue(OutboxEntry.TICKET_CREATE, "{\"ticket_id\": " + t.id() + "}", T0);
      knowledgeId.set(s.knowledge().add(KnowledgeDraft.of("q", "a"), KnowledgeStatus.DRAFT).id());
      s.messages().recordOutgoing(Fixtures.reply(Fixtures.GROUP_ID, "Ticket opened"),
          Fixtures.sent(Fixtures.GROUP_ID, 6));
      s.updates().saveRaw(900, "message_reaction", "{}", null);
      s.syncLog().start("kaiten", "poll", T0);
      throw boom;
    })).isSameAs(boom);

    transactions().run(s -> {
      assertThat(s.users().find(Fixtures.ALICE_ID)).isEmpty();
      assertThat(s.chats().find(Fixtures.GROUP_ID)).isEmpty();
      assertThat(s.messages().findById(messageId.get())).isEmpty();
      assertThat(s.messages().find(Fixtures.GROUP_ID, 5, Direction.IN)).isEmpty();
      assertThat(s.messages().find(Fixtures.GROUP_ID, 6, Direction.OUT)).isEmpty();
      assertThat(s.messages().listByChat(Fixtures.GROUP_ID, 10)).isEmpty();
      assertThat(s.tickets().find(ticketId.get())).isEmpty();
      assertThat(s.tickets().findByMessage(messageId.get())).isEmpty();
      assertThat(s.tickets().listActiveByUser(Fixtures.ALICE_ID)).isEmpty();
      assertThat(s.ticketEvents().list(ticketId.get())).isEmpty();
      assertThat(s.knowledge().find(knowledgeId.get())).isEmpty();
      assertThat(s.knowledge().list(KnowledgeStatus.DRAFT)).isEmpty();
      assertThat(s.outbox().listPending(10)).isEmpty();
      assertThat(s.updates().listRaw(10)).isEmpty();
      assertThat(s.syncLog().recent("kaiten", 10)).isEmpty();
      assertThat(s.messages().listUnhandled(java.time.Instant.EPOCH, 10)).isEmpty();
    });
  }

  @Test
  void anOperationWhoseOnlyWritesAreInsertsRollsBackToo() {
    IncomingMessage m = text(privateChat(alice()), alice(), 1, "hello");
    transactions().run(s -> {
      s.users().upsert(m.user());
      s.chats().upsert(m.chat());
    });

    assertThatThrownBy(() -> transactions().run(s -> {
      s.messages().recordIncoming(m);
      s.updates().saveRaw(1, "poll", "{}", null);
      throw new Boom();
    })).isInstanceOf(Boom.class);

    transactions().run(s -> {
      assertThat(s.messages().find(alice().id(), 1, Direction.IN)).isEmpty();
      assertThat(s.updates().listRaw(10)).isEmpty();
    });
  }

  @Test
  void aRolledBackOperationCanBeRunAgainFromScratch() {
    IncomingMessage m = text(privateChat(alice()), alice(), 1, "hello");
    assertThatThrownBy(() -> transactions().run(s -> {
      Fixtures.record(transactions(), m);
      throw new Boom();
    })).isInstanceOf(Boom.class);

    Recorded again = transactions().inTransaction(s -> {
      s.users().upsert(m.user());
      s.chats().upsert(m.chat());
      return s.messages().recordIncoming(m);
    });

    assertThat(again.created()).isTrue();
  }

  @Test
  void aThrowingOperationRestoresTheRowsItUpdated() {
    StoredMessage m = Fixtures.record(transactions(), text(privateChat(alice()), alice(), 1, "help"));
    Ticket ticket = transactions().inTransaction(s -> s.tickets().open(m.id(), "help"));
    KnowledgeEntry entry =
        transactions().inTransaction(s -> s.knowledge().add(KnowledgeDraft.of("q", "a"), KnowledgeStatus.DRAFT));
    OutboxEntry job = transactions().inTransaction(s -> s.outbox().enqueue("ticket.create", "{\"n\": 1}", T0));
    OutboxEntry poison = transactions().inTransaction(s -> s.outbox().enqueue("ticket.create", "{\"n\": 2}", T0));
    OutboxEntry parked = transactions().inTransaction(s -> {
      OutboxEntry p = s.outbox().enqueue("ticket.comment", "{\"n\": 3}", T0);
      s.outbox().park(p.id(), "poison", T0);
      return s.outbox().listParked(1).get(0);
    });
    long run = transactions().inTransaction(s -> s.syncLog().start("kaiten", "poll", T0));
    var running = transactions().inTransaction(s -> s.syncLog().recent("kaiten", 1));

    assertThatThrownBy(() -> transactions().run(s -> {
      s.users().upsert(TelegramUser.of(Fixtures.ALICE_ID, "renamed", "Renamed", null, "de"));
      s.users().setInternal(Fixtures.ALICE_ID, true);
      s.chats().setArchived(Fixtures.ALICE_ID, true);
      s.messages().markNoise(m.id(), "spam");
      s.messages().markHandled(m.id(), T0);
      s.messages().updateIncoming(new IncomingMessage(privateChat(alice()), alice(), 1, null, null,
          dev.tgsupport.core.model.MessageType.PHOTO, "edited", T0,
          dev.tgsupport.core.model.Attachment.of(dev.tgsupport.core.model.MessageType.PHOTO, "file-1")));
      s.tickets().updateStatus(ticket.id(), TicketStatus.RESOLVED);
      s.tickets().setExternalId(ticket.id(), "card-1");
      s.knowledge().validate(entry.id(), "anna", T0);
      s.outbox().claimDue(T0, 10, Duration.ofMinutes(1));
      s.outbox().markDone(job.id(), T0);
      s.outbox().park(poison.id(), "poison", T0);
      s.outbox().unpark(parked.id(), T0);
      s.syncLog().finish(run, T0, 3, "boom");
      throw new Boom();
    })).isInstanceOf(Boom.class);

    transactions().run(s -> {
      assertThat(s.users().find(Fixtures.ALICE_ID)).contains(alice());
      assertThat(s.chats().find(Fixtures.ALICE_ID)).contains(privateChat(alice()));
      assertThat(s.messages().findById(m.id())).contains(m);
      assertThat(s.tickets().find(ticket.id())).contains(ticket);
      assertThat(s.tickets().findByExternalId("card-1")).isEmpty();
      assertThat(s.knowledge().find(entry.id())).contains(entry);
      assertThat(s.outbox().listPending(10)).containsExactly(job, poison);
      assertThat(s.outbox().listParked(10)).containsExactly(parked);
      assertThat(s.syncLog().recent("kaiten", 10)).isEqualTo(running);
    });
  }

  @Test
  void anExceptionTheWorkCatchesItselfDoesNotUndoTheOtherWrites() {
    StoredMessage m = Fixtures.record(transactions(), text(privateChat(alice()), alice(), 1, "help"));
    transactions().run(s -> s.tickets().open(m.id(), "help"));

    transactions().run(s -> {
      s.outbox().enqueue("note", "{\"n\": 1}", T0);
      try {
        s.tickets().open(m.id(), "again");
      } catch (ConflictException expected) {
        // the work decides the conflict is fine and goes on
      }
      s.users().setInternal(Fixtures.ALICE_ID, true);
    });

    transactions().run(s -> {
      assertThat(s.outbox().listPending(10)).extracting(OutboxEntry::kind).containsExactly("note");
      assertThat(s.users().find(Fixtures.ALICE_ID)).get().extracting(TelegramUser::internal).isEqualTo(true);
    });
  }

  @Test
  void aNestedCallJoinsTheOuterTransactionAndSeesItsWrites() {
    transactions().run(outer -> {
      outer.users().upsert(alice());

      TelegramUser seen = transactions().inTransaction(inner -> inner.users().find(Fixtures.ALICE_ID)).orElse(null);
      assertThat(seen).isEqualTo(alice());

      transactions().run(inner -> inner.chats().upsert(privateChat(alice())));
      assertThat(outer.chats().find(Fixtures.ALICE_ID)).isPresent();
    });

    assertThat(transactions().inTransaction((Stores s) -> s.chats().find(Fixtures.ALICE_ID))).isPresent();
  }

  @Test
  void aNestedCallsWritesRollBackWithTheOuterTransaction() {
    assertThatThrownBy(() -> transactions().run(outer -> {
      transactions().run(inner -> {
        inner.users().upsert(alice());
        inner.chats().upsert(privateChat(alice()));
      });
      outer.outbox().enqueue("note", "{\"n\": 1}", T0);
      throw new Boom();
    })).isInstanceOf(Boom.class);

    transactions().run(s -> {
      assertThat(s.users().find(Fixtures.ALICE_ID)).isEmpty();
      assertThat(s.chats().find(Fixtures.ALICE_ID)).isEmpty();
      assertThat(s.outbox().listPending(10)).isEmpty();
    });
  }

  @Test
  void storesUsedAfterTheirTransactionEndedThrowIllegalState() {
    Stores leaked = transactions().inTransaction(s -> s);
    UserStore leakedUsers = transactions().inTransaction(Stores::users);

    assertThatThrownBy(() -> leaked.users().find(1))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("outside its transaction");
    assertThatThrownBy(() -> leakedUsers.upsert(alice()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("outside its transaction");
    assertThat(transactions().inTransaction((Stores s) -> s.users().find(Fixtures.ALICE_ID))).isEmpty();
  }

  @Test
  void storesOfARolledBackTransactionCannotBeUsedEither() {
    AtomicReference<Stores> leaked = new AtomicReference<>();
    assertThatThrownBy(() -> transactions().run(s -> {
      leaked.set(s);
      throw new Boom();
    })).isInstanceOf(Boom.class);

    assertThatThrownBy(() -> leaked.get().outbox().listPending(1))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("outside its transaction");
  }

  @Test
  void eightThreadsRecordingTheSameMessageStoreOneRowAndAllSeeItsId() throws Exception {
    IncomingMessage m = text(Fixtures.group(), alice(), 77, "Одновременно 🚀");
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<Recorded>> futures = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        futures.add(pool.submit(() -> {
          go.await();
          return transactions().inTransaction(s -> {
            s.users().upsert(m.user());
            s.chats().upsert(m.chat());
            return s.messages().recordIncoming(m);
          });
        }));
      }
      go.countDown();
      List<Recorded> results = new ArrayList<>();
      for (Future<Recorded> f : futures) {
        results.add(f.get(30, TimeUnit.SECONDS));
      }

      assertThat(results).filteredOn(Recorded::created).hasSize(1);
      Set<Long> ids = new HashSet<>();
      results.forEach(r -> ids.add(r.message().id()));
      assertThat(ids).hasSize(1);
      assertThat(transactions().inTransaction((Stores s) -> s.messages().listByChat(Fixtures.GROUP_ID, 10)))
          .extracting(StoredMessage::id).containsExactlyElementsOf(ids);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void concurrentOperationsOnDifferentRowsAreAllCommitted() throws Exception {
    Chat chat = Fixtures.group();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<Long>> futures = new ArrayList<>();
      for (int i = 0; i < 80; i++) {
        long tgId = i + 1;
        futures.add(pool.submit(() -> transactions().inTransaction(s -> {
          s.users().upsert(alice());
          s.chats().upsert(chat);
          StoredMessage stored = s.messages().recordIncoming(text(chat, alice(), tgId, "m" + tgId)).message();
          s.outbox().enqueue("note", "{\"n\": " + tgId + "}", T0);
          return stored.id();
        })));
      }
      Set<Long> ids = new HashSet<>();
      for (Future<Long> f : futures) {
        ids.add(f.get(30, TimeUnit.SECONDS));
      }

      assertThat(ids).hasSize(80);
      assertThat(transactions().inTransaction((Stores s) -> s.messages().listByChat(Fixtures.GROUP_ID, 100)))
          .hasSize(80);
      assertThat(transactions().inTransaction((Stores s) -> s.outbox().listPending(100))).hasSize(80);
    } finally {
      pool.shutdownNow();
    }
  }
}
