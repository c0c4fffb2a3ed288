package dev.tgsupport.core.port;

import dev.tgsupport.core.model.TelegramUser;
import java.util.Optional;

/** Telegram users. */
public interface UserStore {
  /**
   * Inserts the user or refreshes its names and language. The {@code internal} and {@code blocked} flags are never
   * taken from the argument: a new user starts with both false and an existing user keeps its own (only
   * {@link #setInternal} and {@link #setBlocked} change them).
   *
   * @return the user as stored after the call
   */
  TelegramUser upsert(TelegramUser user);

  Optional<TelegramUser> find(long id);

  /** Marks a user as support staff or not. @throws dev.tgsupport.core.NotFoundException for an unknown id */
  void setInternal(long id, boolean internal);

  /** Marks that the user blocked the bot (or unblocked it). @throws dev.tgsupport.core.NotFoundException */
  void setBlocked(long id, boolean blocked);
}
