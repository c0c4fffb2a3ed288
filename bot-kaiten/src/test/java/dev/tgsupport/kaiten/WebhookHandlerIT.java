package dev.tgsupport.kaiten;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.tgsupport.core.InvalidInputException;
import dev.tgsupport.core.memory.InMemoryReplyGateway;
import dev.tgsupport.core.memory.InMemoryStorage;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WebhookHandlerIT {
  private static final String SECRET = "s3cr3t-AbCdEfGhIjKlMnOpQrSt";
  private final List<Long> synced = new CopyOnWriteArrayList<>();
  private final HttpClient client = HttpClient.newHttpClient();
  private HttpServer http;
  private String base;

  @BeforeEach
  void setUp() throws Exception {
    http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    // Mounted at the root, so that every wrong path reaches the handler and must be refused by it.
    http.createContext("/", new WebhookHandler(SECRET, Runnable::run, synced::add, Duration.ofMinutes(1)));
    http.start();
    base = "http://127.0.0.1:" + http.getAddress().getPort();
  }

  @AfterEach
  void tearDown() {
    http.stop(0);
  }

  private HttpResponse<String> post(String path, String body) throws Exception {
    return client.send(HttpRequest.newBuilder(URI.create(base + path)).POST(HttpRequest.BodyPublishers.ofString(body))
        .build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aCommentEventSyncsItsCardOnce() throws Exception {
    String body = "{\"event\":\"comment:add\",\"data\":{\"id\":900,\"card_id\":5000001,\"text\":\"hi\"}}";
    assertThat(post("/kaiten/webhook/" + SECRET, body).statusCode()).isEqualTo(200);
    HttpResponse<String> again = post("/kaiten/webhook/" + SECRET, body);
    assertThat(again.statusCode()).isEqualTo(200);
    assertThat(again.body()).isEqualTo("duplicate");
    assertThat(synced).containsExactly(5000001L);
  }

  @Test
  void wrongSecretsAndPathsAre404WithoutSyncing() throws Exception {
    String body = "{\"event\":\"card:add\",\"data\":{\"id\":5}}";
    for (String path : List.of("/kaiten/webhook/", "/kaiten/webhook/wrong", "/kaiten/webhook/" + SECRET + "x",
        "/kaiten/webhook/" + SECRET.substring(1), "/" + SECRET, "/kaiten/webhook/" + SECRET + "/")) {
      assertThat(post(path, body).statusCode()).as(path).isEqualTo(404);
    }
    assertThat(synced).isEmpty();
  }

  @Test
  void onlyPostIsAccepted() throws Exception {
    HttpResponse<String> get = client.send(HttpRequest.newBuilder(URI.create(base + "/kaiten/webhook/" + SECRET))
        .GET().build(), HttpResponse.BodyHandlers.ofString());
    assertThat(get.statusCode()).isEqualTo(405);
  }

  @Test
  void badAndOversizedBodiesAreRefused() throws Exception {
    assertThat(post("/kaiten/webhook/" + SECRET, "not json").statusCode()).isEqualTo(400);
    assertThat(post("/kaiten/webhook/" + SECRET, "[1,2]").statusCode()).isEqualTo(400);
    String huge = "{\"event\":\"card:add\",\"data\":{\"x\":\"" + "a".repeat(300_000) + "\"}}";
    assertThat(post("/kaiten/webhook/" + SECRET, huge).statusCode()).isEqualTo(413);
    HttpResponse<String> noCard = post("/kaiten/webhook/" + SECRET, "{\"event\":\"space:update\",\"data\":{}}");
    assertThat(noCard.statusCode()).isEqualTo(200);
    assertThat(noCard.body()).isEqualTo("ignored");
    assertThat(synced).isEmpty();
  }

  @Test
  void theCardIdComesFromWhereEachEventPutsIt() throws Exception {
    assertThat(WebhookHandler.cardId(KaitenJson.MAPPER.readTree(
        "{\"event\":\"card:move\",\"data\":{\"old\":{\"id\":7},\"changes\":{\"column_id\":102}}}"))).hasValue(7);
    assertThat(WebhookHandler.cardId(KaitenJson.MAPPER.readTree(
        "{\"event\":\"card:add\",\"data\":{\"id\":8}}"))).hasValue(8);
    assertThat(WebhookHandler.cardId(KaitenJson.MAPPER.readTree(
        "{\"event\":\"comment:add\",\"data\":{\"id\":900,\"card_id\":9}}"))).hasValue(9);
    assertThat(WebhookHandler.cardId(KaitenJson.MAPPER.readTree(
        "{\"event\":\"comment:update\",\"data\":{\"old\":{\"id\":900,\"card_id\":10}}}"))).hasValue(10);
    assertThat(WebhookHandler.cardId(KaitenJson.MAPPER.readTree(
        "{\"event\":\"comment:add\",\"data\":{\"id\":900}}"))).isEmpty();
  }

  @Test
  void theBridgeRefusesGuessableSecrets() {
    KaitenBridge bridge = KaitenBridge.builder().config(KaitenConfig.builder().baseUrl("https://acme.kaiten.ru")
        .token("t0ken").boardId(1).columnId(2).build()).transactions(InMemoryStorage.create())
        .replies(InMemoryReplyGateway.create()).build();
    try {
      assertThatThrownBy(() -> bridge.webhookHandler("short")).isInstanceOf(InvalidInputException.class)
          .hasMessageContaining("kaiten.webhookSecret").hasMessageNotContaining("short");
      assertThatThrownBy(() -> bridge.webhookHandler("has spaces and is long enough ok"))
          .isInstanceOf(InvalidInputException.class);
      assertThat(KaitenBridge.newWebhookSecret()).hasSize(32).matches("[A-Za-z0-9_-]+");
      assertThat(bridge.webhookHandler(KaitenBridge.newWebhookSecret())).isNotNull();
    } finally {
      bridge.close();
    }
  }
}
