package dev.tgsupport.sample;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code tgsupport webhook delete}: Telegram keeps the bot's updates for long polling again. */
@Command(
    name = "delete",
    mixinStandardHelpOptions = true,
    versionProvider = TgSupportCli.Version.class,
    sortOptions = false,
    optionListHeading = "%nOptions:%n",
    usageHelpAutoWidth = true,
    header = "Remove the webhook, so that 'run' can use long polling.",
    description = {
      "Telegram then keeps new updates (up to 24 hours) until the bot fetches them. Prints the webhook's status"
          + " afterwards, as 'webhook info' does."
    },
    footerHeading = "%n",
    footer = {
      "Uses TELEGRAM_BOT_TOKEN and TELEGRAM_API_URL (see 'run --help').",
      "Exit codes: 0 deleted (or there was none); 1 Telegram refused or could not be",
      "reached; 2 a missing or malformed setting."
    })
final class WebhookDeleteCommand implements Callable<Integer> {
  @ParentCommand private WebhookCommand webhook;

  @Mixin private ConfigOption config;

  @Option(names = "--drop-pending", description = "Also drop the updates Telegram is still keeping for the bot.")
  private boolean dropPending;

  @Option(names = "--json", description = "Print the status as one JSON object.")
  private boolean json;

  @Override
  public Integer call() {
    return WebhookCommand.withAdapter(webhook.cli(), config, "tgsupport webhook delete", json, settings -> null,
        (adapter, none) -> {
          adapter.deleteWebhook(dropPending);
          return adapter.webhookInfo();
        });
  }
}
