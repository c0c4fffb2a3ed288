package dev.tgsupport.core.memory;

import dev.tgsupport.core.contract.TicketStoreContract;
import dev.tgsupport.core.port.Transactions;

class InMemoryTicketStoreTest extends TicketStoreContract {
  private final InMemoryStorage storage = InMemoryStorage.create();

  @Override
  protected Transactions transactions() {
    return storage;
  }
}
