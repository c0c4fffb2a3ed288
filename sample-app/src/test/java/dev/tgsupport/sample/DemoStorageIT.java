package dev.tgsupport.sample;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tgsupport.sample.DemoCommandTest.Run;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Runs {@code tgsupport demo} in-process on the three storages and checks that the conversation is the same: the
 * storage must not change what the bot answers.
 */
class DemoStorageIT {
  /** Greetings, paraphrased and unanswerable questions in both languages, a request for a person, /status. */
  static final String BILINGUAL = String.join("\n",
      "привет",
      "Hello!",
      "I forgot my password, how can I reset it?",
      "Забыл пароль, как его сбросить?",
      "как выгрузить все задачи в csv файл",
      "Why does the calendar view show tasks on the wrong day?",
      "Почему в календаре задачи показываются не в тот день?",
      "позовите оператора",
      "/status",
      "спасибо!",
      "/help",
      "");

  private static String memory;
  private String schema;

  @BeforeAll
  static void runOnMemory() {
    Run r = DemoCommandTest.run(BILINGUAL, "demo", "--json", "--storage", "memory");
    assertThat(r.exit()).as("stderr: %s", r.err()).isZero();
    memory = r.out();
    List<JsonNode> json = r.json();
    // The input covers what it claims to: noise, answers in both languages, tickets, commands.
    assertThat(json).hasSize(11);
    assertThat(json.get(0).get("noise").asBoolean()).isTrue();
    assertThat(json.get(2).get("answer").asText()).contains("Forgot password");
    assertThat(json.get(3).get("answer").asText()).contains("Забыли пароль");
    assertThat(json.get(5).get("ticket_id").asLong()).isEqualTo(1);
    assertThat(json.get(7).get("intent").asText()).isEqualTo("human");
    assertThat(json.get(8).get("reply").asText()).contains("#1", "#2", "#3");
  }

  @BeforeEach
  void createSchema() {
    schema = TestPostgres.createSchema("demo");
  }

  @AfterEach
  void dropSchema() {
    TestPostgres.dropSchema(schema);
  }

  @Test
  void postgresGivesTheSameConversationAsMemoryAndSaysWhichDatabaseWithoutThePassword() {
    String url = TestPostgres.urlFor(schema) + (TestPostgres.trustsPasswords() ? "&password=hunter22" : "");

    Run r = DemoCommandTest.run(BILINGUAL, "demo", "--json", "--storage", "postgres", "--database-url", url);

    assertThat(r.exit()).as("stderr: %s", r.err()).isZero();
    assertThat(r.out()).isEqualTo(memory);
    assertThat(r.err()).hasLineCount(1)
        .startsWith("tgsupport demo: storage: PostgreSQL jdbc:postgresql://")
        .contains("currentSchema=" + schema)
        .endsWith(" (migrated: 6 scripts applied)\n")
        .doesNotContain("hunter22");
    assertThat(TestPostgres.count("SELECT count(*) FROM " + schema + ".knowledge_entries"))
        .isEqualTo(DemoBot.bundledKnowledge().size());
    assertThat(TestPostgres.count("SELECT count(*) FROM " + schema + ".messages")).isEqualTo(11);
  }

  @Test
  void runningAgainOnTheSameDatabaseAddsNoKnowledgeTwiceAndAnswersTheSame() {
    String url = TestPostgres.urlFor(schema);
    Run first = DemoCommandTest.run(BILINGUAL, "demo", "--json", "--storage", "postgres", "--database-url", url);
    assertThat(first.exit()).isZero();

    Run again = DemoCommandTest.run(BILINGUAL, "demo", "--json", "--storage", "postgres", "--database-url", url);

    assertThat(again.exit()).as("stderr: %s", again.err()).isZero();
    assertThat(again.err()).endsWith(" (migrated: already up to date)\n").hasLineCount(1);
    assertThat(TestPostgres.count("SELECT count(*) FROM " + schema + ".knowledge_entries"))
        .isEqualTo(DemoBot.bundledKnowledge().size());
    // New message ids, so nothing is a duplicate; the same answers from the same entries; tickets go on from 3.
    assertThat(TestPostgres.count("SELECT count(*) FROM " + schema + ".messages")).isEqualTo(22);
    List<JsonNode> before = first.json();
    List<JsonNode> after = again.json();
    assertThat(after).hasSameSizeAs(before);
    for (int i = 0; i < before.size(); i++) {
      assertThat(after.get(i).get("answer")).isEqualTo(before.get(i).get("answer"));
      assertThat(after.get(i).get("knowledge_entry_id")).isEqualTo(before.get(i).get("knowledge_entry_id"));
      assertThat(after.get(i).get("noise")).isEqualTo(before.get(i).get("noise"));
    }
    assertThat(after.get(5).get("ticket_id").asLong()).isEqualTo(4);
  }

  @Test
  void embeddedGivesTheSameConversationAsMemoryQuietlyAndLeavesNoDataBehind() throws IOException {
    Set<String> before = demoDirectories();

    Run r = DemoCommandTest.run(BILINGUAL, "demo", "--json", "--storage", "embedded");

    assertThat(r.exit()).as("stderr: %s", r.err()).isZero();
    assertThat(r.err()).isEmpty();
    assertThat(r.out()).isEqualTo(memory);
    assertThat(demoDirectories()).isEqualTo(before);
  }

  @Test
  void embeddedIsTheDefault() {
    Run r = DemoCommandTest.run("How do I reset my password?\n", "demo", "--json");
    assertThat(r.exit()).as("stderr: %s", r.err()).isZero();
    assertThat(r.json().get(0).get("answer").asText()).contains("Forgot password");
  }

  @Test
  void anUnreachableDatabaseFailsWithOneLineWithoutThePassword() throws IOException {
    int port;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Run r = DemoCommandTest.run("hi\n", "demo", "--json", "--storage", "postgres",
        "--database-url", "postgres://bot:hunter22@127.0.0.1:" + port + "/test");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).hasLineCount(1).doesNotContain("hunter22").doesNotContain("\tat ")
        .startsWith("tgsupport demo: cannot migrate the PostgreSQL database postgres://bot:***@127.0.0.1:" + port
            + "/test: Connection to 127.0.0.1:" + port + " refused");
  }

  /** The embedded clusters and logs of demos, in zonky's working directory. */
  private static Set<String> demoDirectories() throws IOException {
    Path dir = Path.of(System.getProperty("java.io.tmpdir"), "embedded-pg");
    if (!Files.isDirectory(dir)) {
      return Set.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("tgsupport-demo-"))
          .collect(Collectors.toSet());
    }
  }
}
