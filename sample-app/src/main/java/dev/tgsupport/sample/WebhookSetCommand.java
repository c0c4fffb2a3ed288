package dev.tgsupport.sample;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code tgsupport webhook set URL}: Telegram POSTs the bot's updates to URL from now on. */
@Command(
    name = "set",
    mixinStandardHelpOptions = true,
    versionProvider = TgSupportCli.Version.class,
    sortOptions = false,
    optionListHeading = "%nOptions:%n",
    parameterListHeading = "%nArguments:%n",
    usageHelpAutoWidth = true,
    header = "Have Telegram POST the bot's updates to URL (then long polling stops working).",
    description = {
      "Registers URL with the secret of TGSUPPORT_WEBHOOK_SECRET, which Telegram sends back with every update;"
          + " 'run' in webhook mode needs the same secret. Then prints the webhook's status as 'webhook info' does."
    },
    footerHeading = "%n",
    footer = {
      "Uses TELEGRAM_BOT_TOKEN, TELEGRAM_API_URL and TGSUPPORT_WEBHOOK_SECRET",
      "(see 'run --help').",
      "Exit codes: 0 set; 1 Telegram refused or could not be reached; 2 a missing or",
      "malformed setting or URL."
    })
final class WebhookSetCommand implements Callable<Integer> {
  @ParentCommand private WebhookCommand webhook;

  @Mixin private ConfigOption config;

  @Parameters(
      index = "0",
      paramLabel = "URL",
      description = "The public URL of 'run' in webhook mode, ending in /telegram/webhook. Telegram only calls"
          + " HTTPS URLs on ports 443, 80, 88 or 8443.")
  private String url;

  @Option(names = "--drop-pending", description = "Drop the updates Telegram is still keeping for the bot.")
  private boolean dropPending;

  @Option(names = "--json", description = "Print the status as one JSON object.")
  private boolean json;

  @Override
  public Integer call() {
    return WebhookCommand.withAdapter(webhook.cli(), config, "tgsupport webhook set", json,
        settings -> settings.webhookSecret("'webhook set' registers it with Telegram"),
        (adapter, secret) -> {
          adapter.setWebhook(url, secret, dropPending);
          return adapter.webhookInfo();
        });
  }
}
