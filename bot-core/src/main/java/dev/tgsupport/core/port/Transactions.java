package dev.tgsupport.core.port;

import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Runs one business operation in one transaction. The {@link Stores} handed to {@code work} are valid only inside
 * it; everything they write commits when {@code work} returns and rolls back when it throws.
 *
 * <p>Implementations are thread-safe. A call made inside another's {@code work} on the same thread joins the outer
 * transaction. Implementations may run {@code work} more than once when the storage reports a transient
 * conflict (serialization failure, deadlock), so {@code work} must not have side effects outside storage.
 *
 * <p>A store call that throws may leave the transaction unusable (PostgreSQL aborts it on any SQL error), so
 * {@code work} must not catch a storage exception and carry on: let it propagate, and the whole operation rolls
 * back. A nested call shares the outer transaction and has no savepoint of its own.
 */
public interface Transactions {
  /**
   * Runs {@code work} in one transaction and returns its result.
   *
   * <p>Tip: inside an overloaded call such as AssertJ's {@code assertThat(…)} Java cannot infer {@code T}; assign
   * the result to a local variable or type the lambda parameter, {@code (Stores s) -> …}.
   *
   * @throws dev.tgsupport.core.StorageUnavailableException when storage is unreachable or the transaction kept
   *     conflicting (retriable; nothing was committed)
   */
  <T> T inTransaction(Function<Stores, T> work);

  /** {@link #inTransaction} for work with no result. */
  default void run(Consumer<Stores> work) {
    inTransaction(
        stores -> {
          work.accept(stores);
          return null;
        });
  }

  /**
   * {@link #run}, committed without waiting for the commit to reach the disk where the storage can do that
   * (PostgreSQL's asynchronous commit), which saves the caller a disk flush. The work is still all or nothing and
   * visible to others as soon as this returns, and a crash of this process loses nothing; only a crash of the
   * database server or its machine within a fraction of a second of the commit can lose it, whole. For writes that
   * are safe to lose that way because they are redone after such a crash (the pipeline's record of a message it
   * answered). Inside another transaction it joins that one and commits with it. The default is {@link #run}.
   */
  default void runWithAsynchronousCommit(Consumer<Stores> work) {
    run(work);
  }
}
