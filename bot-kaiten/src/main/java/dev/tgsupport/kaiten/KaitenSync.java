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
import dev.tgsupport.core.port.Stores;
import dev.tgsupport.core.port.Transactions;
import dev.tgsupport.kaiten.CardLifecycle.Action;
import dev.tgsupport.kaiten.CardLifecycle.CardState;
import dev.tgsupport.kaiten.CardLifecycle.Phase;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntSupplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings what staff do in Kaiten back to the chat: new staff comments go to the user as replies to their question; a
 * card in a done column resolves the ticket, tells the user and drafts a knowledge entry; a card archived or deleted
 * outside a done column closes the ticket and tells the user; a card the bridge resolved or closed that comes back
 * to a live column reopens the ticket, tells the user, and its new comments flow again (see {@link CardLifecycle}).
 *
 * <p>Delivery to the user is at least once: a reply is sent first and recorded (as a {@code ticket_events} row whose
 * external id dedupes it) after, so a crash in between repeats it rather than losing it. Syncs of one card are
 * serialized, so the webhook and the poller never send the same comment twice, and a status change is decided on
 * the card as read under that lock, so a poller's older listing cannot undo what a webhook just did.
 */
final class KaitenSync {
  private static final Logger log = LoggerFactory.getLogger(KaitenSync.class);
  static final String COMMENT_EVENT_PREFIX = "kaiten-comment-";
  /** How far back the poller looks past its previous run: clocks differ and Kaiten's updated stamps lag. */
  static final Duration POLL_MARGIN = Duration.ofMinutes(2);
  /** The first poll after start looks back this far for cards moved to done while the bridge was down. */
  static final Duration FIRST_POLL_LOOKBACK = Duration.ofDays(7);
  /**
   * Cards re-read by id per poll: those of active tickets the listings did not show (archived, deleted, moved to
   * another board). Rare, and each costs a request, so a poll takes a bounded turn of them.
   */
  static final int MAX_REREADS_PER_POLL = 20;
  private static final int TICKET_PAGE = 500;

  private final KaitenConfig config;
  private final CardReader client;
  private final Transactions transactions;
  private final ReplyGateway replies;
  private final KnowledgeBase knowledge;
  private final Clock clock;
  private final SyncRuns runs;
  private final Map<Long, Object> cardLocks = new ConcurrentHashMap<>();
  // What each card looked like when last synced, so the poller reads comments only of cards that changed.
  private final Map<Long, Synced> synced = new ConcurrentHashMap<>();
  private volatile Long ownUserId;
  private volatile Instant lastPoll;
  // The last ticket whose card a poll re-read: the next poll starts after it, so every ticket gets its turn.
  private volatile long rereadCursor;

  private record Synced(int comments, Phase phase) {}

  /** The ticket, its question, its events, and the chat's id now (a group may have migrated). */
  private record Linked(Ticket ticket, StoredMessage message, List<TicketEvent> events, long chatId) {
    Set<String> seenEvents() {
      return events.stream().map(TicketEvent::externalId).filter(Objects::nonNull).collect(Collectors.toSet());
    }
  }

