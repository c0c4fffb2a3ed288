package dev.tgsupport.core.pipeline;

import dev.tgsupport.core.model.Direction;
import dev.tgsupport.core.model.IncomingMessage;
import dev.tgsupport.core.model.MessageType;
import dev.tgsupport.core.model.StoredMessage;
import dev.tgsupport.core.model.Ticket;
import dev.tgsupport.core.port.Stores;
import java.util.Optional;

/**
 * A reply to the bot's message about the user's open ticket goes onto that ticket. It runs after noise (a "thanks"
 * reply stays noise) and before intent and knowledge (a follow-up is for staff, not a new question). Commands pass
 * on: {@code /ticket N text} is the command's own business.
 */
final class FollowUpStage implements Stage {
  // A follow-up thread is question → bot → reply → bot → reply …; a few hops cover any real conversation and keep a
  // malicious chain from costing more than a handful of lookups.
  private static final int MAX_HOPS = 5;

  private final BotActions actions;

  FollowUpStage(BotActions actions) {
    this.actions = actions;
  }

  @Override
  public String name() {
    return Stages.FOLLOW_UP;
  }

  @Override
  public Outcome handle(MessageContext context, Chain chain) {
    IncomingMessage m = context.message();
    if (m.replyToMessageId() == null || m.isCommand()) {
      return chain.proceed(context);
    }
    Optional<Ticket> target = actions.transactions().inTransaction(s -> ticketRepliedTo(s, m));
    if (target.isEmpty()) {
      return chain.proceed(context);
    }
    BotActions.FollowUp f = actions.addFollowUp(context, target.get().id(), commentText(m));
    if (!f.onTicket()) {
      // The ticket is resolved or closed: the message is a new question.
      return chain.proceed(context);
    }
    return Outcome.reply(Outcome.Kind.FOLLOW_UP, context.withTicket(f.ticket()),
        actions.replies().followUpAdded(context.language(), f.ticket()));
  }

  /**
   * The ticket of the message's author that the message answers, whatever its status: it replies to a bot message
   * that answered the ticket's message, or answered an earlier reply of the same thread. Only the author's own
   * messages count along the way, so a reply to the bot's answer to someone else never lands on a ticket.
   */
  static Optional<Ticket> ticketRepliedTo(Stores s, IncomingMessage m) {
    long chatId = m.chat().id();
    long userId = m.user().id();
    Long replyTo = m.replyToMessageId();
    for (int hop = 0; replyTo != null && hop < MAX_HOPS; hop++) {
      Optional<StoredMessage> bot = s.messages().find(chatId, replyTo, Direction.OUT);
      if (bot.isEmpty() || bot.get().replyToMessageId() == null) {
        return Optional.empty();
      }
      Optional<StoredMessage> asked = s.messages().find(chatId, bot.get().replyToMessageId(), Direction.IN);
      if (asked.isEmpty() || asked.get().userId() == null || asked.get().userId() != userId) {
        return Optional.empty();
      }
      Optional<Ticket> ticket = s.tickets().findByMessage(asked.get().id());
      if (ticket.isPresent()) {
        // Whether it still takes follow-ups is addFollowUp's call, which also knows a redelivered one.
        return ticket.filter(t -> t.userId() == userId);
      }
      replyTo = asked.get().replyToMessageId();
    }
    return Optional.empty();
  }

  /** The text for staff; a media message is named by its type, since the comment carries no file. */
  static String commentText(IncomingMessage m) {
    String text = m.text().strip();
    if (m.type() == MessageType.TEXT && !text.isEmpty()) {
      return m.text();
    }
    String kind = "[" + m.type().wireName() + "]";
    return text.isEmpty() ? kind : kind + " " + m.text();
  }
}
