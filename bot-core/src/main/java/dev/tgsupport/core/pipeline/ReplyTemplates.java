package dev.tgsupport.core.pipeline;

import dev.tgsupport.core.model.Ticket;
import java.util.List;

/**
 * The texts the built-in stages and commands send, per language ("ru" or "en"). Override to change the wording;
 * {@link #defaults()} has Russian and English. Implementations must be thread-safe.
 */
public interface ReplyTemplates {
  /** Sent instead of silence when a stage failed. */
  String apology(String language);

  /** Tells the user their question became a ticket, naming its number. */
  String ticketOpened(String language, Ticket ticket);

  /** Answer to {@code /start}. */
  String welcome(String language);

  /** Answer to {@code /help}. */
  String help(String language, List<Command> commands);

  /** Answer to {@code /status}. */
  String status(String language, List<Ticket> activeTickets);

  /** Answer to {@code /ticket} without text. */
  String ticketUsage(String language);

  /** Answer to a command nobody handles. */
  String unknownCommand(String language, String name, List<Command> commands);

  static ReplyTemplates defaults() {
    return DefaultReplyTemplates.INSTANCE;
  }
}
