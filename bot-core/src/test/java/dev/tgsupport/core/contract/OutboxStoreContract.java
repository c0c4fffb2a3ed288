package dev.tgsupport.core.contract;

import static dev.tgsupport.core.contract.Fixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tgsupport.core.InvalidInputException;
import dev.tgsupport.core.NotFoundException;
import dev.tgsupport.core.model.OutboxEntry;
import dev.tgsupport.core.port.Stores;
import dev.tgsupport.core.port.OutboxStore;
import dev.tgsupport.core.port.Transactions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The behaviour of {@link dev.tgsupport.core.port.OutboxStore} every storage must have: due entries are claimed with
 * a lease so that two workers never hold the same entry, failures come back at their retry time and done entries
 * never again. Extend it and return a fresh, empty storage from {@link #transactions()} for each test.
 *
 * <p>Payloads are JSON objects written the way PostgreSQL's {@code jsonb} prints them, so they compare equal there.
 */
public abstract class OutboxStoreContract {
  private static final Duration LEASE = Duration.ofMinutes(5);

  /** A fresh, empty storage for the current test. */
  protected abstract Transactions transactions();

  private OutboxEntry enqueue(String payload, Instant dueAt) {
    return transactions().inTransaction(s -> s.outbox().enqueue(OutboxEntry.TICKET_CREATE, payload, dueAt));
  }

  private List<OutboxEntry> claim(Instant now, int limit) {
    return transactions().inTransaction(s -> s.outbox().claimDue(now, limit, LEASE));
  }

  private List<OutboxEntry> pending() {
    return transactions().inTransaction(s -> s.outbox().listPending(100));
  }

  private static List<Long> ids(List<OutboxEntry> entries) {
    return entries.stream().map(OutboxEntry::id).toList();
  }

  @Test
  void enqueuingStoresAPendingEntryDueAtTheGivenTime() {
    OutboxEntry e = enqueue("{\"ticket_id\": 1}", T0);

    assertThat(e.id()).isPositive();
    assertThat(e.kind()).isEqualTo(OutboxEntry.TICKET_CREATE);
    assertThat(e.payload()).isEqualTo("{\"ticket_id\": 1}");
    assertThat(e.attempts()).isZero();
    assertThat(e.nextAttemptAt()).isEqualTo(T0);
    assertThat(e.lastError()).isNull();
    assertThat(e.doneAt()).isNull();
    assertThat(e.createdAt()).isNotNull();
    assertThat(pending()).containsExactly(e);
  }

  @Test
  void listPendingReturnsUnfinishedEntriesOldestFirstUpToTheLimit() {
    OutboxEntry first = enqueue("{\"n\": 1}", T0.plusSeconds(50));
    OutboxEntry second = enqueue("{\"n\": 2}", T0);
    OutboxEntry third = enqueue("{\"n\": 3}", T0.plusSeconds(10));
    transactions().run(s -> s.outbox().markDone(second.id(), T0));

    assertThat(ids(pending())).containsExactly(first.id(), third.id());
    assertThat(ids(transactions().inTransaction(s -> s.outbox().listPending(1)))).containsExactly(first.id());
  }

  @Test
  void onlyEntriesDueAtOrBeforeNowAreClaimed() {
    OutboxEntry past = enqueue("{\"n\": 1}", T0.minusSeconds(1));
    OutboxEntry exactlyNow = enqueue("{\"n\": 2}", T0);
    enqueue("{\"n\": 3}", T0.plusMillis(1));

    assertThat(ids(claim(T0, 10))).containsExactlyInAnyOrder(past.id(), exactlyNow.id());
  }

  @Test
  void claimingCountsTheAttemptAndLeasesTheEntry() {
    OutboxEntry e = enqueue("{\"n\": 1}", T0);

    List<OutboxEntry> claimed = claim(T0, 10);

    assertThat(claimed).singleElement().satisfies(c -> {
      assertThat(c.id()).isEqualTo(e.id());
      assertThat(c.attempts()).isEqualTo(1);
      assertThat(c.nextAttemptAt()).isEqualTo(T0.plus(LEASE));
      assertThat(c.payload()).isEqualTo(e.payload());
      assertThat(c.doneAt()).isNull();
    });
    assertThat(pending()).containsExactlyElementsOf(claimed);
  }

  @Test
  void aClaimedEntryIsNotClaimedAgainBeforeItsLeaseEnds() {
    enqueue("{\"n\": 1}", T0);
    claim(T0, 10);

    assertThat(claim(T0, 10)).isEmpty();
    assertThat(claim(T0.plus(LEASE).minusSeconds(1), 10)).isEmpty();
    assertThat(claim(T0.plus(LEASE), 10)).singleElement()
        .satisfies(again -> assertThat(again.attempts()).isEqualTo(2));
  }

  @Test
  void claimingTakesTheLongestDueEntriesFirstUpToTheLimit() {
    OutboxEntry late = enqueue("{\"n\": 1}", T0.plusSeconds(2));
    OutboxEntry early = enqueue("{\"n\": 2}", T0);
    OutboxEntry middle = enqueue("{\"n\": 3}", T0.plusSeconds(1));

    assertThat(ids(claim(T0.plusSeconds(10), 2))).containsExactlyInAnyOrder(early.id(), middle.id());
    assertThat(ids(claim(T0.plusSeconds(10), 2))).containsExactly(late.id());
  }

  @Test
  void twoClaimsAtTheSameInstantNeverReturnTheSameEntry() {
    for (int i = 0; i < 5; i++) {
      enqueue("{\"n\": " + i + "}", T0);
    }

    List<OutboxEntry> first = claim(T0, 3);
    List<OutboxEntry> second = claim(T0, 3);

    assertThat(first).hasSize(3);
    assertThat(second).hasSize(2);
    assertThat(ids(second)).doesNotContainAnyElementsOf(ids(first));
  }

  @Test
  void concurrentWorkersClaimingAtTheSameInstantGetDisjointEntries() throws Exception {
    int entries = 40;
    for (int i = 0; i < entries; i++) {
      enqueue("{\"n\": " + i + "}", T0);
    }
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<List<OutboxEntry>>> futures = new ArrayList<>();
      for (int w = 0; w < 8; w++) {
        futures.add(pool.submit(() -> {
          go.await();
          return claim(T0, 4);
        }));
      }
      go.countDown();
      List<Long> claimed = new ArrayList<>();
      for (Future<List<OutboxEntry>> f : futures) {
        claimed.addAll(ids(f.get(30, TimeUnit.SECONDS)));
      }
      claimed.addAll(ids(claim(T0, entries)));

      Set<Long> distinct = new HashSet<>(claimed);
      assertThat(claimed).as("every entry claimed exactly once").hasSize(entries);
      assertThat(distinct).hasSize(entries);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aFailedEntryKeepsTheErrorAndIsDueAgainAtItsRetryTime() {
    OutboxEntry e = enqueue("{\"n\": 1}", T0);
    claim(T0, 10);
    Instant retryAt = T0.plusSeconds(60);

    transactions().run(s -> s.outbox().markFailed(e.id(), "Kaiten answered 503", retryAt));

    assertThat(pending()).singleElement().satisfies(p -> {
      assertThat(p.lastError()).isEqualTo("Kaiten answered 503");
      assertThat(p.nextAttemptAt()).isEqualTo(retryAt);
      assertThat(p.attempts()).isEqualTo(1);
    });
    assertThat(claim(T0.plusSeconds(59), 10)).isEmpty();
    assertThat(claim(retryAt, 10)).singleElement().satisfies(again -> {
      assertThat(again.attempts()).isEqualTo(2);
      assertThat(again.lastError()).isEqualTo("Kaiten answered 503");
    });
  }

  @Test
  void aFailureCanMakeTheEntryDueBeforeItsLeaseEnds() {
    OutboxEntry e = enqueue("{\"n\": 1}", T0);
    claim(T0, 10);

    transactions().run(s -> s.outbox().markFailed(e.id(), "timeout", T0.plusSeconds(1)));

    assertThat(ids(claim(T0.plusSeconds(1), 10))).containsExactly(e.id());
  }

  @Test
  void aDoneEntryIsNeverClaimedOrListedAgain() {
    OutboxEntry e = enqueue("{\"n\": 1}", T0);
    claim(T0, 10);
    Instant doneAt = T0.plusSeconds(2);

    transactions().run(s -> s.outbox().markDone(e.id(), doneAt));

    assertThat(pending()).isEmpty();
    assertThat(claim(T0.plus(Duration.ofDays(365)), 10)).isEmpty();
  }

  @Test
  void markingAnUnknownEntryThrowsNotFoundNamingIt() {
    assertThatThrownBy(() -> transactions().run(s -> s.outbox().markDone(404, T0)))
        .isInstanceOf(NotFoundException.class).hasMessageContaining("outbox").hasMessageContaining("404");
    assertThatThrownBy(() -> transactions().run(s -> s.outbox().markFailed(405, "boom", T0)))
        .isInstanceOf(NotFoundException.class).hasMessageContaining("outbox").hasMessageContaining("405");
  }

  @Test
  void unicodeAndSqlLookingPayloadsAndErrorsAreStoredVerbatim() {
    String payload = "{\"text\": \"Привет 👋 '); DROP TABLE outbox; --\"}";
    OutboxEntry e = enqueue(payload, T0);
    transactions().run(s -> s.outbox().markFailed(e.id(), Fixtures.RUSSIAN + Fixtures.SQL_INJECTION, T0));

    OutboxEntry stored = pending().get(0);

    assertThat(stored.payload()).isEqualTo(payload);
    assertThat(stored.lastError()).isEqualTo(Fixtures.RUSSIAN + Fixtures.SQL_INJECTION);
  }

  private List<OutboxEntry> parked() {
    return transactions().inTransaction(s -> s.outbox().listParked(100));
  }

  private OutboxEntry parkAfterClaims(String payload, int claims, Instant parkedAt) {
    OutboxEntry e = enqueue(payload, T0);
    for (int i = 0; i < claims; i++) {
      transactions().run(s -> {
        s.outbox().claimDue(T0.plus(LEASE.multipliedBy(10)), 100, LEASE);
        s.outbox().markFailed(e.id(), "Kaiten answered 500", T0);
      });
    }
    transactions().run(s -> s.outbox().park(e.id(), "gave up after " + claims + " attempts", parkedAt));
    return e;
  }

  @Test
  void aParkedEntryKeepsItsErrorAndAttemptsAndIsNeverClaimedOrPendingAgain() {
    OutboxEntry e = enqueue("{\"n\": 1}", T0);
    claim(T0, 10);
    Instant parkedAt = T0.plusSeconds(30);

    transactions().run(s -> s.outbox().park(e.id(), "Kaiten answered 400: bad column", parkedAt));

    assertThat(pending()).isEmpty();
    assertThat(claim(T0.plus(Duration.ofDays(365)), 10)).isEmpty();
    assertThat(parked()).singleElement().satisfies(p -> {
      assertThat(p.id()).isEqualTo(e.id());
      assertThat(p.isParked()).isTrue();
      assertThat(p.parkedAt()).isEqualTo(parkedAt);
      assertThat(p.lastError()).isEqualTo("Kaiten answered 400: bad column");
      assertThat(p.attempts()).isEqualTo(1);
      assertThat(p.doneAt()).isNull();
      assertThat(p.payload()).isEqualTo(e.payload());
    });
  }

  @Test
  void entriesThatWereNeverParkedHaveNoParkedTime() {
    OutboxEntry e = enqueue("{\"n\": 1}", T0);

    assertThat(e.parkedAt()).isNull();
    assertThat(claim(T0, 10)).singleElement().satisfies(c -> assertThat(c.isParked()).isFalse());
    assertThat(parked()).isEmpty();
  }

  @Test
  void parkingLeavesTheOtherEntriesDue() {
    OutboxEntry poison = enqueue("{\"n\": 1}", T0);
    OutboxEntry healthy = enqueue("{\"n\": 2}", T0);

    transactions().run(s -> s.outbox().park(poison.id(), "poison", T0));

    assertThat(ids(pending())).containsExactly(healthy.id());
    assertThat(ids(claim(T0, 10))).containsExactly(healthy.id());
  }

  @Test
  void listParkedReturnsTheMostRecentlyParkedFirstUpToTheLimit() {
    OutboxEntry first = parkAfterClaims("{\"n\": 1}", 1, T0.plusSeconds(10));
    OutboxEntry latest = parkAfterClaims("{\"n\": 2}", 2, T0.plusSeconds(30));
    OutboxEntry middle = parkAfterClaims("{\"n\": 3}", 0, T0.plusSeconds(20));
    enqueue("{\"n\": 4}", T0);

    assertThat(ids(parked())).containsExactly(latest.id(), middle.id(), first.id());
    assertThat(ids(transactions().inTransaction(s -> s.outbox().listParked(2))))
        .containsExactly(latest.id(), middle.id());
    assertThat(transactions().inTransaction((Stores s) -> s.outbox().listParked(0))).isEmpty();
  }

  @Test
  void unparkingResetsTheAttemptsAndMakesTheEntryDueAtTheRetryTime() {
    OutboxEntry e = parkAfterClaims("{\"n\": 1}", 3, T0.plusSeconds(5));
    Instant retryAt = T0.plusSeconds(60);

    transactions().run(s -> s.outbox().unpark(e.id(), retryAt));

    assertThat(parked()).isEmpty();
    assertThat(pending()).singleElement().satisfies(p -> {
      assertThat(p.parkedAt()).isNull();
      assertThat(p.attempts()).isZero();
      assertThat(p.nextAttemptAt()).isEqualTo(retryAt);
      assertThat(p.lastError()).as("kept until the next attempt").isEqualTo("gave up after 3 attempts");
    });
    assertThat(claim(retryAt.minusSeconds(1), 10)).isEmpty();
    assertThat(claim(retryAt, 10)).singleElement().satisfies(c -> assertThat(c.attempts()).isEqualTo(1));
  }

  @Test
  void unparkingAnEntryThatIsNotParkedChangesNothing() {
    OutboxEntry e = enqueue("{\"n\": 1}", T0);
    OutboxEntry claimed = claim(T0, 10).get(0);

    transactions().run(s -> s.outbox().unpark(e.id(), T0));

    assertThat(pending()).containsExactly(claimed);
  }

  @Test
  void parkingADoneEntryLeavesItDone() {
    OutboxEntry e = enqueue("{\"n\": 1}", T0);
    transactions().run(s -> s.outbox().markDone(e.id(), T0));

    transactions().run(s -> s.outbox().park(e.id(), "late give-up", T0.plusSeconds(1)));

    assertThat(parked()).isEmpty();
    assertThat(pending()).isEmpty();
  }

  @Test
  void aParkedEntryMarkedDoneIsNoLongerParked() {
    OutboxEntry e = enqueue("{\"n\": 1}", T0);
    transactions().run(s -> s.outbox().park(e.id(), "poison", T0));

    transactions().run(s -> s.outbox().markDone(e.id(), T0.plusSeconds(1)));

    assertThat(parked()).isEmpty();
    assertThat(pending()).isEmpty();
  }

  @Test
  void parkingAgainReplacesTheErrorAndTime() {
    OutboxEntry e = enqueue("{\"n\": 1}", T0);
    transactions().run(s -> s.outbox().park(e.id(), "first", T0));

    transactions().run(s -> s.outbox().park(e.id(), "second", T0.plusSeconds(9)));

    assertThat(parked()).singleElement().satisfies(p -> {
      assertThat(p.lastError()).isEqualTo("second");
      assertThat(p.parkedAt()).isEqualTo(T0.plusSeconds(9));
    });
  }

  @Test
  void parkingOrUnparkingAnUnknownEntryThrowsNotFoundNamingIt() {
    assertThatThrownBy(() -> transactions().run(s -> s.outbox().park(406, "boom", T0)))
        .isInstanceOf(NotFoundException.class).hasMessageContaining("outbox").hasMessageContaining("406");
    assertThatThrownBy(() -> transactions().run(s -> s.outbox().unpark(407, T0)))
        .isInstanceOf(NotFoundException.class).hasMessageContaining("outbox").hasMessageContaining("407");
  }

  @Test
  void parkingWithoutAnErrorIsRefusedNamingTheField() {
    OutboxEntry e = enqueue("{\"n\": 1}", T0);

    assertThatThrownBy(() -> transactions().run(s -> s.outbox().park(e.id(), " ", T0)))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("error");
    assertThat(parked()).isEmpty();
  }

  @Test
  void aParkRolledBackWithItsTransactionLeavesTheEntryDue() {
    OutboxEntry e = enqueue("{\"n\": 1}", T0);

    assertThatThrownBy(() -> transactions().run(s -> {
      s.outbox().park(e.id(), "poison", T0);
      throw new IllegalStateException("rollback");
    })).hasMessage("rollback");

    assertThat(parked()).isEmpty();
    assertThat(ids(claim(T0, 10))).containsExactly(e.id());
  }

  @Test
  void claimingByKindLeavesOtherKindsAloneAndReturnsIdOrder() {
    OutboxEntry late = enqueueKind("ticket.create", T0.plusSeconds(3600).minusSeconds(10));
    OutboxEntry other = enqueueKind("mail.send", T0.plusSeconds(3600).minusSeconds(60));
    OutboxEntry early = enqueueKind("ticket.comment", T0.plusSeconds(3600).minusSeconds(30));

    List<OutboxEntry> claimed = transactions().inTransaction(
        (Stores s) -> s.outbox().claimDue(T0.plusSeconds(3600), 10, Duration.ofMinutes(1), Set.of("ticket.create", "ticket.comment")));

    assertThat(claimed).extracting(OutboxEntry::id).containsExactly(late.id(), early.id());
    List<OutboxEntry> pending = transactions().inTransaction((Stores s) -> s.outbox().listPending(10));
    assertThat(pending).filteredOn(e -> e.id() == other.id()).singleElement()
        .satisfies(e -> assertThat(e.attempts()).isZero());
  }

  private OutboxEntry enqueueKind(String kind, Instant due) {
    return transactions().inTransaction((Stores s) -> s.outbox().enqueue(kind, "{}", due));
  }

  @Test
  void backlogCountsPendingAndParkedAndDatesTheOldestPending() {
    OutboxStore.Backlog empty = transactions().inTransaction(s -> s.outbox().backlog());
    assertThat(empty).isEqualTo(new OutboxStore.Backlog(0, 0, null));
    OutboxEntry first = enqueue("{\"n\":1}", T0);
    OutboxEntry second = enqueue("{\"n\":2}", T0);
    OutboxEntry third = enqueue("{\"n\":3}", T0);
    OutboxEntry fourth = enqueue("{\"n\":4}", T0);
    transactions().run(s -> s.outbox().markDone(first.id(), T0));
    transactions().run(s -> s.outbox().park(second.id(), "Kaiten answered 400", T0));
    transactions().run(s -> s.outbox().markFailed(third.id(), "timeout", T0.plusSeconds(60)));

    OutboxStore.Backlog b = transactions().inTransaction(s -> s.outbox().backlog());

    assertThat(b.pending()).isEqualTo(2);
    assertThat(b.parked()).isEqualTo(1);
    Instant oldest = java.util.stream.Stream.of(third, fourth).map(OutboxEntry::createdAt).min(Instant::compareTo)
        .orElseThrow();
    assertThat(b.oldestPendingCreatedAt()).isEqualTo(oldest);
  }
}
