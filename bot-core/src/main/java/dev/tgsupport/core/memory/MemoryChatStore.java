package dev.tgsupport.core.memory;

import static dev.tgsupport.core.InvalidInputException.requireNonNull;

import dev.tgsupport.core.model.Chat;
import dev.tgsupport.core.port.ChatStore;
import java.util.Optional;

final class MemoryChatStore implements ChatStore {
  private final MemoryTransaction tx;

  MemoryChatStore(MemoryTransaction tx) {
    this.tx = tx;
  }

  @Override
  public Chat upsert(Chat chat) {
    requireNonNull(chat, "chat");
    Tables t = tx.tables();
    Chat existing = t.chats.get(chat.id());
    // Archiving follows the bot's membership, never an update: a new chat starts unarchived.
    Chat stored = new Chat(chat.id(), chat.type(), chat.title(), existing != null && existing.archived());
    if (!stored.equals(existing)) {
      tx.put(t.chats, stored.id(), stored);
    }
    return stored;
  }

  @Override
  public Optional<Chat> find(long id) {
    return Optional.ofNullable(tx.tables().chats.get(id));
  }

  @Override
  public void setArchived(long id, boolean archived) {
    Tables t = tx.tables();
    Chat c = t.chats.get(id);
    if (c == null) {
      throw MemoryTransaction.notFound("chat", id);
    }
    tx.put(t.chats, id, new Chat(id, c.type(), c.title(), archived));
  }

  @Override
  public void migrate(long fromId, long toId) {
    dev.tgsupport.core.InvalidInputException.check(fromId != toId, "toId", "must differ from fromId " + fromId, toId);
    Tables t = tx.tables();
    Chat from = t.chats.get(fromId);
    if (from == null) {
      throw MemoryTransaction.notFound("chat", fromId);
    }
    if (!t.chats.containsKey(toId)) {
      tx.put(t.chats, toId, Chat.of(toId, dev.tgsupport.core.model.ChatType.SUPERGROUP, from.title()));
    }
    tx.put(t.chatMigratedTo, fromId, toId);
  }

  @Override
  public long currentId(long id) {
    Tables t = tx.tables();
    long current = id;
    // Bounded like the SQL version, so a bad cycle cannot loop forever.
    for (int depth = 0; depth < 10; depth++) {
      Long next = t.chatMigratedTo.get(current);
      if (next == null) {
        break;
      }
      current = next;
    }
    return current;
  }
}
