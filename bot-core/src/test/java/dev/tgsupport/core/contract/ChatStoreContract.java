package dev.tgsupport.core.contract;

import static dev.tgsupport.core.contract.Fixtures.EMOJI;
import static dev.tgsupport.core.contract.Fixtures.RUSSIAN;
import static dev.tgsupport.core.contract.Fixtures.SQL_INJECTION;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tgsupport.core.NotFoundException;
import dev.tgsupport.core.model.Chat;
import dev.tgsupport.core.model.ChatType;
import dev.tgsupport.core.model.TelegramUser;
import dev.tgsupport.core.port.Stores;
import dev.tgsupport.core.port.Transactions;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The behaviour of {@link dev.tgsupport.core.port.ChatStore} every storage must have. Extend it and return a fresh,
 * empty storage from {@link #transactions()} for each test.
 */
public abstract class ChatStoreContract {
  /** A fresh, empty storage for the current test. */
  protected abstract Transactions transactions();

  private Chat upsert(Chat chat) {
    return transactions().inTransaction(s -> s.chats().upsert(chat));
  }

  private Chat find(long id) {
    return transactions().inTransaction(s -> s.chats().find(id)).orElseThrow();
  }

  @Test
  void upsertInsertsAPrivateChatAndReturnsItAsStored() {
    Chat chat = Chat.privateChat(42, "Alice");

    assertThat(upsert(chat)).isEqualTo(chat);
    assertThat(find(42)).isEqualTo(chat);
  }

  @Test
  void anUnknownChatIsNotFound() {
    assertThat(transactions().inTransaction((Stores s) -> s.chats().find(404))).isEmpty();
  }

  @Test
  void groupsWithNegativeIdsAreStoredApartFromThePositiveId() {
    Chat group = Chat.of(-1001234567890L, ChatType.SUPERGROUP, "Support");
    Chat legacyGroup = Chat.of(-4242, ChatType.GROUP, "Old group");
    Chat privateChat = Chat.privateChat(4242, "Bob");

    upsert(group);
    upsert(legacyGroup);
    upsert(privateChat);

    assertThat(find(-1001234567890L)).isEqualTo(group);
    assertThat(find(-4242)).isEqualTo(legacyGroup);
    assertThat(find(4242)).isEqualTo(privateChat);
    assertThat(transactions().inTransaction((Stores s) -> s.chats().find(1001234567890L))).isEmpty();
  }

  @Test
  void aChatIdOf53BitsIsStoredExactly() {
    Chat channel = Chat.of(-TelegramUser.MAX_ID, ChatType.CHANNEL, "News");

    upsert(channel);

    assertThat(find(-TelegramUser.MAX_ID)).isEqualTo(channel);
  }

  @Test
  void upsertingTheSameChatTwiceKeepsOneUnchangedRow() {
    Chat group = Fixtures.group();
    upsert(group);

    assertThat(upsert(group)).isEqualTo(group);
    assertThat(find(group.id())).isEqualTo(group);
  }

  @Test
  void upsertRefreshesTypeAndTitle() {
    upsert(Chat.of(-100, ChatType.GROUP, "Old title"));

    Chat updated = Chat.of(-100, ChatType.SUPERGROUP, "New title");

    assertThat(upsert(updated)).isEqualTo(updated);
    assertThat(find(-100)).isEqualTo(updated);
  }

  @Test
  void upsertKeepsTheArchivedFlagOfAnExistingChat() {
    upsert(Fixtures.group());
    transactions().run(s -> s.chats().setArchived(Fixtures.GROUP_ID, true));

    Chat stored = upsert(Chat.of(Fixtures.GROUP_ID, ChatType.SUPERGROUP, "Renamed"));

    assertThat(stored.archived()).isTrue();
    assertThat(stored.title()).isEqualTo("Renamed");
    assertThat(find(Fixtures.GROUP_ID)).isEqualTo(stored);
  }

  @Test
  void anArchivedChatCanBeRestored() {
    upsert(Fixtures.group());

    transactions().run(s -> s.chats().setArchived(Fixtures.GROUP_ID, true));
    assertThat(find(Fixtures.GROUP_ID).archived()).isTrue();

    transactions().run(s -> s.chats().setArchived(Fixtures.GROUP_ID, false));
    assertThat(find(Fixtures.GROUP_ID).archived()).isFalse();
  }

  @Test
  void archivingAnUnknownChatThrowsNotFoundNamingIt() {
    assertThatThrownBy(() -> transactions().run(s -> s.chats().setArchived(-777, true)))
        .isInstanceOf(NotFoundException.class)
        .hasMessageContaining("chat")
        .hasMessageContaining("-777");
  }

  @Test
  void unicodeAndSqlLookingTitlesAreStoredVerbatim() {
    Chat russian = Chat.of(-1, ChatType.SUPERGROUP, RUSSIAN + " " + EMOJI);
    Chat injection = Chat.of(-2, ChatType.GROUP, SQL_INJECTION);

    upsert(russian);
    upsert(injection);

    assertThat(find(-1).title()).isEqualTo(RUSSIAN + " " + EMOJI);
    assertThat(find(-2).title()).isEqualTo(SQL_INJECTION);
  }

  @Test
  void anEmptyTitleIsStoredAsEmpty() {
    upsert(Chat.of(-5, ChatType.GROUP, null));

    assertThat(find(-5).title()).isEmpty();
  }

  @Test
  void migratingAGroupCreatesTheSupergroupAndLinksTheOldId() {
    transactions().run(s -> s.chats().upsert(Chat.of(-5001, ChatType.GROUP, "Team")));
    transactions().run(s -> s.chats().migrate(-5001, -1005001));

    Optional<Chat> created = transactions().inTransaction((Stores s) -> s.chats().find(-1005001));
    long current = transactions().inTransaction((Stores s) -> s.chats().currentId(-5001));
    long unchanged = transactions().inTransaction((Stores s) -> s.chats().currentId(-1005001));
    long unknown = transactions().inTransaction((Stores s) -> s.chats().currentId(-42));

    assertThat(created).get().satisfies(c -> {
      assertThat(c.type()).isEqualTo(ChatType.SUPERGROUP);
      assertThat(c.title()).isEqualTo("Team");
    });
    assertThat(current).isEqualTo(-1005001);
    assertThat(unchanged).isEqualTo(-1005001);
    assertThat(unknown).isEqualTo(-42);
  }

  @Test
  void migratingKeepsAnExistingSupergroupAndRefusesBadIds() {
    transactions().run(s -> {
      s.chats().upsert(Chat.of(-5002, ChatType.GROUP, "Old"));
      s.chats().upsert(Chat.of(-1005002, ChatType.SUPERGROUP, "New title"));
      s.chats().migrate(-5002, -1005002);
    });

    Optional<Chat> target = transactions().inTransaction((Stores s) -> s.chats().find(-1005002));

    assertThat(target).get().extracting(Chat::title).isEqualTo("New title");
    assertThatThrownBy(() -> transactions().run(s -> s.chats().migrate(-9999, -1009999)))
        .isInstanceOf(dev.tgsupport.core.NotFoundException.class);
    assertThatThrownBy(() -> transactions().run(s -> s.chats().migrate(-5002, -5002)))
        .isInstanceOf(dev.tgsupport.core.InvalidInputException.class)
        .hasMessageStartingWith("toId must differ from fromId");
  }
}
