package dev.tgsupport.core.memory;

import dev.tgsupport.core.contract.TicketEventStoreContract;
import dev.tgsupport.core.port.Transactions;

class InMemoryTicketEventStoreTest extends TicketEventStoreContract {
  private final InMemoryStorage storage = InMemoryStorage.create();

  @Override
  protected Transactions transactions() {
    return storage;
  }
}
