package dev.tgsupport.storage.mybatis;

import dev.tgsupport.core.contract.UserStoreContract;
import dev.tgsupport.core.port.Transactions;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The bot-core contract of the port, against real PostgreSQL. */
class PgUserStoreIT extends UserStoreContract {
  @RegisterExtension static final PgSchemaExtension db = new PgSchemaExtension("user");

  @Override
  protected Transactions transactions() {
    return db.storage();
  }
}
