package dev.tgsupport.core.pipeline;

import dev.tgsupport.core.port.ChatStore;
import dev.tgsupport.core.port.KnowledgeStore;
import dev.tgsupport.core.port.MessageStore;
import dev.tgsupport.core.port.OutboxStore;
import dev.tgsupport.core.port.Stores;
import dev.tgsupport.core.port.SpamSampleStore;
import dev.tgsupport.core.port.SyncLogStore;
import dev.tgsupport.core.port.TicketEventStore;
import dev.tgsupport.core.port.TicketStore;
import dev.tgsupport.core.port.UpdateStore;
import dev.tgsupport.core.port.UserStore;

/** Stores that pass every call to {@code inner}; a test overrides the one store it wants to break. */
class ForwardingStores implements Stores {
  protected final Stores inner;

  ForwardingStores(Stores inner) {
    this.inner = inner;
  }

  @Override
  public UserStore users() {
    return inner.users();
  }

  @Override
  public ChatStore chats() {
    return inner.chats();
  }

  @Override
  public MessageStore messages() {
    return inner.messages();
  }

  @Override
  public TicketStore tickets() {
    return inner.tickets();
  }

  @Override
  public TicketEventStore ticketEvents() {
    return inner.ticketEvents();
  }

  @Override
  public KnowledgeStore knowledge() {
    return inner.knowledge();
  }

  @Override
  public OutboxStore outbox() {
    return inner.outbox();
  }

  @Override
  public UpdateStore updates() {
    return inner.updates();
  }

  @Override
  public SyncLogStore syncLog() {
    return inner.syncLog();
  }

  @Override
  public SpamSampleStore spamSamples() {
    return inner.spamSamples();
  }
}
