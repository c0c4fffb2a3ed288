package dev.tgsupport.sample;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.OutputStreamAppender;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

/**
 * The {@code TGSUPPORT_LOG_*} settings of {@code run}: the log's format on stderr and the root level. The other
 * commands keep logback.xml's compact text at WARN; {@code run} applies these at its start by reconfiguring logback's
 * root logger. The loggers logback.xml quiets keep their levels whatever the root level.
 */
final class LogSettings {
  /** text (default): logback.xml's one-line layout; json: one JSON object per line. */
  static final String FORMAT = "TGSUPPORT_LOG_FORMAT";
  /** error, warn (default), info or debug: the root logger's level. */
  static final String LEVEL = "TGSUPPORT_LOG_LEVEL";
  static final List<String> KEYS = List.of(FORMAT, LEVEL);
  private static final List<String> LEVELS = List.of("error", "warn", "info", "debug");
  private static final String APPENDER = "tgsupport-run";

  enum Format {
    TEXT,
    JSON;

    String value() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** Undoes {@link Logging#apply}: for a {@code run} that ends inside a longer-lived JVM (the in-process tests). */
  interface Restore extends AutoCloseable {
    @Override
    void close();
  }

  /** What was configured. */
  record Logging(Format format, String level, BotSettings.Value formatValue, BotSettings.Value levelValue) {
    /**
     * Applies the format and level to the logging backend, writing to stderr; {@code scrub} masks the secrets of
     * every JSON line, as a second line of defence. Without logback (an embedding program's own backend) nothing is
     * changed.
     */
    Restore apply(UnaryOperator<String> scrub) {
      ILoggerFactory factory = LoggerFactory.getILoggerFactory();
      if (!(factory instanceof LoggerContext context)) {
        return () -> {};
      }
      ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
      stderr.setTarget("System.err");
      return applyTo(context, stderr, scrub);
    }

    /** {@link #apply} with the JSON lines going to {@code target} (not yet started); for tests. */
    Restore applyTo(LoggerContext context, OutputStreamAppender<ILoggingEvent> target, UnaryOperator<String> scrub) {
      Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
      Level before = root.getLevel();
      root.setLevel(Level.toLevel(level));
      if (format == Format.TEXT) {
        return () -> root.setLevel(before);
      }
      target.setContext(context);
      target.setName(APPENDER);
      JsonLogEncoder encoder = new JsonLogEncoder(scrub);
      encoder.setContext(context);
      encoder.start();
      target.setEncoder(encoder);
      target.start();
      List<Appender<ILoggingEvent>> previous = new ArrayList<>();
      for (Iterator<Appender<ILoggingEvent>> it = root.iteratorForAppenders(); it.hasNext(); ) {
        previous.add(it.next());
      }
      // The new appender first, so no line is lost or written twice in between.
      root.addAppender(target);
      previous.forEach(root::detachAppender);
      return () -> {
        previous.forEach(root::addAppender);
        root.detachAppender(target);
        target.stop();
        root.setLevel(before);
      };
    }
  }

  private LogSettings() {}

  /** @throws UsageFailure naming the variable and its value when either is not one of the known ones */
  static Logging load(BotSettings settings) {
    BotSettings.Value format = orDefault(settings, FORMAT, Format.TEXT.value());
    Format f = null;
    for (Format candidate : Format.values()) {
      if (candidate.value().equals(format.value().toLowerCase(Locale.ROOT))) {
        f = candidate;
      }
    }
    if (f == null) {
      throw new UsageFailure(format.where() + " must be text or json, was '" + format.value() + "'");
    }
    BotSettings.Value level = orDefault(settings, LEVEL, "warn");
    String l = level.value().toLowerCase(Locale.ROOT);
    if (!LEVELS.contains(l)) {
      throw new UsageFailure(level.where() + " must be " + String.join(", ", LEVELS.subList(0, LEVELS.size() - 1))
          + " or " + LEVELS.get(LEVELS.size() - 1) + ", was '" + level.value() + "'");
    }
    return new Logging(f, l, format, level);
  }

  private static BotSettings.Value orDefault(BotSettings settings, String key, String value) {
    BotSettings.Value v = settings.find(key);
    return v != null ? v : new BotSettings.Value(key, value, "default");
  }
}
