package dev.tgsupport.storage.mybatis;

import dev.tgsupport.core.contract.SyncLogStoreContract;
import dev.tgsupport.core.port.Transactions;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The bot-core contract of the port, against real PostgreSQL. */
class PgSyncLogStoreIT extends SyncLogStoreContract {
  @RegisterExtension static final PgSchemaExtension db = new PgSchemaExtension("synclog");

  @Override
  protected Transactions transactions() {
    return db.storage();
  }
}
