package dev.tgsupport.telegram;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tgsupport.core.AuthenticationException;
import dev.tgsupport.core.ConflictException;
import dev.tgsupport.core.InvalidInputException;
import dev.tgsupport.core.NotFoundException;
import dev.tgsupport.core.OperationTimeoutException;
import dev.tgsupport.core.RateLimitedException;
import dev.tgsupport.core.RetriableException;
import dev.tgsupport.core.ServerErrorException;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class TelegramErrorsTest {
  private static final String TOKEN = "123456:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw";

  @Test
  void tooManyRequestsCarriesRetryAfterFromParametersOrText() {
    RateLimitedException withParam = (RateLimitedException) TelegramErrors.fromEnvelope(
        "sendMessage", 42, 429, "Too Many Requests: retry after 35", 35, null);
    assertThat(withParam.retryAfter()).isEqualTo(Duration.ofSeconds(35));
    assertThat(withParam).hasMessageContaining("sendMessage to chat 42").hasMessageContaining("35 s");
    RateLimitedException fromText = (RateLimitedException) TelegramErrors.fromEnvelope(
        "sendMessage", 42, 429, "Too Many Requests: retry after 7", null, null);
    assertThat(fromText.retryAfter()).isEqualTo(Duration.ofSeconds(7));
    RateLimitedException none = (RateLimitedException) TelegramErrors.fromEnvelope(
        "sendMessage", 42, 429, "Too Many Requests", null, null);
    assertThat(none.retryAfter()).isEqualTo(TelegramErrors.DEFAULT_RETRY_AFTER);
    assertThat(TelegramErrors.retryAfter(0, null)).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void statusCodesMapToTheCoreTree() {
    assertThat(TelegramErrors.fromEnvelope("getUpdates", 0, 502, "Bad Gateway", null, null))
        .isInstanceOf(ServerErrorException.class).isInstanceOf(RetriableException.class);
    assertThat(TelegramErrors.fromEnvelope("getMe", 0, 401, "Unauthorized", null, null))
        .isInstanceOf(AuthenticationException.class).hasMessageContaining("TELEGRAM_BOT_TOKEN");
    ForbiddenException blocked = (ForbiddenException) TelegramErrors.fromEnvelope(
        "sendMessage", 5, 403, "Forbidden: bot was blocked by the user", null, null);
    assertThat(blocked.blockedByUser()).isTrue();
    assertThat(blocked.chatId()).isEqualTo(5);
    ForbiddenException kicked = (ForbiddenException) TelegramErrors.fromEnvelope(
        "sendMessage", -5, 403, "Forbidden: bot was kicked from the group chat", null, null);
    assertThat(kicked.blockedByUser()).isFalse();
    assertThat(TelegramErrors.fromEnvelope("sendMessage", 5, 400, "Bad Request: chat not found", null, null))
        .isInstanceOf(NotFoundException.class);
    assertThat(TelegramErrors.fromEnvelope("nope", 0, 404, "Not Found: method not found", null, null))
        .isInstanceOf(NotFoundException.class).hasMessageContaining("TELEGRAM_API_URL");
    assertThat(TelegramErrors.fromEnvelope("getUpdates", 0, 409,
        "Conflict: terminated by other getUpdates request", null, null))
        .isInstanceOf(ConflictException.class).hasMessageContaining("terminated by other getUpdates");
    InvalidInputException tooLong = (InvalidInputException) TelegramErrors.fromEnvelope(
        "sendMessage", 5, 400, "Bad Request: message is too long", null, null);
    assertThat(tooLong.field()).isEqualTo("telegram.sendMessage");
    ChatMigratedException migrated = (ChatMigratedException) TelegramErrors.fromEnvelope(
        "sendMessage", -100, 400, "Bad Request: group chat was upgraded to a supergroup chat", null, -1001234L);
    assertThat(migrated.fromChatId()).isEqualTo(-100);
    assertThat(migrated.toChatId()).isEqualTo(-1001234L);
  }

  @Test
  void transportFailuresAreRetriableAndNeverQuoteTheToken() {
    Redactor redactor = new Redactor(TOKEN);
    assertThat(TelegramErrors.fromTransport("sendMessage", 1, new SocketTimeoutException("timeout"), redactor))
        .isInstanceOf(OperationTimeoutException.class);
    IOException leaky = new IOException("unexpected end of stream on http://127.0.0.1:1/bot" + TOKEN + "/sendMessage");
    RetriableException e = (RetriableException) TelegramErrors.fromTransport("sendMessage", 1, leaky, redactor);
    assertThat(e).isInstanceOf(ServerErrorException.class);
    for (Throwable t = e; t != null; t = t.getCause()) {
      assertThat(String.valueOf(t.getMessage())).doesNotContain(TOKEN).doesNotContain(TOKEN.substring(7));
      assertThat(t.toString()).doesNotContain(TOKEN.substring(7));
    }
    assertThat(e.getCause().getStackTrace()).isEqualTo(leaky.getStackTrace());
  }

  @Test
  void theApiBaseAcceptsTheUsualSpellings() {
    assertThat(BotApi.apiBase("https://api.telegram.org")).isEqualTo("https://api.telegram.org/bot");
    assertThat(BotApi.apiBase("https://api.telegram.org/")).isEqualTo("https://api.telegram.org/bot");
    assertThat(BotApi.apiBase("http://127.0.0.1:8081/bot")).isEqualTo("http://127.0.0.1:8081/bot");
    assertThat(BotApi.apiBase("http://127.0.0.1:8081/bot/")).isEqualTo("http://127.0.0.1:8081/bot");
  }
}
