package dev.tgsupport.sample;

import dev.tgsupport.core.InvalidInputException;
import dev.tgsupport.telegram.TelegramAdapter;
import dev.tgsupport.telegram.WebhookServer;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;

/**
 * The bot's configuration for {@code run} and {@code webhook}: environment variables, optionally backed by a Java
 * properties file ({@code --config FILE}) with the same keys. A variable set to a non-blank value in the environment
 * wins over the file; a blank one counts as unset, so {@code VAR=} in a compose file falls back to the file or the
 * default.
 *
 * <p>Each accessor validates its value when asked, so a command only fails on what it uses, and throws a
 * {@link UsageFailure} naming the variable (and the file, when the value came from there). No message ever holds the
 * token or the webhook secret: {@link #scrub(String)} takes them out of anything printed, as a second line of defence.
 */
final class BotSettings {
  static final String TOKEN = "TELEGRAM_BOT_TOKEN";
  static final String API_URL = "TELEGRAM_API_URL";
  static final String MODE = "TGSUPPORT_MODE";
  static final String WEBHOOK_SECRET = "TGSUPPORT_WEBHOOK_SECRET";
  static final String HTTP_PORT = "TGSUPPORT_HTTP_PORT";
  static final String DATABASE_URL = DatabaseUrlOption.ENV;
  static final String REDIS_URL = RedisUrlOption.ENV;
  static final String REDIS_PREFIX = "TGSUPPORT_REDIS_PREFIX";
  static final String ROLE = "TGSUPPORT_ROLE";
  static final List<String> KEYS = keys();

  private static List<String> keys() {
    List<String> keys = new ArrayList<>(
        List.of(TOKEN, API_URL, MODE, WEBHOOK_SECRET, HTTP_PORT, DATABASE_URL, REDIS_URL, REDIS_PREFIX, ROLE));
    keys.addAll(KaitenSettings.KEYS);
    keys.addAll(SpamSettings.KEYS);
    keys.addAll(KnowledgeSettings.KEYS);
    keys.addAll(LogSettings.KEYS);
    return List.copyOf(keys);
  }

  static final String DEFAULT_API_URL = "https://api.telegram.org";
  static final int DEFAULT_HTTP_PORT = 8080;
  static final String WEBHOOK_PATH = "/telegram/webhook";
  private static final String MASK = "***";

  /** What one {@code run} process does: receive updates and process them, or only process them. */
  enum Role {
    /** Receive (long polling or webhook) and process: the default, and all a single instance needs. */
    ALL,
    /** Process the updates other instances put on the Redis work queue; receive none. */
    WORKER;

    String value() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** How updates arrive. */
  enum Mode {
    POLLING,
    WEBHOOK;

    String value() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * One configured value.
   *
   * @param source where it came from: {@code the environment}, {@code --config FILE}, or {@code default}
   */
  record Value(String key, String value, String source) {
    boolean isDefault() {
      return source.equals("default");
    }

    /** The variable and, unless it is the environment (the usual place), where it was set: for messages. */
    String where() {
      return source.equals("the environment") ? key : key + " (from " + source + ")";
    }
  }

  private final Map<String, String> env;
  private final Properties file;
  private final Path filePath;

  private BotSettings(Map<String, String> env, Properties file, Path filePath) {
    this.env = Map.copyOf(env);
    this.file = file;
    this.filePath = filePath;
  }

