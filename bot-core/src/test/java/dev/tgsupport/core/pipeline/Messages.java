package dev.tgsupport.core.pipeline;

import dev.tgsupport.core.model.Chat;
import dev.tgsupport.core.model.ChatType;
import dev.tgsupport.core.model.IncomingMessage;
import dev.tgsupport.core.model.MessageType;
import dev.tgsupport.core.model.TelegramUser;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/** Builds incoming messages for pipeline tests. */
final class Messages {
  static final TelegramUser ALICE = TelegramUser.of(42, "alice", "Alice", null, "en");
  static final Chat ALICE_CHAT = Chat.privateChat(42, "Alice");
  static final Chat GROUP = Chat.of(-1001234567890L, ChatType.SUPERGROUP, "Support group");
  private static final AtomicLong ids = new AtomicLong(1);

  private Messages() {}

  static IncomingMessage text(String text) {
    return text(ALICE_CHAT, text);
  }

  static IncomingMessage text(Chat chat, String text) {
    return new IncomingMessage(
        chat, ALICE, ids.getAndIncrement(), null, null, MessageType.TEXT, text, Instant.parse("2026-11-23T10:00:00Z"));
  }

  static IncomingMessage of(MessageType type, String text) {
    return new IncomingMessage(
        ALICE_CHAT, ALICE, ids.getAndIncrement(), null, null, type, text, Instant.parse("2026-11-23T10:00:00Z"));
  }
}
