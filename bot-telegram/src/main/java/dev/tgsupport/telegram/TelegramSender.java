package dev.tgsupport.telegram;

import com.pengrad.telegrambot.model.Message;
import com.pengrad.telegrambot.model.request.ReplyParameters;
import com.pengrad.telegrambot.request.EditMessageText;
import com.pengrad.telegrambot.request.SendMessage;
import com.pengrad.telegrambot.response.SendResponse;
import dev.tgsupport.core.BotException;
import dev.tgsupport.core.InvalidInputException;
import dev.tgsupport.core.NotFoundException;
import dev.tgsupport.core.RateLimitedException;
import dev.tgsupport.core.RetriableException;
import dev.tgsupport.core.model.OutgoingMessage;
import dev.tgsupport.core.model.SentMessage;
import dev.tgsupport.core.port.RateLimiter;
import dev.tgsupport.core.port.RateLimiter.Limit;
import dev.tgsupport.core.port.ReplyGateway;
import dev.tgsupport.core.port.Transactions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reply gateway over the Bot API. Before each request it takes a permit for the bot as a whole (callers served
 * in arrival order), then for the group (groups have their own per-minute limit) and for the chat, from the
 * {@link RateLimiter} (in-process, or shared through Redis by several instances), waiting as long as the limiter
 * says. A 429 pauses that chat for Telegram's
 * {@code retry_after}; 429s for two different chats within a second mean a bot-wide flood and pause everything.
 * Nothing is sent to a paused chat before its pause is over.
 *
 * <p>Texts over 4096 characters go out as several messages (see {@link MessageSplitter}); the first one answers the
 * user's message and is the one returned. A chat that became a supergroup is followed to its new id, also in
 * storage; a user who blocked the bot is marked blocked.
 */
final class TelegramSender implements ReplyGateway {
  private static final Logger log = LoggerFactory.getLogger(TelegramSender.class);
  private static final Duration GLOBAL_FLOOD_WINDOW = Duration.ofSeconds(1);

  private final BotApi api;
  private final RateLimiter limiter;
  private final SendLimits limits;
  private final Transactions transactions;
  private final String keyPrefix;
  private final Duration maxWait;
  private final int maxAttempts;
  private final Duration backoffBase;

  private final Map<Long, Long> pausedUntilNanos = new ConcurrentHashMap<>();
  private final ReentrantLock globalTurn = new ReentrantLock(true);
  private final AtomicLong globalPausedUntilNanos = new AtomicLong(Long.MIN_VALUE);
  private final Map<Long, Long> migrated = new ConcurrentHashMap<>();
  private volatile long last429Chat;
  private volatile long last429Nanos = Long.MIN_VALUE;

  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong http429 = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLong waitedNanos = new AtomicLong();
  /** Sends waiting for a pause to end or for a permit: the sender's queue. */
  private final java.util.concurrent.atomic.AtomicInteger waiting = new java.util.concurrent.atomic.AtomicInteger();

  TelegramSender(BotApi api, RateLimiter limiter, SendLimits limits, Transactions transactions, String botId,
      Duration maxWait, int maxAttempts, Duration backoffBase) {
    this.api = api;
    this.limiter = limiter;
    this.limits = limits;
    this.transactions = transactions;
    this.keyPrefix = "tg:" + botId + ":";
    this.maxWait = maxWait;
    this.maxAttempts = maxAttempts;
    this.backoffBase = backoffBase;
  }

  SenderStats stats() {
    long now = System.nanoTime();
    int paused = (int) pausedUntilNanos.values().stream().filter(until -> until - now > 0).count();
    return new SenderStats(sent.get(), http429.get(), failed.get(), Duration.ofNanos(waitedNanos.get()), paused,
        waiting.get());
  }

  @Override
  public SentMessage send(OutgoingMessage message) {
    List<String> parts = MessageSplitter.split(message.text(), MessageSplitter.TELEGRAM_MAX);
    long deadline = System.nanoTime() + maxWait.toNanos();
    SentMessage first = null;
    for (String part : parts) {
      Long replyTo = first == null ? message.replyToMessageId() : null;
      SentMessage s = sendPart(message.chatId(), part, message.threadId(), replyTo, deadline);
      if (first == null) {
        first = s;
      }
    }
    return first;
  }

