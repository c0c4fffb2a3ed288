package dev.tgsupport.kaiten;

import dev.tgsupport.core.NotFoundException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Kaiten board in memory for unit tests of {@link KaitenSync}: one queue, one in-progress and one done column,
 * staff operations that change cards the way Kaiten does (a move to done stamps {@code last_moved_to_done_at}; a
 * deleted card answers 404), a count of the cards read by id, and slow reads on demand. Its clock advances a second
 * per change, so every move to done has a stamp of its own. Thread-safe.
 */
final class InMemoryCardReader implements CardReader {
  static final long BOARD_ID = 10;
  static final long QUEUE = 100;
  static final long IN_PROGRESS = 101;
  static final long DONE = 102;
  static final long BOT_USER = 1;
  static final User STAFF = new User(2, "Anna Support", "anna", null);

  private final Map<Long, Card> cards = new LinkedHashMap<>();
  private final Map<Long, List<Comment>> comments = new LinkedHashMap<>();
  private Instant now = Instant.parse("2026-11-23T10:00:00Z");
  private long nextCommentId = 9000;
  private int reads;
  private volatile Duration readDelay = Duration.ZERO;

  /** A live card in the queue carrying the ticket key {@code tgsupport-<ticketId>}. */
  synchronized Card add(long cardId, long ticketId) {
    Card card = new Card(cardId, "#" + ticketId, null, BOARD_ID, QUEUE, null, null, 1, 1,
        KaitenTicketTracker.KEY_PREFIX + ticketId, Map.of(), 0, null, tick(), now, null, null, List.of());
    cards.put(cardId, card);
    comments.put(cardId, new ArrayList<>());
    return card;
  }

  synchronized Comment staffComment(long cardId, String text) {
    Comment c = new Comment(nextCommentId++, cardId, text, STAFF.id(), STAFF, false, false, false, false, tick(),
        null);
    comments.get(cardId).add(c);
    // As in the fake, a comment does not bump the card's updated stamp.
    Card old = existing(cardId);
    cards.put(cardId, copy(old, old.columnId(), old.condition(), old.lastMovedToDoneAt(), old.updated()));
    return c;
  }

  synchronized Card moveTo(long cardId, long columnId) {
    Card old = existing(cardId);
    Instant at = tick();
    Instant doneAt = columnId == DONE && old.columnId() != DONE ? at : old.lastMovedToDoneAt();
    return put(copy(old, columnId, old.condition(), doneAt, at));
  }

  synchronized Card archive(long cardId) {
    Card old = existing(cardId);
    return put(copy(old, old.columnId(), Card.CONDITION_ARCHIVED, old.lastMovedToDoneAt(), tick()));
  }

  synchronized Card restore(long cardId) {
    Card old = existing(cardId);
    return put(copy(old, old.columnId(), 1, old.lastMovedToDoneAt(), tick()));
  }

  synchronized void delete(long cardId) {
    existing(cardId);
    cards.remove(cardId);
  }

  /** The card as a listing would show it now. */
  synchronized Card snapshot(long cardId) {
    return existing(cardId);
  }

  /** How many cards were read by id. */
  synchronized int reads() {
    return reads;
  }

  /** Honours the filters the poller uses: live only and states; every other filter lets all cards through. */
  @Override
  public synchronized List<Card> listCards(CardQuery query) {
    return cards.values().stream()
        .filter(c -> !query.liveOnly() || c.condition() == 1)
        .filter(c -> query.states().isEmpty() || query.states().contains(c.state()))
        .toList();
  }

  /** Makes every read by id take this long, outside the lock, so that concurrent syncs overlap. */
  void slowReads(Duration delay) {
    this.readDelay = delay;
  }

  @Override
  public Card getCard(long cardId) {
    try {
      Thread.sleep(readDelay.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while reading card " + cardId, e);
    }
    synchronized (this) {
      reads++;
      return existing(cardId);
    }
  }

  @Override
  public synchronized List<Comment> listComments(long cardId) {
    existing(cardId);
    return List.copyOf(comments.get(cardId));
  }

  @Override
  public User currentUser() {
    return new User(BOT_USER, "Tgsupport Bot", "tgsupport-bot", null);
  }

  @Override
  public boolean isDone(Card card) {
    return card.columnId() == DONE || card.stateDone();
  }

  private Card existing(long cardId) {
    Card card = cards.get(cardId);
    if (card == null) {
      throw new NotFoundException("Kaiten has no card " + cardId + " (404)");
    }
    return card;
  }

  private Card put(Card card) {
    cards.put(card.id(), card);
    return card;
  }

  private Card copy(Card c, long columnId, int condition, Instant doneAt, Instant updated) {
    int state = columnId == DONE ? 3 : columnId == IN_PROGRESS ? 2 : 1;
    return new Card(c.id(), c.title(), c.description(), c.boardId(), columnId, c.laneId(), c.typeId(), state,
        condition, c.externalId(), c.properties(), comments.get(c.id()).size(), c.commentLastAddedAt(), c.created(),
        updated, doneAt, state == 3 ? updated : null, c.tags());
  }

  private Instant tick() {
    now = now.plus(Duration.ofSeconds(1));
    return now;
  }
}
