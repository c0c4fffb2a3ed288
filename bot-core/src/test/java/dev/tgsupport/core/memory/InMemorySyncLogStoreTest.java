package dev.tgsupport.core.memory;

import dev.tgsupport.core.contract.SyncLogStoreContract;
import dev.tgsupport.core.port.Transactions;

class InMemorySyncLogStoreTest extends SyncLogStoreContract {
  private final InMemoryStorage storage = InMemoryStorage.create();

  @Override
  protected Transactions transactions() {
    return storage;
  }
}
