package dev.tgsupport.core.port;

import dev.tgsupport.core.model.OutgoingMessage;
import dev.tgsupport.core.model.SentMessage;

/**
 * Sends the bot's messages to Telegram. Implementations apply Telegram's rate limits.
 *
 * @see dev.tgsupport.core.RateLimitedException thrown when Telegram refused with a retry-after
 */
public interface ReplyGateway {
  SentMessage send(OutgoingMessage message);

  /** @throws dev.tgsupport.core.NotFoundException when the message does not exist (or can no longer be edited) */
  void edit(long chatId, long telegramMessageId, String text);
}
