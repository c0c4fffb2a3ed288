package dev.tgsupport.sample;

import static dev.tgsupport.sample.BotSettingsTest.map;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The KAITEN_* settings of {@code run}, {@code kaiten check} and {@code tickets sync}. */
class KaitenSettingsTest {
  static final String KAITEN_TOKEN = "kaiten-s3cret-5f0c6a1e-9b7d-4c22-8e1f";

  @TempDir Path dir;

  static Map<String, String> full(String... more) {
    Map<String, String> m = new HashMap<>(map("KAITEN_BASE_URL", "https://acme.kaiten.ru", "KAITEN_TOKEN",
        KAITEN_TOKEN, "KAITEN_BOARD_ID", "10", "KAITEN_COLUMN_ID", "100"));
    m.putAll(map(more));
    return m;
  }

  private static KaitenSettings.Kaiten load(Map<String, String> env) {
    return KaitenSettings.load(BotSettings.load(env, null));
  }

  @Test
  void noKaitenVariableMeansNoKaiten() {
    assertThat(load(map("TELEGRAM_BOT_TOKEN", BotSettingsTest.TOKEN))).isNull();
  }

  @Test
  void theFourRequiredOnesMakeAConfigWithDefaults() {
    KaitenSettings.Kaiten k = load(full());
    assertThat(k.config().apiUrl()).hasToString("https://acme.kaiten.ru/api/latest");
    assertThat(k.config().boardId()).isEqualTo(10);
    assertThat(k.config().columnId()).isEqualTo(100);
    assertThat(k.config().pollInterval()).isEqualTo(Duration.ofMinutes(1));
    assertThat(k.why()).isEqualTo("KAITEN_BASE_URL is set");
    assertThat(k.config().toString()).doesNotContain(KAITEN_TOKEN);
  }

  @Test
  void optionalOnesAreApplied() {
    KaitenSettings.Kaiten k = load(full("KAITEN_LANE_ID", "200", "KAITEN_CARD_TYPE_ID", "7", "KAITEN_TAGS",
        "telegram, support,", "KAITEN_POLL_INTERVAL", "30s", "KAITEN_TELEGRAM_USER_PROPERTY_ID", "15",
        "KAITEN_TELEGRAM_CHAT_PROPERTY_ID", "16"));
    assertThat(k.config().laneId()).hasValue(200);
    assertThat(k.config().cardTypeId()).hasValue(7);
    assertThat(k.config().tags()).containsExactly("telegram", "support");
    assertThat(k.config().pollInterval()).isEqualTo(Duration.ofSeconds(30));
    assertThat(k.config().telegramUserPropertyId()).hasValue(15);
    assertThat(k.config().telegramChatPropertyId()).hasValue(16);
  }

