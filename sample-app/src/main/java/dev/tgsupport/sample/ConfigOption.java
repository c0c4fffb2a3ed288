package dev.tgsupport.sample;

import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Option;

/** {@code --config FILE}, shared by {@code run} and the {@code webhook} commands (a picocli mixin). */
final class ConfigOption {
  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "A Java properties file (UTF-8) with the same keys as the environment variables, such as"
          + " TELEGRAM_BOT_TOKEN=123456:ABC…; a variable set in the environment wins over the file.")
  private Path file;

  Path file() {
    return file;
  }

  /** The settings from {@code env} and the file; see {@link BotSettings#load}. */
  BotSettings load(Map<String, String> env) {
    return BotSettings.load(env, file);
  }
}
