package dev.tgsupport.telegram;

import com.pengrad.telegrambot.model.ChatPermissions;
import com.pengrad.telegrambot.request.BaseRequest;
import com.pengrad.telegrambot.request.DeleteMessage;
import com.pengrad.telegrambot.request.RestrictChatMember;
import com.pengrad.telegrambot.response.BaseResponse;
import dev.tgsupport.core.NonRetriableException;
import dev.tgsupport.core.RateLimitedException;
import dev.tgsupport.core.RetriableException;
import dev.tgsupport.core.port.Moderator;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes messages and restricts members through the Bot API. Refusals (no administrator right, message gone,
 * private chat) answer false at once; 429 and server errors are retried a few times within {@link #MAX_WAIT}, then
 * also answer false: moderation is best effort and must not hold a pipeline worker for long.
 */
final class TelegramModerator implements Moderator {
  static final Duration MAX_WAIT = Duration.ofSeconds(10);
  private static final int ATTEMPTS = 3;
  private static final Logger log = LoggerFactory.getLogger(TelegramModerator.class);

  private final BotApi api;
  private final Clock clock;

  TelegramModerator(BotApi api, Clock clock) {
    this.api = api;
    this.clock = clock;
  }

  @Override
  public boolean deleteMessage(long chatId, long telegramMessageId) {
    return attempt("deleteMessage", chatId, new DeleteMessage(chatId, Math.toIntExact(telegramMessageId)));
  }

  @Override
  public boolean restrict(long chatId, long userId, Duration duration) {
    long until = clock.instant().plus(duration).getEpochSecond();
    return attempt("restrictChatMember", chatId,
        new RestrictChatMember(chatId, userId, permissions(false)).untilDate(Math.toIntExact(until)));
  }

  @Override
  public boolean unrestrict(long chatId, long userId) {
    // The Bot API's way to lift a restriction: every permission true.
    return attempt("restrictChatMember", chatId, new RestrictChatMember(chatId, userId, permissions(true)));
  }

  private static ChatPermissions permissions(boolean allowed) {
    return new ChatPermissions()
        .canSendMessages(allowed).canSendAudios(allowed).canSendDocuments(allowed).canSendPhotos(allowed)
        .canSendVideos(allowed).canSendVideoNotes(allowed).canSendVoiceNotes(allowed).canSendPolls(allowed)
        .canSendOtherMessages(allowed).canAddWebPagePreviews(allowed).canChangeInfo(allowed)
        .canInviteUsers(allowed).canPinMessages(allowed).canManageTopics(allowed);
  }

  private <R extends BaseResponse> boolean attempt(String method, long chatId, BaseRequest<?, R> request) {
    long deadline = System.nanoTime() + MAX_WAIT.toNanos();
    for (int attempt = 1; ; attempt++) {
      try {
        api.execute(request, chatId);
        return true;
      } catch (NonRetriableException e) {
        log.info("Telegram refused {} in chat {}: {}", method, chatId, e.getMessage());
        return false;
      } catch (RetriableException e) {
        Duration wait = e instanceof RateLimitedException r ? r.retryAfter() : Duration.ofMillis(500L * attempt);
        if (attempt >= ATTEMPTS || System.nanoTime() + wait.toNanos() > deadline) {
          log.warn("{} in chat {} failed {} time(s), giving up: {}", method, chatId, attempt, e.getMessage());
          return false;
        }
        try {
          Thread.sleep(wait.toMillis());
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
    }
  }

  @Override
  public String toString() {
    return "TelegramModerator";
  }
}
