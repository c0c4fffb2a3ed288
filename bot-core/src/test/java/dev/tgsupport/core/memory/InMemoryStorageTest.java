package dev.tgsupport.core.memory;

import dev.tgsupport.core.contract.MutableClock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tgsupport.core.ConflictException;
import dev.tgsupport.core.InvalidInputException;
import dev.tgsupport.core.contract.Fixtures;
import dev.tgsupport.core.model.KnowledgeDraft;
import dev.tgsupport.core.model.KnowledgeEntry;
import dev.tgsupport.core.model.KnowledgeStatus;
import dev.tgsupport.core.model.OutboxEntry;
import dev.tgsupport.core.model.StoredMessage;
import dev.tgsupport.core.model.TelegramUser;
import dev.tgsupport.core.model.Ticket;
import dev.tgsupport.core.model.TicketEvent;
import dev.tgsupport.core.model.TicketEventKind;
import dev.tgsupport.core.model.TicketStatus;
import dev.tgsupport.core.port.Stores;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** What the contracts cannot pin down for every storage: clock-derived times, ids, locking, misuse. */
class InMemoryStorageTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T09:00:00Z"));
  private final InMemoryStorage storage = InMemoryStorage.create(clock);

  @Test
  void idsStartAtOneAndARolledBackInsertBurnsItsId() {
    assertThat(storage.inTransaction((Stores s) -> s.outbox().enqueue("k", "{}", clock.instant())).id()).isEqualTo(1);
    assertThatThrownBy(() -> storage.run(s -> {
      s.outbox().enqueue("k", "{}", clock.instant());
      throw new IllegalStateException("rollback");
    })).hasMessage("rollback");

    assertThat(storage.inTransaction((Stores s) -> s.outbox().enqueue("k", "{}", clock.instant())).id()).isEqualTo(3);
    KnowledgeEntry firstEntry =
        storage.inTransaction(s -> s.knowledge().add(KnowledgeDraft.of("q", "a"), KnowledgeStatus.DRAFT));
    assertThat(firstEntry.id()).isEqualTo(1);
  }

  @Test
  void timestampsTheStorageSetsComeFromItsClock() {
    Ticket t = Fixtures.ticket(storage, Fixtures.alice(), 1, "help");
    assertThat(t.createdAt()).isEqualTo(clock.instant());

    clock.advance(Duration.ofMinutes(5));
    Ticket resolved = storage.inTransaction(s -> s.tickets().updateStatus(t.id(), TicketStatus.RESOLVED));
    assertThat(resolved.resolvedAt()).isEqualTo(clock.instant());

    clock.advance(Duration.ofMinutes(5));
    Ticket closed = storage.inTransaction(s -> s.tickets().updateStatus(t.id(), TicketStatus.CLOSED));
    assertThat(closed.resolvedAt()).isEqualTo(resolved.resolvedAt());

    KnowledgeEntry imported =
        storage.inTransaction(s -> s.knowledge().add(KnowledgeDraft.of("q", "a"), KnowledgeStatus.VALIDATED));
    assertThat(imported.validatedAt()).isEqualTo(clock.instant());
    assertThat(imported.createdAt()).isEqualTo(clock.instant());

    TicketEvent e = storage.inTransaction(s -> s.ticketEvents().append(t.id(), TicketEventKind.COMMENT, "a", "b", null))
        .orElseThrow();
    assertThat(e.createdAt()).isEqualTo(clock.instant());

    OutboxEntry o = storage.inTransaction(s -> s.outbox().enqueue("k", "{}", Instant.EPOCH));
    assertThat(o.createdAt()).isEqualTo(clock.instant());
  }

  @Test
  void listUnhandledFiltersOnTheTimeTheStorageClockGaveAtRecording() {
    StoredMessage early = Fixtures.record(storage, Fixtures.text(Fixtures.privateChat(Fixtures.alice()),
        Fixtures.alice(), 1, "early", Instant.parse("2030-01-01T00:00:00Z")));
    clock.advance(Duration.ofMinutes(10));
    Instant since = clock.instant();
    StoredMessage late = Fixtures.record(storage, Fixtures.text(Fixtures.privateChat(Fixtures.alice()),
        Fixtures.alice(), 2, "late", Instant.parse("2020-01-01T00:00:00Z")));

    assertThat(storage.inTransaction((Stores s) -> s.messages().listUnhandled(since, 10)))
        .extracting(StoredMessage::id).containsExactly(late.id());
    assertThat(storage.inTransaction((Stores s) -> s.messages().listUnhandled(since.minusSeconds(1), 10)))
        .extracting(StoredMessage::id).containsExactly(late.id());
    assertThat(storage.inTransaction((Stores s) -> s.messages().listUnhandled(Instant.EPOCH, 10)))
        .extracting(StoredMessage::id).containsExactly(early.id(), late.id());
  }

  @Test
  void aRawUpdateIsReceivedAtTheStorageClocksTime() {
    storage.run(s -> s.updates().saveRaw(1, "poll", "{}", null));

    assertThat(storage.inTransaction((Stores s) -> s.updates().listRaw(1))).singleElement()
        .satisfies(u -> assertThat(u.receivedAt()).isEqualTo(clock.instant()));
  }

  @Test
  void closingAnOpenTicketDirectlyAlsoRecordsTheResolutionTime() {
    Ticket t = Fixtures.ticket(storage, Fixtures.alice(), 1, "help");

    Ticket closed = storage.inTransaction(s -> s.tickets().updateStatus(t.id(), TicketStatus.CLOSED));

    assertThat(closed.resolvedAt()).isEqualTo(clock.instant());
  }

  @Test
  void upsertNeverTakesStaffFlagsFromTheIncomingValue() {
    TelegramUser flagged = new TelegramUser(7, null, "Eve", null, null, true, true);

    TelegramUser stored = storage.inTransaction(s -> s.users().upsert(flagged));

    assertThat(stored.internal()).isFalse();
    assertThat(stored.blocked()).isFalse();
  }

  @Test
  void anErrorRollsBackToo() {
    AssertionError error = new AssertionError("fatal");

    assertThatThrownBy(() -> storage.run(s -> {
      s.users().upsert(Fixtures.alice());
      throw error;
    })).isSameAs(error);

    assertThat(storage.inTransaction((Stores s) -> s.users().find(Fixtures.ALICE_ID))).isEmpty();
  }

  @Test
  void aTransactionWaitsForTheOneRunningOnAnotherThread() throws Exception {
    CountDownLatch inside = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    CompletableFuture<Void> first = CompletableFuture.runAsync(() -> storage.run(s -> {
      s.users().upsert(Fixtures.alice());
      inside.countDown();
      await(release);
    }));
    assertThat(inside.await(5, TimeUnit.SECONDS)).isTrue();
    AtomicBoolean secondRan = new AtomicBoolean();
    CompletableFuture<Boolean> second = CompletableFuture.supplyAsync(() -> storage.inTransaction(s -> {
      secondRan.set(true);
      return s.users().find(Fixtures.ALICE_ID).isPresent();
    }));

    Thread.sleep(100);
    assertThat(secondRan).as("blocked while the first transaction runs").isFalse();
    release.countDown();

    assertThat(second.get(5, TimeUnit.SECONDS)).as("sees the committed write").isTrue();
    first.get(5, TimeUnit.SECONDS);
  }

  @Test
  void storesHandedToAnotherThreadDuringTheTransactionRefuseToWork() {
    storage.run(s -> {
      CompletableFuture<Object> other = CompletableFuture.supplyAsync(() -> s.users().find(1));
      assertThatThrownBy(other::join)
          .hasCauseInstanceOf(IllegalStateException.class)
          .hasMessageContaining("from thread");
    });
  }

  @Test
  void aNestedCallGetsTheSameStores() {
    storage.run(outer -> {
      Stores inner = storage.inTransaction(s -> s);
      assertThat(inner).isSameAs(outer);
    });
  }

  @Test
  void refusedArgumentsNameTheField() {
    StoredMessage m = Fixtures.record(storage, Fixtures.text(Fixtures.privateChat(Fixtures.alice()), Fixtures.alice(),
        1, "hi"));

    assertThatThrownBy(() -> storage.run(s -> s.messages().listByChat(42, -1)))
        .isInstanceOf(InvalidInputException.class).hasMessage("limit must be >= 0, was -1");
    assertThatThrownBy(() -> storage.run(s -> s.outbox().claimDue(clock.instant(), 1, Duration.ZERO)))
        .isInstanceOf(InvalidInputException.class).hasMessage("lease must be positive, was PT0S");
    assertThatThrownBy(() -> storage.run(s -> s.messages().markNoise(m.id(), " ")))
        .isInstanceOf(InvalidInputException.class).hasMessageStartingWith("reason must not be blank");
    assertThatThrownBy(() -> storage.run(s -> s.users().upsert(null)))
        .isInstanceOf(InvalidInputException.class).hasMessage("user must not be null");
  }

  @Test
  void aCardIdCanBelongToOneTicketOnly() {
    Ticket one = Fixtures.ticket(storage, Fixtures.alice(), 1, "one");
    Ticket two = Fixtures.ticket(storage, Fixtures.alice(), 2, "two");
    storage.run(s -> s.tickets().setExternalId(one.id(), "card-1"));

    assertThatThrownBy(() -> storage.run(s -> s.tickets().setExternalId(two.id(), "card-1")))
        .isInstanceOf(ConflictException.class)
        .hasMessage("external id \"card-1\" is already linked to ticket " + one.id());

    storage.run(s -> s.tickets().setExternalId(one.id(), "card-2"));
    assertThat(storage.inTransaction((Stores s) -> s.tickets().findByExternalId("card-1"))).isEmpty();
    assertThat(storage.inTransaction((Stores s) -> s.tickets().findByExternalId("card-2"))).get()
        .extracting(Ticket::id).isEqualTo(one.id());
  }

  @Test
  void notFoundMessagesNameTheEntityAndId() {
    assertThatThrownBy(() -> storage.run(s -> s.outbox().markDone(9, clock.instant())))
        .hasMessage("outbox entry 9 not found");
    assertThatThrownBy(() -> storage.run(s -> s.knowledge().archive(8)))
        .hasMessage("knowledge entry 8 not found");
    assertThatThrownBy(() -> storage.run(s -> s.tickets().open(7, "t")))
        .hasMessage("message 7 not found: cannot open a ticket for it");
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
