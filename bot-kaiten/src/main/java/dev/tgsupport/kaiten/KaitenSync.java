package dev.tgsupport.kaiten;

import dev.tgsupport.core.NotFoundException;
import dev.tgsupport.core.knowledge.KnowledgeBase;
import dev.tgsupport.core.model.KnowledgeDraft;
import dev.tgsupport.core.model.KnowledgeEntry;
import dev.tgsupport.core.model.KnowledgeSource;
import dev.tgsupport.core.model.KnowledgeStatus;
import dev.tgsupport.core.model.OutgoingMessage;
import dev.tgsupport.core.model.StoredMessage;
import dev.tgsupport.core.model.Ticket;
import dev.tgsupport.core.model.TicketEvent;
import dev.tgsupport.core.model.TicketEventKind;
import dev.tgsupport.core.model.TicketStatus;
import dev.tgsupport.core.port.ReplyGateway;
import dev.tgsupport.core.port.Transactions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings what staff do in Kaiten back to the chat: new staff comments go to the user as replies to their question,
 * and a card in a done column resolves the ticket, tells the user and drafts a knowledge entry.
 *
 * <p>Delivery to the user is at least once: a reply is sent first and recorded (as a {@code ticket_events} row whose
 * external id dedupes it) after, so a crash in between repeats it rather than losing it. Syncs of one card are
 * serialized, so the webhook and the poller never send the same comment twice.
 */
final class KaitenSync {
  private static final Logger log = LoggerFactory.getLogger(KaitenSync.class);
  static final String COMMENT_EVENT_PREFIX = "kaiten-comment-";
  static final String DONE_EVENT_PREFIX = "kaiten-done-";
  /** How far back the poller looks past its previous run: clocks differ and Kaiten's updated stamps lag. */
  static final Duration POLL_MARGIN = Duration.ofMinutes(2);
  /** The first poll after start looks back this far for cards moved to done while the bridge was down. */
  static final Duration FIRST_POLL_LOOKBACK = Duration.ofDays(7);

  private final KaitenConfig config;
  private final KaitenClient client;
  private final Transactions transactions;
  private final ReplyGateway replies;
  private final KnowledgeBase knowledge;
  private final Clock clock;
  private final SyncRuns runs;
  private final Map<Long, Object> cardLocks = new ConcurrentHashMap<>();
  // Comment counts of cards fully synced, so the poller reads comments only of cards whose count moved.
  private final Map<Long, Integer> syncedComments = new ConcurrentHashMap<>();
  private volatile Long ownUserId;
  private volatile Instant lastPoll;

  KaitenSync(KaitenConfig config, KaitenClient client, Transactions transactions, ReplyGateway replies,
      KnowledgeBase knowledge, Clock clock, SyncRuns runs) {
    this.config = config;
    this.client = client;
    this.transactions = transactions;
    this.replies = replies;
    this.knowledge = knowledge;
    this.clock = clock;
    this.runs = runs;
  }

  /**
   * One reconciliation pass: the board's open cards (for comment counts) and the cards changed since the last pass
   * (for moves to done). Returns how many changes reached storage or the user.
   */
  int poll() {
    SyncRuns.Run run = runs.start("poll");
    Instant started = clock.instant();
    try {
      Instant since = lastPoll == null ? started.minus(FIRST_POLL_LOOKBACK) : lastPoll.minus(POLL_MARGIN);
      Map<Long, Card> cards = new LinkedHashMap<>();
      CardQuery board = CardQuery.board(config.boardId());
      for (Card c : client.listCards(board.withStates(List.of(1, 2)))) {
        cards.put(c.id(), c);
      }
      for (Card c : client.listCards(board.withUpdatedAfter(since))) {
        cards.put(c.id(), c);
      }
      for (Card card : cards.values()) {
        if (card.externalId() == null || !card.externalId().startsWith(KaitenTicketTracker.KEY_PREFIX)) {
          continue;
        }
        Integer seen = syncedComments.get(card.id());
        boolean done = client.isDone(card);
        if (!done && seen != null && seen == card.commentsTotal()) {
          continue;
        }
        try {
          run.record(sync(card, done));
        } catch (RuntimeException e) {
          log.warn("Kaiten sync of card {} failed: {}", card.id(), e.getMessage());
          run.error("card " + card.id() + ": " + e.getMessage());
        }
      }
      lastPoll = started;
    } catch (RuntimeException e) {
      log.warn("Kaiten poll failed: {}", e.getMessage());
      run.error(e.getMessage());
    } finally {
      run.finish();
    }
    return run.records();
  }

  /** Re-reads one card (a webhook said it changed) and syncs it; the trigger's body is never trusted. */
  int syncCardById(long cardId, String kind) {
    SyncRuns.Run run = runs.start(kind);
    try {
      Card card;
      try {
        card = client.getCard(cardId);
      } catch (NotFoundException e) {
        return 0;
      }
      run.record(sync(card, client.isDone(card)));
    } catch (RuntimeException e) {
      log.warn("Kaiten sync of card {} failed: {}", cardId, e.getMessage());
      run.error("card " + cardId + ": " + e.getMessage());
    } finally {
      run.finish();
    }
    return run.records();
  }

