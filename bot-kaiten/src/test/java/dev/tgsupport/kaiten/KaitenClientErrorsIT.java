package dev.tgsupport.kaiten;

import static dev.tgsupport.kaiten.fake.FakeKaitenServer.BOARD_ID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.sun.net.httpserver.HttpServer;
import dev.tgsupport.core.AuthenticationException;
import dev.tgsupport.core.ConflictException;
import dev.tgsupport.core.InvalidInputException;
import dev.tgsupport.core.NonRetriableException;
import dev.tgsupport.core.NotFoundException;
import dev.tgsupport.core.OperationTimeoutException;
import dev.tgsupport.core.RateLimitedException;
import dev.tgsupport.core.RetriableException;
import dev.tgsupport.core.ServerErrorException;
import dev.tgsupport.kaiten.fake.FakeKaitenServer;
import dev.tgsupport.kaiten.fake.Fault;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * How every kind of failure reaches the caller: the status mapping, which calls are retried (GETs) and which never
 * are (POST, PATCH), 429 handling, lost answers and timeouts.
 */
class KaitenClientErrorsIT {

  private final FakeKaitenServer kaiten = FakeKaitenServer.builder().noRateLimit().start();
  private final KaitenClient client = TestClients.fastClient(kaiten);
  private HttpServer other;

  @AfterEach
  void stop() {
    kaiten.close();
    if (other != null) {
      other.stop(0);
    }
  }

  private static NewCard card(String externalId) {
    return NewCard.of("Cannot log in", BOARD_ID).withExternalId(externalId);
  }

  // ------------------------------------------------------------------------------------------------ status mapping

  @Test
  void aRejectedTokenIsAnAuthenticationErrorThatIsNotRetried() {
    KaitenClient wrong = new KaitenClient(TestClients.config(kaiten).token("not-the-token").requestsPerSecond(50)
        .build(), TestClients.fastTuning());

    Throwable thrown = catchThrowable(wrong::currentUser);

    assertThat(thrown).isInstanceOf(AuthenticationException.class)
        .hasMessage("Kaiten rejected the token (401); check KAITEN_TOKEN (during GET /users/current)");
    assertThat(kaiten.requests()).hasSize(1);
  }

  @Test
  void a402SaysTheFeatureIsNotInThePlan() {
    kaiten.failNext("POST", "/cards", Fault.notInPlan());
    Throwable thrown = catchThrowable(() -> client.createCard(card("k402")));
    assertThat(thrown).isExactlyInstanceOf(NonRetriableException.class)
        .hasMessage("Kaiten: feature not in your Kaiten plan (402) for POST /cards: "
            + "Feature is not supported by your tariff");
  }

  @Test
  void a404IsNotFound() {
    Throwable thrown = catchThrowable(() -> client.getCard(999));
    assertThat(thrown).isInstanceOf(NotFoundException.class)
        .hasMessage("Kaiten has no such thing: GET /cards/999?broken_api=false (404)");
    assertThat(kaiten.requests()).hasSize(1);
  }

  @Test
  void a400IsInvalidInputWithKaitensMessage() {
    Throwable thrown = catchThrowable(() -> client.createCard(card("k400").withColumn(999L)));
    assertThat(thrown).isInstanceOf(InvalidInputException.class)
        .hasMessage("POST /cards was refused by Kaiten (400): column_id: column 999 not found on board 10");
    assertThat(((InvalidInputException) thrown).field()).isEqualTo("POST /cards");
  }

  @Test
  void a403And405AndOtherClientErrorsAreNotRetriable() {
    kaiten.failNext("GET", "/boards/*", 403, 1);
    assertThat(catchThrowable(() -> client.getBoard(BOARD_ID))).isExactlyInstanceOf(NonRetriableException.class)
        .hasMessageContaining("denied GET /boards/10 (403)");
    kaiten.failNext("GET", "/boards/*", 405, 1);
    assertThat(catchThrowable(() -> client.getBoard(BOARD_ID))).isExactlyInstanceOf(NonRetriableException.class)
        .hasMessage("Kaiten does not allow GET /boards/10 (405)");
    kaiten.failNext("GET", "/boards/*", 409, 1);
    assertThat(catchThrowable(() -> client.getBoard(BOARD_ID))).isInstanceOf(ConflictException.class);
    kaiten.failNext("GET", "/boards/*", Fault.raw(418, "text/plain", "I'm a teapot"));
    assertThat(catchThrowable(() -> client.getBoard(BOARD_ID))).isExactlyInstanceOf(NonRetriableException.class)
        .hasMessage("Kaiten refused GET /boards/10 (418): I'm a teapot");
    assertThat(kaiten.requests()).hasSize(4);
  }

