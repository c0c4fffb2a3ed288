package dev.tgsupport.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Reading and checking {@code run}'s and {@code webhook}'s settings from the environment and a --config file. */
class BotSettingsTest {
  static final String TOKEN = "123456:ABC-DEF1234ghIkl-zyx57W2v1u123ew11";
  static final String SECRET_PART = "ABC-DEF1234ghIkl-zyx57W2v1u123ew11";

  @TempDir Path dir;

  private static BotSettings env(String... keyValues) {
    return BotSettings.load(map(keyValues), null);
  }

  static Map<String, String> map(String... keyValues) {
    Map<String, String> m = new HashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      m.put(keyValues[i], keyValues[i + 1]);
    }
    return m;
  }

  private Path file(String content) throws IOException {
    Path f = dir.resolve("bot.properties");
    Files.writeString(f, content, StandardCharsets.UTF_8);
    return f;
  }

  @Test
  void defaultsWhenOnlyTheTokenIsSet() {
    BotSettings s = env("TELEGRAM_BOT_TOKEN", TOKEN);
    assertThat(s.token()).isEqualTo(TOKEN);
    assertThat(s.apiUrl().value()).isEqualTo("https://api.telegram.org");
    assertThat(s.apiUrl().isDefault()).isTrue();
    assertThat(s.mode()).isEqualTo(BotSettings.Mode.POLLING);
    assertThat(s.httpPort()).isEqualTo(8080);
    assertThat(s.databaseUrl()).isNull();
  }

  @Test
  void aMissingTokenNamesTheVariable() {
    assertThatThrownBy(() -> env().token()).isInstanceOf(UsageFailure.class)
        .hasMessageStartingWith("TELEGRAM_BOT_TOKEN is not set");
    assertThatThrownBy(() -> env("TELEGRAM_BOT_TOKEN", "  ").token()).isInstanceOf(UsageFailure.class)
        .hasMessageStartingWith("TELEGRAM_BOT_TOKEN is not set");
  }

  @ParameterizedTest
  @ValueSource(strings = {"hunter2hunter2hunter2hunter2", "123456:short", "123456:ABC-DEF1234ghIkl-zyx57W2v1u12€",
      "bot123456:ABC-DEF1234ghIkl-zyx57W2v1u123ew11"})
  void aMalformedTokenIsNamedButNeverShown(String token) {
    assertThatThrownBy(() -> env("TELEGRAM_BOT_TOKEN", token).token())
        .isInstanceOf(UsageFailure.class)
        .hasMessageStartingWith("TELEGRAM_BOT_TOKEN is malformed: expected <bot id>:<secret>")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(token).doesNotContain(token.substring(7)));
  }

  @Test
  void aModeOtherThanPollingOrWebhookIsRefusedWithTheValue() {
    assertThat(env("TGSUPPORT_MODE", "WebHook").mode()).isEqualTo(BotSettings.Mode.WEBHOOK);
    assertThatThrownBy(() -> env("TGSUPPORT_MODE", "push").mode()).isInstanceOf(UsageFailure.class)
        .hasMessage("TGSUPPORT_MODE must be polling or webhook, was 'push'");
  }

  @ParameterizedTest
  @ValueSource(strings = {"80a", "-1", "65536", "8080.0", "99999999999"})
  void aBadPortIsRefusedWithTheValue(String port) {
    assertThatThrownBy(() -> env("TGSUPPORT_HTTP_PORT", port).httpPort()).isInstanceOf(UsageFailure.class)
        .hasMessage("TGSUPPORT_HTTP_PORT must be a port number 0-65535 (0: any free port), was '" + port + "'");
  }

  @Test
  void portZeroMeansAnyFreePort() {
    assertThat(env("TGSUPPORT_HTTP_PORT", "0").httpPort()).isZero();
    assertThat(env("TGSUPPORT_HTTP_PORT", " 8443 ").httpPort()).isEqualTo(8443);
  }

  @Test
  void theWebhookSecretIsRequiredWhereAskedForAndNeverShown() {
    assertThatThrownBy(() -> env().webhookSecret("webhook mode needs it")).isInstanceOf(UsageFailure.class)
        .hasMessageStartingWith("TGSUPPORT_WEBHOOK_SECRET is not set; webhook mode needs it");
    assertThatThrownBy(() -> env("TGSUPPORT_WEBHOOK_SECRET", "no spaces allowed").webhookSecret("x"))
        .isInstanceOf(UsageFailure.class)
        .hasMessageStartingWith("TGSUPPORT_WEBHOOK_SECRET must be 1-256 characters")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("no spaces allowed"));
    assertThat(env("TGSUPPORT_WEBHOOK_SECRET", "s3cret_-X").webhookSecret("x")).isEqualTo("s3cret_-X");
  }

  @Test
  void aBadApiUrlIsRefused() {
    assertThatThrownBy(() -> env("TELEGRAM_API_URL", "ftp://example.org").apiUrl()).isInstanceOf(UsageFailure.class)
        .hasMessage("TELEGRAM_API_URL must be an http(s) URL such as https://api.telegram.org,"
            + " was 'ftp://example.org'");
  }

  @Test
  void theFileFillsInAndTheEnvironmentWins() throws IOException {
    Path f = file("""
        # comments are fine
        TELEGRAM_BOT_TOKEN = %s
        TGSUPPORT_MODE=webhook
        TGSUPPORT_HTTP_PORT=9000
        DATABASE_URL=postgres://bot:hunter22@db/app
        """.formatted(TOKEN));
    BotSettings fromFile = BotSettings.load(map(), f);
    assertThat(fromFile.token()).isEqualTo(TOKEN);
    assertThat(fromFile.mode()).isEqualTo(BotSettings.Mode.WEBHOOK);
    assertThat(fromFile.modeValue().where()).isEqualTo("TGSUPPORT_MODE (from --config " + f + ")");
    assertThat(fromFile.httpPort()).isEqualTo(9000);
    assertThat(fromFile.databaseUrl().describe()).isEqualTo(
        "of DATABASE_URL (from --config " + f + ") (postgres://bot:***@db/app)");

    BotSettings both = BotSettings.load(map("TGSUPPORT_MODE", "polling", "TGSUPPORT_HTTP_PORT", ""), f);
    assertThat(both.mode()).isEqualTo(BotSettings.Mode.POLLING);
    assertThat(both.modeValue().where()).isEqualTo("TGSUPPORT_MODE");
    assertThat(both.httpPort()).as("a blank variable counts as unset").isEqualTo(9000);
  }

  @Test
  void aProblemInTheFileNamesTheFile() throws IOException {
    Path f = file("TGSUPPORT_HTTP_PORT=http\n");
    assertThatThrownBy(() -> BotSettings.load(map(), f).httpPort())
        .hasMessageStartingWith("TGSUPPORT_HTTP_PORT (from --config " + f + ") must be a port number");
  }

  @Test
  void unknownKeysMissingAndUndecodableFilesAreRefused() throws IOException {
    Path typo = file("TELEGRAM_BOT_TOKEN=" + TOKEN + "\nTGSUPPORT_MOD=webhook\n");
    assertThatThrownBy(() -> BotSettings.load(map(), typo)).isInstanceOf(UsageFailure.class)
        .hasMessageStartingWith("--config " + typo + ": unknown key TGSUPPORT_MOD (known: TELEGRAM_BOT_TOKEN, ");
    Path missing = dir.resolve("nope.properties");
    assertThatThrownBy(() -> BotSettings.load(map(), missing)).isInstanceOf(UsageFailure.class)
        .hasMessage("--config " + missing + ": no such file");
    Path latin1 = dir.resolve("latin1.properties");
    Files.write(latin1, new byte[] {'T', 'G', 'S', 'U', 'P', 'P', 'O', 'R', 'T', '_', 'M', 'O', 'D', 'E', '=',
        (byte) 0xE9});
    assertThatThrownBy(() -> BotSettings.load(map(), latin1)).isInstanceOf(UsageFailure.class)
        .hasMessage("--config " + latin1 + ": not UTF-8 text");
  }

  @Test
  void scrubMasksEverySecret() {
    BotSettings s = env("TELEGRAM_BOT_TOKEN", TOKEN, "TGSUPPORT_WEBHOOK_SECRET", "wh00k-secret",
        "DATABASE_URL", "jdbc:postgresql://db/app?user=bot&password=hunter22");
    assertThat(s.scrub("url https://api.telegram.org/bot" + TOKEN + "/getMe, secret " + SECRET_PART
        + ", header wh00k-secret, db password=hunter22 and hunter22"))
        .isEqualTo("url https://api.telegram.org/bot***/getMe, secret ***, header ***, db password=*** and ***");
    assertThat(s.toString()).doesNotContain(TOKEN).doesNotContain(SECRET_PART);
  }
}
