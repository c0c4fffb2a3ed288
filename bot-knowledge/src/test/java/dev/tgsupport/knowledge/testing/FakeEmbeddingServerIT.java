package dev.tgsupport.knowledge.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tgsupport.knowledge.testing.FakeEmbeddingServer.Fault;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The fake's own wire format, spoken by a plain HTTP client, so tests built on it test against the real shape. */
class FakeEmbeddingServerIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private HttpResponse<String> post(FakeEmbeddingServer server, String body, String auth) throws Exception {
    HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(server.baseUrl() + "/v1/embeddings"))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
    if (auth != null) {
      r.header("Authorization", auth);
    }
    return http.send(r.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void answersAStringInputInTheOpenAiShape() throws Exception {
    try (FakeEmbeddingServer server = FakeEmbeddingServer.builder().dimension(8).start()) {
      HttpResponse<String> r = post(server, "{\"model\":\"m\",\"input\":\"hello world\"}", null);

      assertThat(r.statusCode()).isEqualTo(200);
      JsonNode body = JSON.readTree(r.body());
      assertThat(body.get("object").asText()).isEqualTo("list");
      assertThat(body.get("model").asText()).isEqualTo("m");
      assertThat(body.get("usage").get("prompt_tokens").asInt()).isEqualTo(2);
      JsonNode item = body.get("data").get(0);
      assertThat(item.get("object").asText()).isEqualTo("embedding");
      assertThat(item.get("index").asInt()).isZero();
      assertThat(item.get("embedding")).hasSize(8);
      assertThat(server.requests().get(0).inputWasString()).isTrue();
    }
  }

  @Test
  void shufflingListsDataOutOfOrder() throws Exception {
    try (FakeEmbeddingServer server = FakeEmbeddingServer.builder().shuffleData(1).start()) {
      HttpResponse<String> r = post(server, "{\"model\":\"m\",\"input\":[\"a\",\"b\",\"c\",\"d\",\"e\",\"f\"]}", null);
      List<Integer> order = new ArrayList<>();
      JSON.readTree(r.body()).get("data").forEach(d -> order.add(d.get("index").asInt()));
      assertThat(order).containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5).isNotEqualTo(List.of(0, 1, 2, 3, 4, 5));
    }
  }

  @Test
  void refusesLikeARealServer() throws Exception {
    try (FakeEmbeddingServer server = FakeEmbeddingServer.builder().apiKey("sk-fake-key-0123456789").start()) {
      HttpResponse<String> noKey = post(server, "{\"model\":\"m\",\"input\":\"x\"}", null);
      assertThat(noKey.statusCode()).isEqualTo(401);
      assertThat(JSON.readTree(noKey.body()).get("error").get("message").asText())
          .isEqualTo("You didn't provide an API key.");

      HttpResponse<String> noModel = post(server, "{\"input\":\"x\"}", "Bearer sk-fake-key-0123456789");
      assertThat(noModel.statusCode()).isEqualTo(400);
      assertThat(JSON.readTree(noModel.body()).get("error").get("param").asText()).isEqualTo("model");

      server.enqueue(Fault.rateLimited("5"));
      HttpResponse<String> limited = post(server, "{\"model\":\"m\",\"input\":\"x\"}", "Bearer sk-fake-key-0123456789");
      assertThat(limited.statusCode()).isEqualTo(429);
      assertThat(limited.headers().firstValue("Retry-After")).contains("5");

      assertThat(server.batchSizes()).containsExactly(1, 1, 1);
      assertThat(server.requests().toString()).doesNotContain("sk-fake-key").contains("authorization");
      assertThat(server.toString()).doesNotContain("sk-fake-key");
    }
  }
}
