package dev.tgsupport.kaiten;

import java.time.Instant;

/**
 * A comment on a card.
 *
 * @param id the comment id
 * @param cardId the card
 * @param text Markdown (or HTML when {@code type} was 2); never null
 * @param authorId who wrote it
 * @param author the author's details when Kaiten included them (list answers do); nullable
 * @param internal a note visible to the team only
 * @param deleted removed in Kaiten but still listed
 * @param edited changed after it was posted
 * @param sdDescription the body of a Service Desk request rather than a reply
 * @param created nullable when absent
 * @param updated nullable when absent
 */
record Comment(
    long id,
    long cardId,
    String text,
    long authorId,
    User author,
    boolean internal,
    boolean deleted,
    boolean edited,
    boolean sdDescription,
    Instant created,
    Instant updated) {

  Comment {
    text = text == null ? "" : text;
  }

  /**
   * Whether the comment is a reply staff meant for the customer: not internal, not deleted, not a Service Desk
   * body, and not written by the integration itself ({@code ownUserId}, from {@code GET /users/current}).
   */
  boolean isStaffReply(long ownUserId) {
    return !internal && !deleted && !sdDescription && authorId != ownUserId;
  }
}
