package dev.tgsupport.core.pipeline;

import dev.tgsupport.core.model.Ticket;
import java.util.List;

final class BuiltinCommands {
  private BuiltinCommands() {}

  /** Always opens a ticket: the user's guaranteed way to reach a human, so applications cannot replace it. */
  static final Command TICKET =
      new BuiltIn("ticket", "открыть заявку в поддержку: /ticket ваш вопрос",
          "open a support ticket: /ticket your question") {
        @Override
        public Outcome execute(MessageContext context, String arguments, BotActions actions) {
          String lang = context.language();
          if (arguments.isBlank()) {
            return Outcome.handled(context, actions.replies().ticketUsage(lang));
          }
          String title = arguments.length() > 120 ? arguments.substring(0, 119) + "…" : arguments;
          Ticket ticket = actions.openTicket(context, TicketStage.oneLine(title));
          return Outcome.reply(
              Outcome.Kind.TICKET, context.withTicket(ticket), actions.replies().ticketOpened(lang, ticket));
        }
      };

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
