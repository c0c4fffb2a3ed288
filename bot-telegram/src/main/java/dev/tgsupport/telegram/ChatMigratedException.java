package dev.tgsupport.telegram;

import dev.tgsupport.core.ConflictException;

/**
 * Telegram refused a request because the group became a supergroup with a new id ({@code migrate_to_chat_id}). The
 * sender retries with the new id by itself; callers of lower-level methods see this.
 */
public class ChatMigratedException extends ConflictException {
  private final long fromChatId;
  private final long toChatId;

  public ChatMigratedException(String message, long fromChatId, long toChatId) {
    super(message);
    this.fromChatId = fromChatId;
    this.toChatId = toChatId;
  }

  public long fromChatId() {
    return fromChatId;
  }

  public long toChatId() {
    return toChatId;
  }
}