  KaitenSync(KaitenConfig config, CardReader client, Transactions transactions, ReplyGateway replies,
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
   * One reconciliation pass: the board's live open cards (for comment counts), its live cards changed since the
   * last pass (for moves to done and back), then a bounded turn of the cards of active tickets neither listing
   * showed (archived or deleted ones). Returns how many changes reached storage or the user.
   */
  int poll() {
    SyncRuns.Run run = runs.start("poll");
    Instant started = clock.instant();
    try {
      Instant since = lastPoll == null ? started.minus(FIRST_POLL_LOOKBACK) : lastPoll.minus(POLL_MARGIN);
      Map<Long, Card> cards = listBoard(since);
      for (Card card : cards.values()) {
        if (!ours(card)) {
          continue;
        }
        CardState state = CardState.of(card, client.isDone(card));
        if (changed(state)) {
          guarded(run, card.id(), () -> syncListed(state));
        }
      }
      for (long cardId : unlisted(cards.keySet())) {
        guarded(run, cardId, () -> syncById(cardId));
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
      guarded(run, cardId, () -> syncById(cardId));
    } finally {
      run.finish();
    }
    return run.records();
  }

  /** Syncs a card a listing showed; a status change is confirmed on the card as it is now. */
  int syncListed(CardState listed) {
    synchronized (lock(listed.cardId())) {
      Optional<Linked> found = load(listed.cardId());
      if (found.isEmpty()) {
        return 0;
      }
      Action action = CardLifecycle.decide(found.get().ticket().status(), found.get().events(), listed);
      // The listing may be older than a change a webhook applied meanwhile: a status change is decided on a fresh
      // read, or a stale "in progress" would reopen a ticket just resolved.
      CardState state = action == Action.NONE || action == Action.COMMENTS ? listed : read(listed.cardId());
      return apply(found.get(), state);
    }
  }

  /** Reads the card under its lock and syncs it; a card Kaiten answers 404 for was deleted. */
  int syncById(long cardId) {
    synchronized (lock(cardId)) {
      // Storage first: a card not linked to a ticket (yet) costs no request.
      Optional<Linked> found = load(cardId);
      return found.isEmpty() ? 0 : apply(found.get(), read(cardId));
    }
  }

  private Object lock(long cardId) {
    return cardLocks.computeIfAbsent(cardId, id -> new Object());
  }

  private Map<Long, Card> listBoard(Instant since) {
    Map<Long, Card> cards = new LinkedHashMap<>();
    // Live cards only, explicitly: archived and deleted ones are found through their tickets (unlisted).
    CardQuery board = CardQuery.board(config.boardId()).onlyLive();
    for (Card c : client.listCards(board.withStates(List.of(1, 2)))) {
      cards.put(c.id(), c);
    }
    for (Card c : client.listCards(board.withUpdatedAfter(since))) {
      cards.put(c.id(), c);
    }
    return cards;
  }

  private static boolean ours(Card card) {
    return card.externalId() != null && card.externalId().startsWith(KaitenTicketTracker.KEY_PREFIX);
  }

  private boolean changed(CardState state) {
    Synced seen = synced.get(state.cardId());
    return seen == null || seen.comments() != state.card().commentsTotal() || seen.phase() != state.phase();
  }

  /**
   * The cards of active tickets that neither listing showed, in ticket order starting after the last one re-read,
   * at most {@link #MAX_REREADS_PER_POLL}, so a few cards failing every time cannot starve the others.
   */
  private List<Long> unlisted(Set<Long> listed) {
    List<Ticket> missing = new ArrayList<>();
    long after = 0;
    List<Ticket> page;
    do {
      long from = after;
      page = transactions.inTransaction(s -> s.tickets().listActiveLinked(from, TICKET_PAGE));
      for (Ticket t : page) {
        Long cardId = cardId(t);
        if (cardId != null && !listed.contains(cardId)) {
          missing.add(t);
        }
        after = t.id();
      }
    } while (page.size() == TICKET_PAGE);
    long cursor = rereadCursor;
    List<Ticket> turn = Stream.concat(missing.stream().filter(t -> t.id() > cursor),
        missing.stream().filter(t -> t.id() <= cursor)).limit(MAX_REREADS_PER_POLL).toList();
    if (!turn.isEmpty()) {
      rereadCursor = turn.get(turn.size() - 1).id();
    }
    return turn.stream().map(KaitenSync::cardId).toList();
  }

  /** The Kaiten card of a ticket; null when its external id is not a card id. */
  private static Long cardId(Ticket ticket) {
    try {
      return Long.parseLong(ticket.externalId());
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static void guarded(SyncRuns.Run run, long cardId, IntSupplier sync) {
    try {
      run.record(sync.getAsInt());
    } catch (RuntimeException e) {
      log.warn("Kaiten sync of card {} failed: {}", cardId, e.getMessage());
      run.error("card " + cardId + ": " + e.getMessage());
    }
  }

  private Optional<Linked> load(long cardId) {
    return transactions.inTransaction(s -> s.tickets().findByExternalId(Long.toString(cardId))
        .map(t -> new Linked(t, s.messages().findById(t.messageId()).orElse(null), s.ticketEvents().list(t.id()),
            s.chats().currentId(t.chatId()))));
  }

  private CardState read(long cardId) {
    Card card;
    try {
      card = client.getCard(cardId);
    } catch (NotFoundException e) {
      return CardState.deleted(cardId);
    }
    return CardState.of(card, client.isDone(card));
  }

  /** Makes the ticket follow the card; returns the number of changes made. */
  private int apply(Linked linked, CardState card) {
    Action action = CardLifecycle.decide(linked.ticket().status(), linked.events(), card);
    List<Comment> staff = action == Action.NONE || card.deleted() ? List.of() : staffComments(card.cardId());
    String answer = lastAnswer(linked, card, staff);
    // Left to right: comments go out before a resolution or closing, and after a reopening.
    int changes = switch (action) {
      case NONE -> 0;
      case COMMENTS -> deliver(linked, staff);
      case RESOLVE -> deliver(linked, staff) + move(linked, card, TicketStatus.RESOLVED, answer);
      case CLOSE -> deliver(linked, staff) + move(linked, card, TicketStatus.CLOSED, answer);
      case REOPEN -> move(linked, card, TicketStatus.IN_PROGRESS, null) + deliver(linked, staff);
    };
    if (card.card() != null) {
      synced.put(card.cardId(), new Synced(card.card().commentsTotal(), card.phase()));
    }
    return changes;
  }

  private List<Comment> staffComments(long cardId) {
    long own = ownUserId();
    return client.listComments(cardId).stream()
        .filter(c -> c.isStaffReply(own))
        .sorted(Comparator.comparing((Comment c) -> c.created() == null ? Instant.EPOCH : c.created())
            .thenComparingLong(Comment::id))
        .toList();
  }

  /** Sends the staff comments the ticket has not had yet, each recorded after it went out. */
  private int deliver(Linked linked, List<Comment> staff) {
    Ticket ticket = linked.ticket();
    Set<String> seen = linked.seenEvents();
    int changes = 0;
    for (Comment c : staff) {
      String key = COMMENT_EVENT_PREFIX + c.id();
      if (seen.contains(key) || c.text().isBlank()) {
        continue;
      }
      send(linked, "Support replied to your ticket #" + ticket.id() + ":\n\n" + c.text());
      String author = c.author() == null ? "kaiten:" + c.authorId() : c.author().displayName();
      transactions.run(s -> s.ticketEvents().append(ticket.id(), TicketEventKind.COMMENT, author, c.text(), key));
      changes++;
    }
    return changes;
  }

  /**
   * The answer to quote when resolving or closing: the card's last staff comment; of a deleted card, whose comments
   * cannot be read any more, the last one brought back.
   */
  private static String lastAnswer(Linked linked, CardState card, List<Comment> staff) {
    if (card.deleted()) {
      return linked.events().stream()
          .filter(e -> e.kind() == TicketEventKind.COMMENT && e.externalId() != null
              && e.externalId().startsWith(COMMENT_EVENT_PREFIX))
          .reduce((a, b) -> b).map(TicketEvent::body).orElse(null);
    }
    return staff.isEmpty() ? null : staff.get(staff.size() - 1).text();
  }

  /** Tells the user, then moves the ticket to {@code to} with its status event (and, resolving, the draft). */
  private int move(Linked linked, CardState card, TicketStatus to, String answer) {
    Ticket ticket = linked.ticket();
    send(linked, notice(ticket, to, answer));
    String key = CardLifecycle.key(to, card, linked.events());
    KnowledgeEntry draft = transactions.inTransaction(s -> {
      s.tickets().updateStatus(ticket.id(), to);
      s.ticketEvents().append(ticket.id(), TicketEventKind.STATUS, "kaiten", to.wireName(), key);
      return to == TicketStatus.RESOLVED ? draft(s, linked, answer) : null;
    });
    if (draft != null) {
      knowledge.retriever().entryChanged(draft);
    }
    log.info("Ticket #{} is {} now: Kaiten card {} is {}", ticket.id(), to.wireName(), card.cardId(), where(card));
    return 1;
  }

  private static String where(CardState card) {
    if (card.deleted()) {
      return "deleted";
    }
    return switch (card.phase()) {
      case LIVE -> "live again";
      case DONE -> "done";
      case GONE -> "archived";
    };
  }

  private static String notice(Ticket ticket, TicketStatus to, String answer) {
    String quote = answer == null || answer.isBlank() ? "" : " The last answer from support:\n\n" + answer;
    return switch (to) {
      case RESOLVED -> "Your ticket #" + ticket.id() + " is resolved." + quote;
      case CLOSED -> "Your ticket #" + ticket.id() + " was closed by support." + quote;
      case OPEN, IN_PROGRESS -> "Support reopened your ticket #" + ticket.id() + ".";
    };
  }

  /**
   * Drafts the question and answer of a resolved ticket; a draft answers nobody until staff validate it. A ticket
   * resolved again updates its draft's answer rather than adding a second draft, and adds nothing when an entry of
   * it already has this answer (validated or archived ones included).
   */
  private KnowledgeEntry draft(Stores s, Linked linked, String answer) {
    Ticket ticket = linked.ticket();
    StoredMessage message = linked.message();
    String question = message == null || message.text().isBlank() ? ticket.title() : message.text();
    if (knowledge == null || answer == null || answer.isBlank() || question.isBlank()) {
      return null;
    }
    String tag = "ticket-" + ticket.id();
    List<KnowledgeEntry> earlier = s.knowledge().findByTag(tag).stream()
        .filter(e -> e.source() == KnowledgeSource.KAITEN).toList();
    if (earlier.stream().anyMatch(e -> e.answer().equals(answer))) {
      return null;
    }
    Optional<KnowledgeEntry> pending = earlier.stream().filter(e -> e.status() == KnowledgeStatus.DRAFT)
        .reduce((a, b) -> b);
    if (pending.isPresent()) {
      KnowledgeEntry e = pending.get();
      // Staff may have edited the draft's question already: only the answer is new.
      return s.knowledge().update(e.id(), new KnowledgeDraft(e.question(), answer, e.tags(), e.source(),
          e.language()));
    }
    return s.knowledge().add(new KnowledgeDraft(question, answer, List.of("kaiten", tag), KnowledgeSource.KAITEN,
        null), KnowledgeStatus.DRAFT);
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
