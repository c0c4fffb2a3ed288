package dev.tgsupport.sample;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tgsupport.telegram.WebhookStatus;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code tgsupport webhook info}: what Telegram reports about the webhook (getWebhookInfo). */
@Command(
    name = "info",
    mixinStandardHelpOptions = true,
    versionProvider = TgSupportCli.Version.class,
    sortOptions = false,
    optionListHeading = "%nOptions:%n",
    usageHelpAutoWidth = true,
    header = "Show where Telegram delivers the bot's updates, and the last delivery error.",
    footerHeading = "%nOutput (stdout), one 'key: value' line each, in this order:%n",
    footer = {
      "  url                   the webhook URL; empty when none is set (polling)",
      "  pending_update_count  updates Telegram keeps, not yet delivered",
      "  last_error_date       when a delivery last failed (ISO-8601, UTC)",
      "  last_error_message    why it failed",
      "  max_connections       parallel deliveries Telegram allows",
      "  allowed_updates       the update types delivered, comma-separated",
      "A value that Telegram does not report is empty (nothing after ': ').",
      "With --json, one object with the same keys: null for an empty value, except",
      "url (\"\") and allowed_updates (an array).",
      "",
      "Uses TELEGRAM_BOT_TOKEN and TELEGRAM_API_URL (see 'run --help').",
      "Exit codes: 0 done; 1 Telegram refused or could not be reached; 2 a missing",
      "or malformed setting."
    })
final class WebhookInfoCommand implements Callable<Integer> {
  static final List<String> KEYS = List.of("url", "pending_update_count", "last_error_date", "last_error_message",
      "max_connections", "allowed_updates");
  private static final ObjectMapper JSON = new ObjectMapper();

  @ParentCommand private WebhookCommand webhook;

  @Mixin private ConfigOption config;

  @Option(names = "--json", description = "Print one JSON object instead of 'key: value' lines.")
  private boolean json;

  @Override
  public Integer call() {
    return WebhookCommand.withAdapter(webhook.cli(), config, "tgsupport webhook info", json, settings -> null,
        (adapter, none) -> adapter.webhookInfo());
  }

  /** The status as {@link #KEYS} lines, or as one JSON object. */
  static void print(PrintWriter out, WebhookStatus s, boolean json) {
    if (json) {
      out.println(toJson(s));
    } else {
      out.println("url: " + s.url());
      out.println("pending_update_count: " + s.pendingUpdateCount());
      out.println("last_error_date: " + (s.lastErrorDate() == null ? "" : s.lastErrorDate()));
      out.println("last_error_message: " + (s.lastErrorMessage() == null ? "" : oneLine(s.lastErrorMessage())));
      out.println("max_connections: " + (s.maxConnections() == null ? "" : s.maxConnections()));
      out.println("allowed_updates: " + String.join(",", s.allowedUpdates()));
    }
    out.flush();
  }

  static String toJson(WebhookStatus s) {
    ObjectNode o = JSON.createObjectNode();
    o.put("url", s.url());
    o.put("pending_update_count", s.pendingUpdateCount());
    o.put("last_error_date", s.lastErrorDate() == null ? null : s.lastErrorDate().toString());
    o.put("last_error_message", s.lastErrorMessage());
    o.put("max_connections", s.maxConnections());
    ArrayNode allowed = o.putArray("allowed_updates");
    s.allowedUpdates().forEach(allowed::add);
    try {
      return JSON.writeValueAsString(o);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String oneLine(String text) {
    // The value must stay on its own line for scripts that read 'key: value'.
    return text.replace('\r', ' ').replace('\n', ' ');
  }
}
