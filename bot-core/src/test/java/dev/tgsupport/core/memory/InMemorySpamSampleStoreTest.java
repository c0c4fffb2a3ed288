package dev.tgsupport.core.memory;

import dev.tgsupport.core.contract.SpamSampleStoreContract;
import dev.tgsupport.core.port.Transactions;
import org.junit.jupiter.api.BeforeEach;

class InMemorySpamSampleStoreTest extends SpamSampleStoreContract {
  private InMemoryStorage storage;

  @BeforeEach
  void fresh() {
    storage = InMemoryStorage.create();
  }

  @Override
  protected Transactions transactions() {
    return storage;
  }
}
