package dev.tgsupport.storage.mybatis;

import dev.tgsupport.core.contract.TicketEventStoreContract;
import dev.tgsupport.core.port.Transactions;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The bot-core contract of the port, against real PostgreSQL. */
class PgTicketEventStoreIT extends TicketEventStoreContract {
  @RegisterExtension static final PgSchemaExtension db = new PgSchemaExtension("ticketevent");

  @Override
  protected Transactions transactions() {
    return db.storage();
  }
}
