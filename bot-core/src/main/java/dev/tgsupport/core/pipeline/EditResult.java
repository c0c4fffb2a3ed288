package dev.tgsupport.core.pipeline;

import dev.tgsupport.core.model.StoredMessage;
import dev.tgsupport.core.model.Ticket;
import java.util.Objects;

/**
 * What {@link Pipeline#processEdit} did with an edited message.
 *
 * @param message the stored message as it is now: the new version, or, for a message that was deleted, the deleted
 *     row unchanged
 * @param ticket the open or in-progress ticket of the message, which got an {@link
 *     dev.tgsupport.core.model.TicketEventKind#EDIT EDIT} event with the new text; null when the message has no such
 *     ticket (none, or one already resolved or closed)
 * @param known false when the message had not been stored before the edit: it was stored now, as handled, so it is
 *     never answered (an edit never opens a ticket)
 */
public record EditResult(StoredMessage message, Ticket ticket, boolean known) {
  public EditResult {
    Objects.requireNonNull(message, "message");
  }
}
