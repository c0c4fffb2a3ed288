package dev.tgsupport.kaiten;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tgsupport.core.AuthenticationException;
import dev.tgsupport.core.NonRetriableException;
import dev.tgsupport.core.OperationTimeoutException;
import dev.tgsupport.core.RetriableException;
import dev.tgsupport.core.ServerErrorException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KaitenErrorsTest {

  private static final Redactor REDACTOR = new Redactor("secret-token");

  private static Exception map(int status, String body) {
    return KaitenErrors.forStatus("GET /cards/1", status, body, Optional.empty(), REDACTOR);
  }

  @ParameterizedTest
  @CsvSource({
      "400, dev.tgsupport.core.InvalidInputException",
      "401, dev.tgsupport.core.AuthenticationException",
      "402, dev.tgsupport.core.NonRetriableException",
      "403, dev.tgsupport.core.NonRetriableException",
      "404, dev.tgsupport.core.NotFoundException",
      "405, dev.tgsupport.core.NonRetriableException",
      "409, dev.tgsupport.core.ConflictException",
      "422, dev.tgsupport.core.NonRetriableException",
      "500, dev.tgsupport.core.ServerErrorException",
      "503, dev.tgsupport.core.ServerErrorException",
      "302, dev.tgsupport.core.NonRetriableException"
  })
  void eachStatusHasItsException(int status, String type) {
    assertThat(map(status, "")).isExactlyInstanceOf(classOf(type));
  }

  @Test
  void onlyServerErrorsAreRetriable() {
    assertThat(map(502, "")).isInstanceOf(RetriableException.class);
    for (int status : new int[] {400, 401, 402, 403, 404, 405, 409}) {
      assertThat(map(status, "")).isInstanceOf(NonRetriableException.class);
    }
  }

  @Test
  void messagesQuoteKaitenAndNeverTheToken() {
    assertThat(map(400, "{\"message\":\"title is required\"}"))
        .hasMessage("GET /cards/1 was refused by Kaiten (400): title is required");
    assertThat(map(401, "Unauthorized")).isInstanceOf(AuthenticationException.class)
        .hasMessage("Kaiten rejected the token (401); check KAITEN_TOKEN (during GET /cards/1)");
    assertThat(map(402, "{\"message\":\"Upgrade\"}"))
        .hasMessage("Kaiten: feature not in your Kaiten plan (402) for GET /cards/1: Upgrade");
    assertThat(map(500, "token secret-token broke"))
        .hasMessage("Kaiten failed (500) on GET /cards/1: token <token> broke");
    assertThat(map(400, "{\"message\": 5}")).hasMessage("GET /cards/1 was refused by Kaiten (400): {\"message\": 5}");
    assertThat(KaitenErrors.forStatus("GET /x", 301, "", Optional.of("https://new.kaiten.ru/api/latest/x"), REDACTOR))
        .hasMessageContaining("to https://new.kaiten.ru/api/latest/x");
  }

  @Test
  void transportFailuresSayWhetherTheRequestMayHaveBeenApplied() {
    Exception lost = KaitenErrors.forTransport("POST /cards", new IOException("fixed content-length: 700, bytes "
        + "received: 94"), false, 1, Duration.ofSeconds(30), REDACTOR);
    Exception timedOut = KaitenErrors.forTransport("POST /cards", new HttpTimeoutException("request timed out"),
        false, 1, Duration.ofSeconds(30), REDACTOR);
    Exception getTimedOut = KaitenErrors.forTransport("GET /cards", new HttpTimeoutException("request timed out"),
        true, 1, Duration.ofSeconds(30), REDACTOR);
    Exception refused = KaitenErrors.forTransport("POST /cards", new ConnectException(), false, 1,
        Duration.ofSeconds(30), REDACTOR);
    Exception connectTimeout = KaitenErrors.forTransport("GET /cards",
        new HttpConnectTimeoutException("HTTP connect timed out"), true, 3, Duration.ofSeconds(30), REDACTOR);

    assertThat(lost).isInstanceOf(ServerErrorException.class).hasMessage("Kaiten POST /cards failed on the network "
        + "(IOException: fixed content-length: 700, bytes received: 94); it may have been applied, look it up before "
        + "repeating it");
    assertThat(timedOut).isInstanceOf(OperationTimeoutException.class).hasMessageEndingWith("look it up before "
        + "repeating it");
    assertThat(getTimedOut).hasMessage("Kaiten did not answer GET /cards within 30000 ms");
    assertThat(refused).isInstanceOf(ServerErrorException.class).hasMessageStartingWith(
        "cannot connect to Kaiten for POST /cards (ConnectException)");
    assertThat(connectTimeout).hasMessageStartingWith("cannot connect to Kaiten for GET /cards after 3 attempts");
  }

  @Test
  void aCauseQuotingTheTokenIsReplacedByARedactedCopy() {
    IOException leaky = new IOException("proxy said secret-token is wrong");
    Exception mapped = KaitenErrors.forTransport("GET /x", leaky, true, 1, Duration.ofSeconds(1), REDACTOR);
    assertThat(mapped.getMessage()).doesNotContain("secret-token").contains("<token>");
    assertThat(mapped.getCause()).isInstanceOf(Redactor.RedactedException.class)
        .hasMessage("java.io.IOException: proxy said <token> is wrong");
    assertThat(mapped.getCause().getStackTrace()).isEqualTo(leaky.getStackTrace());
  }

  @Test
  void longBodiesAreShortened() {
    assertThat(KaitenErrors.serverMessage("x".repeat(1000))).hasSize(301).endsWith("…");
    assertThat(KaitenErrors.serverMessage(null)).isEmpty();
    assertThat(KaitenErrors.serverMessage("  {\"message\":\"  spaced  \"}  ")).isEqualTo("spaced");
  }

  @SuppressWarnings("unchecked")
  private static Class<? extends Exception> classOf(String name) {
    try {
      return (Class<? extends Exception>) Class.forName(name);
    } catch (ClassNotFoundException e) {
      throw new AssertionError(e);
    }
  }
}
