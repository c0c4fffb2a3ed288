package dev.tgsupport.telegram.fake;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * A scripted misbehaviour for {@link FakeTelegramServer#failNext(Fault)}: an error envelope, a non-JSON body, a slow
 * answer or a dropped connection, optionally limited to one method and/or one {@code chat_id} and to a number of
 * occurrences (default 1). Immutable; every {@code with}-style method returns a copy.
 *
 * <pre>{@code
 * fake.failNext(Fault.tooManyRequests(7).forMethod("sendMessage").forChat(42).times(2));
 * fake.failNext(Fault.badGateway());
 * fake.failNext(Fault.drop().forMethod("sendMessage").afterProcessing()); // sent, but the client never hears back
 * }</pre>
 */
public final class Fault {

  enum Kind { ERROR, RAW, DELAY, DROP }

  final Kind kind;
  final int status;
  final String description;
  final Integer retryAfter;
  final Long migrateToChatId;
  final String rawContentType;
  final String rawBody;
  final Duration delay;
  final boolean afterProcessing;
  final String method;
  final Long chatId;
  final int times;

  private Fault(Kind kind, int status, String description, Integer retryAfter, Long migrateToChatId,
      String rawContentType, String rawBody, Duration delay, boolean afterProcessing, String method, Long chatId,
      int times) {
    this.kind = kind;
    this.status = status;
    this.description = description;
    this.retryAfter = retryAfter;
    this.migrateToChatId = migrateToChatId;
    this.rawContentType = rawContentType;
    this.rawBody = rawBody;
    this.delay = delay;
    this.afterProcessing = afterProcessing;
    this.method = method;
    this.chatId = chatId;
    this.times = times;
  }

  /** An error envelope {@code {"ok":false,"error_code":status,"description":description}}. */
  public static Fault error(int status, String description) {
    Objects.requireNonNull(description, "description");
    if (status < 100 || status > 599) {
      throw new IllegalArgumentException("status must be an HTTP status, was " + status);
    }
    return new Fault(Kind.ERROR, status, description, null, null, null, null, null, false, null, null, 1);
  }

  /** 429 {@code Too Many Requests: retry after N} with {@code parameters.retry_after = N}. */
  public static Fault tooManyRequests(int retryAfterSeconds) {
    return tooManyRequestsWithoutParameters(retryAfterSeconds).retryAfter(retryAfterSeconds);
  }

  /** 429 whose only hint is the {@code retry after N} text: some real 429s carry no {@code parameters}. */
  public static Fault tooManyRequestsWithoutParameters(int retryAfterSeconds) {
    return error(429, "Too Many Requests: retry after " + retryAfterSeconds);
  }

  /** 500 {@code Internal Server Error}. */
  public static Fault internalServerError() {
    return error(500, "Internal Server Error");
  }

  /** 502 {@code Bad Gateway}, as Telegram answers while its backend restarts. */
  public static Fault badGateway() {
    return error(502, "Bad Gateway");
  }

  /** Any body verbatim, e.g. the HTML page of a proxy in front of the API. */
  public static Fault raw(int status, String contentType, String body) {
    Objects.requireNonNull(contentType, "contentType");
    Objects.requireNonNull(body, "body");
    return new Fault(Kind.RAW, status, null, null, null, contentType, body, null, false, null, null, 1);
  }

  /** Answers normally, but only after {@code delay}. */
  public static Fault delay(Duration delay) {
    Objects.requireNonNull(delay, "delay");
    if (delay.isNegative()) {
      throw new IllegalArgumentException("delay must be >= 0, was " + delay);
    }
    return new Fault(Kind.DELAY, 0, null, null, null, null, null, delay, false, null, null, 1);
  }

  /**
   * Drops the connection: the status line and headers go out with a Content-Length the body never reaches, then the
   * socket closes, so the client fails reading the body (an {@code IOException}) and cannot retry transparently.
   */
  public static Fault drop() {
    return new Fault(Kind.DROP, 0, null, null, null, null, null, null, false, null, null, 1);
  }

  /** Adds {@code parameters.retry_after}. */
  public Fault retryAfter(int seconds) {
    requireKind(Kind.ERROR, "retryAfter");
    return new Fault(kind, status, description, seconds, migrateToChatId, rawContentType, rawBody, delay,
        afterProcessing, method, chatId, times);
  }

  /** Adds {@code parameters.migrate_to_chat_id}. */
  public Fault migrateToChatId(long chatId) {
    requireKind(Kind.ERROR, "migrateToChatId");
    return new Fault(kind, status, description, retryAfter, chatId, rawContentType, rawBody, delay, afterProcessing,
        method, this.chatId, times);
  }

  /** Only requests to this method (case-insensitive, as Telegram's method names are). */
  public Fault forMethod(String method) {
    Objects.requireNonNull(method, "method");
    return new Fault(kind, status, description, retryAfter, migrateToChatId, rawContentType, rawBody, delay,
        afterProcessing, method.toLowerCase(Locale.ROOT), chatId, times);
  }

  /** Only requests whose {@code chat_id} parameter is this id. */
  public Fault forChat(long chatId) {
    return new Fault(kind, status, description, retryAfter, migrateToChatId, rawContentType, rawBody, delay,
        afterProcessing, method, chatId, times);
  }

  /** Applies to the next {@code times} matching requests; default 1. */
  public Fault times(int times) {
    if (times <= 0) {
      throw new IllegalArgumentException("times must be > 0, was " + times);
    }
    return new Fault(kind, status, description, retryAfter, migrateToChatId, rawContentType, rawBody, delay,
        afterProcessing, method, chatId, times);
  }

  /**
   * For {@link #delay} and {@link #drop}: perform the method first (the message is sent, the update confirmed), then
   * delay or drop the answer, the ambiguous case where a client retry duplicates the effect.
   */
  public Fault afterProcessing() {
    if (kind != Kind.DELAY && kind != Kind.DROP) {
      throw new IllegalStateException("afterProcessing applies to delay() and drop() faults only, not " + kind);
    }
    return new Fault(kind, status, description, retryAfter, migrateToChatId, rawContentType, rawBody, delay, true,
        method, chatId, times);
  }

  boolean matches(String lowerMethod, Long requestChatId) {
    return (method == null || method.equals(lowerMethod))
        && (chatId == null || chatId.equals(requestChatId));
  }

  private void requireKind(Kind expected, String what) {
    if (kind != expected) {
      throw new IllegalStateException(what + " applies to error faults only, not " + kind);
    }
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("Fault{").append(kind);
    if (kind == Kind.ERROR || kind == Kind.RAW) {
      sb.append(' ').append(status);
    }
    if (description != null) {
      sb.append(" '").append(description).append('\'');
    }
    if (delay != null) {
      sb.append(' ').append(delay);
    }
    if (afterProcessing) {
      sb.append(" afterProcessing");
    }
    if (method != null) {
      sb.append(" method=").append(method);
    }
    if (chatId != null) {
      sb.append(" chatId=").append(chatId);
    }
    return sb.append(" times=").append(times).append('}').toString();
  }
}
