package dev.tgsupport.core.pipeline;

import dev.tgsupport.core.model.Ticket;
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

  /** The reply texts in use. */
  ReplyTemplates replies();

  /** Every command the pipeline knows, in {@code /help} order. */
  List<Command> commands();

  Clock clock();
}
