package dev.tgsupport.core.port;

import dev.tgsupport.core.model.OutboxEntry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/** The transactional outbox: work for external systems, written with the change that caused it. */
public interface OutboxStore {
  /**
   * Adds an entry. {@code payload} must be a JSON object; storage may reformat it (PostgreSQL's jsonb does), so read
   * it back with a JSON parser rather than comparing text.
   */
  OutboxEntry enqueue(String kind, String payload, Instant dueAt);

  /**
   * Claims up to {@code limit} due, unfinished entries (those due longest first), returned in id order: each claimed
   * entry's attempt count goes up by one and it is not due again before {@code now + lease}, so concurrent workers
   * never claim the same entry at once. {@code lease} must be positive.
   */
  default List<OutboxEntry> claimDue(Instant now, int limit, Duration lease) {
    return claimDue(now, limit, lease, Set.of());
  }

  /**
   * {@link #claimDue(Instant, int, Duration)} for entries of the given kinds only, so a worker never claims (and
   * bumps the attempts of) work that belongs to another; empty means every kind.
   */
  List<OutboxEntry> claimDue(Instant now, int limit, Duration lease, Set<String> kinds);

  /**
   * Finishes an entry for good; a parked entry that is done is no longer parked.
   *
   * @throws dev.tgsupport.core.NotFoundException for an unknown id
   */
  void markDone(long id, Instant at);

  /** Keeps the error and makes the entry due again at {@code retryAt}. @throws dev.tgsupport.core.NotFoundException */
  void markFailed(long id, String error, Instant retryAt);

  /** Unfinished entries that are not parked, oldest first. */
  List<OutboxEntry> listPending(int limit);

  /**
   * Parks a poison entry: it keeps its error, is never claimed again and no longer counts as pending, but stays
   * visible through {@link #listParked} for staff to look at (and {@link #unpark} to retry). {@code error} must not
   * be blank: it is what staff read. Parking an entry that is already done does nothing (the success stands);
   * parking a parked entry again replaces its error and time.
   *
   * @throws dev.tgsupport.core.NotFoundException for an unknown id
   */
  void park(long id, String error, Instant at);

  /**
   * Makes a parked entry due again at {@code retryAt} with its attempt count reset to 0 (its last error stays until
   * the next attempt). Does nothing to an entry that is not parked, so that a second click cannot reset the attempts
   * of an entry a worker holds.
   *
   * @throws dev.tgsupport.core.NotFoundException for an unknown id
   */
  void unpark(long id, Instant retryAt);

  /** Parked entries, most recently parked first. */
  List<OutboxEntry> listParked(int limit);

  /**
   * How far behind the tracker is: the entries not done yet (due or waiting for a retry, parked ones apart), the
   * parked ones, and when the oldest not-done, unparked entry was written (null when there is none). For metrics:
   * one cheap aggregate read.
   */
  Backlog backlog();

  /**
   * The outbox's backlog, see {@link #backlog()}.
   *
   * @param pending not done and not parked
   * @param parked parked, waiting for staff
   * @param oldestPendingCreatedAt when the oldest pending entry was written; null when none is pending
   */
  record Backlog(long pending, long parked, java.time.Instant oldestPendingCreatedAt) {}
}
