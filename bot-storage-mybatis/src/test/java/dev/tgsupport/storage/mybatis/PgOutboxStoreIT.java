package dev.tgsupport.storage.mybatis;

import dev.tgsupport.core.contract.OutboxStoreContract;
import dev.tgsupport.core.port.Transactions;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The bot-core contract of the port, against real PostgreSQL. */
class PgOutboxStoreIT extends OutboxStoreContract {
  @RegisterExtension static final PgSchemaExtension db = new PgSchemaExtension("outbox");

  @Override
  protected Transactions transactions() {
    return db.storage();
  }
}
