package dev.tgsupport.storage.mybatis;

import dev.tgsupport.core.contract.SpamSampleStoreContract;
import dev.tgsupport.core.port.Transactions;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The bot-core contract of the port, against real PostgreSQL. */
class PgSpamSampleStoreIT extends SpamSampleStoreContract {
  @RegisterExtension static final PgSchemaExtension db = new PgSchemaExtension("spamsamples");

  @Override
  protected Transactions transactions() {
    return db.storage();
  }
}
