package dev.tgsupport.kaiten;

import dev.tgsupport.core.model.Chat;
import dev.tgsupport.core.model.ChatType;
import dev.tgsupport.core.model.IncomingMessage;
import dev.tgsupport.core.model.MessageType;
import dev.tgsupport.core.model.OutboxEntry;
import dev.tgsupport.core.model.StoredMessage;
import dev.tgsupport.core.model.TelegramUser;
import dev.tgsupport.core.model.Ticket;
import dev.tgsupport.core.port.Transactions;
import java.time.Instant;

/** Opens tickets in storage the way the pipeline's ticket stage does: ticket and outbox row in one transaction. */
final class TestTickets {
  static final long GROUP_ID = -1001234567890L;

  private TestTickets() {}

  static TelegramUser alice() {
    return TelegramUser.of(42, "alice_k", "Alice", "Kim", "en");
  }

  static Chat group() {
    return Chat.of(GROUP_ID, ChatType.SUPERGROUP, "Acme support");
  }

  /** A question from Alice in the supergroup, as Telegram message {@code telegramMessageId}. */
  static Ticket open(Transactions tx, long telegramMessageId, String text) {
    return open(tx, group(), alice(), telegramMessageId, null, text);
  }

  static Ticket open(Transactions tx, Chat chat, TelegramUser user, long telegramMessageId, Long threadId,
      String text) {
    return tx.inTransaction(s -> {
      s.users().upsert(user);
      s.chats().upsert(chat);
      StoredMessage m = s.messages().recordIncoming(new IncomingMessage(chat, user, telegramMessageId, threadId,
          null, MessageType.TEXT, text, Instant.parse("2026-11-23T10:00:00Z"))).message();
      String title = text.length() > 100 ? text.substring(0, 100) : text;
      Ticket t = s.tickets().open(m.id(), title);
      // The payload RealBotActions writes.
      s.outbox().enqueue(OutboxEntry.TICKET_CREATE, "{\"ticket_id\":" + t.id() + ",\"message_id\":" + t.messageId()
          + ",\"chat_id\":" + t.chatId() + ",\"user_id\":" + t.userId() + "}", Instant.EPOCH);
      return t;
    });
  }
}
