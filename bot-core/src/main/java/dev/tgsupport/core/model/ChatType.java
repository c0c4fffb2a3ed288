package dev.tgsupport.core.model;

import dev.tgsupport.core.InvalidInputException;
import java.util.Locale;

/** Telegram's chat types, with the lower-case names the Bot API and the database use. */
public enum ChatType {
  PRIVATE,
  GROUP,
  SUPERGROUP,
  CHANNEL;

  /** The Bot API spelling: "private", "group", "supergroup", "channel". */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses the Bot API spelling; an unknown name raises {@link InvalidInputException} naming {@code field}. */
  public static ChatType fromWire(String value, String field) {
    InvalidInputException.requireNonNull(value, field);
    for (ChatType t : values()) {
      if (t.wireName().equals(value.toLowerCase(Locale.ROOT))) {
        return t;
      }
    }
    InvalidInputException.check(false, field, "must be one of private, group, supergroup, channel", value);
    throw new AssertionError();
  }
}
