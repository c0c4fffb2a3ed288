package dev.tgsupport.storage.mybatis;

import dev.tgsupport.core.pipeline.FollowUpContract;
import dev.tgsupport.core.port.Transactions;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Follow-ups on open tickets, through the whole pipeline, against real PostgreSQL. */
class PgFollowUpIT extends FollowUpContract {
  @RegisterExtension static final PgSchemaExtension db = new PgSchemaExtension("followup");

  @Override
  protected Transactions transactions() {
    return db.storage();
  }
}
