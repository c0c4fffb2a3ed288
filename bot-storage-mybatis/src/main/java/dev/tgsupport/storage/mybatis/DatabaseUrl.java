package dev.tgsupport.storage.mybatis;

import dev.tgsupport.core.InvalidInputException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A PostgreSQL location split into a password-free JDBC URL and separate credentials, so the URL can be logged.
 * Accepts {@code jdbc:postgresql://host[:port]/db[?user=…&password=…&…]} and
 * {@code postgres[ql]://[user[:password]@]host[:port]/db[?…]}.
 */
record DatabaseUrl(String jdbcUrl, String user, String password) {
  private static final Pattern PASSWORD_IN_TEXT = Pattern.compile("(?i)(password=)[^&;#\\s]*|(//[^:/@\\s]*:).*@");

  static DatabaseUrl parse(String url) {
    InvalidInputException.requireNonBlank(url, "databaseUrl");
    String trimmed = url.strip();
    if (trimmed.startsWith("jdbc:postgresql:")) {
      return fromJdbc(trimmed);
    }
    if (trimmed.startsWith("postgres://") || trimmed.startsWith("postgresql://")) {
      return fromUri(trimmed);
    }
    throw new InvalidInputException(
        "databaseUrl", "must start with jdbc:postgresql:// or postgres://, was \"" + redact(trimmed) + "\"");
  }

  private static DatabaseUrl fromJdbc(String url) {
    int q = url.indexOf('?');
    if (q < 0) {
      return new DatabaseUrl(url, null, null);
    }
    String user = null;
    String password = null;
    List<String> kept = new ArrayList<>();
    for (String pair : url.substring(q + 1).split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String key = eq < 0 ? pair : pair.substring(0, eq);
      String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
      if (key.equals("user")) {
        user = value;
      } else if (key.equals("password")) {
        password = value;
      } else {
        kept.add(pair);
      }
    }
    String base = url.substring(0, q);
    return new DatabaseUrl(kept.isEmpty() ? base : base + "?" + String.join("&", kept), user, password);
  }

  private static DatabaseUrl fromUri(String url) {
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw new InvalidInputException("databaseUrl", "is not a valid URL: \"" + redact(url) + "\"");
    }
    if (uri.getHost() == null) {
      throw new InvalidInputException("databaseUrl", "has no host: \"" + redact(url) + "\"");
    }
    String db = uri.getRawPath() == null || uri.getRawPath().length() <= 1 ? "" : uri.getRawPath().substring(1);
    if (db.isEmpty()) {
      throw new InvalidInputException("databaseUrl", "has no database name: \"" + redact(url) + "\"");
    }
    String user = null;
    String password = null;
    String userInfo = uri.getRawUserInfo();
    if (userInfo != null) {
      int colon = userInfo.indexOf(':');
      user = decode(colon < 0 ? userInfo : userInfo.substring(0, colon));
      password = colon < 0 ? null : decode(userInfo.substring(colon + 1));
    }
    StringBuilder jdbc = new StringBuilder("jdbc:postgresql://").append(uri.getHost());
    if (uri.getPort() > 0) {
      jdbc.append(':').append(uri.getPort());
    }
    jdbc.append('/').append(db);
    DatabaseUrl withQuery = fromJdbc(uri.getRawQuery() == null ? jdbc.toString() : jdbc + "?" + uri.getRawQuery());
    return new DatabaseUrl(
        withQuery.jdbcUrl(),
        withQuery.user() != null ? withQuery.user() : user,
        withQuery.password() != null ? withQuery.password() : password);
  }

  private static String decode(String s) {
    return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  /** Any text with passwords in URL form replaced by ***, for messages. */
  static String redact(String text) {
    if (text == null) {
      return null;
    }
    return PASSWORD_IN_TEXT.matcher(text).replaceAll(m -> m.group(1) != null ? "$1***" : "$2***@");
  }

  @Override
  public String toString() {
    return "DatabaseUrl[" + jdbcUrl + ", user=" + user + ", password=" + (password == null ? "none" : "***") + "]";
  }
}
