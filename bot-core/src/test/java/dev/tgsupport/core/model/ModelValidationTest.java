package dev.tgsupport.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tgsupport.core.InvalidInputException;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ModelValidationTest {
  private static final Chat CHAT = Chat.privateChat(7, "x");
  private static final TelegramUser USER = TelegramUser.of(7, "Ann");

  @Test
  void errorsNameTheFieldAndTheValue() {
    assertThatThrownBy(() -> TelegramUser.of(0, "x"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("user.id must be in 1..9007199254740991, was 0")
        .extracting(e -> ((InvalidInputException) e).field()).isEqualTo("user.id");
    assertThatThrownBy(() -> new IncomingMessage(CHAT, USER, -5, null, null, MessageType.TEXT, "x", Instant.EPOCH))
        .hasMessage("message.telegramMessageId must be > 0, was -5");
    assertThatThrownBy(() -> new IncomingMessage(CHAT, USER, 1, 0L, null, MessageType.TEXT, "x", Instant.EPOCH))
        .hasMessage("message.threadId must be > 0 when present, was 0");
    assertThatThrownBy(() -> new IncomingMessage(null, USER, 1, null, null, MessageType.TEXT, "x", Instant.EPOCH))
        .hasMessage("message.chat must not be null");
    assertThatThrownBy(() -> new Intent("billing", 1.2))
        .hasMessage("intent.confidence must be in [0, 1], was 1.2");
    assertThatThrownBy(() -> new Intent(" ", 0.5))
        .hasMessage("intent.name must not be blank, was \" \"");
    assertThatThrownBy(() -> new Chat(-5, ChatType.PRIVATE, "x", false))
        .hasMessage("chat.id must be positive for a private chat, was -5");
    assertThatThrownBy(() -> KnowledgeDraft.of("q", ""))
        .hasMessage("knowledge.answer must not be blank, was \"\"");
    assertThatThrownBy(() -> new KnowledgeDraft("q", "a", List.of("ok", " "), KnowledgeSource.MANUAL, null))
        .hasMessage("knowledge.tags[1] must not be blank, was \" \"");
  }

  @Test
  void longValuesAreShortenedInMessages() {
    String huge = "x".repeat(10_000);
    assertThatThrownBy(() -> ChatType.fromWire(huge, "chat.type"))
        .hasMessageContaining("…(10002 chars)")
        .hasMessageStartingWith("chat.type must be one of private, group, supergroup, channel, was \"xxx");
  }

  @Test
  void fiftyTwoBitIdsAndNegativeGroupIdsAreAccepted() {
    assertThat(TelegramUser.of(TelegramUser.MAX_ID, "Max").id()).isEqualTo(9007199254740991L);
    assertThat(Chat.of(-1009007199254L, ChatType.SUPERGROUP, "g").isGroup()).isTrue();
  }

  @Test
  void absentTextBecomesEmptyAndUsernamesLoseTheirAt() {
    IncomingMessage m = new IncomingMessage(CHAT, USER, 1, null, null, MessageType.STICKER, null, Instant.EPOCH);
    assertThat(m.text()).isEmpty();
    assertThat(TelegramUser.of(1, "@ann", "Ann", null, null).username()).isEqualTo("ann");
    assertThat(TelegramUser.of(1, "@ann", "Ann", "Lee", null).displayName()).isEqualTo("Ann Lee (@ann)");
  }

  @Test
  void commandsAreRecognised() {
    assertThat(IncomingMessage.text(CHAT, USER, 1, "/help").isCommand()).isTrue();
    assertThat(IncomingMessage.text(CHAT, USER, 1, "/ticket@Bot text").isCommand()).isTrue();
    assertThat(IncomingMessage.text(CHAT, USER, 1, "/ ").isCommand()).isFalse();
    assertThat(IncomingMessage.text(CHAT, USER, 1, "1/2").isCommand()).isFalse();
    assertThat(IncomingMessage.text(CHAT, USER, 1, "/").isCommand()).isFalse();
  }
}
