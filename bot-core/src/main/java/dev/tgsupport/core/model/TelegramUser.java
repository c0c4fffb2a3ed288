package dev.tgsupport.core.model;

import static dev.tgsupport.core.InvalidInputException.check;

/**
 * A Telegram user as the SDK keeps it.
 *
 * @param id Telegram's user id, positive and below 2^53 (Telegram guarantees 52 significant bits)
 * @param username the @username without the at sign; nullable
 * @param firstName never null; an absent name becomes ""
 * @param lastName nullable
 * @param languageCode the IETF tag Telegram reports (e.g. "ru", "en"); nullable
 * @param internal true for support staff (set by staff tooling, never by an incoming update)
 * @param blocked true once the user blocked the bot (Telegram answered 403)
 */
public record TelegramUser(
    long id,
    String username,
    String firstName,
    String lastName,
    String languageCode,
    boolean internal,
    boolean blocked) {

  /** Largest id Telegram may use: ids fit in 52 bits plus sign. */
  public static final long MAX_ID = (1L << 53) - 1;

  public TelegramUser {
    check(id > 0 && id <= MAX_ID, "user.id", "must be in 1.." + MAX_ID, id);
    firstName = firstName == null ? "" : firstName;
    if (username != null && username.startsWith("@")) {
      username = username.substring(1);
    }
    if (username != null && username.isBlank()) {
      username = null;
    }
  }

  /** A user with only an id and a first name, as in tests and demos. */
  public static TelegramUser of(long id, String firstName) {
    return new TelegramUser(id, null, firstName, null, null, false, false);
  }

  /** A user as an incoming update describes it (not internal, not blocked). */
  public static TelegramUser of(long id, String username, String firstName, String lastName, String languageCode) {
    return new TelegramUser(id, username, firstName, lastName, languageCode, false, false);
  }

  /** "First Last (@username)", for tickets and logs. */
  public String displayName() {
    StringBuilder b = new StringBuilder(firstName);
    if (lastName != null && !lastName.isBlank()) {
      b.append(b.length() == 0 ? "" : " ").append(lastName);
    }
    if (username != null) {
      if (b.length() == 0) {
        b.append('@').append(username);
      } else {
        b.append(" (@").append(username).append(')');
      }
    }
    return b.length() == 0 ? "user " + id : b.toString();
  }
}