  @Test
  void aMoveThatKaitenDidNotMakeIsAConflict() {
    long id = client.createCard(card("kmove")).id();
    kaiten.failNext("PATCH", "/cards/*", Fault.raw(200, "application/json",
        "{\"id\":" + id + ",\"title\":\"x\",\"board_id\":10,\"column_id\":100,\"state\":1}"));
    assertThat(catchThrowable(() -> client.moveCard(id, FakeKaitenServer.DONE_COLUMN_ID, null)))
        .isInstanceOf(ConflictException.class)
        .hasMessage("Kaiten did not move card " + id + " to column 102: it is in column 100");
  }

  @Test
  void aRedirectIsRefusedWithAHintAboutTheBaseUrl() {
    kaiten.failNext("GET", "/users/current", Fault.raw(301, null, ""));
    assertThat(catchThrowable(client::currentUser)).isExactlyInstanceOf(NonRetriableException.class)
        .hasMessageContaining("redirected GET /users/current (301)")
        .hasMessageContaining("set kaiten.baseUrl");
  }

  // ------------------------------------------------------------------------------------------------ 5xx

  @Test
  void aServerErrorOnAGetIsRetriedWithBackoff() {
    kaiten.failNext("GET", "/users/current", 503, 2);
    assertThat(client.currentUser().id()).isEqualTo(FakeKaitenServer.BOT_USER_ID);
    assertThat(kaiten.requests()).extracting(r -> r.status()).containsExactly(503, 503, 200);
  }

  @Test
  void aGetFailingEveryTimeGivesUpWithARetriableServerError() {
    kaiten.failNext("GET", "/users/current", 502, 5);
    assertThat(catchThrowable(client::currentUser)).isInstanceOf(ServerErrorException.class)
        .hasMessage("Kaiten failed (502) on GET /users/current: Bad Gateway");
    assertThat(kaiten.requests()).hasSize(3);
  }

  @Test
  void aServerErrorOnAPostIsNeverRetried() {
    kaiten.failNext("POST", "/cards", 500, 1);
    assertThat(catchThrowable(() -> client.createCard(card("k500")))).isInstanceOf(ServerErrorException.class)
        .isInstanceOf(RetriableException.class);
    assertThat(kaiten.requests()).hasSize(1);
    assertThat(kaiten.cards()).isEmpty();
  }

  @Test
  void anAnswerThatIsNotJsonIsAServerError() {
    kaiten.failNext("GET", "/users/current", Fault.raw(200, "text/html", "<html>maintenance</html>"));
    assertThat(catchThrowable(client::currentUser)).isInstanceOf(ServerErrorException.class)
        .hasMessage("Kaiten answered GET /users/current with something that is not JSON: <html>maintenance</html>");
    kaiten.failNext("GET", "/cards/*/comments", Fault.raw(200, "application/json", "{\"id\":1}"));
    assertThat(catchThrowable(() -> client.listComments(1))).isInstanceOf(ServerErrorException.class)
        .hasMessageContaining("with a JSON object where a list was due");
    kaiten.failNext("GET", "/cards/*", Fault.emptyBody());
    assertThat(catchThrowable(() -> client.getCard(1))).isInstanceOf(ServerErrorException.class)
        .hasMessageContaining("an empty body");
    kaiten.failNext("GET", "/users/current", Fault.raw(200, "application/json", "{\"full_name\":\"no id\"}"));
    assertThat(catchThrowable(client::currentUser)).isInstanceOf(ServerErrorException.class)
        .hasMessage("Kaiten answered GET /users/current with a user without a numeric id");
  }

  // ------------------------------------------------------------------------------------------------ 429