  @Override
  public void edit(long chatId, long telegramMessageId, String text) {
    InvalidInputException.requireNonBlank(text, "edit.text");
    String fitted = text.length() <= MessageSplitter.TELEGRAM_MAX
        ? text : text.substring(0, MessageSplitter.TELEGRAM_MAX - 1) + "…";
    long deadline = System.nanoTime() + maxWait.toNanos();
    long chat = currentChat(chatId);
    for (int attempt = 1; ; attempt++) {
      awaitPermits(chat, deadline);
      try {
        api.execute(new EditMessageText(chat, Math.toIntExact(telegramMessageId), fitted), chat);
        return;
      } catch (InvalidInputException e) {
        if (e.getMessage().toLowerCase(Locale.ROOT).contains("message is not modified")) {
          return; // the text is already what we want
        }
        throw e;
      } catch (BotException e) {
        chat = handleFailure(e, chat, attempt, deadline);
      }
    }
  }

  private SentMessage sendPart(long chatId, String text, Long threadId, Long replyTo, long deadline) {
    long chat = currentChat(chatId);
    Long thread = threadId;
    for (int attempt = 1; ; attempt++) {
      awaitPermits(chat, deadline);
      SendMessage request = new SendMessage(chat, text);
      if (thread != null) {
        request.messageThreadId(thread);
      }
      if (replyTo != null) {
        // The user may have deleted the question meanwhile; the answer is still worth sending.
        request.replyParameters(new ReplyParameters(Math.toIntExact(replyTo)).allowSendingWithoutReply(true));
      }
      try {
        SendResponse response = api.execute(request, chat);
        Message m = response.message();
        sent.incrementAndGet();
        Instant date = m.date() == null || m.date() <= 0 ? Instant.now() : Instant.ofEpochSecond(m.date());
        return new SentMessage(chat, m.messageId(), date);
      } catch (NotFoundException e) {
        if (thread != null && e.getMessage().toLowerCase(Locale.ROOT).contains("thread not found")) {
          // The topic was deleted or the chat is not a forum after all: answer in the main chat rather than never.
          log.warn("chat {}: topic {} not found, sending to the main chat instead", chat, thread);
          thread = null;
          continue;
        }
        failed.incrementAndGet();
        throw e;
      } catch (BotException e) {
        chat = handleFailure(e, chat, attempt, deadline);
      }
    }
  }

  /**
   * Decides what a failed request means: pause and retry, follow a migration, or give up.
   *
   * @return the chat id to retry with
   */
  private long handleFailure(BotException e, long chat, int attempt, long deadline) {
    if (e instanceof RateLimitedException r) {
      http429.incrementAndGet();
      pause(chat, r.retryAfter());
      if (attempt >= maxAttempts || System.nanoTime() + r.retryAfter().toNanos() - deadline > 0) {
        failed.incrementAndGet();
        throw r;
      }
      log.warn("Telegram asked to slow down for chat {}: paused {} s", chat, r.retryAfter().toSeconds());
      return chat;
    }
    if (e instanceof ChatMigratedException m && attempt < maxAttempts) {
      followMigration(m.fromChatId(), m.toChatId());
      return m.toChatId();
    }
    if (e instanceof ForbiddenException f) {
      failed.incrementAndGet();
      remember(f);
      throw f;
    }
    if (e instanceof RetriableException && attempt < maxAttempts) {
      Duration backoff = backoff(attempt);
      if (System.nanoTime() + backoff.toNanos() - deadline < 0) {
        log.warn("sending to chat {} failed (attempt {}), retrying in {} ms: {}",
            chat, attempt, backoff.toMillis(), e.getMessage());
        sleep(backoff.toNanos());
        return chat;
      }
    }
    failed.incrementAndGet();
    throw e;
  }

  private Duration backoff(int attempt) {
    long base = backoffBase.toMillis() << Math.min(attempt - 1, 10);
    return Duration.ofMillis(base / 2 + ThreadLocalRandom.current().nextLong(base / 2 + 1));
  }

  /** Waits for the chat's and the bot's pauses, then for a permit of each limit that applies to the chat. */
  private void awaitPermits(long chat, long deadline) {
    waiting.incrementAndGet();
    try {
      awaitPermitsCounted(chat, deadline);
    } finally {
      waiting.decrementAndGet();
    }
  }

