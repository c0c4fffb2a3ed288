package dev.tgsupport.core.memory;

import dev.tgsupport.core.contract.UpdateStoreContract;
import dev.tgsupport.core.port.Transactions;

class InMemoryUpdateStoreTest extends UpdateStoreContract {
  private final InMemoryStorage storage = InMemoryStorage.create();

  @Override
  protected Transactions transactions() {
    return storage;
  }
}
