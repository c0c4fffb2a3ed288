package dev.tgsupport.storage.mybatis;

import dev.tgsupport.core.contract.ChatStoreContract;
import dev.tgsupport.core.port.Transactions;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The bot-core contract of the port, against real PostgreSQL. */
class PgChatStoreIT extends ChatStoreContract {
  @RegisterExtension static final PgSchemaExtension db = new PgSchemaExtension("chat");

  @Override
  protected Transactions transactions() {
    return db.storage();
  }
}
