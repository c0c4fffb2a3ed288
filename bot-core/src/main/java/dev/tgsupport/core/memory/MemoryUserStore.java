package dev.tgsupport.core.memory;

import static dev.tgsupport.core.InvalidInputException.requireNonNull;

import dev.tgsupport.core.model.TelegramUser;
import dev.tgsupport.core.port.UserStore;
import java.util.Optional;

final class MemoryUserStore implements UserStore {
  private final MemoryTransaction tx;

  MemoryUserStore(MemoryTransaction tx) {
    this.tx = tx;
  }

  @Override
  public TelegramUser upsert(TelegramUser user) {
    requireNonNull(user, "user");
    Tables t = tx.tables();
    TelegramUser existing = t.users.get(user.id());
    // The flags are staff decisions, never taken from an update: a new user starts with both false.
    boolean internal = existing != null && existing.internal();
    boolean blocked = existing != null && existing.blocked();
    TelegramUser stored = new TelegramUser(
        user.id(), user.username(), user.firstName(), user.lastName(), user.languageCode(), internal, blocked);
    if (!stored.equals(existing)) {
      tx.put(t.users, stored.id(), stored);
    }
    return stored;
  }

  @Override
  public Optional<TelegramUser> find(long id) {
    return Optional.ofNullable(tx.tables().users.get(id));
  }

  @Override
  public void setInternal(long id, boolean internal) {
    TelegramUser u = existing(id);
    tx.put(tx.tables().users, id,
        new TelegramUser(id, u.username(), u.firstName(), u.lastName(), u.languageCode(), internal, u.blocked()));
  }

  @Override
  public void setBlocked(long id, boolean blocked) {
    TelegramUser u = existing(id);
    tx.put(tx.tables().users, id,
        new TelegramUser(id, u.username(), u.firstName(), u.lastName(), u.languageCode(), u.internal(), blocked));
  }

  private TelegramUser existing(long id) {
    TelegramUser u = tx.tables().users.get(id);
    if (u == null) {
      throw MemoryTransaction.notFound("user", id);
    }
    return u;
  }
}
