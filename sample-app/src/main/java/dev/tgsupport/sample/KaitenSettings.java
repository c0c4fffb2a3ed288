package dev.tgsupport.sample;

import dev.tgsupport.core.InvalidInputException;
import dev.tgsupport.kaiten.KaitenBridge;
import dev.tgsupport.kaiten.KaitenCheck;
import dev.tgsupport.kaiten.KaitenConfig;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.LongConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code KAITEN_*} settings of {@code run}, {@code kaiten check} and {@code tickets sync}, read through
 * {@link BotSettings} (environment first, then the {@code --config} file). Kaiten is off when none of them is set;
 * once one is, the four required ones must all be. Every message names the variable; none holds the token.
 */
final class KaitenSettings {
  static final String BASE_URL = "KAITEN_BASE_URL";
  static final String TOKEN = "KAITEN_TOKEN";
  static final String BOARD_ID = "KAITEN_BOARD_ID";
  static final String COLUMN_ID = "KAITEN_COLUMN_ID";
  static final String LANE_ID = "KAITEN_LANE_ID";
  static final String CARD_TYPE_ID = "KAITEN_CARD_TYPE_ID";
  static final String USER_PROPERTY_ID = "KAITEN_TELEGRAM_USER_PROPERTY_ID";
  static final String CHAT_PROPERTY_ID = "KAITEN_TELEGRAM_CHAT_PROPERTY_ID";
  static final String TAGS = "KAITEN_TAGS";
  static final String POLL_INTERVAL = "KAITEN_POLL_INTERVAL";
  /** Optional: mounts Kaiten's webhook at /kaiten/webhook/SECRET on run's HTTP port, beside the poller. */
  static final String WEBHOOK_SECRET = "KAITEN_WEBHOOK_SECRET";
  static final List<String> REQUIRED = List.of(BASE_URL, TOKEN, BOARD_ID, COLUMN_ID);
  static final List<String> KEYS = List.of(BASE_URL, TOKEN, BOARD_ID, COLUMN_ID, LANE_ID, CARD_TYPE_ID,
      USER_PROPERTY_ID, CHAT_PROPERTY_ID, TAGS, POLL_INTERVAL, WEBHOOK_SECRET);

  private static final Pattern SHORT_DURATION = Pattern.compile("(\\d{1,9})\\s*(ms|s|m|h|d)");

  /**
   * A usable configuration and where it came from.
   *
   * @param baseUrl the variable as given, for messages
   */
  record Kaiten(KaitenConfig config, BotSettings.Value baseUrl, String webhookSecret) {
    /** Which of the configured variables came from where: "KAITEN_BASE_URL is set", or "… (from --config F)". */
    String why() {
      return baseUrl.where().replace(BASE_URL, BASE_URL + " is set");
    }
  }

  private KaitenSettings() {}

  /**
   * The Kaiten configuration, or null when no {@code KAITEN_*} variable is set.
   *
   * @throws UsageFailure when some are set but a required one is missing, or one is malformed
   */
  static Kaiten load(BotSettings settings) {
    List<String> set = new ArrayList<>();
    for (String key : KEYS) {
      if (settings.find(key) != null) {
        set.add(key);
      }
    }
    if (set.isEmpty()) {
      return null;
    }
    for (String key : REQUIRED) {
      if (settings.find(key) == null) {
        throw new UsageFailure(key + " is not set, but " + String.join(", ", set) + (set.size() == 1 ? " is" : " are")
            + ": tickets go to Kaiten with " + String.join(", ", REQUIRED) + " all set (or none of them: tickets"
            + " then stay in storage)");
      }
    }
    return require(settings);
  }

  /**
   * The Kaiten configuration, which the caller needs.
   *
   * @throws UsageFailure naming the first required variable that is missing, or a malformed one
   */
  static Kaiten require(BotSettings settings) {
    for (String key : REQUIRED) {
      if (settings.find(key) == null) {
        throw new UsageFailure(key + " is not set: Kaiten needs " + String.join(", ", REQUIRED) + " (the company"
            + " address such as https://acme.kaiten.ru, the API key from its profile page, the board and the column"
            + " of new cards)");
      }
    }
    KaitenConfig.Builder b = KaitenConfig.builder();
    BotSettings.Value url = settings.find(BASE_URL);
    apply(url, v -> b.baseUrl(url.value()));
    BotSettings.Value token = settings.find(TOKEN);
    apply(token, v -> b.token(token.value()));
    id(settings, BOARD_ID, b::boardId, "the number in the board's address, /space/S/boards/N");
    id(settings, COLUMN_ID, b::columnId, "the column new cards go to; 'kaiten check' lists the board's columns");
    id(settings, LANE_ID, b::laneId, "a lane of the board");
    id(settings, CARD_TYPE_ID, b::cardTypeId, "a card type");
    id(settings, USER_PROPERTY_ID, b::telegramUserPropertyId, "a custom property of the company");
    id(settings, CHAT_PROPERTY_ID, b::telegramChatPropertyId, "a custom property of the company");
    BotSettings.Value tags = settings.find(TAGS);
    if (tags != null) {
      List<String> names = new ArrayList<>();
      for (String t : tags.value().split(",")) {
        if (!t.isBlank()) {
          names.add(t.strip());
        }
      }
      apply(tags, v -> b.tags(names));
    }
    BotSettings.Value poll = settings.find(POLL_INTERVAL);
    if (poll != null) {
      Duration d = duration(poll.value());
      if (d == null) {
        throw new UsageFailure(settings.scrub(poll.where() + " must be a duration such as 30s, 5m or 1h, was '"
            + poll.value() + "'"));
      }
      apply(poll, v -> b.pollInterval(d));
    }
    try {
      return new Kaiten(b.build(), url, webhookSecret(settings));
    } catch (InvalidInputException e) {
      throw new UsageFailure(settings.scrub("Kaiten settings: " + e.getMessage()));
    }
  }

