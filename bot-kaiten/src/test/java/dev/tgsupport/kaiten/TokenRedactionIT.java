package dev.tgsupport.kaiten;

import static dev.tgsupport.kaiten.fake.FakeKaitenServer.BOARD_ID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.tgsupport.kaiten.fake.FakeKaitenServer;
import dev.tgsupport.kaiten.fake.Fault;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The API token never shows: not in what the client logs (at DEBUG, through slf4j-simple to System.err, configured
 * in this module's pom), not in any exception message, cause or stack trace, not in any {@code toString()}, even when
 * Kaiten or a proxy echoes the token back in an error body.
 */
class TokenRedactionIT {

  private static final String TOKEN = "0f8fad5b-d9cb-469f-a165-70867728950e";

  private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
  private final List<Throwable> failures = new ArrayList<>();
  private PrintStream originalErr;
  private PrintStream originalOut;
  private FakeKaitenServer kaiten;

  @BeforeEach
  void captureConsole() {
    originalErr = System.err;
    originalOut = System.out;
    PrintStream capture = new PrintStream(captured, true, StandardCharsets.UTF_8);
    System.setErr(capture);
    System.setOut(capture);
    kaiten = FakeKaitenServer.builder().token(TOKEN).noRateLimit().start();
  }

  @AfterEach
  void restoreConsole() {
    kaiten.close();
    System.setErr(originalErr);
    System.setOut(originalOut);
    originalErr.println(console());
  }

  private String console() {
    return captured.toString(StandardCharsets.UTF_8);
  }

  private void expectFailure(Runnable call) {
    Throwable thrown = catchThrowable(call::run);
    assertThat(thrown).as("the call should have failed").isNotNull();
    failures.add(thrown);
  }

  @Test
  void theTokenNeverAppearsInLogsErrorsOrToString() {
    KaitenConfig config = TestClients.config(kaiten).requestTimeout(Duration.ofMillis(300)).requestsPerSecond(50)
        .build();
    KaitenClient client = new KaitenClient(config, TestClients.fastTuning());
    NewCard card = NewCard.of("Cannot log in", BOARD_ID).withExternalId("tg:1:1");

    client.currentUser();
    // Error bodies that quote the token, as a careless server or proxy might.
    kaiten.failNext("POST", "/cards", Fault.badRequest("token " + TOKEN + " may not create cards"));
    expectFailure(() -> client.createCard(card));
    kaiten.failNext("GET", "/cards/*", Fault.raw(500, "text/plain", "crashed while serving " + TOKEN));
    expectFailure(() -> client.getCard(1));
    kaiten.failNext("GET", "/users/current", Fault.raw(403, "application/json", "{\"message\":\"" + TOKEN + "\"}"));
    expectFailure(client::currentUser);
    kaiten.failNext("GET", "/boards/*", Fault.raw(302, "text/plain", TOKEN));
    expectFailure(() -> client.getBoard(BOARD_ID));
    kaiten.failNext("POST", "/cards", Fault.answerLost());
    expectFailure(() -> client.createCard(card));
    kaiten.failNext("POST", "/cards/*/comments", Fault.delay(Duration.ofSeconds(1)));
    expectFailure(() -> client.addComment(1, "hello", false));
    kaiten.failNext("POST", "/cards", Fault.tooManyRequests().retryAfter(Duration.ofMillis(100)));
    expectFailure(() -> client.createCard(card));
    KaitenClient wrongToken = new KaitenClient(config.toBuilder().token(TOKEN + "-revoked").build(),
        TestClients.fastTuning());
    expectFailure(wrongToken::currentUser);
    expectFailure(() -> KaitenConfig.builder().token(TOKEN + " trailing-part"));
    expectFailure(() -> KaitenConfig.builder().baseUrl("https://bot:" + TOKEN + "@acme.kaiten.ru"));
    expectFailure(() -> KaitenConfig.builder().token(TOKEN).build());

    List<String> shown = new ArrayList<>();
    shown.add(console());
    shown.add(config.toString());
    shown.add(config.toBuilder().toString());
    shown.add(client.toString());
    shown.add(wrongToken.toString());
    shown.add(kaiten.toString());
    for (Throwable failure : failures) {
      StringWriter trace = new StringWriter();
      failure.printStackTrace(new PrintWriter(trace));
      shown.add(trace.toString());
      for (Throwable t = failure; t != null; t = t.getCause()) {
        shown.add(String.valueOf(t.getMessage()));
        shown.add(t.toString());
      }
    }

    assertThat(failures).hasSize(11);
    assertThat(shown).allSatisfy(text -> assertThat(text).doesNotContain(TOKEN).doesNotContain("70867728950e"));
    // The redaction is visible where the server quoted the token, and the client did log: the capture works.
    assertThat(failures.get(0)).hasMessageContaining("token <token> may not create cards");
    assertThat(console()).contains("Kaiten GET /users/current -> 200").contains("Kaiten POST /cards -> 400");
    assertThat(config.toString()).contains("token=<hidden>");
    // The token did go where it belongs.
    assertThat(kaiten.requests().get(0).authorized()).isTrue();
  }

  @Test
  void aTokenWithWhitespaceIsRefusedWithoutShowingIt() {
    Supplier<KaitenConfig.Builder> builder = KaitenConfig::builder;
    Throwable thrown = catchThrowable(() -> builder.get().token("abc def" + TOKEN));
    assertThat(thrown).hasMessage("kaiten.token is malformed: it must be printable ASCII without spaces (43 "
        + "characters given, a bad one at position 4; value not shown)");
  }
}
