package dev.tgsupport.redis;

import io.lettuce.core.RedisURI;
import java.util.Locale;

/** Parses {@code redis://} and {@code rediss://} URLs, and shows them with the password masked. */
final class RedisUrl {
  static final String FORMAT = "redis://[user:password@]host[:port][/db] or rediss://…";

  private RedisUrl() {}

  /**
   * The URI lettuce connects with.
   *
   * @param password replaces the URL's password when not null
   * @throws IllegalArgumentException naming {@code url} and showing it masked; the parser's own message is left out
   *     because it may quote the password
   */
  static RedisURI parse(String url, String password) {
    if (url == null || url.isBlank()) {
      throw new IllegalArgumentException("url must be " + FORMAT + ", was " + (url == null ? "null" : "blank"));
    }
    String lower = url.strip().toLowerCase(Locale.ROOT);
    if (!lower.startsWith("redis://") && !lower.startsWith("rediss://")) {
      throw new IllegalArgumentException("url must be " + FORMAT + ", was " + redact(url));
    }
    RedisURI uri;
    try {
      uri = RedisURI.create(url.strip());
    } catch (RuntimeException unparsable) {
      throw new IllegalArgumentException("url must be " + FORMAT + ", was " + redact(url));
    }
    String host = uri.getHost();
    // Lettuce reads "host:port" with a non-numeric port as a host named so; an IPv6 literal has several colons.
    if (host == null || host.isBlank() || host.chars().anyMatch(Character::isWhitespace)
        || host.chars().filter(c -> c == ':').count() == 1) {
      throw new IllegalArgumentException("url must name a host and a numeric port, was " + redact(url));
    }
    if (uri.getDatabase() < 0) {
      throw new IllegalArgumentException("url database must be >= 0, was " + redact(url));
    }
    if (password != null) {
      String user = username(url.strip());
      if (user == null || user.isEmpty()) {
        uri.setAuthentication(password);
      } else {
        uri.setAuthentication(user, password);
      }
    }
    return uri;
  }

  /** The URL with its password replaced by {@code ****}; safe for logs, messages and toString. */
  static String redact(String url) {
    if (url == null) {
      return "null";
    }
    int scheme = url.indexOf("://");
    int start = scheme < 0 ? 0 : scheme + 3;
    // The last '@' ends the user info even when the password itself contains '@'.
    int at = url.lastIndexOf('@');
    if (at < start) {
      return url;
    }
    String userInfo = url.substring(start, at);
    int colon = userInfo.indexOf(':');
    // Without a colon lettuce reads the whole user info as the password.
    String shown = colon < 0 ? "****" : userInfo.substring(0, colon) + ":****";
    return url.substring(0, start) + shown + url.substring(at);
  }

  private static String username(String url) {
    int start = url.indexOf("://") + 3;
    int at = url.lastIndexOf('@');
    if (at < start) {
      return null;
    }
    int colon = url.indexOf(':', start);
    return colon < 0 || colon > at ? null : url.substring(start, colon);
  }
}
