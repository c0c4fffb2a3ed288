package dev.tgsupport.telegram;

import java.time.Instant;
import java.util.List;

/**
 * What Telegram reports about the webhook ({@code getWebhookInfo}).
 *
 * @param url empty when no webhook is set (updates are then fetched by polling)
 * @param lastErrorDate nullable
 * @param lastErrorMessage nullable
 */
public record WebhookStatus(String url, int pendingUpdateCount, Instant lastErrorDate, String lastErrorMessage,
    Integer maxConnections, List<String> allowedUpdates) {

  public boolean isSet() {
    return url != null && !url.isEmpty();
  }
}
