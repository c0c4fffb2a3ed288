package dev.tgsupport.sample;

import dev.tgsupport.core.BotException;
import dev.tgsupport.core.InvalidInputException;
import dev.tgsupport.telegram.TelegramAdapter;
import dev.tgsupport.telegram.WebhookStatus;
import java.util.function.BiFunction;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code tgsupport webhook set|delete|info}: what Telegram does with the bot's updates. Each subcommand talks to the
 * Bot API with {@code TELEGRAM_BOT_TOKEN} and {@code TELEGRAM_API_URL}, as {@code run} does.
 */
@Command(
    name = "webhook",
    mixinStandardHelpOptions = true,
    versionProvider = TgSupportCli.Version.class,
    usageHelpAutoWidth = true,
    optionListHeading = "%nOptions:%n",
    header = "Register, remove or show the bot's webhook with Telegram.",
    description = {
      "Telegram either keeps updates for long polling ('run' with TGSUPPORT_MODE=polling) or POSTs them to one"
          + " webhook URL ('run' with TGSUPPORT_MODE=webhook); these commands switch between the two. They use"
          + " TELEGRAM_BOT_TOKEN and TELEGRAM_API_URL (and, for set, TGSUPPORT_WEBHOOK_SECRET) from the"
          + " environment or a --config file, as 'run' does."
    },
    commandListHeading = "%nCommands:%n",
    subcommands = {WebhookSetCommand.class, WebhookDeleteCommand.class, WebhookInfoCommand.class})
final class WebhookCommand implements Runnable {
  @ParentCommand private TgSupportCli cli;

  @Spec private CommandLine.Model.CommandSpec spec;

  TgSupportCli cli() {
    return cli;
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "Missing required subcommand");
  }

  /**
   * Runs {@code call} with an adapter for the configured bot, and prints the webhook status it returns.
   *
   * @param program the prefix of error lines, such as {@code tgsupport webhook set}
   * @param prepare reads and checks what else the call needs from the settings, before anything is sent
   * @return the exit code: 0, or 2 for a missing or malformed setting
   * @throws TgSupportCli.CliFailure when Telegram refused or could not be reached, in one line
   */
  static <T> int withAdapter(TgSupportCli cli, ConfigOption config, String program, boolean json,
      Function<BotSettings, T> prepare, BiFunction<TelegramAdapter, T, WebhookStatus> call) {
    BotSettings settings = null;
    String token;
    String apiUrl;
    T prepared;
    try {
      settings = config.load(cli.env());
      token = settings.token();
      apiUrl = settings.apiUrl().value();
      prepared = prepare.apply(settings);
    } catch (UsageFailure e) {
      cli.io().err().println(program + ": " + (settings == null ? e.getMessage() : settings.scrub(e.getMessage())));
      return UsageFailure.EXIT_CODE;
    }
    WebhookStatus status;
    try (TelegramAdapter adapter = TelegramAdapter.builder().token(token).apiUrl(apiUrl).build()) {
      status = call.apply(adapter, prepared);
    } catch (InvalidInputException e) {
      if (e.field().startsWith("webhook.")) {
        // The adapter's own check of the URL, before anything was sent.
        cli.io().err().println(program + ": " + settings.scrub(e.getMessage().replace(e.field(), "URL")));
        return UsageFailure.EXIT_CODE;
      }
      throw new TgSupportCli.CliFailure(TelegramFailures.explain(e, settings, apiUrl));
    } catch (BotException e) {
      throw new TgSupportCli.CliFailure(TelegramFailures.explain(e, settings, apiUrl));
    }
    WebhookInfoCommand.print(cli.io().out(), status, json);
    return 0;
  }
}
