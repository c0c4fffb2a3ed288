package dev.tgsupport.telegram;

import com.google.gson.JsonArray;
import com.pengrad.telegrambot.ExceptionHandler;
import com.pengrad.telegrambot.TelegramBot;
import com.pengrad.telegrambot.TelegramException;
import com.pengrad.telegrambot.UpdatesListener;
import com.pengrad.telegrambot.impl.UpdatesHandler;
import com.pengrad.telegrambot.model.Update;
import com.pengrad.telegrambot.request.GetUpdates;
import dev.tgsupport.core.AuthenticationException;
import dev.tgsupport.core.BotException;
import dev.tgsupport.core.ConflictException;
import dev.tgsupport.core.NonRetriableException;
import dev.tgsupport.core.RateLimitedException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The long-polling loop, plugged into pengrad as its {@link UpdatesHandler} (pengrad's own handler only logs errors
 * and sleeps a fixed time). It differs in what matters for not losing updates:
 * <ul>
 *   <li>the offset moves past an update only once the sink has made it durable, so a crash means redelivery;
 *   <li>a 429 waits Telegram's {@code retry_after}; network errors and 5xx back off exponentially with jitter;
 *   <li>409 (a webhook is set, or another process polls with the same token) and 401 stop the loop with a clear
 *       error instead of retrying forever;
 *   <li>one malformed update is skipped on its own, and the offset keeps moving past it.
 * </ul>
 */
final class PollingLoop implements UpdatesHandler {
  private static final Logger log = LoggerFactory.getLogger(PollingLoop.class);

  private final BotApi api;
  private final int timeoutSeconds;
  private final int limit;
  private final List<String> allowedUpdates;
  private final Duration backoffMin;
  private final Duration backoffMax;

  private volatile boolean running;
  private volatile Thread thread;
  private volatile long offset;
  private volatile BotException fatal;
  private final CountDownLatch stopped = new CountDownLatch(1);

  PollingLoop(BotApi api, int timeoutSeconds, int limit, List<String> allowedUpdates, Duration backoffMin,
      Duration backoffMax) {
    this.api = api;
    this.timeoutSeconds = timeoutSeconds;
    this.limit = limit;
    this.allowedUpdates = allowedUpdates;
    this.backoffMin = backoffMin;
    this.backoffMax = backoffMax;
  }

  @Override
  public synchronized void start(
      TelegramBot bot, UpdatesListener listener, ExceptionHandler exceptionHandler, GetUpdates request) {
    if (running) {
      throw new IllegalStateException("polling already started");
    }
    running = true;
    Thread t = new Thread(() -> loop(listener, exceptionHandler), "tgsupport-polling");
    t.setDaemon(true);
    thread = t;
    t.start();
  }

  private void loop(UpdatesListener listener, ExceptionHandler exceptionHandler) {
    int failures = 0;
    try {
      while (running) {
        try {
          JsonArray result = api.getUpdates(offset, limit, timeoutSeconds, allowedUpdates);
          failures = 0;
          if (result.isEmpty() || !running) {
            continue;
          }
          List<RawUpdates.Raw> raws = RawUpdates.fromResultArray(result);
          int accepted = deliver(listener, raws);
          long confirmed = RawUpdates.maxUpdateId(raws.subList(0, accepted));
          if (confirmed >= 0) {
            offset = Math.max(offset, confirmed + 1);
          }
          if (accepted < raws.size()) {
            failures++;
            sleep(backoff(failures));
          }
        } catch (RateLimitedException e) {
          log.warn("getUpdates rate limited, waiting {} s", e.retryAfter().toSeconds());
          sleep(e.retryAfter());
        } catch (ConflictException | AuthenticationException e) {
          stopWith(e, exceptionHandler);
          return;
        } catch (NonRetriableException e) {
          stopWith(e, exceptionHandler);
          return;
        } catch (BotException e) {
          if (!running) {
            return; // the poll was cancelled by stop()
          }
          failures++;
          Duration wait = backoff(failures);
          log.warn("getUpdates failed ({} in a row), retrying in {} ms: {}", failures, wait.toMillis(), e.getMessage());
          sleep(wait);
        }
      }
    } finally {
      running = false;
      stopped.countDown();
    }
  }

