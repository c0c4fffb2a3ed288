package dev.tgsupport.core.pipeline;

import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A bot command such as {@code /status}. Commands run in the {@code intent} stage, after the message is recorded,
 * and are never treated as noise. Built in: {@code /start}, {@code /help}, {@code /ticket <text>} (always opens a
 * ticket; {@code /ticket N <text>} adds the text to the user's open ticket N instead) and {@code /status} (the
 * user's open tickets). Must be thread-safe.
 */
public interface Command {
  /** The command name without the slash, lower case: {@code "status"}. */
  String name();

  /** A one-line description for {@code /help}, in the user's language ("ru" or "en"). */
  String description(String language);

  /**
   * Runs the command.
   *
   * @param arguments the text after the command name, trimmed; "" when none
   * @return the outcome; usually {@link Outcome#handled}
   */
  Outcome execute(MessageContext context, String arguments, BotActions actions);

  /** The body of a command, for {@link #of}. */
  @FunctionalInterface
  interface Body {
    Outcome execute(MessageContext context, String arguments, BotActions actions);
  }

  /** A command from a name, one description for every language, and a lambda. */
  static Command of(String name, String description, Body body) {
    String checked = checkName(name);
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(body, "body");
    return new Command() {
      @Override
      public String name() {
        return checked;
      }

      @Override
      public String description(String language) {
        return description;
      }

      @Override
      public Outcome execute(MessageContext context, String arguments, BotActions actions) {
        return body.execute(context, arguments, actions);
      }

      @Override
      public String toString() {
        return "Command[/" + checked + "]";
      }
    };
  }

  /** Validates a command name: Telegram allows 1–32 of a–z, 0–9 and _. */
  static String checkName(String name) {
    Objects.requireNonNull(name, "name");
    String n = name.startsWith("/") ? name.substring(1) : name;
    n = n.toLowerCase(Locale.ROOT);
    if (!NAME.matcher(n).matches()) {
      throw new IllegalArgumentException("command name must be 1-32 of a-z, 0-9 and _, was \"" + name + "\"");
    }
    return n;
  }

  Pattern NAME = Pattern.compile("[a-z0-9_]{1,32}");
}