  /** The webhook secret, checked like the bridge checks it; null when not set. Messages never show it. */
  private static String webhookSecret(BotSettings settings) {
    BotSettings.Value v = settings.find(WEBHOOK_SECRET);
    if (v == null) {
      return null;
    }
    if (v.value().length() < KaitenBridge.MIN_SECRET_LENGTH || !v.value().matches("[A-Za-z0-9_-]+")) {
      throw new UsageFailure(v.where() + " must be at least " + KaitenBridge.MIN_SECRET_LENGTH + " characters of"
          + " A-Z, a-z, 0-9, _ and - (it was " + v.value().length() + " characters; value not shown)");
    }
    return v.value();
  }

  /** {@code 30s}, {@code 500ms}, {@code 5m}, {@code 1h}, {@code 1d}, or ISO-8601 ({@code PT30S}); null if neither. */
  static Duration duration(String text) {
    String s = text.strip().toLowerCase(Locale.ROOT);
    Matcher m = SHORT_DURATION.matcher(s);
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      return switch (m.group(2)) {
        case "ms" -> Duration.ofMillis(n);
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        case "h" -> Duration.ofHours(n);
        default -> Duration.ofDays(n);
      };
    }
    try {
      return Duration.parse(text.strip().toUpperCase(Locale.ROOT));
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  /** A duration as people write it: {@code 30s}, {@code 5m}, {@code 1h}, {@code 1500ms}. */
  static String show(Duration d) {
    long ms = d.toMillis();
    if (ms % 3_600_000 == 0) {
      return ms / 3_600_000 + "h";
    }
    if (ms % 60_000 == 0) {
      return ms / 60_000 + "m";
    }
    return ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
  }

  private static void id(BotSettings settings, String key, LongConsumer set, String what) {
    BotSettings.Value v = settings.find(key);
    if (v == null) {
      return;
    }
    long id;
    try {
      id = Long.parseLong(v.value());
    } catch (NumberFormatException e) {
      id = -1;
    }
    if (id <= 0) {
      throw new UsageFailure(settings.scrub(v.where() + " must be a positive number (" + what + "), was '"
          + v.value() + "'"));
    }
    long finalId = id;
    apply(v, x -> set.accept(finalId));
  }

  /** Runs a builder setter; its refusal becomes a usage error naming the variable (the token's value never shown). */
  private static void apply(BotSettings.Value v, java.util.function.Consumer<String> setter) {
    try {
      setter.accept(v.value());
    } catch (InvalidInputException e) {
      String problem = e.getMessage().startsWith(e.field() + " ")
          ? e.getMessage().substring(e.field().length() + 1) : e.getMessage();
      // KaitenConfig never quotes the token; the callers scrub every line once more anyway.
      throw new UsageFailure(v.where() + " " + problem);
    }
  }

  /**
   * One line naming the variable to fix, for the first problem {@link dev.tgsupport.kaiten.KaitenBridge#check()}
   * found; null when there is none.
   */
  static String firstProblem(KaitenCheck check, KaitenConfig config) {
    if (check.problems().isEmpty()) {
      return null;
    }
    String p = check.problems().get(0);
    String api = BASE_URL + "=" + config.apiUrl();
    if (p.startsWith("token: ")) {
      String rest = p.substring("token: ".length());
      if (rest.contains("(401)")) {
        return TOKEN + " was rejected by Kaiten (401 Unauthorized): copy the API key again from your Kaiten profile"
            + " (Profile > API key) and check that " + BASE_URL + " is your company's address (" + config.apiUrl()
            + ")";
      }
      if (rest.startsWith("cannot connect")) {
        return "cannot reach Kaiten at " + api + ": " + rest;
      }
      return "Kaiten at " + api + " failed the token check: " + rest;
    }
    String board = "board " + config.boardId();
    if (p.startsWith(board + " has no done column")) {
      return BOARD_ID + "=" + config.boardId() + ": " + p + "; add a done column to the board in Kaiten";
    }
    if (p.startsWith("column ")) {
      return COLUMN_ID + "=" + config.columnId() + " is not a column of board " + config.boardId()
          + "; its columns: " + String.join("; ", check.columns());
    }
    if (p.startsWith(board + ": ")) {
      return BOARD_ID + "=" + config.boardId() + " cannot be read: " + p.substring(board.length() + 2);
    }
    return p;
  }
}
