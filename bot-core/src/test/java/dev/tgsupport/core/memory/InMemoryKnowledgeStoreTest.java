package dev.tgsupport.core.memory;

import dev.tgsupport.core.contract.KnowledgeStoreContract;
import dev.tgsupport.core.port.Transactions;

class InMemoryKnowledgeStoreTest extends KnowledgeStoreContract {
  private final InMemoryStorage storage = InMemoryStorage.create();

  @Override
  protected Transactions transactions() {
    return storage;
  }
}
