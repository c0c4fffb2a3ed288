package dev.tgsupport.sample;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tgsupport.telegram.fake.FakeTelegramServer;
import dev.tgsupport.telegram.fake.UpdateSamples;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code TGSUPPORT_LOG_FORMAT=json} in the packaged jar: what {@code run} logs while it handles a message is one JSON
 * object per line on stderr, carrying the message's chat and message ids, and no secret.
 */
class RunLogFormatIT {
  private static final Duration START = Duration.ofSeconds(60);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String DB_PASSWORD = "Pg-s3cret-4711";
  private static final long GROUP = -1001234567890L;

  private FakeTelegramServer telegram;
  private String schema;

  @BeforeEach
  void start() {
    telegram = FakeTelegramServer.start();
    schema = TestPostgres.createSchema("runlog");
  }

  @AfterEach
  void stop() {
    telegram.close();
    TestPostgres.dropSchema(schema);
  }

  @Test
  void jsonLinesCarryTheMessageIdsAndNoSecrets() throws Exception {
    // The local server trusts its clients and ignores the password, so the URL can carry one to be kept secret.
    String url = TestPostgres.urlFor(schema) + (TestPostgres.trustsPasswords() ? "&password=" + DB_PASSWORD : "");
    Map<String, String> env = BotSettingsTest.map("TGSUPPORT_HTTP_PORT", "0", "TELEGRAM_BOT_TOKEN", telegram.token(),
        "TELEGRAM_API_URL", telegram.baseUrl(), "DATABASE_URL", url,
        "TGSUPPORT_LOG_FORMAT", "json", "TGSUPPORT_LOG_LEVEL", "info");
    List<JsonNode> logged = new ArrayList<>();
    try (JarProcess p = JarProcess.start(env, "run")) {
      p.awaitErr(l -> l.startsWith("tgsupport run: running"), START);
      // Spam in a group: the moderation logs what it did (at INFO) while the pipeline handles the message.
      telegram.enqueue(UpdateSamples.supergroupText(1, GROUP, 77, 11, "Пассивный доход в USDT, подробности у меня"));
      p.awaitErr(l -> l.startsWith("{") && l.contains("\"chat_id\":\"" + GROUP + "\""), Duration.ofSeconds(30));
      p.terminate();
      assertThat(p.waitFor(Duration.ofSeconds(60))).as(p.err()).isZero();

      assertThat(p.out()).isEmpty();
      for (String line : p.errLines()) {
        if (line.startsWith("tgsupport run: ")) {
          continue; // run's own start-up and stop lines stay text
        }
        JsonNode node = JSON.readTree(line);
        assertThat(node.isObject()).as(line).isTrue();
        assertThat(node.fieldNames()).toIterable().as(line).contains("timestamp", "level", "logger", "thread",
            "message");
        logged.add(node);
      }
      String token = telegram.token();
      assertThat(p.err()).doesNotContain(token).doesNotContain(token.substring(token.indexOf(':') + 1))
          .doesNotContain(DB_PASSWORD);
    }
    assertThat(logged).anySatisfy(n -> {
      assertThat(n.path("mdc").path("chat_id").asText()).isEqualTo(Long.toString(GROUP));
      assertThat(n.path("mdc").path("message_id").asText()).isEqualTo("11");
      assertThat(n.path("logger").asText()).startsWith("dev.tgsupport.");
      assertThat(n.path("message").asText()).contains("spam");
    });
  }
}
