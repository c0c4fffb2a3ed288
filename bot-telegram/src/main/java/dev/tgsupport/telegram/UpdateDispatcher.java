package dev.tgsupport.telegram;

import com.pengrad.telegrambot.request.AnswerCallbackQuery;
import dev.tgsupport.core.BotException;
import dev.tgsupport.core.NonRetriableException;
import dev.tgsupport.core.RetriableException;
import dev.tgsupport.core.model.Chat;
import dev.tgsupport.core.model.ChatType;
import dev.tgsupport.core.model.IncomingMessage;
import dev.tgsupport.core.pipeline.Pipeline;
import dev.tgsupport.core.port.Transactions;
import dev.tgsupport.core.port.WorkQueue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns updates into work. {@link #accept} makes each update durable in the receiver's thread (the message recorded,
 * a migration or membership change stored, an unknown update kept raw) and returns, so the receiver can acknowledge;
 * the pipeline then runs on worker threads. Messages of one chat always go to the same worker, so a chat's messages
 * are answered in the order they were written.
 *
 * <p>A message whose processing failed for a retriable reason (Telegram or storage briefly unavailable) is retried
 * with backoff a few times; after that it stays recorded and unhandled, and {@link #recover} picks it up after a
 * restart.
 */
final class UpdateDispatcher implements UpdateSink, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(UpdateDispatcher.class);
  private static final int MAX_PROCESS_ATTEMPTS = 4;
  private static final int QUEUE_CAPACITY = 10_000;
  private static final Duration WORKER_JOIN = Duration.ofSeconds(5);

  private final Pipeline pipeline;
  private final Transactions transactions;
  private final UpdateMapper mapper;
  private final BotApi api;
  private final CallbackHandler callbacks;
  private final WorkQueue queue;
  private volatile WorkQueue.Consumer consumer;
  private final List<Worker> workers = new ArrayList<>();
  private final ScheduledExecutorService retries;
  private final AtomicInteger inFlight = new AtomicInteger();
  private volatile boolean closed;

  private final AtomicLong accepted = new AtomicLong();
  private final AtomicLong skipped = new AtomicLong();
  private final AtomicLong processed = new AtomicLong();
  private final AtomicLong processFailures = new AtomicLong();

  /**
   * @param queue null to record each message before acknowledging it and run the pipeline on this process's
   *     workers; otherwise updates are published to the queue before acknowledging, and whoever consumes the queue
   *     (this process after {@link #startConsuming}, or others) records and processes them
   */
  UpdateDispatcher(Pipeline pipeline, UpdateMapper mapper, BotApi api, CallbackHandler callbacks, int workerCount,
      WorkQueue queue) {
    this.pipeline = pipeline;
    this.transactions = pipeline.transactions();
    this.mapper = mapper;
    this.api = api;
    this.callbacks = callbacks;
    this.queue = queue;
    int localWorkers = queue == null ? workerCount : 1; // with a queue, local workers only answer callbacks
    for (int i = 0; i < localWorkers; i++) {
      Worker w = new Worker("tgsupport-worker-" + i);
      workers.add(w);
      w.start();
    }
    this.retries = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "tgsupport-retry");
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * Counters for tests and metrics: {@code accepted} counts every update acknowledged to Telegram, {@code skipped}
   * those among them that were malformed or failed for good.
   */
  record Stats(long accepted, long skipped, long processed, long processFailures, int inFlight) {}

  Stats stats() {
    return new Stats(accepted.get(), skipped.get(), processed.get(), processFailures.get(), inFlight.get());
  }

  @Override
  public int accept(List<RawUpdates.Raw> updates) {
    int done = 0;
    for (RawUpdates.Raw raw : updates) {
      if (closed) {
        return done;
      }
      try {
        if (queue != null) {
          publish(raw);
        } else {
          acceptOne(raw, false);
        }
        accepted.incrementAndGet();
      } catch (RetriableException e) {
        // Storage is down or busy: this update and the rest must come again.
        log.warn("update {} not stored yet, Telegram will deliver it again: {}", raw.updateId(), e.getMessage());
        return done;
      } catch (RuntimeException e) {
        // Not storage trouble but something about this update: retrying would fail the same way forever.
        skipped.incrementAndGet();
        accepted.incrementAndGet();
        log.warn("update {} ({}) skipped: {}", raw.updateId(), raw.kind(), e.toString());
      }
      done++;
    }
    return done;
  }

  private void publish(RawUpdates.Raw raw) {
    if (raw.updateId() < 0) {
      skipped.incrementAndGet();
      log.warn("update without an id skipped: {}", raw.parseError());
      return;
    }
    queue.publish(partitionKey(mapper.map(raw)), raw.json());
  }

  /** Updates of one chat share a partition, so the queue keeps their order. */
  private static String partitionKey(Inbound inbound) {
    if (inbound instanceof Inbound.NewMessage n) {
      return Long.toString(n.message().chat().id());
    } else if (inbound instanceof Inbound.EditedMessage e) {
      return Long.toString(e.message().chat().id());
    } else if (inbound instanceof Inbound.ChatMigrated m) {
      return Long.toString(m.fromChatId());
    } else if (inbound instanceof Inbound.BotMembership b) {
      return Long.toString(b.chat().id());
    } else if (inbound instanceof Inbound.CallbackQuery c) {
      return Long.toString(c.chatId() == null ? c.from().id() : c.chatId());
    }
    return "update";
  }

  /**
   * Consumes the queue with this process's pipeline: each entry is recorded and processed before the queue
   * acknowledges it; a retriable failure lets the queue deliver it again.
   */
  void startConsuming() {
    if (queue == null) {
      throw new IllegalStateException("no work queue configured");
    }
    consumer = queue.consume(entry -> {
      RawUpdates.Raw raw = RawUpdates.parse(entry.payload());
      try {
        acceptOne(raw, true);
        processed.incrementAndGet();
      } catch (NonRetriableException e) {
        processFailures.incrementAndGet();
        log.warn("update {} ({}) could not be processed: {}", raw.updateId(), raw.kind(), e.getMessage());
      } catch (RetriableException e) {
        processFailures.incrementAndGet();
        log.warn("update {} failed (delivery {}), the queue delivers it again: {}",
            raw.updateId(), entry.deliveries(), e.getMessage());
        throw e;
      }
    });
  }

  /**
   * Applies one update.
   *
   * @param inline true on a queue consumer: the message is processed (and a button press answered) right here;
   *     false in a receiver: the message is recorded and processed later by a worker
   */
  private void acceptOne(RawUpdates.Raw raw, boolean inline) {
    Inbound inbound = mapper.map(raw);
    if (inbound instanceof Inbound.NewMessage n) {
      if (inline) {
        pipeline.process(n.message());
      } else {
        pipeline.record(n.message());
        submit(n.message().chat().id(), () -> process(n.message(), 1));
      }
    } else if (inbound instanceof Inbound.EditedMessage e) {
      // One transaction and no reply: done here, so the edit is durable before Telegram forgets it.
      pipeline.processEdit(e.message());
    } else if (inbound instanceof Inbound.ChatMigrated m) {
      transactions.run(s -> {
        // Both service messages (in the old group and in the new supergroup) arrive; the second finds it done.
        if (s.chats().currentId(m.fromChatId()) != m.toChatId()) {
          if (s.chats().find(m.fromChatId()).isEmpty()) {
            s.chats().upsert(Chat.of(m.fromChatId(), ChatType.GROUP, m.newChat().title()));
          }
          s.chats().migrate(m.fromChatId(), m.toChatId());
        }
      });
      log.info("chat {} became supergroup {}", m.fromChatId(), m.toChatId());
    } else if (inbound instanceof Inbound.BotMembership b) {
      transactions.run(s -> {
        s.chats().upsert(b.chat());
        s.chats().setArchived(b.chat().id(), !b.member());
      });
      log.info("bot {} chat {}", b.member() ? "added to" : "removed from", b.chat().id());
    } else if (inbound instanceof Inbound.CallbackQuery c) {
      if (inline) {
        answer(c);
      } else {
        long chat = c.chatId() == null ? c.from().id() : c.chatId();
        submit(chat, () -> answer(c));
      }
    } else if (inbound instanceof Inbound.Unknown u) {
      transactions.run(s -> s.updates().saveRaw(u.updateId(), u.kind(), raw.json(), null));
      log.debug("update {} of unknown type {} kept raw", u.updateId(), u.kind());
    } else if (inbound instanceof Inbound.Unparsable p) {
      skipped.incrementAndGet();
      log.warn("update {} ({}) skipped: {}", p.updateId(), raw.kind(), p.error());
      if (p.updateId() >= 0) {
        transactions.run(s -> s.updates().saveRaw(p.updateId(), "unparsable:" + raw.kind(), raw.json(), p.error()));
      }
    } else if (inbound instanceof Inbound.Ignored i) {
      log.debug("update {} ignored: {}", i.updateId(), i.reason());
    }
  }

  private void process(IncomingMessage message, int attempt) {
    try {
      pipeline.process(message);
      processed.incrementAndGet();
    } catch (RetriableException e) {
      processFailures.incrementAndGet();
      if (attempt < MAX_PROCESS_ATTEMPTS && !closed) {
        long delayMillis = Math.min(30_000, 500L << (attempt - 1));
        log.warn("message {} in chat {} failed (attempt {}), retrying in {} ms: {}",
            message.telegramMessageId(), message.chat().id(), attempt, delayMillis, e.getMessage());
        inFlight.incrementAndGet();
        retries.schedule(() -> {
          inFlight.decrementAndGet();
          submit(message.chat().id(), () -> process(message, attempt + 1));
        }, delayMillis, TimeUnit.MILLISECONDS);
      } else if (closed) {
        // Stopping cut it short (a send waiting out a 429, an interrupted call): expected on shutdown, not a fault.
        log.warn("message {} in chat {} not finished before stopping ({}); it stays unhandled until the next start",
            message.telegramMessageId(), message.chat().id(), e.getMessage());
      } else {
        log.error("message {} in chat {} still failing after {} attempts; it stays unhandled until the next start",
            message.telegramMessageId(), message.chat().id(), attempt, e);
      }
    } catch (NonRetriableException e) {
      processFailures.incrementAndGet();
      log.warn("message {} in chat {} could not be answered: {}",
          message.telegramMessageId(), message.chat().id(), e.getMessage());
    }
  }

  private void answer(Inbound.CallbackQuery c) {
    String text = null;
    try {
      text = callbacks.handle(new CallbackHandler.Press(c.queryId(), c.from().id(), c.chatId(), c.messageId(), c.data()));
    } catch (RuntimeException e) {
      log.warn("callback handler failed for query {}: {}", c.queryId(), e.toString());
    }
    AnswerCallbackQuery answer = new AnswerCallbackQuery(c.queryId());
    if (text != null && !text.isBlank()) {
      answer.text(text.length() > 200 ? text.substring(0, 199) + "…" : text);
    }
    try {
      api.execute(answer, c.chatId() == null ? 0 : c.chatId());
    } catch (BotException e) {
      // An old query (after a restart) can no longer be answered; the spinner has long stopped by then.
      log.debug("callback query {} not answered: {}", c.queryId(), e.getMessage());
    }
  }

  /**
   * Re-submits messages recorded but never handled (the process stopped between storing and answering).
   *
   * @return how many were re-submitted
   */
  int recover(Duration maxAge, int limit) {
    List<IncomingMessage> pending = pipeline.unhandled(maxAge, limit);
    for (IncomingMessage m : pending) {
      submit(m.chat().id(), () -> process(m, 1));
    }
    if (!pending.isEmpty()) {
      log.info("re-processing {} message(s) recorded but not answered before the last stop", pending.size());
    }
    return pending.size();
  }

  private void submit(long chatId, Runnable task) {
    Worker w = workers.get(Math.floorMod(Long.hashCode(chatId * 0x9E3779B97F4A7C15L), workers.size()));
    inFlight.incrementAndGet();
    try {
      w.queue.put(task); // blocks when the worker is far behind: back-pressure on the receiver
    } catch (InterruptedException e) {
      inFlight.decrementAndGet();
      Thread.currentThread().interrupt();
      throw new dev.tgsupport.core.OperationTimeoutException("interrupted while queueing update work", e);
    }
  }

  /** True once every accepted message has been processed (or given up on), within the timeout. */
  boolean awaitIdle(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (inFlight.get() > 0) {
      if (System.nanoTime() - deadline > 0) {
        return false;
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return true;
  }

  /** Stops taking updates, lets the workers finish what was accepted (up to {@code grace}), then stops them. */
  void close(Duration grace) {
    WorkQueue.Consumer c = consumer;
    if (c != null) {
      c.close(grace);
    }
    if (!awaitIdle(grace)) {
      log.warn("{} message(s) still in progress at shutdown; they stay unhandled and run again at the next start",
          inFlight.get());
    }
    closed = true;
    retries.shutdownNow();
    for (Worker w : workers) {
      w.interrupt();
    }
    // A worker in the middle of a message finishes it (the interrupt only ends its wait for the next one); wait for
    // that, so nothing of this dispatcher still writes once close() returned.
    long deadline = System.nanoTime() + WORKER_JOIN.toNanos();
    for (Worker w : workers) {
      try {
        w.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  @Override
  public void close() {
    close(Duration.ofSeconds(10));
  }

  private final class Worker extends Thread {
    final BlockingQueue<Runnable> queue = new LinkedBlockingQueue<>(QUEUE_CAPACITY);

    Worker(String name) {
      super(name);
      setDaemon(true);
    }

    @Override
    public void run() {
      while (true) {
        Runnable task;
        try {
          task = queue.take();
        } catch (InterruptedException e) {
          return;
        }
        try {
          task.run();
        } catch (RuntimeException e) {
          log.error("update work failed", e);
        } finally {
          inFlight.decrementAndGet();
        }
      }
    }
  }
}
