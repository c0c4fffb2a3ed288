package dev.tgsupport.core.pipeline;

import dev.tgsupport.core.model.Ticket;
import dev.tgsupport.core.port.DialogStates;
import dev.tgsupport.core.port.Transactions;
import java.time.Clock;
import java.util.List;

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
