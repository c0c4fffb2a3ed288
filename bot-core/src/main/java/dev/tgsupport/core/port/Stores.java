package dev.tgsupport.core.port;

/** The storage ports of one transaction. Valid only inside {@link Transactions#inTransaction}. */
public interface Stores {
  UserStore users();

  ChatStore chats();

  MessageStore messages();

  TicketStore tickets();

  TicketEventStore ticketEvents();

  KnowledgeStore knowledge();

  OutboxStore outbox();

  UpdateStore updates();

  SyncLogStore syncLog();

  SpamSampleStore spamSamples();
}