  @Test
  void a429BurstOnAGetIsWaitedOutUntilTheReset() {
    kaiten.failNext("GET", "/cards", Fault.tooManyRequests().times(3));
    long started = System.nanoTime();

    assertThat(client.listCards(CardQuery.board(BOARD_ID))).isEmpty();

    assertThat(kaiten.requests()).extracting(r -> r.status()).containsExactly(429, 429, 429, 200);
    assertThat(kaiten.http429()).isEqualTo(3);
    assertThat(kaiten.violations()).isZero();
    // Each 429 said "come back at the next whole second".
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThan(Duration.ofMillis(1900));
  }

  @Test
  void retryAfterWinsOverTheResetHeader() {
    kaiten.failNext("GET", "/users/current", Fault.tooManyRequests().retryAfter(Duration.ofSeconds(1))
        .resetIn(Duration.ofSeconds(10)));
    long started = System.nanoTime();

    client.currentUser();

    assertThat(Duration.ofNanos(System.nanoTime() - started)).isBetween(Duration.ofMillis(950),
        Duration.ofSeconds(5));
    assertThat(kaiten.violations()).isZero();
  }

  @Test
  void a429WithoutHintsBacksOffWithJitter() {
    kaiten.failNext("GET", "/users/current", Fault.raw(429, "text/plain", "slow down"));
    client.currentUser();
    assertThat(kaiten.requests()).extracting(r -> r.status()).containsExactly(429, 200);
  }

  @Test
  void aGetThatStaysRateLimitedGivesUpWithTheWait() {
    kaiten.failNext("GET", "/users/current", Fault.raw(429, "text/plain", "slow down").times(10));
    Throwable thrown = catchThrowable(client::currentUser);
    assertThat(thrown).isInstanceOf(RateLimitedException.class).hasMessageStartingWith(
        "Kaiten rate limit on GET /users/current (429); retry after");
    assertThat(kaiten.requests()).hasSize(6);
  }

