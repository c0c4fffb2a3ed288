package dev.tgsupport.telegram;

import dev.tgsupport.core.NonRetriableException;

/**
 * Telegram answered 403: the bot may not write to this chat any more (the user blocked it, the bot was removed from
 * the group, or it cannot start a conversation). Retrying never helps.
 */
public class ForbiddenException extends NonRetriableException {
  private final long chatId;
  private final boolean blockedByUser;

  public ForbiddenException(String message, long chatId, boolean blockedByUser) {
    super(message);
    this.chatId = chatId;
    this.blockedByUser = blockedByUser;
  }

  /** The chat the refused request was for; 0 when the request had none. */
  public long chatId() {
    return chatId;
  }

  /** True for "bot was blocked by the user": a private chat whose user stopped the bot. */
  public boolean blockedByUser() {
    return blockedByUser;
  }
}
