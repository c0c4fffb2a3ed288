package dev.tgsupport.storage.mybatis;

import dev.tgsupport.core.contract.MessageStoreContract;
import dev.tgsupport.core.port.Transactions;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The bot-core contract of the port, against real PostgreSQL. */
class PgMessageStoreIT extends MessageStoreContract {
  @RegisterExtension static final PgSchemaExtension db = new PgSchemaExtension("message");

  @Override
  protected Transactions transactions() {
    return db.storage();
  }
}
