package dev.tgsupport.core.port;

import dev.tgsupport.core.model.Chat;
import java.util.Optional;

/** Telegram chats. */
public interface ChatStore {
  /**
   * Inserts the chat or refreshes its type and title. The archived flag is never taken from the argument: a new chat
   * starts unarchived and an existing one keeps its flag (only {@link #setArchived} changes it).
   */
  Chat upsert(Chat chat);

  Optional<Chat> find(long id);

  /** Archives (the bot left or was removed) or restores a chat. @throws dev.tgsupport.core.NotFoundException */
  void setArchived(long id, boolean archived);

  /**
   * Records that a group became a supergroup with a new id: the new chat is created (as a supergroup with the old
   * title) when missing, and the old chat's history is kept and listed under the new id by
   * {@link MessageStore#listByChat}. Messages keep their original keys, so a late redelivery from the old group is
   * still recognised as a duplicate.
   *
   * @throws dev.tgsupport.core.NotFoundException when {@code fromId} is unknown
   * @throws dev.tgsupport.core.InvalidInputException when {@code toId} equals {@code fromId}
   */
  void migrate(long fromId, long toId);

  /** The id a chat has now, following migrations; the id itself when it never migrated (or is unknown). */
  long currentId(long id);
}