  /**
   * The settings of {@code env}, backed by {@code configFile} when it is not null.
   *
   * @throws UsageFailure when the file cannot be read, is not UTF-8 or holds a key other than the known ones
   */
  static BotSettings load(Map<String, String> env, Path configFile) {
    Properties p = new Properties();
    if (configFile != null) {
      // Decode strictly: a Latin-1 file would otherwise turn a token's characters into U+FFFD silently.
      try (Reader in = new InputStreamReader(Files.newInputStream(configFile), StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT))) {
        p.load(in);
      } catch (NoSuchFileException e) {
        throw new UsageFailure("--config " + configFile + ": no such file");
      } catch (CharacterCodingException e) {
        throw new UsageFailure("--config " + configFile + ": not UTF-8 text");
      } catch (IOException | IllegalArgumentException e) {
        // IllegalArgumentException: a malformed \\uXXXX escape; its message never quotes a value.
        throw new UsageFailure("--config " + configFile + ": cannot read it (" + e.getMessage() + ")");
      }
      TreeSet<String> unknown = new TreeSet<>(p.stringPropertyNames());
      unknown.removeAll(KEYS);
      if (!unknown.isEmpty()) {
        throw new UsageFailure("--config " + configFile + ": unknown key" + (unknown.size() == 1 ? " " : "s ")
            + String.join(", ", unknown) + " (known: " + String.join(", ", KEYS) + ")");
      }
    }
    return new BotSettings(env, p, configFile);
  }

  /** The value of {@code key}: the environment's when set and not blank, else the file's, else null. */
  Value find(String key) {
    String fromEnv = env.get(key);
    if (fromEnv != null && !fromEnv.isBlank()) {
      return new Value(key, fromEnv.strip(), "the environment");
    }
    String fromFile = file.getProperty(key);
    if (fromFile != null && !fromFile.isBlank()) {
      return new Value(key, fromFile.strip(), "--config " + filePath);
    }
    return null;
  }

  private Value orDefault(String key, String value) {
    Value v = find(key);
    return v != null ? v : new Value(key, value, "default");
  }

  /** The bot token, shaped as BotFather issues it; the messages say what is wrong with it, never what it is. */
  String token() {
    Value v = find(TOKEN);
    if (v == null) {
      throw new UsageFailure(TOKEN + " is not set: give the bot's token from @BotFather in the environment"
          + (filePath == null ? " or in a --config file" : " or in " + filePath));
    }
    try {
      TelegramAdapter.builder().token(v.value());
    } catch (InvalidInputException e) {
      String problem = e.getMessage().startsWith(e.field() + " ")
          ? e.getMessage().substring(e.field().length() + 1) : e.getMessage();
      throw new UsageFailure(scrub(v.where() + " " + problem));
    }
    return v.value();
  }

  /** The Bot API server; Telegram's unless set. */
  Value apiUrl() {
    Value v = orDefault(API_URL, DEFAULT_API_URL);
    try {
      TelegramAdapter.builder().apiUrl(v.value());
    } catch (InvalidInputException e) {
      throw new UsageFailure(scrub(v.where() + " must be an http(s) URL such as " + DEFAULT_API_URL + ", was '"
          + v.value() + "'"));
    }
    return v;
  }

  Value modeValue() {
    return orDefault(MODE, Mode.POLLING.value());
  }

  Mode mode() {
    Value v = modeValue();
    for (Mode m : Mode.values()) {
      if (m.value().equals(v.value().toLowerCase(Locale.ROOT))) {
        return m;
      }
    }
    throw new UsageFailure(scrub(v.where() + " must be polling or webhook, was '" + v.value() + "'"));
  }

  /** The secret Telegram sends with each webhook call; required where it is asked for. */
  String webhookSecret(String why) {
    Value v = find(WEBHOOK_SECRET);
    if (v == null) {
      throw new UsageFailure(WEBHOOK_SECRET + " is not set; " + why + " (1-256 characters of A-Z, a-z, 0-9, _ and"
          + " -; for example: openssl rand -hex 32)");
    }
    try {
      WebhookServer.builder().secretToken(v.value());
    } catch (InvalidInputException e) {
      throw new UsageFailure(v.where() + " must be 1-256 characters of A-Z, a-z, 0-9, _ and - (the value is not"
          + " shown)");
    }
    return v.value();
  }

  Value httpPortValue() {
    return orDefault(HTTP_PORT, Integer.toString(DEFAULT_HTTP_PORT));
  }

