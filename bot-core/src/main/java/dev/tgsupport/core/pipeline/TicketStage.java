package dev.tgsupport.core.pipeline;

import dev.tgsupport.core.model.Ticket;

final class TicketStage implements Stage {
  private static final int MAX_TITLE = 120;
  private final BotActions actions;

  TicketStage(BotActions actions) {
    this.actions = actions;
  }

  @Override
  public String name() {
    return Stages.TICKET;
  }

  @Override
  public Outcome handle(MessageContext context, Chain chain) {
    Ticket ticket = actions.openTicket(context, title(context));
    MessageContext next = context.withTicket(ticket);
    return Outcome.reply(
        Outcome.Kind.TICKET, next, actions.replies().ticketOpened(context.language(), ticket));
  }

  /** Whitespace runs become one space and control characters (NUL included) go: a title is one clean line. */
  static String oneLine(String text) {
    return text.replaceAll("\\s+", " ").replaceAll("\\p{Cntrl}", "").strip();
  }

  static String title(MessageContext context) {
    String text = context.message().text().strip();
    if (text.isEmpty()) {
      return "[" + context.message().type().wireName() + "]";
    }
    int newline = text.indexOf('\n');
    String line = oneLine(newline < 0 ? text : text.substring(0, newline));
    if (line.length() <= MAX_TITLE) {
      return line;
    }
    int cut = MAX_TITLE - 1;
    if (Character.isHighSurrogate(line.charAt(cut - 1))) {
      cut--;
    }
    return line.substring(0, cut) + "…";
  }
}
