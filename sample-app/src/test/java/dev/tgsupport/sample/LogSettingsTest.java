package dev.tgsupport.sample;

import static dev.tgsupport.sample.BotSettingsTest.map;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

class LogSettingsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Logger log = LoggerFactory.getLogger(LogSettingsTest.class);

  @TempDir Path dir;

  private static LogSettings.Logging load(String... keyValues) {
    return LogSettings.load(BotSettings.load(map(keyValues), null));
  }

  private static LoggerContext logback() {
    return (LoggerContext) LoggerFactory.getILoggerFactory();
  }

  private static List<JsonNode> lines(ByteArrayOutputStream out) throws IOException {
    List<JsonNode> nodes = new ArrayList<>();
    for (String line : out.toString(UTF_8).split("\n", -1)) {
      if (!line.isEmpty()) {
        nodes.add(JSON.readTree(line));
      }
    }
    return nodes;
  }

  @Test
  void textAtWarnByDefault() {
    LogSettings.Logging l = load();
    assertThat(l.format()).isEqualTo(LogSettings.Format.TEXT);
    assertThat(l.level()).isEqualTo("warn");
    assertThat(l.formatValue().isDefault()).isTrue();
    assertThat(load("TGSUPPORT_LOG_FORMAT", "JSON", "TGSUPPORT_LOG_LEVEL", "Debug"))
        .extracting(LogSettings.Logging::format, LogSettings.Logging::level)
        .containsExactly(LogSettings.Format.JSON, "debug");
  }

  @Test
  void badValuesNameTheVariableAndTheValue() {
    assertThatThrownBy(() -> load("TGSUPPORT_LOG_FORMAT", "xml")).isInstanceOf(UsageFailure.class)
        .hasMessage("TGSUPPORT_LOG_FORMAT must be text or json, was 'xml'");
    assertThatThrownBy(() -> load("TGSUPPORT_LOG_LEVEL", "verbose")).isInstanceOf(UsageFailure.class)
        .hasMessage("TGSUPPORT_LOG_LEVEL must be error, warn, info or debug, was 'verbose'");
  }

  @Test
  void theConfigFileMayHoldThem() throws IOException {
    Path f = dir.resolve("bot.properties");
    Files.writeString(f, "TGSUPPORT_LOG_FORMAT=json\nTGSUPPORT_LOG_LEVEL=trace\n", UTF_8);
    BotSettings settings = BotSettings.load(map(), f);
    assertThatThrownBy(() -> LogSettings.load(settings))
        .hasMessage("TGSUPPORT_LOG_LEVEL (from --config " + f + ") must be error, warn, info or debug, was 'trace'");
    assertThat(LogSettings.load(BotSettings.load(map("TGSUPPORT_LOG_LEVEL", "info"), f)).format())
        .isEqualTo(LogSettings.Format.JSON);
  }

  @Test
  void runRefusesABadValueWithExitTwo() {
    RunCommandTest.Run r = RunCommandTest.run(map("TELEGRAM_BOT_TOKEN", BotSettingsTest.TOKEN,
        "TGSUPPORT_LOG_FORMAT", "logfmt"), "run");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).isEqualTo("tgsupport run: TGSUPPORT_LOG_FORMAT must be text or json, was 'logfmt'\n");
  }

  @Test
  void jsonIsOneObjectPerLineWithTheMdcAndTheException() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    OutputStreamAppender<ILoggingEvent> target = new OutputStreamAppender<>();
    target.setOutputStream(out);
    LogSettings.Logging json = load("TGSUPPORT_LOG_FORMAT", "json", "TGSUPPORT_LOG_LEVEL", "info");
    try (LogSettings.Restore ignored = json.applyTo(logback(), target, s -> s.replace("hunter2", "***"))) {
      MDC.put("chat_id", "42");
      MDC.put("message_id", "10");
      try {
        log.info("answered \"{}\"\nin {} ms", "reset my password", 12);
        log.debug("not at info");
        log.warn("login failed with password hunter2", new IllegalStateException("boom\nsecond line"));
      } finally {
        MDC.remove("chat_id");
        MDC.remove("message_id");
      }
      log.error("outside any message");
    }
    log.error("after run: not in JSON any more");

    String text = out.toString(UTF_8);
    assertThat(text).endsWith("\n").doesNotContain("hunter2", "not at info", "after run");
    List<JsonNode> lines = lines(out);
    assertThat(lines).hasSize(3);
    assertThat(text.split("\n")).hasSize(3);

    JsonNode info = lines.get(0);
    assertThat(info.path("level").asText()).isEqualTo("INFO");
    assertThat(info.path("logger").asText()).isEqualTo(LogSettingsTest.class.getName());
    assertThat(info.path("thread").asText()).isEqualTo(Thread.currentThread().getName());
    assertThat(info.path("message").asText()).isEqualTo("answered \"reset my password\"\nin 12 ms");
    assertThat(info.path("timestamp").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z");
    assertThat(info.path("mdc").path("chat_id").asText()).isEqualTo("42");
    assertThat(info.path("mdc").path("message_id").asText()).isEqualTo("10");
    assertThat(info.has("exception")).isFalse();

    JsonNode warn = lines.get(1);
    assertThat(warn.path("level").asText()).isEqualTo("WARN");
    assertThat(warn.path("message").asText()).isEqualTo("login failed with password ***");
    assertThat(warn.path("exception").asText()).startsWith("java.lang.IllegalStateException: boom\nsecond line")
        .contains("\tat dev.tgsupport.sample.LogSettingsTest.");
    assertThat(warn.path("mdc").path("chat_id").asText()).isEqualTo("42");

    assertThat(lines.get(2).has("mdc")).isFalse();
    assertThat(logback().getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).getLevel()).isEqualTo(Level.WARN);
  }

  @Test
  void textOnlyChangesTheLevelAndTheQuietLoggersStayQuiet() {
    LoggerContext context = logback();
    try (LogSettings.Restore ignored = load("TGSUPPORT_LOG_LEVEL", "debug").applyTo(context,
        new OutputStreamAppender<>(), s -> s)) {
      assertThat(log.isDebugEnabled()).isTrue();
      assertThat(LoggerFactory.getLogger("dev.tgsupport.kaiten.KaitenClient").isWarnEnabled()).isFalse();
      assertThat(context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).iteratorForAppenders().next().getName())
          .isEqualTo("STDERR");
    }
    assertThat(log.isInfoEnabled()).isFalse();
  }
}