  /** The webhook server's port; 0 picks a free one. */
  int httpPort() {
    Value v = httpPortValue();
    int port;
    try {
      port = Integer.parseInt(v.value());
    } catch (NumberFormatException e) {
      port = -1;
    }
    if (port < 0 || port > 65535) {
      throw new UsageFailure(scrub(v.where() + " must be a port number 0-65535 (0: any free port), was '"
          + v.value() + "'"));
    }
    return port;
  }

  /** {@code DATABASE_URL}, or null when it is not set. */
  DatabaseUrlOption databaseUrl() {
    Value v = find(DATABASE_URL);
    return v == null ? null : DatabaseUrlOption.fromVariable(v.where(), v.value());
  }

  Value roleValue() {
    return orDefault(ROLE, Role.ALL.value());
  }

  Role role() {
    Value v = roleValue();
    for (Role r : Role.values()) {
      if (r.value().equals(v.value().toLowerCase(Locale.ROOT))) {
        return r;
      }
    }
    throw new UsageFailure(scrub(v.where() + " must be all (receive and process updates) or worker (process those"
        + " of the Redis work queue only), was '" + v.value() + "'"));
  }

  /**
   * {@code REDIS_URL}, or null when it is not set.
   *
   * @throws UsageFailure when it is not a {@code redis://} or {@code rediss://} URL
   */
  RedisUrlOption redisUrl() {
    Value v = find(REDIS_URL);
    return v == null ? null : RedisUrlOption.of(v.where(), v.value());
  }

  /**
   * The prefix of every Redis key the bot uses; by default {@code tgsupport:<bot id>:}, so that the instances of one
   * bot share their keys (Telegram's limits are per bot) and two bots on one Redis never mix their queues.
   */
  Value redisPrefix(String botId) {
    Value v = orDefault(REDIS_PREFIX, "tgsupport:" + botId + ":");
    if (v.value().length() > 200 || v.value().chars().anyMatch(c -> Character.isWhitespace(c)
        || Character.isISOControl(c))) {
      throw new UsageFailure(scrub(v.where() + " must be 1-200 characters without spaces, such as tgsupport:"
          + botId + ":, was '" + v.value() + "'"));
    }
    return v;
  }

  /**
   * Any text with the token (and its secret part), the webhook secret and the database and Redis passwords masked.
   */
  String scrub(String text) {
    if (text == null) {
      return null;
    }
    String s = text;
    for (String secret : secrets()) {
      s = s.replace(secret, MASK);
    }
    DatabaseUrlOption db = databaseUrl();
    s = db == null ? s : db.scrub(s);
    Value redis = find(REDIS_URL);
    // Not through redisUrl(): scrubbing must work on a malformed URL too, since that is what gets reported.
    return redis == null ? RedisUrlOption.scrubUrls(s) : RedisUrlOption.unchecked(REDIS_URL, redis.value()).scrub(s);
  }

  private List<String> secrets() {
    List<String> secrets = new ArrayList<>();
    Value token = find(TOKEN);
    if (token != null) {
      secrets.add(token.value());
      int colon = token.value().indexOf(':');
      // The part after the colon is the secret; the bot id before it is public (getMe shows it).
      if (colon >= 0) {
        secrets.add(token.value().substring(colon + 1));
      }
    }
    Value secret = find(WEBHOOK_SECRET);
    if (secret != null) {
      secrets.add(secret.value());
    }
    Value kaiten = find(KaitenSettings.TOKEN);
    if (kaiten != null) {
      secrets.add(kaiten.value());
    }
    // Masking a very short value would garble every message that happens to contain it; such values are never
    // printed in the first place, and are not valid tokens or secrets anyway.
    secrets.removeIf(v -> v.length() < 4);
    // The longest first, so a secret that contains another is masked whole.
    secrets.sort((a, b) -> b.length() - a.length());
    return secrets;
  }

  @Override
  public String toString() {
    return "BotSettings{file=" + filePath + ", token=" + (find(TOKEN) == null ? "unset" : "<set>") + "}";
  }
}
