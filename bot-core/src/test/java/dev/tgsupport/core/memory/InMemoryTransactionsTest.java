package dev.tgsupport.core.memory;

import dev.tgsupport.core.contract.TransactionsContract;
import dev.tgsupport.core.port.Transactions;

class InMemoryTransactionsTest extends TransactionsContract {
  private final InMemoryStorage storage = InMemoryStorage.create();

  @Override
  protected Transactions transactions() {
    return storage;
  }
}
