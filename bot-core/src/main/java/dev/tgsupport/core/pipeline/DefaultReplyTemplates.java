package dev.tgsupport.core.pipeline;

import dev.tgsupport.core.model.KnowledgeHit;
import dev.tgsupport.core.model.Ticket;
import dev.tgsupport.core.model.TicketStatus;
import java.util.List;

final class DefaultReplyTemplates implements ReplyTemplates {
  static final DefaultReplyTemplates INSTANCE = new DefaultReplyTemplates();

  private static boolean ru(String language) {
    return "ru".equals(language);
  }

  @Override
  public String apology(String language) {
    return ru(language)
        ? "Извините, что-то пошло не так. Ваше сообщение сохранено, мы с ним разберёмся."
        : "Sorry, something went wrong. Your message is saved and we will look into it.";
  }

  @Override
  public String ticketOpened(String language, Ticket ticket) {
    return ru(language)
        ? "Я передал ваш вопрос в поддержку: заявка #" + ticket.id() + ". Ответ придёт сюда."
        : "I have passed your question to our support team: ticket #" + ticket.id() + ". The answer will come here.";
  }

  @Override
  public String welcome(String language) {
    return ru(language)
        ? "Здравствуйте! Задайте вопрос — я отвечу или передам его в поддержку. /help — список команд."
        : "Hello! Ask your question and I will answer it or pass it to our support team. /help lists the commands.";
  }

  @Override
  public String help(String language, List<Command> commands) {
    StringBuilder b = new StringBuilder(ru(language) ? "Команды:" : "Commands:");
    for (Command c : commands) {
      b.append("\n/").append(c.name()).append(" — ").append(c.description(language));
    }
    return b.toString();
  }

  @Override
  public String status(String language, List<Ticket> activeTickets) {
    if (activeTickets.isEmpty()) {
      return ru(language) ? "У вас нет открытых заявок." : "You have no open tickets.";
    }
    StringBuilder b = new StringBuilder(ru(language) ? "Ваши открытые заявки:" : "Your open tickets:");
    for (Ticket t : activeTickets) {
      b.append("\n#").append(t.id()).append(" — ").append(statusName(language, t.status()));
      if (!t.title().isBlank()) {
        b.append(" — ").append(t.title());
      }
    }
    return b.toString();
  }

  private static String statusName(String language, TicketStatus status) {
    if (ru(language)) {
      return switch (status) {
        case OPEN -> "открыта";
        case IN_PROGRESS -> "в работе";
        case RESOLVED -> "решена";
        case CLOSED -> "закрыта";
      };
    }
    return switch (status) {
      case OPEN -> "open";
      case IN_PROGRESS -> "in progress";
      case RESOLVED -> "resolved";
      case CLOSED -> "closed";
    };
  }

  @Override
  public String ticketUsage(String language) {
    return ru(language)
        ? "Напишите вопрос после команды: /ticket не приходит письмо с кодом"
        : "Write your question after the command: /ticket the confirmation email never arrives";
  }

  @Override
  public String followUpAdded(String language, Ticket ticket) {
    return ru(language) ? "Добавил к заявке #" + ticket.id() + "." : "Added to ticket #" + ticket.id() + ".";
  }

  @Override
  public String followUpUsage(String language, long ticketNumber) {
    return ru(language)
        ? "Напишите текст после номера заявки: /ticket " + ticketNumber + " ваше сообщение"
        : "Write your message after the ticket number: /ticket " + ticketNumber + " your message";
  }

  @Override
  public String followUpTicketNotFound(String language, long ticketNumber) {
    return ru(language)
        ? "У вас нет заявки #" + ticketNumber + " в этом чате. Новую заявку можно открыть так: /ticket ваш вопрос"
        : "You have no ticket #" + ticketNumber + " in this chat. To open a new one: /ticket your question";
  }

  @Override
  public String followUpTicketNotActive(String language, Ticket ticket) {
    return ru(language)
        ? "Заявка #" + ticket.id() + " уже " + statusName(language, ticket.status())
            + ", дополнить её нельзя. Новую заявку можно открыть так: /ticket ваш вопрос"
        : "Ticket #" + ticket.id() + " is already " + statusName(language, ticket.status())
            + " and takes no more messages. To open a new one: /ticket your question";
  }

  @Override
  public String clarify(String language, List<KnowledgeHit> closest) {
    StringBuilder b = new StringBuilder(ru(language)
        ? "Не уверен, что правильно понял вопрос. Возможно, вы имели в виду:"
        : "I am not sure I understood. Did you mean:");
    for (KnowledgeHit h : closest) {
      b.append("\n• ").append(h.entry().question().strip());
    }
    b.append(ru(language)
        ? "\nЕсли да, спросите так; если нет, опишите вопрос подробнее, и я передам его в поддержку."
        : "\nIf so, ask it that way; if not, describe your question in more detail and I will pass it to our"
            + " support team.");
    return b.toString();
  }

  @Override
  public String unknownCommand(String language, String name, List<Command> commands) {
    StringBuilder b = new StringBuilder(ru(language) ? "Неизвестная команда /" : "Unknown command /");
    b.append(name).append(ru(language) ? ". Доступны: " : ". Available: ");
    for (int i = 0; i < commands.size(); i++) {
      b.append(i == 0 ? "/" : ", /").append(commands.get(i).name());
    }
    return b.toString();
  }
}
