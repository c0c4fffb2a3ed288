package dev.tgsupport.telegram;

/**
 * Reacts to a press of an inline button. Whatever it does, the SDK answers the query afterwards (Telegram shows a
 * spinner on the button until it is answered), with the text this handler returns.
 */
@FunctionalInterface
public interface CallbackHandler {

  /**
   * A button press.
   *
   * @param queryId Telegram's callback query id
   * @param userId who pressed
   * @param chatId the chat of the message with the button; null for inline messages or inaccessible old ones
   * @param messageId the message with the button; nullable
   * @param data the button's callback data (at most 64 bytes); nullable. Validate it: a client can send any data.
   */
  record Press(String queryId, long userId, Long chatId, Long messageId, String data) {}

  /**
   * @return a short notice shown to the user (at most 200 characters), or null for none
   */
  String handle(Press press);

  /** Answers every press silently. */
  CallbackHandler SILENT = press -> null;
}
