package dev.tgsupport.kaiten;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tgsupport.core.model.Attachment;
import dev.tgsupport.core.model.Chat;
import dev.tgsupport.core.model.ChatType;
import dev.tgsupport.core.model.Direction;
import dev.tgsupport.core.model.MessageType;
import dev.tgsupport.core.model.StoredMessage;
import dev.tgsupport.core.model.TelegramUser;
import dev.tgsupport.core.model.Ticket;
import dev.tgsupport.core.model.TicketStatus;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class CardDescriptionTest {
  private static final Instant T = Instant.parse("2026-11-23T10:00:00Z");

  private static StoredMessage message(long chatId, long tgId, Long thread, String text, Attachment a) {
    return new StoredMessage(5, chatId, 42L, tgId, Direction.IN, thread, null, MessageType.TEXT, text, T, null, null,
        null, a);
  }

  private static Ticket ticket(long chatId) {
    return new Ticket(7, 5, chatId, 42, "Cannot log in", TicketStatus.OPEN, null, T, null);
  }

  @Test
  void supergroupMessagesGetAPublicLinkAndTheUserIsNamedFully() {
    String d = CardDescription.render(ticket(-1001234567890L), message(-1001234567890L, 77, null,
        "Cannot log in\nsince morning", null), TelegramUser.of(42, "alice_k", "Alice", "Kim", "en"),
        Chat.of(-1001234567890L, ChatType.SUPERGROUP, "Acme support"));
    assertThat(d).contains("> Cannot log in\n> since morning")
        .contains("Alice Kim ([@alice\\_k](https://t.me/alice_k)), id 42")
        .contains("[https://t.me/c/1234567890/77](https://t.me/c/1234567890/77)")
        .contains("tg://user?id=42")
        .contains("Acme support (supergroup, id -1001234567890)")
        .contains("ticket #7");
  }

  @Test
  void forumTopicLinksCarryTheThread() {
    assertThat(CardDescription.messageLink(-1001234567890L, ChatType.SUPERGROUP,
        message(-1001234567890L, 77, 12L, "x", null))).contains("https://t.me/c/1234567890/12/77");
  }

  @Test
  void privateChatsHaveNoMessageLinkOnlyTheUserLink() {
    String d = CardDescription.render(ticket(42), message(42, 9, null, "Help", null), TelegramUser.of(42, "Alice"),
        Chat.privateChat(42, "Alice"));
    assertThat(d).contains("tg://user?id=42").contains("no link: Telegram has none for private chats")
        .doesNotContain("t.me/c/");
  }

  @Test
  void attachmentsAreListedByFileIdNeverByDownloadUrl() {
    Attachment a = new Attachment(MessageType.DOCUMENT, "BQACAgIAAxk", "AgAD", "log.txt", "text/plain", 120L);
    String d = CardDescription.render(ticket(42), message(42, 9, null, "see log", a), TelegramUser.of(42, "Alice"),
        Chat.privateChat(42, "Alice"));
    assertThat(d).contains("**Attachment:** document `log.txt`, text/plain, 120 bytes, Telegram file_id `BQACAgIAAxk`")
        .doesNotContain("api.telegram.org");
  }

  @Test
  void markdownInNamesIsEscaped() {
    assertThat(CardDescription.escape("*bold* [x](y)")).isEqualTo("\\*bold\\* \\[x\\](y)");
  }
}
