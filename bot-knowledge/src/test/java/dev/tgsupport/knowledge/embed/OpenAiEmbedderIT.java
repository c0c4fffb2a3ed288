package dev.tgsupport.knowledge.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.tgsupport.core.AuthenticationException;
import dev.tgsupport.core.InvalidInputException;
import dev.tgsupport.core.NotFoundException;
import dev.tgsupport.core.OperationTimeoutException;
import dev.tgsupport.core.RateLimitedException;
import dev.tgsupport.core.ServerErrorException;
import dev.tgsupport.core.knowledge.Vectors;
import dev.tgsupport.knowledge.testing.FakeEmbeddingServer;
import dev.tgsupport.knowledge.testing.FakeEmbeddingServer.Fault;
import dev.tgsupport.knowledge.testing.FakeEmbeddingServer.RecordedRequest;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link OpenAiEmbedder} against {@link FakeEmbeddingServer}: the OpenAI wire format over loopback HTTP. */
class OpenAiEmbedderIT {
  private static final String MODEL = "text-embedding-3-small";
  private static final Instant NOW = Instant.parse("2026-11-23T15:00:00Z");

  private final List<Duration> sleeps = new CopyOnWriteArrayList<>();
  private final List<AutoCloseable> toClose = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : toClose) {
      c.close();
    }
  }

  private FakeEmbeddingServer server(FakeEmbeddingServer.Builder builder) {
    FakeEmbeddingServer server = builder.start();
    toClose.add(server);
    return server;
  }

  private FakeEmbeddingServer server() {
    return server(FakeEmbeddingServer.builder());
  }

  /** A client that records its waits instead of sleeping, with jitter pinned to the full backoff. */
  private OpenAiEmbedder.Builder client(FakeEmbeddingServer server) {
    return OpenAiEmbedder.builder().baseUrl(server.baseUrl()).model(MODEL).timeout(Duration.ofSeconds(5))
        .sleeper(sleeps::add).jitter(() -> 1.0).clock(Clock.fixed(NOW, ZoneOffset.UTC))
        .backoff(Duration.ofMillis(100), Duration.ofSeconds(1));
  }

  private OpenAiEmbedder open(OpenAiEmbedder.Builder builder) {
    OpenAiEmbedder embedder = builder.build();
    toClose.add(embedder);
    return embedder;
  }

  @Test
  void embedsATextWithTheServersVectorAndTheOpenAiRequestFormat() {
    FakeEmbeddingServer server = server();
    OpenAiEmbedder embedder = open(client(server));

    float[] v = embedder.embed("How do I reset my password?");

    assertThat(v).containsExactly(FakeEmbeddingServer.vectorFor("How do I reset my password?", 64));
    RecordedRequest r = server.requests().get(0);
    assertThat(r.method()).isEqualTo("POST");
    assertThat(r.path()).isEqualTo("/v1/embeddings");
    assertThat(r.model()).isEqualTo(MODEL);
    assertThat(r.input()).containsExactly("How do I reset my password?");
    assertThat(r.dimensions()).isNull();
    assertThat(r.header("Content-Type")).isEqualTo("application/json");
    assertThat(r.header("Authorization")).isNull();
    assertThat(embedder.modelName()).isEqualTo("openai:text-embedding-3-small");
  }

  @Test
  void theFakesVectorsMakeSimilarTextsClose() {
    float[] reset = FakeEmbeddingServer.vectorFor("How do I reset my password?", 256);
    float[] reset2 = FakeEmbeddingServer.vectorFor("how can I reset the password", 256);
    float[] hours = FakeEmbeddingServer.vectorFor("What are your opening hours on Sunday?", 256);
    assertThat(Vectors.cosine(reset, reset2)).isGreaterThan(Vectors.cosine(reset, hours) + 0.2);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "/", "/v1", "/v1/"})
  void theBaseUrlMayEndWithOrWithoutV1(String suffix) {
    FakeEmbeddingServer server = server();
    OpenAiEmbedder embedder = open(client(server).baseUrl(server.baseUrl() + suffix));

    assertThat(embedder.embed("hello")).hasSize(64);
    assertThat(server.requests().get(0).path()).isEqualTo("/v1/embeddings");
  }

  @Test
  void embedAllSendsBatchesAndKeepsInputOrderWhenTheServerShufflesItsAnswer() {
    FakeEmbeddingServer server = server(FakeEmbeddingServer.builder().shuffleData(7));
    OpenAiEmbedder embedder = open(client(server).batchSize(4));
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      texts.add("question " + i + " about invoice number " + (1000 + i));
    }

    List<float[]> vectors = embedder.embedAll(texts);

    assertThat(server.batchSizes()).containsExactly(4, 4, 2);
    assertThat(vectors).hasSize(10);
    for (int i = 0; i < 10; i++) {
      assertThat(vectors.get(i)).as("text %d", i).containsExactly(FakeEmbeddingServer.vectorFor(texts.get(i), 64));
    }
    assertThat(embedder.embedAll(List.of())).isEmpty();
    assertThat(server.requestCount()).isEqualTo(3);
  }

  @Test
  void theDimensionIsProbedWhenNothingWasEmbeddedYetAndLearntOtherwise() {
    FakeEmbeddingServer server = server(FakeEmbeddingServer.builder().dimension(48));
    OpenAiEmbedder probing = open(client(server));
    assertThat(probing.toString()).contains("dimension not yet known");

    assertThat(probing.dimension()).isEqualTo(48);
    assertThat(probing.dimension()).isEqualTo(48);
    assertThat(server.requestCount()).isEqualTo(1);

    OpenAiEmbedder learning = open(client(server));
    learning.embedAll(List.of("a", "b"));
    assertThat(learning.dimension()).isEqualTo(48);
    assertThat(server.requestCount()).isEqualTo(2);
    assertThat(learning.toString()).contains("48 dims");
  }

  @Test
  void configuredDimensionsAreSentAndNeedNoProbe() {
    FakeEmbeddingServer server = server();
    OpenAiEmbedder embedder = open(client(server).dimensions(32));

    assertThat(embedder.dimension()).isEqualTo(32);
    assertThat(server.requestCount()).isZero();
    assertThat(embedder.embed("hello")).hasSize(32);
    assertThat(server.requests().get(0).dimensions()).isEqualTo(32);
  }

  @Test
  void aVectorOfAnotherLengthThanLearntIsAServerError() {
    FakeEmbeddingServer server = server();
    OpenAiEmbedder embedder = open(client(server));
    embedder.embed("first");
    server.enqueue(Fault.body(200, "{\"object\":\"list\",\"data\":[{\"object\":\"embedding\",\"index\":0,"
        + "\"embedding\":[0.1,0.2,0.3]}],\"model\":\"m\"}"));

    assertThatThrownBy(() -> embedder.embed("second"))
        .isInstanceOf(ServerErrorException.class)
        .hasMessage("the embeddings endpoint " + server.baseUrl() + "/v1/embeddings returned a 3-dimensional vector"
            + " for model 'text-embedding-3-small', expected 64");
  }

  @Test
  void a429IsRetriedAfterTheRetryAfterSeconds() {
    FakeEmbeddingServer server = server();
    server.enqueue(Fault.rateLimited("2"));
    OpenAiEmbedder embedder = open(client(server));

    assertThat(embedder.embed("hello")).hasSize(64);
    assertThat(sleeps).containsExactly(Duration.ofSeconds(2));
    assertThat(server.requestCount()).isEqualTo(2);
  }

  @Test
  void aRetryAfterHttpDateIsHonouredToo() {
    FakeEmbeddingServer server = server();
    String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(NOW.plusSeconds(7).atZone(ZoneOffset.UTC));
    server.enqueue(Fault.rateLimited(date)).enqueue(Fault.unavailable("3"));
    OpenAiEmbedder embedder = open(client(server));

    assertThat(embedder.embed("hello")).hasSize(64);
    assertThat(sleeps).containsExactly(Duration.ofSeconds(7), Duration.ofSeconds(3));
  }

  @Test
  void serverErrorsAreRetriedWithExponentialBackoffThenSucceed() {
    FakeEmbeddingServer server = server();
    server.enqueue(Fault.status(500)).enqueue(Fault.status(502)).enqueue(Fault.status(503));
    OpenAiEmbedder embedder = open(client(server));

    assertThat(embedder.embed("hello")).containsExactly(FakeEmbeddingServer.vectorFor("hello", 64));
    assertThat(sleeps).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(400));
    assertThat(server.requestCount()).isEqualTo(4);
  }

  @Test
  void theJitterTakesBetweenHalfAndAllOfTheBackoffAndTheCapHolds() {
    FakeEmbeddingServer server = server();
    server.enqueue(5, Fault.status(500));
    OpenAiEmbedder embedder = open(client(server).jitter(() -> 0.0).maxRetries(5)
        .backoff(Duration.ofMillis(100), Duration.ofMillis(300)));

    embedder.embed("hello");
    assertThat(sleeps).containsExactly(Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(150),
        Duration.ofMillis(150), Duration.ofMillis(150));
  }

  @Test
  void rateLimitingThatOutlastsTheRetriesIsARateLimitedExceptionWithTheServersWait() {
    FakeEmbeddingServer server = server();
    server.enqueue(4, Fault.rateLimited("3"));
    OpenAiEmbedder embedder = open(client(server).maxRetries(3));

    RateLimitedException e = catchThrowableOfType(RateLimitedException.class, () -> embedder.embed("hello"));
    assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(3));
    assertThat(e).hasMessageContaining("is rate limiting (HTTP 429)");
    assertThat(server.requestCount()).isEqualTo(4);
    assertThat(sleeps).hasSize(3);
  }

  @Test
  void aRetryAfterLongerThanMaxRetryWaitFailsAtOnceCarryingIt() {
    FakeEmbeddingServer server = server();
    server.enqueue(Fault.rateLimited("120"));
    OpenAiEmbedder embedder = open(client(server).maxRetryWait(Duration.ofSeconds(30)));

    RateLimitedException e = catchThrowableOfType(RateLimitedException.class, () -> embedder.embed("hello"));
    assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(120));
    assertThat(e).hasMessageContaining("asked to wait 120 s, more than maxRetryWait 30 s");
    assertThat(sleeps).isEmpty();
    assertThat(server.requestCount()).isEqualTo(1);
  }

  @Test
  void maxRetryWaitBoundsTheServersWaitNotTheClientsOwnBackoff() {
    FakeEmbeddingServer server = server();
    server.enqueue(Fault.status(500)).enqueue(Fault.unavailable("1"));
    OpenAiEmbedder embedder = open(client(server).maxRetryWait(Duration.ZERO));

    RateLimitedException e = catchThrowableOfType(RateLimitedException.class, () -> embedder.embed("hello"));
    assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(1));
    assertThat(e).hasMessageContaining("failed (HTTP 503)").hasCauseInstanceOf(ServerErrorException.class);
    assertThat(sleeps).containsExactly(Duration.ofMillis(100));
  }

  @Test
  void serverErrorsThatOutlastTheRetriesAreAServerErrorException() {
    FakeEmbeddingServer server = server();
    server.enqueue(3, Fault.status(500));
    OpenAiEmbedder embedder = open(client(server).maxRetries(2));

    assertThatThrownBy(() -> embedder.embed("hello"))
        .isInstanceOf(ServerErrorException.class)
        .hasMessage("the embeddings endpoint " + server.baseUrl() + "/v1/embeddings failed (HTTP 500): The server"
            + " had an error");
    assertThat(server.requestCount()).isEqualTo(3);
  }

  @Test
  void aSlowServerIsATimeoutAndIsRetried() {
    FakeEmbeddingServer server = server();
    server.enqueue(Fault.delay(Duration.ofMillis(1500)));
    OpenAiEmbedder retrying = open(client(server).timeout(Duration.ofMillis(200)).maxRetries(1));
    assertThat(retrying.embed("hello")).hasSize(64);
    assertThat(sleeps).containsExactly(Duration.ofMillis(100));

    server.enqueue(Fault.delay(Duration.ofMillis(1500)));
    OpenAiEmbedder once = open(client(server).timeout(Duration.ofMillis(200)).maxRetries(0));
    assertThatThrownBy(() -> once.embed("hello"))
        .isInstanceOf(OperationTimeoutException.class)
        .hasMessage("embeddings request to " + server.baseUrl() + "/v1/embeddings timed out after 200 ms (batch of"
            + " 1 texts)");
  }

  @Test
  void aRefusedConnectionIsAServerErrorNamingTheEndpoint() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    OpenAiEmbedder embedder = open(OpenAiEmbedder.builder().baseUrl("http://127.0.0.1:" + port).model(MODEL)
        .maxRetries(2).sleeper(sleeps::add));

    assertThatThrownBy(() -> embedder.embed("hello"))
        .isInstanceOf(ServerErrorException.class)
        .hasMessage("cannot connect to the embeddings endpoint http://127.0.0.1:" + port
            + "/v1/embeddings: connection refused");
    assertThat(sleeps).hasSize(2);
  }

  @Test
  void theKeyIsSentAsABearerToken() {
    FakeEmbeddingServer server = server(FakeEmbeddingServer.builder().apiKey("sk-test-good-0123456789"));
    OpenAiEmbedder embedder = open(client(server).apiKey("sk-test-good-0123456789"));

    assertThat(embedder.embed("hello")).hasSize(64);
    assertThat(server.requests().get(0).header("authorization")).isEqualTo("Bearer sk-test-good-0123456789");
    assertThat(server.requests().get(0).toString()).doesNotContain("sk-test-good");
  }

  @Test
  void aRefusedKeyIsAnAuthenticationErrorThatNeverShowsTheKeyInMessagesToStringOrLogs() {
    String key = "sk-proj-WRONGsecretKEY-abcdefghij987654";
    FakeEmbeddingServer server = server(FakeEmbeddingServer.builder().apiKey("sk-the-right-one-000000000"));
    server.enqueue(Fault.body(429, "{\"error\":{\"message\":\"slow down, " + key + "\",\"type\":\"requests\"}}"));
    OpenAiEmbedder embedder = open(client(server).apiKey(key));

    ByteArrayOutputStream logs = new ByteArrayOutputStream();
    PrintStream stderr = System.err;
    AuthenticationException e;
    try {
      System.setErr(new PrintStream(logs, true, StandardCharsets.UTF_8));
      e = catchThrowableOfType(AuthenticationException.class, () -> embedder.embed("hello"));
    } finally {
      System.setErr(stderr);
    }

    assertThat(e).hasMessage("the embeddings endpoint " + server.baseUrl() + "/v1/embeddings refused the API key"
        + " (HTTP 401, invalid_request_error)");
    String log = logs.toString(StandardCharsets.UTF_8);
    assertThat(log).as("the retry after the 429 was logged").contains("retry 1 of 3").contains("slow down, ***");
    for (String shown : List.of(e.getMessage(), embedder.toString(), log, String.valueOf(e.getCause()))) {
      assertThat(shown).doesNotContain(key).doesNotContain("WRONGsecret").doesNotContain("987654");
    }
    assertThat(embedder.toString()).contains("apiKey=***");
  }

  @Test
  void noKeyForAServerThatWantsOneSaysSo() {
    FakeEmbeddingServer server = server(FakeEmbeddingServer.builder().apiKey("sk-needed-0000000000"));
    OpenAiEmbedder embedder = open(client(server));

    assertThatThrownBy(() -> embedder.embed("hello"))
        .isInstanceOf(AuthenticationException.class)
        .hasMessageContaining("requires an API key and none was configured (HTTP 401");
    assertThat(embedder.toString()).contains("apiKey=none");
  }

  @Test
  void aBatchAboveTheServersLimitIsInvalidInputNamingTexts() {
    FakeEmbeddingServer server = server(FakeEmbeddingServer.builder().maxBatchSize(2));
    OpenAiEmbedder embedder = open(client(server).batchSize(5));

    InvalidInputException e = catchThrowableOfType(InvalidInputException.class,
        () -> embedder.embedAll(List.of("a", "b", "c")));
    assertThat(e.field()).isEqualTo("texts");
    assertThat(e).hasMessage("texts refused by " + server.baseUrl() + "/v1/embeddings (HTTP 400) for a batch of 3"
        + " texts: '$.input' must have at most 2 items, was 3");
    assertThat(server.requestCount()).isEqualTo(1);
  }

  @Test
  void dimensionsTheModelRefusesAreInvalidInputNamingDimensions() {
    FakeEmbeddingServer server = server();
    OpenAiEmbedder embedder = open(client(server).dimensions(5000));

    InvalidInputException e = catchThrowableOfType(InvalidInputException.class, () -> embedder.embed("hi"));
    assertThat(e.field()).isEqualTo("dimensions");
    assertThat(e).hasMessageContaining("must be an integer in 1..4096, was 5000");
  }

  @Test
  void anUnknownModelOrPathIsNotFoundNamingBoth() {
    FakeEmbeddingServer server = server(FakeEmbeddingServer.builder().models("nomic-embed-text"));
    OpenAiEmbedder wrongModel = open(client(server));
    assertThatThrownBy(() -> wrongModel.embed("hi"))
        .isInstanceOf(NotFoundException.class)
        .hasMessage("model 'text-embedding-3-small' or the endpoint " + server.baseUrl() + "/v1/embeddings was not"
            + " found (HTTP 404): The model `text-embedding-3-small` does not exist or you do not have access to it.");

    OpenAiEmbedder wrongPath = open(client(server).model("nomic-embed-text").baseUrl(server.baseUrl() + "/api"));
    assertThatThrownBy(() -> wrongPath.embed("hi"))
        .isInstanceOf(NotFoundException.class)
        .hasMessageContaining(server.baseUrl() + "/api/v1/embeddings was not found (HTTP 404)");
    assertThat(open(client(server).model("nomic-embed-text")).embed("hi")).hasSize(64);
  }

  @Test
  void malformedAnswersAreServerErrorsSayingWhatWasWrongAndAreNotRetried() {
    FakeEmbeddingServer server = server();
    OpenAiEmbedder embedder = open(client(server));
    String item = "{\"object\":\"embedding\",\"index\":%s,\"embedding\":%s}";

    assertMalformed(server, embedder, "{not json", "answered with a body that is not JSON");
    assertMalformed(server, embedder, "<html>Bad Gateway</html>", "answered with a body that is not JSON");
    assertMalformed(server, embedder, "{\"object\":\"list\"}", "answered with a body that has no \"data\" array");
    assertMalformed(server, embedder, "{\"data\":[]}", "returned 0 embeddings for 2 texts");
    assertMalformed(server, embedder, "{\"data\":[" + item.formatted("0", "[1]") + "," + item.formatted("0", "[1]")
        + "]}", "returned index 0 twice for 2 texts");
    assertMalformed(server, embedder, "{\"data\":[" + item.formatted("0", "[1]") + "," + item.formatted("5", "[1]")
        + "]}", "returned index 5 outside 0..1 for 2 texts");
    assertMalformed(server, embedder, "{\"data\":[" + item.formatted("0", "[1]") + "," + item.formatted("\"x\"",
        "[1]") + "]}", "has data[1] without an integer \"index\"");
    assertMalformed(server, embedder, "{\"data\":[" + item.formatted("0", "[1]") + "," + item.formatted("1",
        "[\"a\"]") + "]}", "has data[1].embedding[0] that is not a number");
    assertMalformed(server, embedder, "{\"data\":[" + item.formatted("0", "[1]") + "," + item.formatted("1", "[]")
        + "]}", "has data[1] without a non-empty \"embedding\" array");
    assertMalformed(server, embedder, "{\"data\":[" + item.formatted("0", "[1]") + "," + item.formatted("1",
        "[1,2]") + "]}", "returned a 2-dimensional vector for model 'text-embedding-3-small', expected 1");
    assertThat(sleeps).isEmpty();
  }

  private static void assertMalformed(FakeEmbeddingServer server, OpenAiEmbedder embedder, String body,
      String problem) {
    int before = server.requestCount();
    server.enqueue(Fault.body(200, body));
    assertThatThrownBy(() -> embedder.embedAll(List.of("one", "two")))
        .isInstanceOf(ServerErrorException.class)
        .hasMessageContaining(problem);
    assertThat(server.requestCount()).isEqualTo(before + 1);
  }

  @Test
  void blankTextIsRefusedBeforeAnythingIsSent() {
    FakeEmbeddingServer server = server();
    OpenAiEmbedder embedder = open(client(server));

    assertThatThrownBy(() -> embedder.embed(" "))
        .isInstanceOf(InvalidInputException.class).hasMessage("text must not be blank");
    assertThatThrownBy(() -> embedder.embedAll(List.of("a", "b", "c", "\n")))
        .isInstanceOf(InvalidInputException.class).hasMessage("texts[3] must not be blank");
    assertThatThrownBy(() -> embedder.embedAll(null))
        .isInstanceOf(InvalidInputException.class).hasMessage("texts must not be null");
    assertThat(server.requestCount()).isZero();
  }

  @Test
  void aClosedEmbedderRefusesToWork() {
    FakeEmbeddingServer server = server();
    OpenAiEmbedder embedder = client(server).build();
    embedder.close();
    embedder.close();

    assertThatThrownBy(() -> embedder.embed("hello"))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("is closed");
  }
}
