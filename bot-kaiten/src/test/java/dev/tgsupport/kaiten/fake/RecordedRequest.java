package dev.tgsupport.kaiten.fake;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One request as the fake saw and answered it.
 *
 * @param sequence arrival order, from 1
 * @param method {@code GET}, {@code POST}, ...
 * @param path relative to the API base, without the query: {@code /cards/5000001/comments}
 * @param params query parameters, decoded
 * @param body the request body as text; empty when none
 * @param apiVersion {@code latest} or {@code v1}; empty for paths outside the API
 * @param authorized whether it carried a token the fake knows
 * @param userId the user the token belongs to; 0 when not authorized
 * @param status the HTTP status answered (the one written before the connection dropped, for a lost answer); 0
 *     when the connection was dropped before any answer
 * @param fault the scripted fault or rule applied ({@code "rate limit"}, {@code "answer lost"}, ...); nullable
 * @param receivedAt when it arrived
 */
public record RecordedRequest(
    long sequence,
    String method,
    String path,
    Map<String, List<String>> params,
    String body,
    String apiVersion,
    boolean authorized,
    long userId,
    int status,
    String fault,
    Instant receivedAt) {

  public RecordedRequest {
    params = Map.copyOf(params);
  }

  /** The first value of a query parameter. */
  public Optional<String> param(String name) {
    List<String> values = params.get(name);
    return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
  }

  /** The body parsed as JSON; a missing node when it is empty or not JSON. */
  public JsonNode json() {
    return body.isEmpty() ? Json.MAPPER.missingNode() : Json.tryParse(body).orElse(Json.MAPPER.missingNode());
  }

  /** {@code "POST /cards"}. */
  public String line() {
    return method + " " + path;
  }
}
