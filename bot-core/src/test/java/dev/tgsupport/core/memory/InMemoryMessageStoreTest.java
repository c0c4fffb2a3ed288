package dev.tgsupport.core.memory;

import dev.tgsupport.core.contract.MessageStoreContract;
import dev.tgsupport.core.port.Transactions;

class InMemoryMessageStoreTest extends MessageStoreContract {
  private final InMemoryStorage storage = InMemoryStorage.create();

  @Override
  protected Transactions transactions() {
    return storage;
  }
}
