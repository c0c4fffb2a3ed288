package dev.tgsupport.telegram;

import dev.tgsupport.core.model.Chat;
import dev.tgsupport.core.model.IncomingMessage;
import dev.tgsupport.core.model.TelegramUser;
import java.time.Instant;

/**
 * What one Telegram update means to the SDK, after mapping. Exactly one variant per update; the mapping never throws
 * for a well-formed update, and a malformed one becomes {@link Unparsable}.
 */
sealed interface Inbound {

  /** Telegram's update id. */
  long updateId();

  /** A new message from a user, to be recorded and run through the pipeline. */
  record NewMessage(long updateId, IncomingMessage message) implements Inbound {}

  /** A new version of a message the user sent before; updates the stored one, never opens a ticket. */
  record EditedMessage(long updateId, IncomingMessage message, Instant editedAt) implements Inbound {}

  /**
   * A group became a supergroup: its history continues under {@code toChatId}. Both the service message in the old
   * group ({@code migrate_to_chat_id}) and the one in the new supergroup ({@code migrate_from_chat_id}) map here.
   */
  record ChatMigrated(long updateId, long fromChatId, long toChatId, Chat newChat) implements Inbound {}

  /**
   * The bot's own membership changed ({@code my_chat_member}): {@code member} is false when it was removed (left or
   * kicked), and the chat is then archived.
   */
  record BotMembership(long updateId, Chat chat, TelegramUser changedBy, boolean member) implements Inbound {}

  /**
   * A button press. Always answered (Telegram shows a spinner until {@code answerCallbackQuery}).
   *
   * @param chatId the chat of the message with the button; nullable (inline messages, inaccessible messages)
   * @param messageId the message with the button; nullable
   * @param data the button's callback data; nullable
   */
  record CallbackQuery(long updateId, String queryId, TelegramUser from, Long chatId, Long messageId, String data)
      implements Inbound {}

  /**
   * An update the SDK deliberately skips: a message from another bot, a channel post, a service message with
   * nothing for support (a pinned message, a member joining). Nothing is stored.
   *
   * @param reason a short stable token, e.g. {@code from_bot}, {@code channel_post}, {@code service_message}
   */
  record Ignored(long updateId, String reason) implements Inbound {}

  /** An update type the SDK does not know (or a reaction it did not ask for): kept verbatim, then skipped. */
  record Unknown(long updateId, String kind) implements Inbound {}

  /** An update that could not be mapped (a field of the wrong type, an impossible value): logged and skipped. */
  record Unparsable(long updateId, String error) implements Inbound {}
}
