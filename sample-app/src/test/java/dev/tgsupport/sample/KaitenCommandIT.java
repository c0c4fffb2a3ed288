package dev.tgsupport.sample;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tgsupport.kaiten.fake.FakeKaitenServer;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code tgsupport kaiten check} against the fake Kaiten. */
class KaitenCommandIT {
  private FakeKaitenServer kaiten;

  @BeforeEach
  void start() {
    kaiten = FakeKaitenServer.builder().noRateLimit().start();
  }

  @AfterEach
  void stop() {
    kaiten.close();
  }

  private Map<String, String> env(String... more) {
    Map<String, String> env = new HashMap<>(BotSettingsTest.map("KAITEN_BASE_URL", kaiten.baseUrl(), "KAITEN_TOKEN",
        kaiten.token(), "KAITEN_BOARD_ID", Long.toString(FakeKaitenServer.BOARD_ID), "KAITEN_COLUMN_ID",
        Long.toString(FakeKaitenServer.QUEUE_COLUMN_ID)));
    env.putAll(BotSettingsTest.map(more));
    return env;
  }

  @Test
  void okPrintsTheTokenUserTheBoardAndItsColumns() {
    RunCommandTest.Run r = RunCommandTest.run(env(), "kaiten", "check");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.err()).isEmpty();
    assertThat(r.out().lines().toList()).containsExactly(
        "api_url: " + kaiten.apiUrl(),
        "token_user: Tgsupport Bot (tgsupport-bot, id 1)",
        "board: Support (id 10)",
        "column: 100 Queue",
        "columns: 100 Queue (type 1); 101 In progress (type 2); 103 Doing (type 2, sub-column); 104 Review (type 2,"
            + " sub-column); 102 Done (type 3); 105 Verified (type 0, sub-column)",
        "done_columns: 102,105",
        "ok: true",
        "problems: ");
    assertThat(r.out()).doesNotContain(kaiten.token());
  }

  @Test
  void jsonIsOneObject() throws Exception {
    RunCommandTest.Run r = RunCommandTest.run(env(), "kaiten", "check", "--json");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out().lines().toList()).hasSize(1);
    JsonNode o = new ObjectMapper().readTree(r.out());
    assertThat(o.path("ok").asBoolean()).isTrue();
    assertThat(o.path("token_user").asText()).isEqualTo("Tgsupport Bot (tgsupport-bot, id 1)");
    assertThat(o.path("columns").size()).isEqualTo(6);
    assertThat(o.path("done_columns").toString()).isEqualTo("[102,105]");
    assertThat(o.path("problems").isArray()).isTrue();
    assertThat(o.path("problems").size()).isZero();
  }

  @Test
  void aWrongTokenIsExitOneNamingKaitenToken() {
    String wrong = "0c1d2e3f-wrong-token-4a5b6c7d8e9f";
    RunCommandTest.Run r = RunCommandTest.run(env("KAITEN_TOKEN", wrong), "kaiten", "check");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.out()).contains("ok: false\n", "token_user: \n").doesNotContain(wrong);
    assertThat(r.err().lines().toList()).singleElement().asString()
        .startsWith("tgsupport kaiten check: KAITEN_TOKEN was rejected by Kaiten (401 Unauthorized)");
    assertThat(r.err()).doesNotContain(wrong);
  }

  @Test
  void aWrongBoardIsExitOneNamingKaitenBoardId() {
    RunCommandTest.Run r = RunCommandTest.run(env("KAITEN_BOARD_ID", "999"), "kaiten", "check");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.out()).contains("ok: false\n", "board: \n");
    assertThat(r.err().lines().toList()).singleElement().asString()
        .startsWith("tgsupport kaiten check: KAITEN_BOARD_ID=999 cannot be read: ");
  }

  @Test
  void aColumnOfAnotherBoardIsExitOneNamingKaitenColumnId() {
    RunCommandTest.Run r = RunCommandTest.run(env("KAITEN_COLUMN_ID",
        Long.toString(FakeKaitenServer.OTHER_BACKLOG_COLUMN_ID)), "kaiten", "check");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err().lines().toList()).singleElement().asString()
        .startsWith("tgsupport kaiten check: KAITEN_COLUMN_ID=106 is not a column of board 10; its columns: 100"
            + " Queue (type 1);");
  }

  @Test
  void anUnreachableKaitenIsExitOneNamingKaitenBaseUrl() {
    RunCommandTest.Run r = RunCommandTest.run(env("KAITEN_BASE_URL", "http://127.0.0.1:1"), "kaiten", "check");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err().lines().toList()).singleElement().asString()
        .startsWith("tgsupport kaiten check: cannot reach Kaiten at KAITEN_BASE_URL=http://127.0.0.1:1/api/latest: ");
  }
}