  /** The ticket, its question, the event keys it has, and the chat's id now (a group may have migrated). */
  private record Linked(Ticket ticket, StoredMessage message, Set<String> seenEvents, long chatId) {}

  /** Syncs one card read from Kaiten; returns the number of changes made. */
  int sync(Card card, boolean done) {
    Object lock = cardLocks.computeIfAbsent(card.id(), id -> new Object());
    synchronized (lock) {
      Optional<Linked> found = transactions.inTransaction(s -> s.tickets().findByExternalId(Long.toString(card.id()))
          .map(t -> new Linked(t, s.messages().findById(t.messageId()).orElse(null),
              s.ticketEvents().list(t.id()).stream().map(TicketEvent::externalId)
                  .filter(x -> x != null).collect(Collectors.toSet()), s.chats().currentId(t.chatId()))));
      if (found.isEmpty() || !found.get().ticket().status().isActive()) {
        // Not linked yet (the outbox has not finished) or already resolved: nothing to bring back.
        return 0;
      }
      Linked linked = found.get();
      Ticket ticket = linked.ticket();
      long own = ownUserId();
      List<Comment> staff = client.listComments(card.id()).stream()
          .filter(c -> c.isStaffReply(own))
          .sorted(Comparator.comparing((Comment c) -> c.created() == null ? Instant.EPOCH : c.created())
              .thenComparingLong(Comment::id))
          .toList();
      int changes = 0;
      for (Comment c : staff) {
        String key = COMMENT_EVENT_PREFIX + c.id();
        if (linked.seenEvents().contains(key) || c.text().isBlank()) {
          continue;
        }
        send(linked, "Support replied to your ticket #" + ticket.id() + ":\n\n" + c.text());
        String author = c.author() == null ? "kaiten:" + c.authorId() : c.author().displayName();
        transactions.run(s -> s.ticketEvents().append(ticket.id(), TicketEventKind.COMMENT, author, c.text(), key));
        changes++;
      }
      if (done) {
        String answer = staff.isEmpty() ? null : staff.get(staff.size() - 1).text();
        resolve(card, linked, answer);
        changes++;
      }
      syncedComments.put(card.id(), card.commentsTotal());
      return changes;
    }
  }

  private void resolve(Card card, Linked linked, String answer) {
    Ticket ticket = linked.ticket();
    StoredMessage message = linked.message();
    String text = "Your ticket #" + ticket.id() + " is resolved."
        + (answer == null || answer.isBlank() ? "" : " The last answer from support:\n\n" + answer);
    send(linked, text);
    String question = message == null || message.text().isBlank() ? ticket.title() : message.text();
    KnowledgeEntry draft = transactions.inTransaction(s -> {
      s.tickets().updateStatus(ticket.id(), TicketStatus.RESOLVED);
      s.ticketEvents().append(ticket.id(), TicketEventKind.STATUS, "kaiten", TicketStatus.RESOLVED.wireName(),
          DONE_EVENT_PREFIX + card.id());
      if (knowledge == null || answer == null || answer.isBlank() || question.isBlank()) {
        return null;
      }
      // A draft answers nobody until staff validate it.
      return s.knowledge().add(new KnowledgeDraft(question, answer, List.of("kaiten", "ticket-" + ticket.id()),
          KnowledgeSource.KAITEN, null), KnowledgeStatus.DRAFT);
    });
    if (draft != null) {
      knowledge.retriever().entryChanged(draft);
    }
    log.info("Ticket #{} resolved from Kaiten card {}", ticket.id(), card.id());
  }

  private void send(Linked linked, String text) {
    StoredMessage message = linked.message();
    // After a group became a supergroup its old message ids mean nothing in the new chat: send without a reply.
    boolean sameChat = linked.chatId() == linked.ticket().chatId();
    Long replyTo = message == null || !sameChat ? null : message.telegramMessageId();
    Long thread = message == null || !sameChat ? null : message.threadId();
    replies.send(new OutgoingMessage(linked.chatId(), cut(text), replyTo, thread));
  }

  /** Telegram refuses texts over 4,096 characters; a long staff answer is cut with a pointer to the card. */
  static String cut(String text) {
    int max = 4096;
    if (text.length() <= max) {
      return text;
    }
    String more = "\n\n[…] (the full answer is longer; support can send the rest)";
    int end = max - more.length();
    if (Character.isHighSurrogate(text.charAt(end - 1))) {
      end--;
    }
    return text.substring(0, end) + more;
  }

  private long ownUserId() {
    Long id = ownUserId;
    if (id == null) {
      id = client.currentUser().id();
      ownUserId = id;
    }
    return id;
  }
}
