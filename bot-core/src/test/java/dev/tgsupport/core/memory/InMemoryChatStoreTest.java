package dev.tgsupport.core.memory;

import dev.tgsupport.core.contract.ChatStoreContract;
import dev.tgsupport.core.port.Transactions;

class InMemoryChatStoreTest extends ChatStoreContract {
  private final InMemoryStorage storage = InMemoryStorage.create();

  @Override
  protected Transactions transactions() {
    return storage;
  }
}
