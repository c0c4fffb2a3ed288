package dev.tgsupport.storage.mybatis;

import dev.tgsupport.core.contract.KnowledgeStoreContract;
import dev.tgsupport.core.port.Transactions;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The bot-core contract of the port, against real PostgreSQL. */
class PgKnowledgeStoreIT extends KnowledgeStoreContract {
  @RegisterExtension static final PgSchemaExtension db = new PgSchemaExtension("knowledge");

  @Override
  protected Transactions transactions() {
    return db.storage();
  }
}
