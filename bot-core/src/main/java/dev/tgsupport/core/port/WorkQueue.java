package dev.tgsupport.core.port;

import java.time.Duration;

/**
 * Hands work from receivers (the webhook or the poller) to workers, possibly in other processes.
 *
 * <p>Guarantees every implementation gives:
 * <ul>
 *   <li><b>Order per partition key.</b> Entries with the same partition key are handled one at a time and in the
 *       order they were published (by one publisher; concurrent publishes of one key have no order to keep).
 *   <li><b>At least once.</b> An entry is acknowledged only after its handler returned normally. A handler that
 *       throws, or a worker that dies mid-entry, leaves the entry to be delivered again, to this worker after a
 *       backoff or to another one after a timeout. Handlers must therefore be idempotent (the pipeline is: messages
 *       are stored under a unique key).
 *   <li><b>No poison pill.</b> An entry whose handler failed too often goes to a dead-letter store instead of blocking
 *       its key forever; the entries behind it then proceed.
 * </ul>
 * How durable a published entry is depends on the implementation: a Redis stream survives the process, memory does
 * not. Each implementation states it.
 *
 * <pre>{@code
 * WorkQueue queue = InMemoryWorkQueue.create();          // or RedisSupport.workQueue(settings)
 * WorkQueue.Consumer consumer = queue.consume(entry -> pipeline.process(decode(entry.payload())));
 * queue.publish(Long.toString(update.chatId()), encode(update));
 * ...
 * consumer.close(Duration.ofSeconds(5));
 * queue.close();
 * }</pre>
 *
 * <p>Implementations are thread-safe: {@link #publish} may be called from any number of threads.
 */
public interface WorkQueue extends AutoCloseable {

  /**
   * One delivery of an entry.
   *
   * @param id the id {@link #publish} returned
   * @param partitionKey the key given to {@link #publish}
   * @param payload the payload given to {@link #publish}
   * @param deliveries 1 on the first delivery, then counting redeliveries (after failures or a dead worker)
   */
  record Entry(String id, String partitionKey, String payload, int deliveries) {}

  /**
   * Processes one entry, on a thread of the queue. Returning normally acknowledges the entry; throwing leaves it to
   * be delivered again after a backoff (the entries of the same key wait for it), and after the queue's maximum
   * number of deliveries sends it to the dead-letter store. Never called concurrently for one partition key.
   */
  @FunctionalInterface
  interface Handler {
    void handle(Entry entry) throws Exception;
  }

  /** A running consumer; closing it stops taking new entries and waits for the ones in progress. */
  interface Consumer extends AutoCloseable {
    /**
     * Stops within {@code grace}: no new entry is started, the handlers in progress are waited for. Entries not
     * finished by then stay unacknowledged and are delivered again later, to this queue's next consumer or another
     * process's.
     */
    void close(Duration grace);

    /** {@link #close(Duration)} with 10 seconds of grace. */
    @Override
    default void close() {
      close(Duration.ofSeconds(10));
    }
  }

  /**
   * Appends an entry durably (as durable as the queue is: a Redis stream, or this process's memory). May block for
   * back-pressure when the queue is bounded and full.
   *
   * @param partitionKey entries with equal keys keep their order, e.g. the chat id
   * @return the entry id
   * @throws IllegalStateException when the queue is closed
   */
  String publish(String partitionKey, String payload);

  /**
   * Starts consuming with {@code handler}. The built-in queues allow one open consumer per queue instance; run more
   * workers through the queue's own settings, or more queue instances (processes) on one Redis stream.
   *
   * @throws IllegalStateException when the queue is closed, or already has an open consumer and allows only one
   */
  Consumer consume(Handler handler);

  /** Stops the consumer, if any, and releases the queue's resources; publishing afterwards fails. */
  @Override
  void close();
}