  private void awaitPermitsCounted(long chat, long deadline) {
    while (true) {
      long now = System.nanoTime();
      long until = Math.max(globalPausedUntilNanos.get(), pausedUntilNanos.getOrDefault(chat, Long.MIN_VALUE));
      if (until == Long.MIN_VALUE || until - now <= 0) {
        break;
      }
      checkDeadline(chat, until, deadline);
      sleep(until - now);
    }
    // The bot-wide permit first, in arrival order: whoever waits longest sends next, so no chat starves while
    // others are served, and a run of messages to many chats goes out at the full global rate to the end.
    globalTurn.lock();
    try {
      acquire(keyPrefix + "global", limits.global(), chat, deadline);
    } finally {
      globalTurn.unlock();
    }
    // The chat's permits last, right before the request: a permit taken early and spent late would let sends to
    // one chat bunch up beyond what Telegram tolerates.
    if (chat < 0) {
      acquire(keyPrefix + "group:" + chat, limits.perGroup(), chat, deadline);
    }
    acquire(keyPrefix + "chat:" + chat, limits.perChat(), chat, deadline);
  }

  private void acquire(String key, Limit limit, long chat, long deadline) {
    while (true) {
      Duration wait = limiter.tryAcquire(key, limit);
      if (wait.isZero() || wait.isNegative()) {
        return;
      }
      long now = System.nanoTime();
      checkDeadline(chat, now + wait.toNanos(), deadline);
      sleep(wait.toNanos());
    }
  }

  private void checkDeadline(long chat, long readyAtNanos, long deadline) {
    if (readyAtNanos - deadline > 0) {
      failed.incrementAndGet();
      Duration wait = Duration.ofNanos(Math.max(0, readyAtNanos - System.nanoTime()));
      throw new RateLimitedException("sending to chat " + chat + " would wait " + wait.toMillis()
          + " ms, longer than the sender's maximum wait of " + maxWait.toMillis() + " ms", wait);
    }
  }

  private void sleep(long nanos) {
    long start = System.nanoTime();
    LockSupport.parkNanos(nanos);
    waitedNanos.addAndGet(System.nanoTime() - start);
    if (Thread.currentThread().isInterrupted()) {
      throw new RateLimitedException("interrupted while waiting to send", Duration.ofNanos(nanos));
    }
  }

  private void pause(long chat, Duration retryAfter) {
    long now = System.nanoTime();
    long until = now + retryAfter.toNanos();
    pausedUntilNanos.merge(chat, until, Math::max);
    // Telegram does not say whether a 429 is about the chat or the bot. Two different chats refused within a
    // second is the sign of a bot-wide flood: then everything waits.
    long previousChat = last429Chat;
    long previousAt = last429Nanos;
    last429Chat = chat;
    last429Nanos = now;
    if (previousChat != chat && previousAt != Long.MIN_VALUE && now - previousAt < GLOBAL_FLOOD_WINDOW.toNanos()) {
      globalPausedUntilNanos.accumulateAndGet(until, Math::max);
      log.warn("Telegram flood control for several chats: all sending paused for {} s", retryAfter.toSeconds());
    }
    if (pausedUntilNanos.size() > 10_000) {
      pausedUntilNanos.values().removeIf(u -> u - now <= 0);
    }
  }

  private long currentChat(long chatId) {
    Long to = migrated.get(chatId);
    return to == null ? chatId : to;
  }

  private void followMigration(long from, long to) {
    log.info("chat {} became supergroup {}; sending there", from, to);
    migrated.put(from, to);
    if (transactions != null) {
      try {
        transactions.run(s -> {
          if (s.chats().find(from).isPresent() && s.chats().currentId(from) != to) {
            s.chats().migrate(from, to);
          }
        });
      } catch (RuntimeException e) {
        log.warn("could not record the migration of chat {} to {}: {}", from, to, e.toString());
      }
    }
  }

  private void remember(ForbiddenException f) {
    if (transactions == null || f.chatId() == 0) {
      return;
    }
    try {
      if (f.blockedByUser() && f.chatId() > 0) {
        // In a private chat the chat id is the user's id.
        transactions.run(s -> {
          if (s.users().find(f.chatId()).isPresent()) {
            s.users().setBlocked(f.chatId(), true);
          }
        });
        log.info("user {} blocked the bot; marked blocked", f.chatId());
      } else if (f.chatId() < 0) {
        transactions.run(s -> {
          if (s.chats().find(f.chatId()).isPresent()) {
            s.chats().setArchived(f.chatId(), true);
          }
        });
        log.info("bot can no longer write to chat {}; chat archived", f.chatId());
      }
    } catch (RuntimeException e) {
      log.warn("could not record that chat {} refuses the bot: {}", f.chatId(), e.toString());
    }
  }
}
