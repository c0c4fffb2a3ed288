package dev.tgsupport.storage.mybatis;

import dev.tgsupport.core.contract.UpdateStoreContract;
import dev.tgsupport.core.port.Transactions;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The bot-core contract of the port, against real PostgreSQL. */
class PgUpdateStoreIT extends UpdateStoreContract {
  @RegisterExtension static final PgSchemaExtension db = new PgSchemaExtension("update");

  @Override
  protected Transactions transactions() {
    return db.storage();
  }
}
