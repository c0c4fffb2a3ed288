package dev.tgsupport.core.pipeline;

import dev.tgsupport.core.model.KnowledgeHit;
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

  // The follow-up texts came after the others: defaults here keep existing implementations compiling and
  // answering, in the built-in wording.

  /** Tells the user their message was added to their open {@code ticket} as a follow-up. */
  default String followUpAdded(String language, Ticket ticket) {
    return DefaultReplyTemplates.INSTANCE.followUpAdded(language, ticket);
  }

  /** Answer to {@code /ticket N} without text after the number. */
  default String followUpUsage(String language, long ticketNumber) {
    return DefaultReplyTemplates.INSTANCE.followUpUsage(language, ticketNumber);
  }

  /** Answer to {@code /ticket N text} when the user has no ticket N in this chat (unknown, or another user's). */
  default String followUpTicketNotFound(String language, long ticketNumber) {
    return DefaultReplyTemplates.INSTANCE.followUpTicketNotFound(language, ticketNumber);
  }

  /** Answer to {@code /ticket N text} when the user's ticket N is resolved or closed. */
  default String followUpTicketNotActive(String language, Ticket ticket) {
    return DefaultReplyTemplates.INSTANCE.followUpTicketNotActive(language, ticket);
  }

  /**
   * Asks the user to rephrase, naming the knowledge base's closest questions ("Did you mean: …?"); sent when the best
   * hit scored between {@link Pipeline.Builder#rephraseThreshold} and the answer threshold.
   *
   * @param closest one to three hits, best first
   */
  default String clarify(String language, List<KnowledgeHit> closest) {
    return DefaultReplyTemplates.INSTANCE.clarify(language, closest);
  }

  /** Answer to a command nobody handles. */
  String unknownCommand(String language, String name, List<Command> commands);

  static ReplyTemplates defaults() {
    return DefaultReplyTemplates.INSTANCE;
  }
}
