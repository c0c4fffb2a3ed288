package dev.tgsupport.telegram.fake;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * One request as the fake saw and answered it. Parameters are strings exactly as they arrived (JSON-valued ones such
 * as {@code reply_parameters} stay JSON text, whatever the body encoding).
 *
 * @param method the Bot API method as the fake knows it ({@code sendMessage}), or as sent when unknown
 * @param params text parameters from the query string and the body
 * @param files uploaded file parts: part name to file name; contents are not kept
 * @param receivedAt when the request arrived
 * @param status the HTTP status answered; 0 when the connection was dropped
 * @param description the error description answered, or {@code null} on success
 * @param viaWebhookReply true when the call came as the body of a webhook answer, not over HTTP
 */
public record RecordedRequest(
    String method,
    Map<String, String> params,
    Map<String, String> files,
    Instant receivedAt,
    int status,
    String description,
    boolean viaWebhookReply) {

  public RecordedRequest {
    params = Map.copyOf(params);
    files = Map.copyOf(files);
  }

  public Optional<String> param(String name) {
    return Optional.ofNullable(params.get(name));
  }

  public boolean ok() {
    return status == 200;
  }
}
