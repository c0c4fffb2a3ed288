package dev.tgsupport.sample;

import static dev.tgsupport.sample.BotSettingsTest.map;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tgsupport.sample.RunCommandTest.Run;
import dev.tgsupport.telegram.fake.FakeTelegramServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tgsupport webhook set|delete|info} in-process against the fake Telegram. */
class WebhookCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SECRET = "wh00k_Secret-1";

  private FakeTelegramServer fake;
  private Map<String, String> env;

  @BeforeEach
  void start() {
    fake = FakeTelegramServer.start();
    env = map("TELEGRAM_BOT_TOKEN", fake.token(), "TELEGRAM_API_URL", fake.baseUrl(), "TGSUPPORT_WEBHOOK_SECRET",
        SECRET);
  }

  @AfterEach
  void stop() {
    fake.close();
  }

  @Test
  void infoWithoutWebhookPrintsEveryKeyEmpty() {
    Run r = RunCommandTest.run(env, "webhook", "info");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.err()).isEmpty();
    assertThat(r.out()).isEqualTo("""
        url:\s
        pending_update_count: 0
        last_error_date:\s
        last_error_message:\s
        max_connections:\s
        allowed_updates:\s
        """);
  }

  @Test
  void setRegistersUrlAndSecretThenDeleteRemovesIt() {
    Run set = RunCommandTest.run(env, "webhook", "set", "http://127.0.0.1:9/telegram/webhook", "--drop-pending");
    assertThat(set.exit()).as(set.err()).isZero();
    assertThat(fake.webhookUrl()).contains("http://127.0.0.1:9/telegram/webhook");
    assertThat(fake.requests("setWebhook").get(0).params())
        .containsEntry("secret_token", SECRET).containsEntry("drop_pending_updates", "true");
    assertThat(set.out()).startsWith("url: http://127.0.0.1:9/telegram/webhook\npending_update_count: 0\n")
        .contains("max_connections: 40\n", "allowed_updates: message,edited_message,callback_query,my_chat_member\n");
    assertThat(set.out() + set.err()).doesNotContain(SECRET);

    Run delete = RunCommandTest.run(env, "webhook", "delete");
    assertThat(delete.exit()).isZero();
    assertThat(fake.webhookUrl()).isEmpty();
    assertThat(delete.out()).startsWith("url: \n");
  }

  @Test
  void infoJsonIsOneObjectWithEveryKey() throws Exception {
    RunCommandTest.run(env, "webhook", "set", "http://127.0.0.1:9/telegram/webhook");
    Run r = RunCommandTest.run(env, "webhook", "info", "--json");
    assertThat(r.exit()).isZero();
    assertThat(r.out().lines()).hasSize(1);
    JsonNode o = JSON.readTree(r.out());
    List<String> keys = new ArrayList<>();
    for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
      keys.add(it.next());
    }
    assertThat(keys).isEqualTo(WebhookInfoCommand.KEYS);
    assertThat(o.get("url").asText()).isEqualTo("http://127.0.0.1:9/telegram/webhook");
    assertThat(o.get("pending_update_count").asInt()).isZero();
    assertThat(o.get("last_error_date").isNull()).isTrue();
    assertThat(o.get("max_connections").asInt()).isEqualTo(40);
    assertThat(o.get("allowed_updates").isArray()).isTrue();
  }

  @Test
  void setNeedsTheSecret() {
    Map<String, String> noSecret = map("TELEGRAM_BOT_TOKEN", fake.token(), "TELEGRAM_API_URL", fake.baseUrl());
    Run r = RunCommandTest.run(noSecret, "webhook", "set", "https://bot.example.org/telegram/webhook");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).startsWith("tgsupport webhook set: TGSUPPORT_WEBHOOK_SECRET is not set;").hasLineCount(1);
    assertThat(fake.requests("setWebhook")).isEmpty();
  }

  @Test
  void aUrlTelegramRefusesFailsWithOneLine() {
    Run r = RunCommandTest.run(env, "webhook", "set", "https://bot.example.org:1234/telegram/webhook");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).isEqualTo("tgsupport webhook set: Telegram refused setWebhook: Bad Request: bad webhook:"
        + " Webhook can be set up only on ports 80, 88, 443 or 8443 (400)\n");
    Run notHttp = RunCommandTest.run(env, "webhook", "set", "ftp://bot.example.org/telegram/webhook");
    assertThat(notHttp.exit()).isEqualTo(2);
    assertThat(notHttp.err()).startsWith("tgsupport webhook set: URL must be an https URL");
  }

  @Test
  void aRejectedTokenNamesTheVariableWithoutPrintingIt() {
    String other = "654321:ZYX-wvu9876abcDEF-qrs12T3u4v567xy89";
    Run r = RunCommandTest.run(map("TELEGRAM_BOT_TOKEN", other, "TELEGRAM_API_URL", fake.baseUrl()),
        "webhook", "info");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).startsWith("tgsupport webhook info: TELEGRAM_BOT_TOKEN was rejected by Telegram (401")
        .hasLineCount(1).doesNotContain(other).doesNotContain(other.substring(7));
  }

  @Test
  void theFileGivesTheTokenWhenTheEnvironmentDoesNot(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("bot.properties");
    Files.writeString(f, "TELEGRAM_BOT_TOKEN=" + fake.token() + "\nTELEGRAM_API_URL=" + fake.baseUrl() + "\n");
    Run r = RunCommandTest.run(map(), "webhook", "info", "--config", f.toString());
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).startsWith("url: \n");
  }
}
