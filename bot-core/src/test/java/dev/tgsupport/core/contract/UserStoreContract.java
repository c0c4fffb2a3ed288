package dev.tgsupport.core.contract;

import static dev.tgsupport.core.contract.Fixtures.EMOJI;
import static dev.tgsupport.core.contract.Fixtures.RUSSIAN;
import static dev.tgsupport.core.contract.Fixtures.SQL_INJECTION;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tgsupport.core.NotFoundException;
import dev.tgsupport.core.model.TelegramUser;
import dev.tgsupport.core.port.Stores;
import dev.tgsupport.core.port.Transactions;
import org.junit.jupiter.api.Test;

/**
 * The behaviour of {@link dev.tgsupport.core.port.UserStore} every storage must have. Extend it and return a fresh,
 * empty storage from {@link #transactions()} for each test.
 */
public abstract class UserStoreContract {
  /** A fresh, empty storage for the current test. */
  protected abstract Transactions transactions();

  private TelegramUser upsert(TelegramUser user) {
    return transactions().inTransaction(s -> s.users().upsert(user));
  }

  private TelegramUser find(long id) {
    return transactions().inTransaction(s -> s.users().find(id)).orElseThrow();
  }

  @Test
  void upsertInsertsANewUserAndReturnsItAsStored() {
    TelegramUser alice = TelegramUser.of(42, "alice", "Alice", "Liddell", "en");

    assertThat(upsert(alice)).isEqualTo(alice);
    assertThat(find(42)).isEqualTo(alice);
  }

  @Test
  void anUnknownUserIsNotFound() {
    assertThat(transactions().inTransaction((Stores s) -> s.users().find(404))).isEmpty();
  }

  @Test
  void upsertingTheSameUserTwiceKeepsOneUnchangedRow() {
    TelegramUser alice = Fixtures.alice();
    upsert(alice);

    assertThat(upsert(alice)).isEqualTo(alice);
    assertThat(find(alice.id())).isEqualTo(alice);
  }

  @Test
  void upsertRefreshesNamesAndLanguage() {
    upsert(TelegramUser.of(42, "alice", "Alice", null, "en"));

    TelegramUser renamed = TelegramUser.of(42, "alice_new", "Алиса", "Смирнова", "ru");

    assertThat(upsert(renamed)).isEqualTo(renamed);
    assertThat(find(42)).isEqualTo(renamed);
  }

  @Test
  void upsertCanClearOptionalNames() {
    upsert(TelegramUser.of(42, "alice", "Alice", "Liddell", "en"));

    TelegramUser stored = upsert(TelegramUser.of(42, null, "Alice", null, null));

    assertThat(stored.username()).isNull();
    assertThat(stored.lastName()).isNull();
    assertThat(stored.languageCode()).isNull();
  }

  @Test
  void upsertKeepsTheInternalAndBlockedFlagsOfAnExistingUser() {
    upsert(Fixtures.alice());
    transactions().run(s -> {
      s.users().setInternal(Fixtures.ALICE_ID, true);
      s.users().setBlocked(Fixtures.ALICE_ID, true);
    });

    TelegramUser fromUpdate = TelegramUser.of(Fixtures.ALICE_ID, "alice", "Alice B.", null, "en");
    TelegramUser stored = upsert(fromUpdate);

    assertThat(stored.internal()).isTrue();
    assertThat(stored.blocked()).isTrue();
    assertThat(stored.firstName()).isEqualTo("Alice B.");
    assertThat(find(Fixtures.ALICE_ID)).isEqualTo(stored);
  }

  @Test
  void flagsCanBeSetAndClearedIndependently() {
    upsert(Fixtures.alice());

    transactions().run(s -> s.users().setInternal(Fixtures.ALICE_ID, true));
    assertThat(find(Fixtures.ALICE_ID)).extracting(TelegramUser::internal, TelegramUser::blocked)
        .containsExactly(true, false);

    transactions().run(s -> s.users().setBlocked(Fixtures.ALICE_ID, true));
    transactions().run(s -> s.users().setInternal(Fixtures.ALICE_ID, false));
    assertThat(find(Fixtures.ALICE_ID)).extracting(TelegramUser::internal, TelegramUser::blocked)
        .containsExactly(false, true);
  }

  @Test
  void settingInternalOnAnUnknownUserThrowsNotFoundNamingIt() {
    assertThatThrownBy(() -> transactions().run(s -> s.users().setInternal(404, true)))
        .isInstanceOf(NotFoundException.class)
        .hasMessageContaining("user")
        .hasMessageContaining("404");
  }

  @Test
  void settingBlockedOnAnUnknownUserThrowsNotFoundNamingIt() {
    assertThatThrownBy(() -> transactions().run(s -> s.users().setBlocked(404, true)))
        .isInstanceOf(NotFoundException.class)
        .hasMessageContaining("user")
        .hasMessageContaining("404");
  }

  @Test
  void theLargestTelegramUserIdIsStoredExactly() {
    TelegramUser max = Fixtures.user(TelegramUser.MAX_ID, "Max");

    upsert(max);

    assertThat(find(TelegramUser.MAX_ID)).isEqualTo(max);
    assertThat(transactions().inTransaction((Stores s) -> s.users().find(TelegramUser.MAX_ID - 1))).isEmpty();
  }

  @Test
  void unicodeAndSqlLookingNamesAreStoredVerbatim() {
    TelegramUser user = TelegramUser.of(7, "ivan_" + "petrov", RUSSIAN, SQL_INJECTION, EMOJI);

    upsert(user);

    assertThat(find(7)).isEqualTo(user);
  }

  @Test
  void usersAreIndependentOfEachOther() {
    upsert(Fixtures.alice());
    upsert(Fixtures.bob());
    transactions().run(s -> s.users().setBlocked(Fixtures.BOB_ID, true));

    assertThat(find(Fixtures.ALICE_ID).blocked()).isFalse();
    assertThat(find(Fixtures.BOB_ID).blocked()).isTrue();
  }
}