  @ParameterizedTest
  @ValueSource(strings = {"KAITEN_BASE_URL", "KAITEN_TOKEN", "KAITEN_BOARD_ID", "KAITEN_COLUMN_ID"})
  void aPartialConfigurationNamesTheMissingVariable(String missing) {
    Map<String, String> env = full();
    env.remove(missing);
    assertThatThrownBy(() -> load(env)).isInstanceOf(UsageFailure.class)
        .hasMessageStartingWith(missing + " is not set, but ")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(KAITEN_TOKEN));
  }

  @Test
  void theWebhookSecretIsOptionalCheckedAndNeverShown() {
    assertThat(load(full()).webhookSecret()).isNull();
    String secret = "Zx9_kq-3vT7wLmN2pQ8rS4uY";
    assertThat(load(full("KAITEN_WEBHOOK_SECRET", secret)).webhookSecret()).isEqualTo(secret);
    assertThatThrownBy(() -> load(full("KAITEN_WEBHOOK_SECRET", "short!secret")))
        .isInstanceOf(UsageFailure.class)
        .hasMessage("KAITEN_WEBHOOK_SECRET must be at least 22 characters of A-Z, a-z, 0-9, _ and - (it was 12"
            + " characters; value not shown)");
  }

  @Test
  void aMalformedIdNamesTheVariableAndValue() {
    assertThatThrownBy(() -> load(full("KAITEN_BOARD_ID", "support"))).isInstanceOf(UsageFailure.class)
        .hasMessageStartingWith("KAITEN_BOARD_ID must be a positive number").hasMessageContaining("'support'");
    assertThatThrownBy(() -> load(full("KAITEN_POLL_INTERVAL", "often"))).isInstanceOf(UsageFailure.class)
        .hasMessageStartingWith("KAITEN_POLL_INTERVAL must be a duration such as 30s");
    assertThatThrownBy(() -> load(full("KAITEN_POLL_INTERVAL", "2d"))).isInstanceOf(UsageFailure.class)
        .hasMessageStartingWith("KAITEN_POLL_INTERVAL must be between 1 second and 1 day");
  }

  @Test
  void aMalformedTokenIsNeverShown() {
    String token = "kaiten secret with spaces";
    assertThatThrownBy(() -> load(full("KAITEN_TOKEN", token))).isInstanceOf(UsageFailure.class)
        .hasMessageStartingWith("KAITEN_TOKEN is malformed")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("secret"));
  }

  @Test
  void durations() {
    assertThat(KaitenSettings.duration("30s")).isEqualTo(Duration.ofSeconds(30));
    assertThat(KaitenSettings.duration("5m")).isEqualTo(Duration.ofMinutes(5));
    assertThat(KaitenSettings.duration("1h")).isEqualTo(Duration.ofHours(1));
    assertThat(KaitenSettings.duration("1500ms")).isEqualTo(Duration.ofMillis(1500));
    assertThat(KaitenSettings.duration("PT45S")).isEqualTo(Duration.ofSeconds(45));
    assertThat(KaitenSettings.duration("soon")).isNull();
    assertThat(KaitenSettings.show(Duration.ofSeconds(30))).isEqualTo("30s");
    assertThat(KaitenSettings.show(Duration.ofMinutes(1))).isEqualTo("1m");
  }

  @Test
  void aConfigFileMayHoldTheKaitenKeysAndTheTokenIsScrubbed() throws IOException {
    Path f = dir.resolve("bot.properties");
    Files.writeString(f, "KAITEN_BASE_URL=https://acme.kaiten.ru\nKAITEN_TOKEN=" + KAITEN_TOKEN
        + "\nKAITEN_BOARD_ID=10\nKAITEN_COLUMN_ID=100\n", StandardCharsets.UTF_8);
    BotSettings settings = BotSettings.load(map(), f);
    KaitenSettings.Kaiten k = KaitenSettings.load(settings);
    assertThat(k.why()).isEqualTo("KAITEN_BASE_URL is set (from --config " + f + ")");
    assertThat(settings.scrub("token " + KAITEN_TOKEN)).isEqualTo("token ***");
  }

  /** In the program: exit 2, one line naming the variable, the token never printed. */
  @Test
  void runStopsWithExitTwoOnAPartialConfiguration() {
    Map<String, String> env = full("TELEGRAM_BOT_TOKEN", BotSettingsTest.TOKEN);
    env.remove("KAITEN_BOARD_ID");
    RunCommandTest.Run r = RunCommandTest.run(env, "run", "--storage", "memory");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.out()).isEmpty();
    assertThat(r.err().lines().toList()).singleElement().asString()
        .startsWith("tgsupport run: KAITEN_BOARD_ID is not set, but KAITEN_BASE_URL, KAITEN_TOKEN, KAITEN_COLUMN_ID"
            + " are: ");
    assertThat(r.err()).doesNotContain(KAITEN_TOKEN).doesNotContain(BotSettingsTest.SECRET_PART);
  }

  @Test
  void kaitenCheckWithoutSettingsIsAUsageError() {
    RunCommandTest.Run r = RunCommandTest.run(map(), "kaiten", "check");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).startsWith("tgsupport kaiten check: KAITEN_BASE_URL is not set: Kaiten needs ")
        .hasLineCount(1);
  }

  @Test
  void kaitenCheckRefusesAMalformedTokenWithoutPrintingIt() {
    RunCommandTest.Run r = RunCommandTest.run(full("KAITEN_TOKEN", "abc def-" + KAITEN_TOKEN), "kaiten", "check");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).startsWith("tgsupport kaiten check: KAITEN_TOKEN is malformed").doesNotContain(KAITEN_TOKEN)
        .hasLineCount(1);
  }

  @Test
  void ticketsWithoutADatabaseIsAUsageError() {
    RunCommandTest.Run r = RunCommandTest.run(map(), "tickets", "list");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).startsWith("tgsupport tickets list: no database: give --database-url URL or set"
        + " DATABASE_URL").hasLineCount(1);
    RunCommandTest.Run bad = RunCommandTest.run(map(), "tickets", "list", "--status", "pending",
        "--database-url", TestPostgres.DEFAULT_URL);
    assertThat(bad.exit()).isEqualTo(2);
    assertThat(bad.err()).startsWith("tgsupport tickets list: --status must be open, in_progress, resolved, closed"
        + " or active, was 'pending'");
  }

  @Test
  void ticketsSyncNeedsTheKaitenSettings() {
    RunCommandTest.Run r = RunCommandTest.run(map("DATABASE_URL", TestPostgres.DEFAULT_URL), "tickets", "sync");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).startsWith("tgsupport tickets sync: KAITEN_BASE_URL is not set").hasLineCount(1);
  }
}
