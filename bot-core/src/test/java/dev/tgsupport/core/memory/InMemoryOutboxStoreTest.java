package dev.tgsupport.core.memory;

import dev.tgsupport.core.contract.OutboxStoreContract;
import dev.tgsupport.core.port.Transactions;

class InMemoryOutboxStoreTest extends OutboxStoreContract {
  private final InMemoryStorage storage = InMemoryStorage.create();

  @Override
  protected Transactions transactions() {
    return storage;
  }
}
