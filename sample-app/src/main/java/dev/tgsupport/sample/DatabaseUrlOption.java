package dev.tgsupport.sample;

import dev.tgsupport.core.InvalidInputException;
import dev.tgsupport.storage.mybatis.MyBatisStorage;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A PostgreSQL URL from {@code --database-url} or {@code DATABASE_URL}, for {@code migrate} and {@code demo
 * --storage postgres}. The URL as given never leaves this class: everything shown goes through {@link #display()}
 * or {@link #scrub(String)}, which replace the password with {@code ***}.
 */
final class DatabaseUrlOption {
  static final String ENV = "DATABASE_URL";

  // user:password@ in URL form, and password=… as a query parameter.
  private static final Pattern USER_INFO = Pattern.compile("(//[^:/@\\s]*:)([^@/\\s]*)@");
  private static final Pattern PASSWORD_PARAM = Pattern.compile("(?i)(password=)([^&;#\\s]*)");
  // The PostgreSQL driver logs through java.util.logging straight to stderr ("WARNING: JDBC URL port: … not
  // valid"): the commands report such problems in their own one line. A strong reference keeps the level set.
  private static final Logger DRIVER_LOG = Logger.getLogger("org.postgresql");

  private final String url;
  private final List<String> secrets;
  // How the user gave the URL, to name what to fix in messages: the option, or the variable for 'run'.
  private final String name;
  private final boolean fromVariable;

  private DatabaseUrlOption(String url, String name, boolean fromVariable) {
    this.url = url.strip();
    this.secrets = secretsIn(this.url);
    this.name = name;
    this.fromVariable = fromVariable;
  }

  /** The option when given, else {@code DATABASE_URL}; a usage error when neither is set. */
  static DatabaseUrlOption resolve(String option) {
    String url = option != null ? option : System.getenv(ENV);
    if (url == null || url.isBlank()) {
      throw new UsageFailure("no database: give --database-url URL or set " + ENV
          + " (jdbc:postgresql://host:port/db?user=…&password=… or postgres://user:password@host:port/db)");
    }
    return new DatabaseUrlOption(url, "--database-url", false);
  }

  /**
   * A URL configured as the variable {@code name} ({@code DATABASE_URL} for {@code run}); messages then name the
   * variable instead of the option.
   */
  static DatabaseUrlOption fromVariable(String name, String url) {
    return new DatabaseUrlOption(url, name, true);
  }

  /** Which database is meant, for messages: the URL without password, with the variable it came from if any. */
  String describe() {
    return fromVariable ? "of " + name + " (" + display() + ")" : display();
  }

  /** The URL with its password replaced by {@code ***}, to say which database is meant. */
  String display() {
    return scrub(url);
  }

  /** Any text with this URL's password (in URL form or verbatim) replaced by {@code ***}. */
  String scrub(String text) {
    if (text == null) {
      return null;
    }
    String s = USER_INFO.matcher(text).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + "***@"));
    s = PASSWORD_PARAM.matcher(s).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + "***"));
    for (String secret : secrets) {
      s = s.replace(secret, "***");
    }
    return s;
  }

  /**
   * Builds the storage (which does not connect yet).
   *
   * @throws UsageFailure when the URL is malformed, with the password scrubbed
   */
  MyBatisStorage open(int maximumPoolSize) {
    return open(maximumPoolSize, null);
  }

  /** As {@link #open(int)}, working in {@code schema} (an existing one) when not null. */
  MyBatisStorage open(int maximumPoolSize, String schema) {
    DRIVER_LOG.setLevel(Level.SEVERE);
    try {
      return MyBatisStorage.builder().url(url).schema(schema).maximumPoolSize(maximumPoolSize).build();
    } catch (InvalidInputException e) {
      throw new UsageFailure("bad " + name + ": " + scrub(e.getMessage()));
    } catch (RuntimeException e) {
      // HikariCP refuses a URL the driver cannot parse (a port out of range, say) with a plain RuntimeException.
      throw new UsageFailure("bad " + name + " " + display() + ": the PostgreSQL driver cannot use it (check the"
          + " host, the port and the parameters): " + scrub(oneLine(rootMessage(e))));
    }
  }

  /** One line saying why talking to this database failed: the deepest cause, which names the real problem. */
  String failure(Throwable e) {
    String message = oneLine(rootMessage(e));
    if (message.contains("no schema has been selected to create in")) {
      message += " (does the schema named by currentSchema exist?)";
    }
    return scrub(message);
  }

  private static String rootMessage(Throwable e) {
    // HikariCP wraps the driver's "Connection to … refused" in its own "Connection is not available": prefer the
    // innermost SQLException, else the innermost message.
    String sql = null;
    String any = null;
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t.getMessage() != null && !t.getMessage().isBlank()) {
        any = t.getMessage();
        if (t instanceof SQLException) {
          sql = t.getMessage();
        }
      }
    }
    return sql != null ? sql : any != null ? any : e.getClass().getSimpleName();
  }

  private static String oneLine(String message) {
    String s = message.strip();
    int newline = s.indexOf('\n');
    return newline < 0 ? s : s.substring(0, newline).strip();
  }

  private static List<String> secretsIn(String url) {
    List<String> found = new ArrayList<>();
    for (Matcher m = USER_INFO.matcher(url); m.find(); ) {
      UrlSecrets.add(found, m.group(2));
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
