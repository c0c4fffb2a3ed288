package dev.tgsupport.core;

import java.util.Objects;

/**
 * A value was refused. The message names the field and shows the offending value (shortened, never a secret),
 * for example {@code telegramMessageId must be > 0, was -5}.
 */
public class InvalidInputException extends NonRetriableException {
  private static final int MAX_SHOWN = 80;
  private final String field;

  public InvalidInputException(String field, String problem) {
    super(field + " " + problem);
    this.field = Objects.requireNonNull(field, "field");
  }

  /** The name of the refused field, as the API spells it. */
  public String field() {
    return field;
  }

  /** Throws unless {@code condition}; the message reads {@code "<field> <rule>, was <value>"}. */
  public static void check(boolean condition, String field, String rule, Object value) {
    if (!condition) {
      throw new InvalidInputException(field, rule + ", was " + show(value));
    }
  }

  /** Returns {@code value}, or throws naming {@code field} when it is null. */
  public static <T> T requireNonNull(T value, String field) {
    if (value == null) {
      throw new InvalidInputException(field, "must not be null");
    }
    return value;
  }

  /** Returns {@code value}, or throws naming {@code field} when it is null or blank. */
  public static String requireNonBlank(String value, String field) {
    if (value == null || value.isBlank()) {
      throw new InvalidInputException(field, "must not be blank, was " + show(value));
    }
    return value;
  }

  static String show(Object value) {
    if (value == null) {
      return "null";
    }
    String s = value instanceof CharSequence ? "\"" + value + "\"" : String.valueOf(value);
    return s.length() <= MAX_SHOWN ? s : s.substring(0, MAX_SHOWN) + "…(" + s.length() + " chars)";
  }
}
