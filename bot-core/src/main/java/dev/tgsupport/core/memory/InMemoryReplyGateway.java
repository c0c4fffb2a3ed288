package dev.tgsupport.core.memory;

import static dev.tgsupport.core.InvalidInputException.requireNonBlank;
import static dev.tgsupport.core.InvalidInputException.requireNonNull;

import dev.tgsupport.core.NotFoundException;
import dev.tgsupport.core.model.OutgoingMessage;
import dev.tgsupport.core.model.SentMessage;
import dev.tgsupport.core.port.ReplyGateway;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A {@link ReplyGateway} that sends nothing: it records every message sent or edited, in call order, and gives each
 * chat's messages increasing Telegram ids starting at 1, as Telegram does. For demos and tests (a {@code Recording*}
 * double that can also fail on demand).
 *
 * <pre>{@code
 * InMemoryReplyGateway replies = InMemoryReplyGateway.create();
 * replies.failNext(new RateLimitedException("slow down", Duration.ofSeconds(3)));
 * ... // the next send or edit throws it, the one after succeeds
 * assertThat(replies.sent()).extracting(Delivery::text).containsExactly("Ticket #1 is open");
 * }</pre>
 *
 * <p>{@link #edit} of a message this gateway did not send throws {@link NotFoundException}, as Telegram refuses
 * it. Applies no rate limit. Thread-safe; one instance per test or per demo bot.
 */
public final class InMemoryReplyGateway implements ReplyGateway {
  /**
   * One message the gateway sent or edited.
   *
   * @param chatId the chat
   * @param telegramMessageId the id the gateway gave the message (for an edit: the id of the edited message)
   * @param text the text sent, or the new text of an edit
   * @param replyToMessageId nullable; always null for an edit
   * @param threadId nullable; always null for an edit
   * @param edited true for an edit, false for a new message
   * @param at when, by the gateway's clock
   */
  public record Delivery(
      long chatId, long telegramMessageId, String text, Long replyToMessageId, Long threadId, boolean edited,
      Instant at) {}

  private final Clock clock;
  private final List<Delivery> deliveries = new ArrayList<>();
  private final Map<Long, Long> lastIdByChat = new HashMap<>();
  private final Set<MessageKey> sentMessages = new HashSet<>();
  private final Deque<RuntimeException> failures = new ArrayDeque<>();

  private InMemoryReplyGateway(Clock clock) {
    this.clock = clock;
  }

  /** A gateway dating its messages by the system clock. */
  public static InMemoryReplyGateway create() {
    return new InMemoryReplyGateway(Clock.systemUTC());
  }

  /** A gateway dating its messages by {@code clock}. */
  public static InMemoryReplyGateway create(Clock clock) {
    return new InMemoryReplyGateway(Objects.requireNonNull(clock, "clock"));
  }

  /**
   * Records the message and returns the id it got in its chat.
   *
   * @throws RuntimeException the failure queued by {@link #failNext}, if any (nothing is recorded then)
   */
  @Override
  public synchronized SentMessage send(OutgoingMessage message) {
    requireNonNull(message, "message");
    throwQueuedFailure();
    long id = lastIdByChat.merge(message.chatId(), 1L, Long::sum);
    Instant now = clock.instant();
    sentMessages.add(key(message.chatId(), id));
    deliveries.add(new Delivery(message.chatId(), id, message.text(), message.replyToMessageId(), message.threadId(),
        false, now));
    return new SentMessage(message.chatId(), id, now);
  }

  /**
   * Records the edit.
   *
   * @throws NotFoundException when this gateway never sent that message in that chat
   * @throws RuntimeException the failure queued by {@link #failNext}, if any (nothing is recorded then)
   */
  @Override
  public synchronized void edit(long chatId, long telegramMessageId, String text) {
    requireNonBlank(text, "text");
    throwQueuedFailure();
    if (!sentMessages.contains(key(chatId, telegramMessageId))) {
      throw new NotFoundException(
          "message " + telegramMessageId + " in chat " + chatId + " not found: it was not sent by this gateway");
    }
    deliveries.add(new Delivery(chatId, telegramMessageId, text, null, null, true, clock.instant()));
  }

  /** Everything sent and edited so far, in call order; a copy. */
  public synchronized List<Delivery> sent() {
    return List.copyOf(deliveries);
  }

  /** Forgets what was recorded and any queued failure; message ids keep increasing. */
  public synchronized void clear() {
    deliveries.clear();
    failures.clear();
  }

  /**
   * Makes the next {@link #send} or {@link #edit} throw {@code failure} instead of recording. Calls queue up: each
   * queued failure is thrown once, in the order queued.
   */
  public synchronized void failNext(RuntimeException failure) {
    failures.add(Objects.requireNonNull(failure, "failure"));
  }

  private void throwQueuedFailure() {
    RuntimeException f = failures.poll();
    if (f != null) {
      throw f;
    }
  }

  private record MessageKey(long chatId, long telegramMessageId) {}

  private static MessageKey key(long chatId, long telegramMessageId) {
    return new MessageKey(chatId, telegramMessageId);
  }
}
