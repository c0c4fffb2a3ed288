package dev.tgsupport.core.pipeline;

import dev.tgsupport.core.model.Ticket;
import dev.tgsupport.core.port.DialogStates;
import dev.tgsupport.core.port.Transactions;
import java.time.Clock;
import java.util.List;
import java.util.Objects;

/**
 * What commands, intent handlers and stages may do besides replying. One instance per pipeline, thread-safe.
 */
public interface BotActions {
  /**
   * Opens a ticket for the context's message, with its outbox row, in one transaction, and reports it to listeners.
   * Idempotent: a message that already has a ticket gets the same ticket back.
   *
   * @throws IllegalStateException when the message is not recorded yet
   */
  Ticket openTicket(MessageContext context, String title);

  /**
   * Adds {@code text} to ticket number {@code ticketNumber} as the follow-up of the context's message, in one
   * transaction: a {@link dev.tgsupport.core.model.TicketEventKind#COMMENT COMMENT} event whose author is the user
   * ({@code @username}, or first name and id) and an {@link dev.tgsupport.core.model.OutboxEntry#TICKET_COMMENT
   * ticket.comment} outbox row with the JSON payload {@code {"ticketId":…,"messageId":…,"text":…,"author":…}}
   * ({@code messageId} is the storage id of the message) that takes it to the tracker. Listeners hear
   * {@link PipelineListener#followUpAdded} once it is committed.
   *
   * <p>Only a ticket of the message's author, opened in the message's chat, that is open or in progress takes
   * follow-ups; any other number gets {@link FollowUp.Status#NOT_FOUND} (another user's ticket looks exactly like a
   * missing one) or {@link FollowUp.Status#NOT_ACTIVE}, and nothing is stored. Idempotent per message: a
   * redelivered message stores nothing again and gets {@link FollowUp.Status#REPEATED}, even when the ticket was
   * resolved in between.
   *
   * @param text what to add, not blank: the message text, or the text after the number of {@code /ticket N text}
   * @throws IllegalStateException when the message is not recorded yet
   * @throws IllegalArgumentException when {@code text} is blank
   */
  FollowUp addFollowUp(MessageContext context, long ticketNumber, String text);

  /**
   * What {@link #addFollowUp} did.
   *
   * @param status what happened
   * @param ticket the ticket; null for {@link Status#NOT_FOUND}
   */
  record FollowUp(Status status, Ticket ticket) {
    /** What happened to a follow-up. */
    public enum Status {
      /** Stored on the ticket and queued for the tracker. */
      ADDED,
      /** This message was added before (a redelivery): nothing stored again. */
      REPEATED,
      /** No such ticket of this user in this chat. */
      NOT_FOUND,
      /** The user's ticket is resolved or closed and takes no follow-ups. */
      NOT_ACTIVE
    }

    public FollowUp {
      Objects.requireNonNull(status, "status");
      if ((ticket == null) != (status == Status.NOT_FOUND)) {
        throw new IllegalArgumentException("ticket must be null exactly when status is NOT_FOUND, was " + ticket
            + " with " + status);
      }
    }

    /** Whether the message is on the ticket now: {@link Status#ADDED} or {@link Status#REPEATED}. */
    public boolean onTicket() {
      return status == Status.ADDED || status == Status.REPEATED;
    }
  }

  /** The user's open and in-progress tickets, oldest first. */
  List<Ticket> activeTickets(long userId);

  /** The storage, for plugin operations of their own. */
  Transactions transactions();

  /**
   * Per-user conversation state with expiry, for handlers that ask a question and read the answer from the user's
   * next message:
   *
   * <pre>{@code
   * Command.of("feedback", "send us feedback", (ctx, args, actions) -> {
   *   actions.dialogStates().put(ctx.message().chat().id(), ctx.message().user().id(), "feedback",
   *       Duration.ofMinutes(10));
   *   return Outcome.handled(ctx, "What would you like to tell us?");
   * });
   * }</pre>
   *
   * <p>The pipeline's {@link Pipeline.Builder#dialogStates}: in memory by default, shared through Redis when
   * configured so.
   */
  DialogStates dialogStates();

  /** The reply texts in use. */
  ReplyTemplates replies();

  /** Every command the pipeline knows, in {@code /help} order. */
  List<Command> commands();

  Clock clock();
}
