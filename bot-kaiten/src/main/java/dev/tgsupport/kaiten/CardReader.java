package dev.tgsupport.kaiten;

import java.util.List;

/**
 * What {@link KaitenSync} reads from Kaiten: {@link KaitenClient} in production, an in-memory board in unit tests,
 * so that every card transition is tested without a server.
 */
interface CardReader {
  /** Every card matching the query. */
  List<Card> listCards(CardQuery query);

  /** @throws dev.tgsupport.core.NotFoundException when Kaiten no longer has the card (deleted) */
  Card getCard(long cardId);

  List<Comment> listComments(long cardId);

  /** The integration's own user, whose comments are never relayed. */
  User currentUser();

  /** Whether the card is in a done column (or Kaiten's own state says done). */
  boolean isDone(Card card);
}
