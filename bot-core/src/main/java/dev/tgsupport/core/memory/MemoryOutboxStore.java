package dev.tgsupport.core.memory;

import static dev.tgsupport.core.InvalidInputException.check;
import static dev.tgsupport.core.InvalidInputException.requireNonBlank;
import static dev.tgsupport.core.InvalidInputException.requireNonNull;

import dev.tgsupport.core.model.OutboxEntry;
import dev.tgsupport.core.port.OutboxStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

final class MemoryOutboxStore implements OutboxStore {
  private static final Comparator<OutboxEntry> DUE_ORDER =
      Comparator.comparing(OutboxEntry::nextAttemptAt).thenComparingLong(OutboxEntry::id);
  private static final Comparator<OutboxEntry> AGE_ORDER =
      Comparator.comparing(OutboxEntry::createdAt).thenComparingLong(OutboxEntry::id);
  private static final Comparator<OutboxEntry> PARKED_ORDER =
      Comparator.comparing(OutboxEntry::parkedAt).thenComparingLong(OutboxEntry::id).reversed();

  private final MemoryTransaction tx;

  MemoryOutboxStore(MemoryTransaction tx) {
    this.tx = tx;
  }

  @Override
  public OutboxEntry enqueue(String kind, String payload, Instant dueAt) {
    requireNonBlank(kind, "kind");
    requireNonNull(payload, "payload");
    requireNonNull(dueAt, "dueAt");
    Tables t = tx.tables();
    OutboxEntry e = new OutboxEntry(t.nextOutboxId(), kind, payload, 0, dueAt, null, null, tx.clock().instant());
    tx.put(t.outbox, e.id(), e);
    return e;
  }

  @Override
  public List<OutboxEntry> claimDue(Instant now, int limit, Duration lease, Set<String> kinds) {
    requireNonNull(now, "now");
    requireNonNull(kinds, "kinds");
    check(limit >= 0, "limit", "must be >= 0", limit);
    requireNonNull(lease, "lease");
    // A zero lease would leave a claimed entry due at once, so a second worker could claim it too.
    check(!lease.isNegative() && !lease.isZero(), "lease", "must be positive", lease);
    Tables t = tx.tables();
    List<OutboxEntry> due = new ArrayList<>();
    for (OutboxEntry e : t.outbox.values()) {
      if (!e.isDone() && !e.isParked() && !e.nextAttemptAt().isAfter(now)
          && (kinds.isEmpty() || kinds.contains(e.kind()))) {
        due.add(e);
      }
    }
    due.sort(DUE_ORDER);
    Instant leaseUntil = now.plus(lease);
    List<OutboxEntry> claimed = new ArrayList<>(Math.min(limit, due.size()));
    for (OutboxEntry e : due.subList(0, Math.min(limit, due.size()))) {
      OutboxEntry c = new OutboxEntry(e.id(), e.kind(), e.payload(), e.attempts() + 1, leaseUntil, e.lastError(),
          null, e.createdAt(), null);
      tx.put(t.outbox, c.id(), c);
      claimed.add(c);
    }
    // Due order picks which entries; the port promises them back in id order.
    claimed.sort(java.util.Comparator.comparingLong(OutboxEntry::id));
    return List.copyOf(claimed);
  }

  @Override
  public void markDone(long id, Instant at) {
    requireNonNull(at, "at");
    OutboxEntry e = existing(id);
    tx.put(tx.tables().outbox, id, new OutboxEntry(id, e.kind(), e.payload(), e.attempts(), e.nextAttemptAt(),
        e.lastError(), at, e.createdAt(), null));
  }

  @Override
  public void markFailed(long id, String error, Instant retryAt) {
    requireNonNull(retryAt, "retryAt");
    OutboxEntry e = existing(id);
    tx.put(tx.tables().outbox, id, new OutboxEntry(id, e.kind(), e.payload(), e.attempts(), retryAt, error,
        e.doneAt(), e.createdAt(), e.parkedAt()));
  }

  @Override
  public List<OutboxEntry> listPending(int limit) {
    check(limit >= 0, "limit", "must be >= 0", limit);
    List<OutboxEntry> pending = new ArrayList<>();
    for (OutboxEntry e : tx.tables().outbox.values()) {
      if (!e.isDone() && !e.isParked()) {
        pending.add(e);
      }
    }
    pending.sort(AGE_ORDER);
    return List.copyOf(pending.subList(0, Math.min(limit, pending.size())));
  }

  @Override
  public void park(long id, String error, Instant at) {
    requireNonBlank(error, "error");
    requireNonNull(at, "at");
    OutboxEntry e = existing(id);
    // Done wins: a worker whose lease ran out may give up on an entry another worker has meanwhile finished.
    if (e.isDone()) {
      return;
    }
    tx.put(tx.tables().outbox, id, new OutboxEntry(id, e.kind(), e.payload(), e.attempts(), e.nextAttemptAt(), error,
        null, e.createdAt(), at));
  }

  @Override
  public void unpark(long id, Instant retryAt) {
    requireNonNull(retryAt, "retryAt");
    OutboxEntry e = existing(id);
    // Only a parked entry starts over: resetting the attempts of one a worker holds would defeat the parking limit.
    if (!e.isParked()) {
      return;
    }
    tx.put(tx.tables().outbox, id, new OutboxEntry(id, e.kind(), e.payload(), 0, retryAt, e.lastError(), null,
        e.createdAt(), null));
  }

  @Override
  public List<OutboxEntry> listParked(int limit) {
    check(limit >= 0, "limit", "must be >= 0", limit);
    List<OutboxEntry> parked = new ArrayList<>();
    for (OutboxEntry e : tx.tables().outbox.values()) {
      if (e.isParked()) {
        parked.add(e);
      }
    }
    parked.sort(PARKED_ORDER);
    return List.copyOf(parked.subList(0, Math.min(limit, parked.size())));
  }

  @Override
  public Backlog backlog() {
    long pending = 0;
    long parked = 0;
    java.time.Instant oldest = null;
    for (OutboxEntry e : tx.tables().outbox.values()) {
      if (e.isParked()) {
        parked++;
      } else if (e.doneAt() == null) {
        pending++;
        if (oldest == null || e.createdAt().isBefore(oldest)) {
          oldest = e.createdAt();
        }
      }
    }
    return new Backlog(pending, parked, oldest);
  }

  private OutboxEntry existing(long id) {
    OutboxEntry e = tx.tables().outbox.get(id);
    if (e == null) {
      throw MemoryTransaction.notFound("outbox entry", id);
    }
    return e;
  }
}
