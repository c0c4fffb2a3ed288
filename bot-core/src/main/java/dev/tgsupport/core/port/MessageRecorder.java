package dev.tgsupport.core.port;

import dev.tgsupport.core.model.IncomingMessage;
import dev.tgsupport.core.port.MessageStore.Recorded;

/**
 * Stores an incoming message with its user and chat, durably, as the pipeline's {@code record} stage does first
 * for every message. Returns only once the message is durable, so a receiver may acknowledge the update then.
 *
 * <p>The default runs one transaction per message ({@link #transactional}); storage modules offer batched
 * implementations that group the messages of many concurrent callers into one transaction (group commit) while each
 * caller still returns only after its own message is committed. Thread-safe.
 */
public interface MessageRecorder {
  /**
   * Upserts the user and the chat and records the message, as one unit.
   *
   * @throws dev.tgsupport.core.StorageUnavailableException when storage is down (nothing was stored; retry)
   */
  Recorded record(IncomingMessage message);

  /** One transaction per message through {@code transactions}. */
  static MessageRecorder transactional(Transactions transactions) {
    java.util.Objects.requireNonNull(transactions, "transactions");
    return message ->
        transactions.inTransaction(
            s -> {
              s.users().upsert(message.user());
              s.chats().upsert(message.chat());
              return s.messages().recordIncoming(message);
            });
  }
}
