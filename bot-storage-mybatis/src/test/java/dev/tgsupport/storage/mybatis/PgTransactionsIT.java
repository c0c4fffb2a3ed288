package dev.tgsupport.storage.mybatis;

import dev.tgsupport.core.contract.TransactionsContract;
import dev.tgsupport.core.port.Transactions;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The bot-core contract of the port, against real PostgreSQL. */
class PgTransactionsIT extends TransactionsContract {
  @RegisterExtension static final PgSchemaExtension db = new PgSchemaExtension("transactions");

  @Override
  protected Transactions transactions() {
    return db.storage();
  }
}
