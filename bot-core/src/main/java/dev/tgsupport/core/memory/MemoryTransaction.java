package dev.tgsupport.core.memory;

import dev.tgsupport.core.NotFoundException;
import dev.tgsupport.core.port.ChatStore;
import dev.tgsupport.core.port.KnowledgeStore;
import dev.tgsupport.core.port.MessageStore;
import dev.tgsupport.core.port.OutboxStore;
import dev.tgsupport.core.port.Stores;
import dev.tgsupport.core.port.SpamSampleStore;
import dev.tgsupport.core.port.SyncLogStore;
import dev.tgsupport.core.port.TicketEventStore;
import dev.tgsupport.core.port.TicketStore;
import dev.tgsupport.core.port.UpdateStore;
import dev.tgsupport.core.port.UserStore;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;

/**
 * One transaction of {@link InMemoryStorage}: the stores it hands out, and the undo log that makes rollback real.
 * Every write goes through {@link #put} so it can be undone; every call first checks {@link #check}.
 */
final class MemoryTransaction implements Stores {
  private final Tables tables;
  private final Clock clock;
  private final Thread owner = Thread.currentThread();
  private final Deque<Runnable> undo = new ArrayDeque<>();
  // Read by threads that got hold of a leaked Stores, hence volatile.
  private volatile boolean open = true;

  private final UserStore users = new MemoryUserStore(this);
  private final ChatStore chats = new MemoryChatStore(this);
  private final MessageStore messages = new MemoryMessageStore(this);
  private final TicketStore tickets = new MemoryTicketStore(this);
  private final TicketEventStore ticketEvents = new MemoryTicketEventStore(this);
  private final KnowledgeStore knowledge = new MemoryKnowledgeStore(this);
  private final OutboxStore outbox = new MemoryOutboxStore(this);
  private final UpdateStore updates = new MemoryUpdateStore(this);
  private final SyncLogStore syncLog = new MemorySyncLogStore(this);
  private final SpamSampleStore spamSamples = new MemorySpamSampleStore(this);

  MemoryTransaction(Tables tables, Clock clock) {
    this.tables = tables;
    this.clock = clock;
  }

  /** The tables, after checking that this transaction may still be used from this thread. */
  Tables tables() {
    check();
    return tables;
  }

  Clock clock() {
    return clock;
  }

  void check() {
    if (!open) {
      throw new IllegalStateException(
          "storage used outside its transaction: use the Stores only inside the work passed to inTransaction");
    }
    if (Thread.currentThread() != owner) {
      throw new IllegalStateException("storage used from thread '" + Thread.currentThread().getName()
          + "' while its transaction runs on thread '" + owner.getName() + "'");
    }
  }

  /** Writes {@code value} under {@code key} and logs how to restore the previous state. */
  <K, V> void put(Map<K, V> map, K key, V value) {
    V previous = map.put(key, value);
    undo.push(previous == null ? () -> map.remove(key) : () -> map.put(key, previous));
  }

  /** Removes {@code key} and logs how to put it back. */
  <K, V> void remove(Map<K, V> map, K key) {
    V previous = map.remove(key);
    if (previous != null) {
      undo.push(() -> map.put(key, previous));
    }
  }

  void commit() {
    undo.clear();
  }

  /** Undoes every write, newest first; a failing undo action is attached to {@code cause} and the rest still run. */
  void rollback(Throwable cause) {
    while (!undo.isEmpty()) {
      try {
        undo.pop().run();
      } catch (RuntimeException e) {
        cause.addSuppressed(e);
      }
    }
  }

  void close() {
    open = false;
  }

  static NotFoundException notFound(String entity, long id) {
    return new NotFoundException(entity + " " + id + " not found");
  }

  @Override
  public UserStore users() {
    check();
    return users;
  }

  @Override
  public ChatStore chats() {
    check();
    return chats;
  }

  @Override
  public MessageStore messages() {
    check();
    return messages;
  }

  @Override
  public TicketStore tickets() {
    check();
    return tickets;
  }

  @Override
  public TicketEventStore ticketEvents() {
    check();
    return ticketEvents;
  }

  @Override
  public KnowledgeStore knowledge() {
    check();
    return knowledge;
  }

  @Override
  public OutboxStore outbox() {
    check();
    return outbox;
  }

  @Override
  public UpdateStore updates() {
    check();
    return updates;
  }

  @Override
  public SyncLogStore syncLog() {
    check();
    return syncLog;
  }

  @Override
  public SpamSampleStore spamSamples() {
    check();
    return spamSamples;
  }
}
