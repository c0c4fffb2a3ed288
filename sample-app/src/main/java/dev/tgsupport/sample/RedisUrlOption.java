package dev.tgsupport.sample;

import dev.tgsupport.core.AuthenticationException;
import dev.tgsupport.core.BotException;
import dev.tgsupport.core.OperationTimeoutException;
import dev.tgsupport.redis.RedisSupport;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Redis URL from {@code REDIS_URL} (for {@code run}) or {@code --redis-url} (for {@code bench queue}). As with
 * {@link DatabaseUrlOption}, the URL as given never leaves this class: everything shown goes through
 * {@link #display()} or {@link #scrub(String)}, which replace the password with {@code ***}.
 */
final class RedisUrlOption {
  static final String ENV = "REDIS_URL";
  static final String FORMAT = "redis://[[user]:password@]host[:port][/db] or rediss://… for TLS";

  // The user info of a redis(s) URL: "user:password@", ":password@" or "password@" (lettuce reads user info without
  // a colon as the password). The last '@' before the host ends it, even when the password holds an '@'.
  // "redis://[user:password@]host" in a format hint is not a URL: user info never starts with '['.
  private static final Pattern USER_INFO = Pattern.compile("(?i)(rediss?://)([^\\s/\\[][^\\s/]*)?@");
  private static final Pattern PASSWORD_PARAM = Pattern.compile("(?i)(password=)([^&;#\\s]*)");

  private final String url;
  private final String name;
  private final String defaultNote;
  private final List<String> secrets;

  private RedisUrlOption(String url, String name, String defaultNote) {
    this.url = url.strip();
    this.name = name;
    this.defaultNote = defaultNote;
    this.secrets = secretsIn(this.url);
  }

  /**
   * A default URL, used since none was configured; messages then say so with {@code note}, such as {@code no
   * --redis-url given and REDIS_URL not set}.
   */
  static RedisUrlOption byDefault(String url, String name, String note) {
    return new RedisUrlOption(url, name, note);
  }

  /**
   * The URL configured as {@code name} ({@code REDIS_URL}, {@code REDIS_URL (from --config FILE)} or
   * {@code --redis-url}), checked for its scheme; {@link #open} finds whatever else is wrong with it.
   *
   * @throws UsageFailure naming {@code name} when it is not a {@code redis://} or {@code rediss://} URL
   */
  static RedisUrlOption of(String name, String url) {
    RedisUrlOption option = unchecked(name, url);
    String lower = option.url.toLowerCase(Locale.ROOT);
    if (!lower.startsWith("redis://") && !lower.startsWith("rediss://")) {
      throw new UsageFailure(name + " must be " + FORMAT + ", was '" + option.display() + "'");
    }
    return option;
  }

  /** The value of {@code name} as it is, even malformed: to take its password out of messages. */
  static RedisUrlOption unchecked(String name, String url) {
    return new RedisUrlOption(url, name, null);
  }

  /** Where the URL came from, to name it in messages: {@code REDIS_URL} or {@code --redis-url}. */
  String name() {
    return name;
  }

  /** The setting and the URL without password, for messages: {@code REDIS_URL=redis://:***@host:6379}. */
  String where() {
    return defaultNote == null ? name + "=" + display() : display() + " (" + defaultNote + ")";
  }

  /** The URL itself, for the SDK; never to be printed. */
  String url() {
    return url;
  }

  /** The URL with its password replaced by {@code ***}. */
  String display() {
    int at = userInfoEnd(url);
    String shown = at < 0 ? url
        : url.substring(0, userInfoStart(url)) + mask(url.substring(userInfoStart(url), at)) + url.substring(at);
    return scrub(shown);
  }

  // Whatever the scheme, or none ("user:password@host:6379" is a common slip), the user info ends at the last '@'.
  private static int userInfoStart(String url) {
    int scheme = url.indexOf("://");
    return scheme < 0 ? 0 : scheme + 3;
  }

  /** Where the user info ends (its '@'), or -1 when there is none. */
  private static int userInfoEnd(String url) {
    int at = url.lastIndexOf('@');
    return at > userInfoStart(url) ? at : -1;
  }

  /** Any text with this URL's password (in URL form or verbatim) replaced by {@code ***}. */
  String scrub(String text) {
    return scrubText(text, secrets);
  }

  /** Any text with the passwords of redis(s) URLs in it masked, whatever URL they belong to. */
  static String scrubUrls(String text) {
    return scrubText(text, List.of());
  }

  private static String scrubText(String text, List<String> secrets) {
    if (text == null) {
      return null;
    }
    String s = USER_INFO.matcher(text).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + mask(m.group(2)) + "@"));
    s = PASSWORD_PARAM.matcher(s).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + "***"));
    for (String secret : secrets) {
      s = s.replace(secret, "***");
    }
    return s;
  }

  /** {@code user:***}, {@code :***} or {@code ***}: the user name stays, it helps to see which one is meant. */
  private static String mask(String userInfo) {
    if (userInfo == null || userInfo.isEmpty()) {
      return "";
    }
    int colon = userInfo.indexOf(':');
    return colon < 0 ? "***" : userInfo.substring(0, colon) + ":***";
  }

  /**
   * Builds the SDK's Redis support on this URL; it connects, but an unreachable Redis does not fail it (see
   * {@link #ping}).
   *
   * @throws UsageFailure when the SDK refuses the URL (a port that is not a number, say), naming {@link #name()}
   */
  RedisSupport open(String keyPrefix, RedisSupport.Listener listener) {
    try {
      return RedisSupport.builder()
          .url(url)
          .keyPrefix(keyPrefix)
          .connectTimeout(Duration.ofSeconds(2))
          .listener(listener)
          .build();
    } catch (IllegalArgumentException e) {
      // "url must name a host and a numeric port, was redis://…": the SDK masks the URL, and we mask once more.
      String problem = e.getMessage() == null ? "is not usable" : scrub(e.getMessage());
      problem = problem.startsWith("url ") ? problem.substring(4) : problem;
      throw new UsageFailure(name + " " + problem + (problem.contains("://[") ? "" : " (expected " + FORMAT + ")"));
    }
  }

  /**
   * Checks that Redis answers.
   *
   * @throws TgSupportCli.CliFailure with one line naming {@link #name()}, the URL without password and the reason
   */
  void ping(RedisSupport redis) {
    try {
      redis.ping();
    } catch (BotException e) {
      throw new TgSupportCli.CliFailure(failure(e));
    }
  }

  /** One line saying why Redis did not answer, naming the setting to check. */
  String failure(BotException e) {
    String at = where();
    String why = reason(e);
    String line;
    if (e instanceof AuthenticationException) {
      line = "Redis at " + at + " refused the credentials: " + why + " (check the user and password in " + name + ")";
    } else if (e instanceof OperationTimeoutException) {
      line = "Redis at " + at + " did not answer in time: " + why;
    } else {
      line = "cannot reach Redis at " + at + ": " + why;
    }
    return scrub(line);
  }

  /**
   * What went wrong, in a few words: the deepest cause's message (where the client puts "Connection refused"), or
   * the host that could not be resolved.
   */
  static String reason(Throwable e) {
    Throwable root = e;
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof UnknownHostException u) {
        return oneLine(u.getMessage() == null ? "unknown host" : u.getMessage());
      }
      if (t.getMessage() != null && !t.getMessage().isBlank()) {
        root = t;
      }
    }
    String message = root.getMessage();
    return message == null ? root.getClass().getSimpleName() : scrubUrls(oneLine(message));
  }

  private static String oneLine(String message) {
    String s = message.strip();
    int newline = s.indexOf('\n');
    return newline < 0 ? s : s.substring(0, newline).strip();
  }

  private static List<String> secretsIn(String url) {
    List<String> found = new ArrayList<>();
    int at = userInfoEnd(url);
    if (at >= 0) {
      String userInfo = url.substring(userInfoStart(url), at);
      int colon = userInfo.indexOf(':');
      UrlSecrets.add(found, colon < 0 ? userInfo : userInfo.substring(colon + 1));
    }
    for (Matcher m = PASSWORD_PARAM.matcher(url); m.find(); ) {
      UrlSecrets.add(found, m.group(2));
    }
    return found;
  }

  @Override
  public String toString() {
    return display();
  }
}
