package dev.tgsupport.storage.mybatis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tgsupport.core.contract.TransactionsContract;
import dev.tgsupport.core.model.TelegramUser;
import dev.tgsupport.core.port.Stores;
import dev.tgsupport.core.port.Transactions;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The bot-core contract of the port, against real PostgreSQL, and what only PostgreSQL does. */
class PgTransactionsIT extends TransactionsContract {
  @RegisterExtension static final PgSchemaExtension db = new PgSchemaExtension("transactions");

  @Override
  protected Transactions transactions() {
    return db.storage();
  }

  @Test
  void anAsynchronousCommitTurnsOffTheFlushForItsOwnTransactionOnlyAndCommitsTheWork() {
    MyBatisStorage storage = db.storage();
    TestSqlMapper.registerOn(storage);
    AtomicReference<String> inside = new AtomicReference<>();
    TelegramUser user = TelegramUser.of(9_001, "async", "Async", null, "en");

    storage.runWithAsynchronousCommit(s -> {
      inside.set(storage.mapper(TestSqlMapper.class).synchronousCommit());
      s.users().upsert(user);
    });

    assertThat(inside.get()).isEqualTo("off");
    Optional<TelegramUser> stored = storage.inTransaction((Stores s) -> s.users().find(9_001));
    assertThat(stored).contains(user);
    // SET LOCAL: the pooled connections are back to the server's setting for everyone else.
    for (int i = 0; i < 12; i++) {
      String after = storage.inTransaction((Stores s) -> storage.mapper(TestSqlMapper.class).synchronousCommit());
      assertThat(after).isEqualTo("on");
    }
  }

  @Test
  void anAsynchronousCommitRollsBackWhenItsWorkThrowsAndJoinsAnOuterTransaction() {
    MyBatisStorage storage = db.storage();
    TestSqlMapper.registerOn(storage);
    assertThatThrownBy(() -> storage.runWithAsynchronousCommit(s -> {
      s.users().upsert(TelegramUser.of(9_002, "gone", "Gone", null, "en"));
      throw new IllegalStateException("boom");
    })).isInstanceOf(IllegalStateException.class).hasMessage("boom");
    Optional<TelegramUser> gone = storage.inTransaction((Stores s) -> s.users().find(9_002));
    assertThat(gone).isEmpty();

    String joined = storage.inTransaction((Stores s) -> {
      AtomicReference<String> setting = new AtomicReference<>();
      storage.runWithAsynchronousCommit(inner -> setting.set(storage.mapper(TestSqlMapper.class).synchronousCommit()));
      return setting.get();
    });
    assertThat(joined).as("joined, the outer transaction commits as it would").isEqualTo("on");
  }
}
