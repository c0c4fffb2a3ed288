package dev.tgsupport.storage.mybatis;

import dev.tgsupport.core.contract.TicketStoreContract;
import dev.tgsupport.core.port.Transactions;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The bot-core contract of the port, against real PostgreSQL. */
class PgTicketStoreIT extends TicketStoreContract {
  @RegisterExtension static final PgSchemaExtension db = new PgSchemaExtension("ticket");

  @Override
  protected Transactions transactions() {
    return db.storage();
  }
}
