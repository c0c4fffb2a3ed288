package dev.tgsupport.sample;

import dev.tgsupport.core.moderation.SpamModeration;
import dev.tgsupport.core.port.Moderator;
import dev.tgsupport.core.text.SpamDetector;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * The {@code TGSUPPORT_SPAM_*} settings of {@code run}: where the spam detector's sample files are and what happens to
 * spam. Spam detection is always on in groups (its built-in checks need no files); staff teach it with {@code /spam}
 * and {@code /notspam}, and what they teach is kept in storage.
 */
final class SpamSettings {
  /** A directory with tg-spam's files: spam-samples.txt, ham-samples.txt, stop-words.txt (each optional). */
  static final String SAMPLES = "TGSUPPORT_SPAM_SAMPLES";
  /** true (default) or false: delete messages judged spam when the bot may. */
  static final String DELETE = "TGSUPPORT_SPAM_DELETE";
  /** A duration such as 1h, or off (default): how long the author of spam may not write. */
  static final String RESTRICT = "TGSUPPORT_SPAM_RESTRICT";
  static final List<String> KEYS = List.of(SAMPLES, DELETE, RESTRICT);
  static final List<String> FILES = List.of("spam-samples.txt", "ham-samples.txt", "stop-words.txt");

  /**
   * What was configured.
   *
   * @param samples the samples directory; null for none
   * @param restrict null when authors are not restricted
   */
  record Spam(Path samples, boolean delete, Duration restrict) {
    /** The detector from the sample files (or with its built-in checks only), wrapped for teaching. */
    SpamModeration moderation(Moderator moderator) {
      SpamDetector base;
      if (samples == null) {
        base = SpamDetector.builder().build();
      } else {
        try {
          base = SpamDetector.fromFiles(existing(FILES.get(0)), existing(FILES.get(1)), existing(FILES.get(2)));
        } catch (UncheckedIOException e) {
          throw new UsageFailure(SAMPLES + "=" + samples + ": cannot read the samples (" + e.getCause().getMessage()
              + ")");
        }
      }
      return SpamModeration.builder(base).moderator(moderator).deleteSpam(delete).restrictSpammers(restrict).build();
    }

    private Path existing(String name) {
      Path p = samples.resolve(name);
      return Files.isRegularFile(p) ? p : null;
    }

    /** One line for the start-up report. */
    String describe(SpamModeration moderation) {
      SpamDetector d = moderation.detector();
      return (samples == null ? "built-in checks (" + SAMPLES + " is not set)"
          : d.spamSamples() + " spam and " + d.hamSamples() + " ham samples in all (files in " + samples
              + " plus what staff taught)")
          + "; spam is " + (delete ? "deleted when the bot may" : "kept (" + DELETE + "=false)")
          + (restrict == null ? "" : " and its author restricted for " + KaitenSettings.show(restrict))
          + "; staff teach it with /spam and /notspam";
    }
  }

  private SpamSettings() {}

  /** @throws UsageFailure naming the variable that is malformed */
  static Spam load(BotSettings settings) {
    Path dir = null;
    BotSettings.Value samples = settings.find(SAMPLES);
    if (samples != null) {
      dir = Path.of(samples.value());
      if (!Files.isDirectory(dir)) {
        throw new UsageFailure(samples.where() + " must be a directory holding " + String.join(", ", FILES)
            + ", was '" + samples.value() + "'");
      }
      Path d = dir;
      boolean any = FILES.stream().anyMatch(f -> Files.isRegularFile(d.resolve(f)));
      if (!any) {
        throw new UsageFailure(samples.where() + "=" + samples.value() + " holds none of " + String.join(", ", FILES));
      }
    }
    boolean delete = true;
    BotSettings.Value del = settings.find(DELETE);
    if (del != null) {
      String v = del.value().toLowerCase(Locale.ROOT);
      if (!v.equals("true") && !v.equals("false")) {
        throw new UsageFailure(del.where() + " must be true or false, was '" + del.value() + "'");
      }
      delete = v.equals("true");
    }
    Duration restrict = null;
    BotSettings.Value r = settings.find(RESTRICT);
    if (r != null && !r.value().equalsIgnoreCase("off")) {
      restrict = KaitenSettings.duration(r.value());
      if (restrict == null || restrict.isNegative() || restrict.isZero()) {
        throw new UsageFailure(r.where() + " must be a duration such as 30m, 1h or 1d, or off, was '" + r.value()
            + "'");
      }
    }
    return new Spam(dir, delete, restrict);
  }
}
