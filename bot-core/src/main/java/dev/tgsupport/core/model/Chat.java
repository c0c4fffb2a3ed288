package dev.tgsupport.core.model;

import static dev.tgsupport.core.InvalidInputException.check;
import static dev.tgsupport.core.InvalidInputException.requireNonNull;

/**
 * A Telegram chat.
 *
 * @param id Telegram's chat id: positive for private chats (the user's id), negative for groups and channels
 * @param type the chat type
 * @param title the group title, or the user's name for a private chat; never null ("" when unknown)
 * @param archived true once the bot was removed from the chat
 */
public record Chat(long id, ChatType type, String title, boolean archived) {
  public Chat {
    check(id != 0 && id != Long.MIN_VALUE, "chat.id", "must be a non-zero Telegram chat id", id);
    requireNonNull(type, "chat.type");
    check(type != ChatType.PRIVATE || id > 0, "chat.id", "must be positive for a private chat", id);
    title = title == null ? "" : title;
  }

  public static Chat privateChat(long userId, String title) {
    return new Chat(userId, ChatType.PRIVATE, title, false);
  }

  public static Chat of(long id, ChatType type, String title) {
    return new Chat(id, type, title, false);
  }

  /** True for groups and supergroups, where Telegram's stricter per-group limits apply. */
  public boolean isGroup() {
    return type == ChatType.GROUP || type == ChatType.SUPERGROUP;
  }
}
