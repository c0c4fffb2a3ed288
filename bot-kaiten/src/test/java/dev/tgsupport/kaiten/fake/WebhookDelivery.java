package dev.tgsupport.kaiten.fake;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * One attempt to deliver an external-webhook event.
 *
 * @param url where it was POSTed
 * @param event {@code card:add}, {@code comment:add}, ...
 * @param body the JSON body, {@code {"event": ..., "data": {...}}}
 * @param status the receiver's HTTP status; 0 when the POST failed on the network
 * @param error the failure; nullable
 * @param at when it was attempted
 */
public record WebhookDelivery(String url, String event, String body, int status, String error, Instant at) {

  public boolean delivered() {
    return status >= 200 && status < 300;
  }

  public JsonNode json() {
    return Json.tryParse(body).orElse(Json.MAPPER.missingNode());
  }
}
