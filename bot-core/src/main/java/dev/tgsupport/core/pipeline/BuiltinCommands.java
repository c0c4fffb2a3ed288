package dev.tgsupport.core.pipeline;

import dev.tgsupport.core.model.Ticket;
import dev.tgsupport.core.text.Languages;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

final class BuiltinCommands {
  private BuiltinCommands() {}

  /**
   * Always reaches a human, so applications cannot replace it: {@code /ticket text} opens a ticket, and
   * {@code /ticket N text} (or {@code #N}) adds the text to the user's open ticket N in this chat instead.
   */
  static final Command TICKET =
      new BuiltIn("ticket", "открыть заявку: /ticket ваш вопрос; дополнить заявку N: /ticket N текст",
          "open a ticket: /ticket your question; add to ticket N: /ticket N text") {
        @Override
        public Outcome execute(MessageContext context, String arguments, BotActions actions) {
          String lang = context.language();
          if (arguments.isBlank()) {
            return Outcome.handled(context, actions.replies().ticketUsage(lang));
          }
          Matcher followUp = FOLLOW_UP.matcher(arguments);
          if (followUp.matches()) {
            return followUp(context, Long.parseLong(followUp.group(1)), followUp.group(2), actions);
          }
          String title = arguments.length() > 120 ? arguments.substring(0, 119) + "…" : arguments;
          Ticket ticket = actions.openTicket(context, TicketStage.oneLine(title));
          return Outcome.reply(
              Outcome.Kind.TICKET, context.withTicket(ticket), actions.replies().ticketOpened(lang, ticket));
        }
      };

  // A number first makes it a follow-up: "/ticket 12 more details". Up to 18 digits always fits a long; a longer
  // number is not a ticket of ours, and such a message opens a ticket like any other text.
  private static final Pattern FOLLOW_UP = Pattern.compile("#?(\\d{1,18})(?:\\s+(.*))?", Pattern.DOTALL);

  private static Outcome followUp(MessageContext context, long number, String text, BotActions actions) {
    // From the user's words only: the Latin command name would make every short Russian follow-up English.
    String lang = Languages.detect(text, context.message().user().languageCode());
    ReplyTemplates replies = actions.replies();
    if (text == null || text.isBlank()) {
      return Outcome.handled(context, replies.followUpUsage(lang, number));
    }
    BotActions.FollowUp f = actions.addFollowUp(context, number, text.strip());
    return switch (f.status()) {
      case ADDED, REPEATED -> Outcome.reply(
          Outcome.Kind.FOLLOW_UP, context.withTicket(f.ticket()), replies.followUpAdded(lang, f.ticket()));
      case NOT_FOUND -> Outcome.handled(context, replies.followUpTicketNotFound(lang, number));
      case NOT_ACTIVE -> Outcome.handled(context, replies.followUpTicketNotActive(lang, f.ticket()));
    };
  }

  static final Command START =
      new BuiltIn("start", "начать", "start") {
        @Override
        public Outcome execute(MessageContext context, String arguments, BotActions actions) {
          return Outcome.handled(context, actions.replies().welcome(context.language()));
        }
      };

  static final Command HELP =
      new BuiltIn("help", "список команд", "list the commands") {
        @Override
        public Outcome execute(MessageContext context, String arguments, BotActions actions) {
          return Outcome.handled(context, actions.replies().help(context.language(), actions.commands()));
        }
      };

  static final Command STATUS =
      new BuiltIn("status", "ваши открытые заявки", "your open tickets") {
        @Override
        public Outcome execute(MessageContext context, String arguments, BotActions actions) {
          List<Ticket> active = actions.activeTickets(context.message().user().id());
          return Outcome.handled(context, actions.replies().status(context.language(), active));
        }
      };

  private abstract static class BuiltIn implements Command {
    private final String name;
    private final String ru;
    private final String en;

    BuiltIn(String name, String ru, String en) {
      this.name = name;
      this.ru = ru;
      this.en = en;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public String description(String language) {
      return "ru".equals(language) ? ru : en;
    }

    @Override
    public String toString() {
      return "Command[/" + name + "]";
    }
  }
}