  private int deliver(UpdatesListener listener, List<RawUpdates.Raw> raws) {
    if (listener instanceof SinkListener sink) {
      return sink.sink().accept(raws);
    }
    // A plain pengrad listener: give it what parsed, with pengrad's confirmation semantics.
    List<Update> parsed = new ArrayList<>();
    for (RawUpdates.Raw r : raws) {
      if (r.parsed() != null) {
        parsed.add(r.parsed());
      }
    }
    int confirmed = parsed.isEmpty() ? UpdatesListener.CONFIRMED_UPDATES_ALL : listener.process(parsed);
    if (confirmed == UpdatesListener.CONFIRMED_UPDATES_ALL) {
      return raws.size();
    }
    if (confirmed == UpdatesListener.CONFIRMED_UPDATES_NONE) {
      return 0;
    }
    int n = 0;
    while (n < raws.size() && raws.get(n).updateId() <= confirmed) {
      n++;
    }
    return n;
  }

  private void stopWith(BotException e, ExceptionHandler exceptionHandler) {
    fatal = e;
    running = false;
    // WARN, not ERROR: the adapter reports the reason to the application (pollingFailure()), which decides.
    log.warn("long polling stopped: {}", e.getMessage());
    if (exceptionHandler != null) {
      try {
        exceptionHandler.onException(new TelegramException(e));
      } catch (RuntimeException ignored) {
        // the handler's own failure must not hide the reason polling stopped
      }
    }
  }

  private Duration backoff(int failures) {
    long max = backoffMax.toMillis();
    long base = Math.min(max, backoffMin.toMillis() << Math.min(failures - 1, 20));
    // Full jitter: many instances restarting together must not poll in lockstep.
    return Duration.ofMillis(base / 2 + ThreadLocalRandom.current().nextLong(base / 2 + 1));
  }

  private void sleep(Duration d) {
    long deadline = System.nanoTime() + d.toNanos();
    long left;
    // stop() unparks this thread, so a shutdown never waits out a long retry_after.
    while (running && (left = deadline - System.nanoTime()) > 0) {
      LockSupport.parkNanos(this, left);
      if (Thread.currentThread().isInterrupted()) {
        running = false;
      }
    }
  }

  @Override
  public void stop() {
    running = false;
    api.cancelPoll();
    Thread t = thread;
    if (t != null) {
      LockSupport.unpark(t);
    }
    if (t != null && t != Thread.currentThread()) {
      try {
        if (!stopped.await(10, TimeUnit.SECONDS)) {
          t.interrupt();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  boolean isRunning() {
    return running;
  }

  /** Why the loop stopped by itself (409, 401, 404), or null. */
  BotException failure() {
    return fatal;
  }

  /** The next offset: every update below it has been made durable. */
  long offset() {
    return offset;
  }

  /** Waits for the loop to end. */
  boolean awaitStop(Duration timeout) throws InterruptedException {
    return stopped.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * Tells Telegram that everything below the offset is done, so a restart does not see it again. A plain
   * {@code getUpdates} with the offset does that; its answer (newer updates) is not used and stays unconfirmed.
   */
  void confirmOffset() {
    long o = offset;
    if (o <= 0) {
      return;
    }
    try {
      api.getUpdates(o, 1, 0, allowedUpdates);
    } catch (BotException e) {
      log.warn("could not confirm update offset {} at shutdown; those updates come again: {}", o, e.getMessage());
    }
  }

  /** The pengrad listener the SDK registers: it forwards raw batches to a sink. */
  record SinkListener(UpdateSink sink) implements UpdatesListener {
    @Override
    public int process(List<Update> updates) {
      throw new UnsupportedOperationException("the polling loop hands raw updates to the sink directly");
    }
  }
}
