package dev.tgsupport.telegram;

import static dev.tgsupport.core.InvalidInputException.requireNonNull;

import dev.tgsupport.core.port.RateLimiter.Limit;
import java.time.Duration;

/**
 * The sender's pace. Telegram's bot FAQ asks for no more than about 30 messages per second overall, about one per
 * second to the same chat (short bursts tolerated) and no more than 20 per minute to the same group; going over
 * earns 429s and, when repeated, longer lock-outs. The defaults stay a little inside those numbers: their bursts
 * are smaller than what Telegram tolerates, because a sender that spends the whole burst and then paces at exactly
 * the limit has no slack left, and a few milliseconds of jitter on the wire then earn a 429.
 *
 * @param global all chats together
 * @param perChat one chat (private or group)
 * @param perGroup one group or supergroup, on top of {@code perChat}
 */
public record SendLimits(Limit global, Limit perChat, Limit perGroup) {

  public SendLimits {
    requireNonNull(global, "sendLimits.global");
    requireNonNull(perChat, "sendLimits.perChat");
    requireNonNull(perGroup, "sendLimits.perGroup");
  }

  /** 30 msg/s overall, 1 msg/s per chat (bursts of 2), 20 msg/min per group (bursts of 2). */
  public static SendLimits telegramDefaults() {
    return new SendLimits(
        new Limit(30, Duration.ofSeconds(1), 1),
        new Limit(1, Duration.ofSeconds(1), 2),
        new Limit(20, Duration.ofMinutes(1), 2));
  }

  public SendLimits withGlobal(Limit limit) {
    return new SendLimits(limit, perChat, perGroup);
  }

  public SendLimits withPerChat(Limit limit) {
    return new SendLimits(global, limit, perGroup);
  }

  public SendLimits withPerGroup(Limit limit) {
    return new SendLimits(global, perChat, limit);
  }
}
