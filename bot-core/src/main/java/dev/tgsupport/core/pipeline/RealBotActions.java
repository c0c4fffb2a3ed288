package dev.tgsupport.core.pipeline;

import dev.tgsupport.core.ConflictException;
import dev.tgsupport.core.model.IncomingMessage;
import dev.tgsupport.core.model.OutboxEntry;
import dev.tgsupport.core.model.Ticket;
import dev.tgsupport.core.model.TicketEventKind;
import dev.tgsupport.core.port.DialogStates;
import dev.tgsupport.core.port.Stores;
import dev.tgsupport.core.port.Transactions;
import java.time.Clock;
import java.util.List;

final class RealBotActions implements BotActions {
  private final Transactions transactions;
  private final ReplyTemplates replies;
  private final Clock clock;
  private final PipelineListener listener;
  private final DialogStates dialogStates;
  private volatile List<Command> commands = List.of();

  RealBotActions(
      Transactions transactions,
      ReplyTemplates replies,
      Clock clock,
      PipelineListener listener,
      DialogStates dialogStates) {
    this.transactions = transactions;
    this.replies = replies;
    this.clock = clock;
    this.listener = listener;
    this.dialogStates = dialogStates;
  }

  void commands(List<Command> all) {
    this.commands = List.copyOf(all);
  }

  /** Prefix of the external id of a follow-up's comment event; the rest is the storage id of the message. */
  static final String FOLLOW_UP_EVENT_PREFIX = "tg-message-";

  private record Opened(Ticket ticket, boolean created) {}

  @Override
  public Ticket openTicket(MessageContext context, String title) {
    long messageId = context.messageId();
    Opened opened;
    try {
      opened =
          transactions.inTransaction(
              s -> {
                var existing = s.tickets().findByMessage(messageId);
                if (existing.isPresent()) {
                  return new Opened(existing.get(), false);
                }
                Ticket t = s.tickets().open(messageId, title);
                s.outbox().enqueue(OutboxEntry.TICKET_CREATE, payload(t), clock.instant());
                return new Opened(t, true);
              });
    } catch (ConflictException raced) {
      // Another thread opened it between our check and insert; its transaction (ticket + outbox) won whole.
      opened =
          new Opened(
              transactions.inTransaction(s -> s.tickets().findByMessage(messageId)).orElseThrow(() -> raced),
              false);
    }
    if (opened.created()) {
      LogContext.ticket(opened.ticket().id());
      listener.ticketOpened(context, opened.ticket());
    }
    return opened.ticket();
  }

  private static String payload(Ticket t) {
    return "{\"ticket_id\":" + t.id() + ",\"message_id\":" + t.messageId() + ",\"chat_id\":" + t.chatId()
        + ",\"user_id\":" + t.userId() + "}";
  }

  @Override
  public FollowUp addFollowUp(MessageContext context, long ticketNumber, String text) {
    long messageId = context.messageId();
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("text must not be blank, was " + (text == null ? "null" : "\"" + text + "\""));
    }
    IncomingMessage m = context.message();
    String author = Pipeline.userDisplay(m.user());
    FollowUp result = transactions.inTransaction(s -> {
      Ticket t = s.tickets().find(ticketNumber).orElse(null);
      if (t == null || t.userId() != m.user().id() || !sameChat(s, t.chatId(), m.chat().id())) {
        return new FollowUp(FollowUp.Status.NOT_FOUND, null);
      }
      // The event's external id is the dedup key of a redelivered message: the comment and its outbox row are
      // written together, so an existing event means both exist.
      String key = FOLLOW_UP_EVENT_PREFIX + messageId;
      if (!t.status().isActive()) {
        // Added before the ticket was resolved, and delivered again now: still on the ticket, not a refusal.
        boolean before = s.ticketEvents().list(t.id()).stream().anyMatch(e -> key.equals(e.externalId()));
        return new FollowUp(before ? FollowUp.Status.REPEATED : FollowUp.Status.NOT_ACTIVE, t);
      }
      boolean added = s.ticketEvents().append(t.id(), TicketEventKind.COMMENT, author, text, key).isPresent();
      if (!added) {
        return new FollowUp(FollowUp.Status.REPEATED, t);
      }
      s.outbox().enqueue(OutboxEntry.TICKET_COMMENT, commentPayload(t, messageId, text, author), clock.instant());
      return new FollowUp(FollowUp.Status.ADDED, t);
    });
    if (result.status() == FollowUp.Status.ADDED) {
      listener.followUpAdded(context, result.ticket());
    }
    return result;
  }

  /** A group that became a supergroup keeps its tickets under the old chat id. */
  private static boolean sameChat(Stores s, long ticketChatId, long chatId) {
    return ticketChatId == chatId || s.chats().currentId(ticketChatId) == chatId;
  }

  static String commentPayload(Ticket t, long messageId, String text, String author) {
    return "{\"ticketId\":" + t.id() + ",\"messageId\":" + messageId + ",\"text\":" + Json.string(text)
        + ",\"author\":" + Json.string(author) + "}";
  }

  @Override
  public List<Ticket> activeTickets(long userId) {
    return transactions.inTransaction(s -> s.tickets().listActiveByUser(userId));
  }

  @Override
  public Transactions transactions() {
    return transactions;
  }

  @Override
  public DialogStates dialogStates() {
    return dialogStates;
  }

  @Override
  public ReplyTemplates replies() {
    return replies;
  }

  @Override
  public List<Command> commands() {
    return commands;
  }

  @Override
  public Clock clock() {
    return clock;
  }
}
