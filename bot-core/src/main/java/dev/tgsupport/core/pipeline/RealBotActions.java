package dev.tgsupport.core.pipeline;

import dev.tgsupport.core.ConflictException;
import dev.tgsupport.core.model.OutboxEntry;
import dev.tgsupport.core.model.Ticket;
import dev.tgsupport.core.port.DialogStates;
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
      listener.ticketOpened(context, opened.ticket());
    }
    return opened.ticket();
  }

  private static String payload(Ticket t) {
    return "{\"ticket_id\":" + t.id() + ",\"message_id\":" + t.messageId() + ",\"chat_id\":" + t.chatId()
        + ",\"user_id\":" + t.userId() + "}";
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
