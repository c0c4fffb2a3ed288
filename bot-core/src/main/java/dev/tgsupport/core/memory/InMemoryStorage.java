package dev.tgsupport.core.memory;

import dev.tgsupport.core.port.Stores;
import dev.tgsupport.core.port.Transactions;
import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * Every storage port in the heap, with real transactions: the default storage of the pipeline, and the reference
 * implementation the storage contract suites ({@code dev.tgsupport.core.contract}) are checked against.
 *
 * <pre>{@code
 * InMemoryStorage storage = InMemoryStorage.create();
 * Ticket t = storage.inTransaction(s -> s.tickets().open(messageId, "Refund"));
 * }</pre>
 *
 * <p><b>Transactions.</b> {@link #inTransaction} takes one lock for the whole storage, so transactions run one at a
 * time (serializable, trivially). Every write logs an undo action; when {@code work} throws, the actions run
 * newest first, so nothing of the operation remains, and the exception propagates unchanged. When {@code work}
 * returns, the writes are committed. A call made inside {@code work} on the same thread joins the outer transaction:
 * it sees the outer writes, and its own commit or roll back with the outer one. The {@link Stores} handed to
 * {@code work}, and every store it returns, throw {@link IllegalStateException} when used after the transaction
 * ended or from another thread. {@code work} runs exactly once.
 *
 * <p><b>Semantics</b>, as the port Javadoc says, and as the PostgreSQL storage behaves:
 * <ul>
 *   <li>ids of messages, tickets, ticket events, knowledge entries, outbox entries and sync runs come from
 *       sequences that start at 1; a rolled-back insert burns its id, like a database sequence;
 *   <li>upserting a user or a chat never changes the staff flags ({@code internal}, {@code blocked},
 *       {@code archived}): an existing row keeps them and a new row starts with them false;
 *   <li>a ticket keeps {@code resolvedAt} (taken from the clock at its first resolution) while it is resolved or
 *       closed; reopening it (open, in progress) clears it;
 *   <li>only a message with an author (an incoming one) can open a ticket;
 *   <li>{@code listUnhandled} filters and orders on when a message was stored (by this storage's clock), not on
 *       Telegram's date; an edit ({@code updateIncoming}) changes the type, text and attachment only;
 *   <li>raw updates lose their NUL characters, as PostgreSQL text cannot hold them;
 *   <li>an unknown id raises {@link dev.tgsupport.core.NotFoundException} naming the entity and the id; a broken
 *       uniqueness rule raises {@link dev.tgsupport.core.ConflictException}; a refused argument raises
 *       {@link dev.tgsupport.core.InvalidInputException} naming it.
 * </ul>
 * Returned values are immutable records: snapshots that later writes do not change. Nothing survives the process.
 *
 * <p><b>Scope and thread-safety.</b> Create one per application (or per test) and share it; it is thread-safe.
 * Timestamps the storage sets itself ({@code createdAt}, {@code resolvedAt}, the validation time of imported
 * knowledge, when a message or a raw update was stored) come from the clock given to {@link #create(Clock)}.
 */
public final class InMemoryStorage implements Transactions {
  private final ReentrantLock lock = new ReentrantLock();
  private final Tables tables = new Tables();
  private final Clock clock;
  // Guarded by lock: non-null exactly while the lock holder runs the work of its outermost transaction.
  private MemoryTransaction current;

  private InMemoryStorage(Clock clock) {
    this.clock = clock;
  }

  /** An empty storage whose timestamps come from the system clock (UTC). */
  public static InMemoryStorage create() {
    return new InMemoryStorage(Clock.systemUTC());
  }

  /** An empty storage whose timestamps come from {@code clock}, for tests that control time. */
  public static InMemoryStorage create(Clock clock) {
    return new InMemoryStorage(Objects.requireNonNull(clock, "clock"));
  }

  /**
   * Runs {@code work} in a transaction: committed when it returns, rolled back when it throws (the exception then
   * propagates unchanged). Blocks while another thread runs a transaction; joins the running transaction when
   * called from inside {@code work}.
   */
  @Override
  public <T> T inTransaction(Function<Stores, T> work) {
    Objects.requireNonNull(work, "work");
    lock.lock();
    try {
      if (current != null) {
        return work.apply(current);
      }
      MemoryTransaction tx = new MemoryTransaction(tables, clock);
      current = tx;
      try {
        T result = work.apply(tx);
        tx.commit();
        return result;
      } catch (Throwable failure) {
        tx.rollback(failure);
        throw failure;
      } finally {
        current = null;
        tx.close();
      }
    } finally {
      lock.unlock();
    }
  }

  @Override
  public String toString() {
    return "InMemoryStorage";
  }
}