  @Test
  void a429OnAPostSurfacesWithTheWaitAndHoldsTheNextCallBack() {
    kaiten.failNext("POST", "/cards", Fault.tooManyRequests().retryAfter(Duration.ofSeconds(1)));
    long started = System.nanoTime();

    Throwable thrown = catchThrowable(() -> client.createCard(card("k429")));

    assertThat(thrown).isInstanceOf(RateLimitedException.class)
        .hasMessage("Kaiten rate limit on POST /cards (429); retry after 1000 ms");
    assertThat(((RateLimitedException) thrown).retryAfter()).isEqualTo(Duration.ofSeconds(1));
    assertThat(kaiten.cards()).isEmpty();
    assertThat(kaiten.requests()).hasSize(1);
    // Whoever calls next waits for the pause instead of knocking too early.
    client.createCard(card("k429"));
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(990));
    assertThat(kaiten.violations()).isZero();
    assertThat(kaiten.cardsByExternalId("k429")).hasSize(1);
  }

  @Test
  void aWaitLongerThanTheLimitFailsFastForEveryone() {
    KaitenClient impatient = new KaitenClient(TestClients.config(kaiten).requestsPerSecond(50).build(),
        TestClients.fastTuning().withMaxRateLimitWait(Duration.ofMillis(500)));
    kaiten.failNext("GET", "/users/current", Fault.tooManyRequests().retryAfter(Duration.ofSeconds(3)));

    assertThat(catchThrowable(impatient::currentUser)).isInstanceOf(RateLimitedException.class);
    long started = System.nanoTime();
    Throwable next = catchThrowable(() -> impatient.getCard(1));

    assertThat(next).isInstanceOf(RateLimitedException.class)
        .hasMessageContaining("the client would have to wait longer than 500 ms");
    assertThat(((RateLimitedException) next).retryAfter()).isBetween(Duration.ofMillis(2000), Duration.ofSeconds(3));
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(200));
    assertThat(kaiten.requests()).hasSize(1);
  }

  // ------------------------------------------------------------------------------------------------ lost answers

  @Test
  void aLostAnswerToACreateIsRetriableAndTheCardIsFoundByItsExternalId() {
    kaiten.failNext("POST", "/cards", Fault.answerLost());

    Throwable thrown = catchThrowable(() -> client.createCard(card("tg:-100:42")));

    assertThat(thrown).isInstanceOf(RetriableException.class)
        .hasMessageStartingWith("Kaiten POST /cards failed on the network (")
        .hasMessageEndingWith("; it may have been applied, look it up before repeating it")
        .hasCauseInstanceOf(IOException.class);
    assertThat(kaiten.requests("POST", "/cards")).hasSize(1);
    // What the outbox worker does next: look the key up instead of creating again.
    assertThat(client.findCardsByExternalId("tg:-100:42")).singleElement()
        .satisfies(c -> assertThat(c.title()).isEqualTo("Cannot log in"));
    assertThat(kaiten.cards()).hasSize(1);
  }

  @Test
  void aLostAnswerToAGetIsRetried() {
    kaiten.failNext("GET", "/users/current", Fault.answerLost());
    assertThat(client.currentUser().id()).isEqualTo(FakeKaitenServer.BOT_USER_ID);
    assertThat(kaiten.requests()).hasSize(2);
  }

  @Test
  void aDroppedConnectionOnAGetIsRetried() {
    kaiten.failNext("GET", "/users/current", Fault.drop());
    assertThat(client.currentUser().id()).isEqualTo(FakeKaitenServer.BOT_USER_ID);
  }

  @Test
  void aSlowCreateTimesOutAsRetriableAndMayHaveBeenApplied() {
    KaitenClient hasty = new KaitenClient(TestClients.config(kaiten).requestTimeout(Duration.ofMillis(300))
        .requestsPerSecond(50).build(), TestClients.fastTuning());
    kaiten.failNext("POST", "/cards", Fault.delay(Duration.ofSeconds(2)).afterProcessing());

    Throwable thrown = catchThrowable(() -> hasty.createCard(card("slow")));

    assertThat(thrown).isInstanceOf(OperationTimeoutException.class)
        .hasMessage("Kaiten did not answer POST /cards within 300 ms; it may have been applied, look it up before "
            + "repeating it");
    assertThat(kaiten.cardsByExternalId("slow")).hasSize(1);
  }

  @Test
  void aSlowGetTimesOutWithoutRetrying() throws InterruptedException {
    KaitenClient hasty = new KaitenClient(TestClients.config(kaiten).requestTimeout(Duration.ofMillis(300))
        .requestsPerSecond(50).build(), TestClients.fastTuning());
    kaiten.failNext("GET", "/users/current", Fault.delay(Duration.ofMillis(600)));

    assertThat(catchThrowable(hasty::currentUser)).isInstanceOf(OperationTimeoutException.class)
        .hasMessage("Kaiten did not answer GET /users/current within 300 ms");
    // The fake records a delayed request once it answers; a retry would show as a second one.
    assertThat(kaiten.awaitRequests("GET", "/users/current", 2, Duration.ofSeconds(1))).hasSize(1);
  }

  @Test
  void nobodyListeningIsARetriableConnectionError() throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      port = socket.getLocalPort();
    }
    KaitenClient nowhere = new KaitenClient(TestClients.config(kaiten).baseUrl("http://127.0.0.1:" + port)
        .requestsPerSecond(50).build(), TestClients.fastTuning());

    assertThat(catchThrowable(nowhere::currentUser)).isInstanceOf(ServerErrorException.class)
        .hasMessageStartingWith("cannot connect to Kaiten for GET /users/current after 3 attempts (")
        .hasMessageEndingWith("); is kaiten.baseUrl right and Kaiten up?");
  }

  @Test
  void aProxyErrorPageIsShortenedInTheMessage() throws IOException {
    other = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 4);
    byte[] page = ("<html>" + "x".repeat(1000) + "</html>").getBytes(StandardCharsets.UTF_8);
    other.createContext("/", exchange -> {
      exchange.getRequestBody().readAllBytes();
      exchange.sendResponseHeaders(400, page.length);
      exchange.getResponseBody().write(page);
      exchange.close();
    });
    other.start();
    KaitenClient proxied = new KaitenClient(TestClients.config(kaiten)
        .baseUrl("http://127.0.0.1:" + other.getAddress().getPort()).requestsPerSecond(50).build(),
        TestClients.fastTuning());

    Throwable thrown = catchThrowable(() -> proxied.createCard(card("p")));
    assertThat(thrown).isInstanceOf(InvalidInputException.class);
    assertThat(thrown.getMessage()).hasSizeLessThan(400).endsWith("…");
  }
}
