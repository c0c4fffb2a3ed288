package dev.tgsupport.telegram.fake;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Telegram's flood control as the fake enforces it on message-producing methods ({@code send*}, {@code forwardMessage},
 * {@code copyMessage}, {@code edit*}). Each scope is a token bucket: {@link Rate#burst()} messages may go at once, then
 * one more every {@code period / messages}. A request that finds any bucket empty gets 429 with
 * {@code retry_after = ceil(seconds until a token is available)} (at least 1), and the scope is locked for that many
 * seconds; see {@link FakeTelegramServer#violationsDuringRetryAfter()}.
 *
 * <p>A {@code null} rate disables that scope. Tests scale the periods down or up freely; {@code retry_after} stays in
 * whole seconds as on the wire, so a lock always lasts at least one second. Immutable and thread-safe.
 *
 * @param global all chats together; a breach locks the whole bot
 * @param perChat each chat, groups included; a breach locks that chat
 * @param perGroup additionally each chat with a negative id (groups, supergroups, channels); a breach locks that chat
 */
public record Limits(Rate global, Rate perChat, Rate perGroup) {

  /** FAQ values: 30 msg/s overall, 1 msg/s per chat with a burst of 3, 20 msg/min per group with a burst of 3. */
  public static Limits telegramDefaults() {
    return new Limits(
        Rate.of(30, Duration.ofSeconds(1)),
        Rate.of(1, Duration.ofSeconds(1)).withBurst(3),
        Rate.of(20, Duration.ofMinutes(1)).withBurst(3));
  }

  /** No flood control at all; the counters still observe traffic. */
  public static Limits unlimited() {
    return new Limits(null, null, null);
  }

  public Limits withGlobal(Rate rate) {
    return new Limits(rate, perChat, perGroup);
  }

  public Limits withPerChat(Rate rate) {
    return new Limits(global, rate, perGroup);
  }

  public Limits withPerGroup(Rate rate) {
    return new Limits(global, perChat, rate);
  }

  public Optional<Rate> globalRate() {
    return Optional.ofNullable(global);
  }

  public Optional<Rate> perChatRate() {
    return Optional.ofNullable(perChat);
  }

  public Optional<Rate> perGroupRate() {
    return Optional.ofNullable(perGroup);
  }

  /**
   * {@code messages} per {@code period}, with up to {@code burst} sent back to back.
   *
   * @param messages refill amount per period, &gt; 0
   * @param period refill period, &gt; 0
   * @param burst bucket capacity, &gt; 0
   */
  public record Rate(int messages, Duration period, int burst) {

    public Rate {
      Objects.requireNonNull(period, "period");
      if (messages <= 0) {
        throw new IllegalArgumentException("messages must be > 0, was " + messages);
      }
      if (period.isZero() || period.isNegative()) {
        throw new IllegalArgumentException("period must be > 0, was " + period);
      }
      if (burst <= 0) {
        throw new IllegalArgumentException("burst must be > 0, was " + burst);
      }
    }

    /** A rate whose burst equals {@code messages}. */
    public static Rate of(int messages, Duration period) {
      return new Rate(messages, period, messages);
    }

    public Rate withBurst(int burst) {
      return new Rate(messages, period, burst);
    }

    double perNano() {
      return (double) messages / period.toNanos();
    }
  }
}
