package dev.tgsupport.kaiten;

import dev.tgsupport.core.model.TicketEvent;
import dev.tgsupport.core.model.TicketEventKind;
import dev.tgsupport.core.model.TicketStatus;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;

/**
 * What a card's place in Kaiten means for its ticket, and the dedupe keys of the status events the bridge writes.
 * Pure: it reads a ticket's status and events and a card, and decides; {@link KaitenSync} acts.
 *
 * <p>Every transition the bridge makes is a {@code status} event whose external id starts with one of the prefixes
 * below and carries the card id and the transition's number on the ticket (1 + the bridge's earlier transitions),
 * so a ticket can be resolved, reopened and resolved again, each time with a new key, while two syncs racing on the
 * same history compute the same key and the second append is dropped. A resolution's key also carries the card's
 * {@code last_moved_to_done_at} when Kaiten sent it: a card moved to done again after a reopening the bridge never
 * saw resolves the ticket anew.
 */
final class CardLifecycle {
  static final String DONE_PREFIX = "kaiten-done-";
  static final String CLOSED_PREFIX = "kaiten-closed-";
  static final String REOPENED_PREFIX = "kaiten-reopened-";

  private CardLifecycle() {}

  /** Where a card stands, as far as its ticket cares. */
  enum Phase {
    /** On the board, not in a done column. */
    LIVE,
    /** In a done column, archived or not. */
    DONE,
    /** Archived outside a done column, or deleted. */
    GONE
  }

  /** What the sync does with the ticket. */
  enum Action {
    /** Nothing: not the bridge's business (a ticket closed some other way) or already in step with the card. */
    NONE,
    /** Bring new staff comments back. */
    COMMENTS,
    /** New staff comments, then resolve: user told, knowledge draft. */
    RESOLVE,
    /** New staff comments, then close: user told, no draft (nothing was confirmed as the answer). */
    CLOSE,
    /** Back in progress: user told, then new staff comments. */
    REOPEN
  }

  /**
   * A card as read from Kaiten.
   *
   * @param cardId the card
   * @param card null when Kaiten answered 404 (deleted)
   * @param phase what it means for the ticket
   */
  record CardState(long cardId, Card card, Phase phase) {
    /** {@code done} as {@link KaitenClient#isDone} says. */
    static CardState of(Card card, boolean done) {
      // Archived while done counts as done: the bridge may have been down when the card moved there.
      Phase phase = done ? Phase.DONE : card.removed() ? Phase.GONE : Phase.LIVE;
      return new CardState(card.id(), card, phase);
    }

    static CardState deleted(long cardId) {
      return new CardState(cardId, null, Phase.GONE);
    }

    boolean deleted() {
      return card == null;
    }

    Instant doneAt() {
      return card == null ? null : card.lastMovedToDoneAt();
    }
  }

  /** What to do with a ticket in {@code status}, with these events, whose card is now {@code card}. */
  static Action decide(TicketStatus status, List<TicketEvent> events, CardState card) {
    if (status.isActive()) {
      return switch (card.phase()) {
        case LIVE -> Action.COMMENTS;
        case DONE -> Action.RESOLVE;
        case GONE -> Action.CLOSE;
      };
    }
    Optional<TicketEvent> ours = lastOwnMove(status, events);
    if (ours.isEmpty()) {
      return Action.NONE;
    }
    return switch (card.phase()) {
      case LIVE -> Action.REOPEN;
      case DONE -> sameDone(ours.get().externalId(), card) ? Action.NONE : Action.RESOLVE;
      // A resolved card deleted or archived later is housekeeping, not news for the user.
      case GONE -> Action.NONE;
    };
  }

  /** The external id of the status event that moves the ticket to {@code to} now. */
  static String key(TicketStatus to, CardState card, List<TicketEvent> events) {
    String prefix = switch (to) {
      case RESOLVED -> DONE_PREFIX;
      case CLOSED -> CLOSED_PREFIX;
      case OPEN, IN_PROGRESS -> REOPENED_PREFIX;
    };
    long n = 1 + events.stream().filter(CardLifecycle::isOwnMove).count();
    String key = prefix + card.cardId() + "-" + n;
    return to == TicketStatus.RESOLVED && card.doneAt() != null ? key + "-" + card.doneAt() : key;
  }

  /**
   * The ticket's latest status event when the bridge wrote it and the ticket still has the status it set: only
   * then may the card move the ticket again. A ticket closed by anything else stays closed.
   */
  private static Optional<TicketEvent> lastOwnMove(TicketStatus status, List<TicketEvent> events) {
    TicketEvent last = null;
    for (TicketEvent e : events) {
      if (e.kind() == TicketEventKind.STATUS) {
        last = e;
      }
    }
    if (last == null || last.externalId() == null) {
      return Optional.empty();
    }
    String key = last.externalId();
    boolean resolved = status == TicketStatus.RESOLVED && key.startsWith(DONE_PREFIX);
    boolean closed = status == TicketStatus.CLOSED && key.startsWith(CLOSED_PREFIX);
    return resolved || closed ? Optional.of(last) : Optional.empty();
  }

  /**
   * Whether a done card is still in the move to done that the ticket's resolution {@code key} recorded. Unknown
   * stamps (a key written before stamps were recorded, or a card without {@code last_moved_to_done_at}) count as
   * the same move, so an upgrade never resolves a ticket twice.
   */
  private static boolean sameDone(String key, CardState card) {
    if (!key.startsWith(DONE_PREFIX)) {
      return false;
    }
    Instant recorded = doneStamp(key);
    return recorded == null || card.doneAt() == null || recorded.equals(card.doneAt());
  }

  /** The stamp in {@code kaiten-done-<card>-<n>-<stamp>}; null in older keys ({@code kaiten-done-<card>}). */
  static Instant doneStamp(String key) {
    String[] parts = key.substring(DONE_PREFIX.length()).split("-", 3);
    if (parts.length < 3) {
      return null;
    }
    try {
      return Instant.parse(parts[2]);
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private static boolean isOwnMove(TicketEvent e) {
    String key = e.externalId();
    return e.kind() == TicketEventKind.STATUS && key != null
        && (key.startsWith(DONE_PREFIX) || key.startsWith(CLOSED_PREFIX) || key.startsWith(REOPENED_PREFIX));
  }
}
