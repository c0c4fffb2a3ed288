package dev.tgsupport.kaiten;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.tgsupport.core.InvalidInputException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KaitenConfigTest {

  private static final String TOKEN = "296a5709-99bc-49a7-96e0-c0a1b236091f";

  private static KaitenConfig.Builder valid() {
    return KaitenConfig.builder().baseUrl("https://acme.kaiten.ru").token(TOKEN).boardId(101).columnId(1001);
  }

  private static InvalidInputException refused(Consumer<KaitenConfig.Builder> change) {
    Throwable thrown = catchThrowable(() -> {
      KaitenConfig.Builder b = valid();
      change.accept(b);
      b.build();
    });
    assertThat(thrown).isInstanceOf(InvalidInputException.class);
    assertThat(thrown.getMessage()).doesNotContain(TOKEN);
    return (InvalidInputException) thrown;
  }

  @ParameterizedTest
  @CsvSource({
      "https://acme.kaiten.ru, https://acme.kaiten.ru/api/latest",
      "https://acme.kaiten.ru/, https://acme.kaiten.ru/api/latest",
      "https://acme.kaiten.ru/api/v1, https://acme.kaiten.ru/api/v1",
      "https://acme.kaiten.ru/api/v1/, https://acme.kaiten.ru/api/v1",
      "https://acme.kaiten.ru/api/latest, https://acme.kaiten.ru/api/latest",
      "https://acme.kaiten.ru/api, https://acme.kaiten.ru/api/latest",
      "acme.kaiten.ru, https://acme.kaiten.ru/api/latest",
      "'  HTTPS://kaiten.example.com:8443/tools/kaiten  ', https://kaiten.example.com:8443/tools/kaiten/api/latest",
      "http://10.0.0.5:8080/api/v2, http://10.0.0.5:8080/api/v2",
      "http://127.0.0.1:41234, http://127.0.0.1:41234/api/latest"
  })
  void anyHostAndEitherApiVersionIsAccepted(String given, String apiUrl) {
    KaitenConfig config = valid().baseUrl(given).build();
    assertThat(config.apiUrl()).isEqualTo(URI.create(apiUrl));
  }

  @Test
  void theCardLinkIsTheHostThenTheCardId() {
    assertThat(valid().build().cardUrl(69416673)).isEqualTo(URI.create("https://acme.kaiten.ru/69416673"));
    assertThat(valid().baseUrl("https://kaiten.example.com/tools/api/v1").build().cardUrl(5))
        .isEqualTo(URI.create("https://kaiten.example.com/tools/5"));
  }

  @Test
  void badBaseUrlsAreRefusedNamingTheFieldAndValue() {
    assertThat(refused(b -> b.baseUrl("ftp://acme.kaiten.ru"))).hasMessage(
        "kaiten.baseUrl must be an http(s) URL, was \"ftp://acme.kaiten.ru\"");
    assertThat(refused(b -> b.baseUrl(" "))).hasMessageStartingWith("kaiten.baseUrl must not be blank");
    assertThat(refused(b -> b.baseUrl("https://acme.kaiten.ru/api/v1/cards"))).hasMessage(
        "kaiten.baseUrl must be the company host or the API root (.../api/latest or .../api/v1), not an endpoint, "
            + "was \"https://acme.kaiten.ru/api/v1/cards\"");
    assertThat(refused(b -> b.baseUrl("https://acme.kaiten.ru?x=1"))).hasMessageContaining("query or fragment");
    assertThat(refused(b -> b.baseUrl("https://acme kaiten.ru"))).hasMessageStartingWith("kaiten.baseUrl is not a URL");
    assertThat(refused(b -> b.baseUrl("https://me:" + TOKEN + "@acme.kaiten.ru")))
        .hasMessageContaining("must not contain user info").hasMessageContaining("value not shown");
    assertThat(refused(b -> b.baseUrl("https://me:" + TOKEN + "@acme.kaiten.ru")).field()).isEqualTo("kaiten.baseUrl");
  }

  @Test
  void requiredSettingsAreNamedWhenMissing() {
    assertThat(catchThrowable(() -> KaitenConfig.builder().token(TOKEN).boardId(1).columnId(1).build()))
        .hasMessage("kaiten.baseUrl is required (set KAITEN_BASE_URL, e.g. https://<company>.kaiten.ru)");
    assertThat(catchThrowable(() -> KaitenConfig.builder().baseUrl("acme.kaiten.ru").boardId(1).columnId(1).build()))
        .hasMessage("kaiten.token is required (set KAITEN_TOKEN)");
    assertThat(catchThrowable(() -> KaitenConfig.builder().baseUrl("acme.kaiten.ru").token(TOKEN).columnId(1)
        .build())).hasMessage("kaiten.boardId is required and must be > 0, was 0");
    assertThat(catchThrowable(() -> KaitenConfig.builder().baseUrl("acme.kaiten.ru").token(TOKEN).boardId(1)
        .build())).hasMessage("kaiten.columnId is required and must be > 0, was 0");
    assertThat(refused(b -> b.token("  "))).hasMessage("kaiten.token is required (set KAITEN_TOKEN)");
  }

  @Test
  void numbersAndDurationsAreCheckedWithTheirValue() {
    assertThat(refused(b -> b.boardId(-1))).hasMessage("kaiten.boardId must be > 0, was -1");
    assertThat(refused(b -> b.laneId(0))).hasMessage("kaiten.laneId must be > 0, was 0");
    assertThat(refused(b -> b.cardTypeId(-7))).hasMessage("kaiten.cardTypeId must be > 0, was -7");
    assertThat(refused(b -> b.telegramUserPropertyId(0)))
        .hasMessage("kaiten.telegramUserPropertyId must be > 0, was 0");
    assertThat(refused(b -> b.telegramChatPropertyId(0)))
        .hasMessage("kaiten.telegramChatPropertyId must be > 0, was 0");
    assertThat(refused(b -> b.pollInterval(Duration.ofMillis(500))))
        .hasMessage("kaiten.pollInterval must be between 1 second and 1 day, was PT0.5S");
    assertThat(refused(b -> b.requestTimeout(Duration.ZERO)))
        .hasMessage("kaiten.requestTimeout must be positive, was PT0S");
    assertThat(refused(b -> b.connectTimeout(null))).hasMessage("kaiten.connectTimeout must not be null");
    assertThat(refused(b -> b.requestsPerSecond(0)))
        .hasMessage("kaiten.requestsPerSecond must be > 0 and <= 50, was 0.0");
    assertThat(refused(b -> b.columnsCacheTtl(Duration.ofSeconds(-1))))
        .hasMessage("kaiten.columnsCacheTtl must be positive, was PT-1S");
  }

  @Test
  void tagsAreTrimmedDedupedAndLimitedTo128Characters() {
    assertThat(valid().tags(List.of(" telegram ", "vip", "telegram")).build().tags())
        .containsExactly("telegram", "vip");
    assertThat(refused(b -> b.tags(List.of("ok", " "))))
        .hasMessage("kaiten.tags must not contain blank names, was \" \"");
    assertThat(refused(b -> b.tags(List.of("t".repeat(129))))).hasMessageStartingWith(
        "kaiten.tags must contain names of at most 128 characters, was \"tttt");
  }

  @Test
  void aBadTokenIsDescribedButNeverShown() {
    assertThat(refused(b -> b.token(TOKEN.substring(0, 8) + "\n" + TOKEN.substring(8))))
        .hasMessageContaining("position 9");
    InvalidInputException e = refused(b -> b.token("ab" + TOKEN.substring(2, 10) + "é" + TOKEN.substring(10)));
    assertThat(e.field()).isEqualTo("kaiten.token");
    assertThat(e).hasMessageContaining("printable ASCII without spaces").hasMessageContaining("position 11")
        .hasMessageContaining("value not shown");
    assertThat(valid().token("  " + TOKEN + "\n").build().token()).isEqualTo(TOKEN);
  }

  @Test
  void defaultsAreKaitensAndOptionalIdsAreEmpty() {
    KaitenConfig config = valid().build();
    assertThat(config.requestsPerSecond()).isEqualTo(5);
    assertThat(config.pollInterval()).isEqualTo(Duration.ofMinutes(1));
    assertThat(config.connectTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(config.requestTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(config.columnsCacheTtl()).isEqualTo(Duration.ofMinutes(10));
    assertThat(config.laneId()).isEmpty();
    assertThat(config.cardTypeId()).isEmpty();
    assertThat(config.telegramUserPropertyId()).isEmpty();
    assertThat(config.telegramChatPropertyId()).isEmpty();
    assertThat(config.tags()).isEmpty();
  }

  @Test
  void toBuilderMakesAnEqualCopyToVary() {
    KaitenConfig config = valid().laneId(2001).cardTypeId(7).telegramUserPropertyId(15).telegramChatPropertyId(16)
        .tags(List.of("telegram")).pollInterval(Duration.ofSeconds(30)).build();
    assertThat(config.toBuilder().build()).isEqualTo(config).hasSameHashCodeAs(config);
    KaitenConfig other = config.toBuilder().columnId(1002).build();
    assertThat(other.columnId()).isEqualTo(1002);
    assertThat(other.laneId()).hasValue(2001);
    assertThat(other).isNotEqualTo(config);
  }

  @Test
  void toStringShowsEverySettingButTheToken() {
    KaitenConfig config = valid().laneId(2001).tags(List.of("telegram")).build();
    assertThat(config.toString()).doesNotContain(TOKEN).contains("token=<hidden>")
        .contains("apiUrl=https://acme.kaiten.ru/api/latest").contains("boardId=101").contains("laneId=2001")
        .contains("tags=[telegram]");
    assertThat(config.toBuilder().toString()).doesNotContain(TOKEN).contains("token=<set>");
    assertThat(KaitenConfig.builder().toString()).contains("token=unset");
  }
}
