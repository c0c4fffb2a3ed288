package dev.tgsupport.core.memory;

import dev.tgsupport.core.contract.UserStoreContract;
import dev.tgsupport.core.port.Transactions;

class InMemoryUserStoreTest extends UserStoreContract {
  private final InMemoryStorage storage = InMemoryStorage.create();

  @Override
  protected Transactions transactions() {
    return storage;
  }
}
