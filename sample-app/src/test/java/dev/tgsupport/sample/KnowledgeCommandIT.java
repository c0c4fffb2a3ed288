package dev.tgsupport.sample;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tgsupport.knowledge.testing.FakeQdrantServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tgsupport knowledge …} on PostgreSQL, each test in a fresh, unmigrated schema. */
class KnowledgeCommandIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String CSV = "question,answer,tags\n"
      + "How do I pay by card?,\"Open Billing, then Cards.\",billing\n" // 2
      + "How do I reset my password?,Use the 'Forgot password' link.,account\n" // 3
      + ",An answer without a question,\n" // 4
      + "Как вернуть деньги?,Напишите в поддержку — вернём за 14 дней.,возврат;оплата\n" // 5
      + "how do i pay by CARD?,A duplicate.,\n"; // 6

  @TempDir Path dir;
  private String schema;
  private String url;

  @BeforeEach
  void createSchema() {
    schema = TestPostgres.createSchema("knowledge");
    url = TestPostgres.urlFor(schema);
  }

  @AfterEach
  void dropSchema() {
    TestPostgres.dropSchema(schema);
  }

  private RunCommandTest.Run knowledge(String... args) {
    List<String> all = new ArrayList<>(List.of("knowledge"));
    all.addAll(List.of(args));
    all.add("--database-url");
    all.add(url);
    return RunCommandTest.run(Map.of(), all.toArray(String[]::new));
  }

  private Path file(String name, String content) throws Exception {
    Path p = dir.resolve(name);
    Files.writeString(p, content, UTF_8);
    return p;
  }

  @Test
  void withQdrantReindexEmbedsOnlyWhatChangedAndFullEmbedsEverythingAgain() throws Exception {
    try (FakeQdrantServer qdrant = FakeQdrantServer.startOnLoopback("qdrant-key-for-this-test")) {
      Map<String, String> env = Map.of("QDRANT_URL", qdrant.url(), "QDRANT_API_KEY", "qdrant-key-for-this-test");
      Function<String[], RunCommandTest.Run> withQdrant = args -> {
        List<String> all = new ArrayList<>(List.of("knowledge"));
        all.addAll(List.of(args));
        all.addAll(List.of("--database-url", url));
        return RunCommandTest.run(env, all.toArray(String[]::new));
      };
      Path csv = file("faq.csv", "question,answer,tags\n"
          + "How do I reset my password?,Use the link on the sign-in page.,account\n"
          + "How do I export my data?,Settings > Export.,data\n");
      assertThat(withQdrant.apply(new String[] {"import", csv.toString(), "--validated"}).exit()).isZero();
      assertThat(withQdrant.apply(new String[] {"reindex"}).out()).isEqualTo("reindexed: 2\n");
      qdrant.resetCalls();

      assertThat(withQdrant.apply(new String[] {"reindex"}).out()).isEqualTo("reindexed: 2\n");
      assertThat(qdrant.calls("Points/Upsert")).as("both vectors are up to date").isZero();
      assertThat(qdrant.calls("Points/Scroll")).isPositive();

      RunCommandTest.Run full = withQdrant.apply(new String[] {"reindex", "--full"});
      assertThat(full.out()).as(full.err()).isEqualTo("reindexed: 2\n");
      assertThat(qdrant.calls("Points/Upsert")).as("--full embeds and upserts them again").isPositive();
    }
  }

  @Test
  void importReportsBadRowsByLineAndImportingAgainChangesNothing() throws Exception {
    Path csv = file("faq.csv", CSV);

    RunCommandTest.Run first = knowledge("import", csv.toString());

    assertThat(first.exit()).as(first.err()).isZero();
    assertThat(first.out()).isEqualTo("imported: 3, updated: 0, skipped: 0, failed: 2\n");
    assertThat(first.err().lines().toList()).containsExactly(
        csv + ":4: blank question",
        csv + ":6: duplicate question: the same as on line 2");
    List<String> listed = knowledge("list").out().lines().toList();
    assertThat(listed).containsExactly(
        "1 draft en How do I pay by card?",
        "2 draft en How do I reset my password?",
        "3 draft ru Как вернуть деньги?");

    RunCommandTest.Run again = knowledge("import", csv.toString());

    assertThat(again.out()).isEqualTo("imported: 0, updated: 0, skipped: 3, failed: 2\n");
    assertThat(knowledge("list").out().lines().toList()).isEqualTo(listed);
    assertThat(TestPostgres.count("SELECT count(*) FROM " + schema + ".knowledge_entries")).isEqualTo(3);
  }

  @Test
  void aChangedAnswerUpdatesTheEntryAndTakesItsValidationAwayUnlessImportedValidated() throws Exception {
    knowledge("import", file("faq.csv", CSV).toString(), "--validated");
    assertThat(knowledge("show", "1").out()).contains("status: validated\n", "validated_by: import\n");

    Path changed = file("changed.json", "[{\"question\": \"HOW DO I PAY BY CARD?\", \"answer\": \"Cards are gone.\"},"
        + " {\"question\": \"How do I reset my password?\", \"answer\": \"Use the 'Forgot password' link.\"}]");
    RunCommandTest.Run r = knowledge("import", changed.toString());

    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).isEqualTo("imported: 0, updated: 1, skipped: 1, failed: 0\n");
    assertThat(r.err()).isEmpty();
    assertThat(knowledge("show", "1").out().lines().toList()).contains("question: How do I pay by card?",
        "answer: Cards are gone.", "status: draft", "validated_by: ", "tags: billing");
    assertThat(knowledge("search", "pay by card").out()).as("a draft does not answer")
        .doesNotContain("pay by card");

    assertThat(knowledge("import", changed.toString(), "--validated").out())
        .isEqualTo("imported: 0, updated: 1, skipped: 1, failed: 0\n");
    assertThat(knowledge("search", "pay by card", "--limit", "1").out()).matches("0\\.\\d{3} 1 How do I pay by card\\?\n");
  }

  @Test
  void listShowAndSearchPrintOneJsonObjectPerLine() throws Exception {
    knowledge("import", file("faq.md", "# FAQ\n\n## Как вернуть деньги?\nTags: возврат\n\nНапишите в поддержку.\n"
        + "Вернём за 14 дней.\n\n## How do I pay by card?\nOpen Billing.\n").toString(), "--validated");

    List<String> lines = knowledge("list", "--json").out().lines().toList();
    assertThat(lines).hasSize(2);
    JsonNode first = JSON.readTree(lines.get(0));
    List<String> keys = new ArrayList<>();
    first.fieldNames().forEachRemaining(keys::add);
    assertThat(keys).containsExactly("id", "status", "question", "answer", "tags", "language", "source",
        "validated_by", "validated_at", "created_at");
    assertThat(first.path("answer").asText()).isEqualTo("Напишите в поддержку.\nВернём за 14 дней.");
    assertThat(first.path("tags").get(0).asText()).isEqualTo("возврат");
    assertThat(first.path("language").asText()).isEqualTo("ru");

    JsonNode shown = JSON.readTree(knowledge("show", "2", "--json").out());
    assertThat(shown.path("question").asText()).isEqualTo("How do I pay by card?");
    assertThat(knowledge("show", "1").out()).contains("answer: Напишите в поддержку. Вернём за 14 дней.\n");

    RunCommandTest.Run search = knowledge("search", "как вернуть деньги", "--json");
    assertThat(search.exit()).as(search.err()).isZero();
    JsonNode hit = JSON.readTree(search.out().lines().findFirst().orElseThrow());
    assertThat(hit.path("id").asLong()).isEqualTo(1);
    assertThat(hit.path("score").asDouble()).isBetween(0.0, 1.0);
  }

  @Test
  void validateArchiveListByStatusAndReindex() throws Exception {
    knowledge("import", file("faq.csv", CSV).toString());

    RunCommandTest.Run validated = knowledge("validate", "2", "--by", "anna");
    assertThat(validated.exit()).as(validated.err()).isZero();
    assertThat(validated.out()).isEqualTo("validated: 2\n");
    assertThat(knowledge("show", "2").out()).contains("status: validated\n", "validated_by: anna\n");
    assertThat(knowledge("list", "--status", "validated").out()).isEqualTo("2 validated en How do I reset my password?\n");
    assertThat(knowledge("search", "reset password").out()).contains(" 2 How do I reset my password?");
    assertThat(knowledge("reindex").out()).isEqualTo("reindexed: 1\n");

    assertThat(knowledge("archive", "2").out()).isEqualTo("archived: 2\n");
    assertThat(knowledge("list", "--status", "archived").out()).isEqualTo("2 archived en How do I reset my password?\n");
    assertThat(knowledge("search", "reset password").out()).isEmpty();
    assertThat(knowledge("reindex").out()).isEqualTo("reindexed: 0\n");
  }

  @Test
  void anUnknownIdIsOneClearLineAndExitCodeOne() {
    for (String command : List.of("show", "validate", "archive")) {
      RunCommandTest.Run r = knowledge(command, "99");
      assertThat(r.exit()).as(command).isEqualTo(1);
      assertThat(r.out()).isEmpty();
      assertThat(r.err()).startsWith("tgsupport knowledge " + command + ": no knowledge entry #99 in jdbc:postgresql:")
          .hasLineCount(1);
    }
  }

  @Test
  void aFileThatCannotBeReadAtAllFailsWithExitCodeOneAndStoresNothing() throws Exception {
    RunCommandTest.Run missing = knowledge("import", dir.resolve("nope.csv").toString());
    assertThat(missing.exit()).isEqualTo(1);
    assertThat(missing.err()).isEqualTo("tgsupport knowledge import: cannot read " + dir.resolve("nope.csv")
        + ": no such file\n");

    Path badHeader = file("bad.csv", "q,a\nx,y\n");
    RunCommandTest.Run header = knowledge("import", badHeader.toString());
    assertThat(header.exit()).isEqualTo(1);
    assertThat(header.err()).startsWith("tgsupport knowledge import: " + badHeader + ":1: unknown column 'q'");

    Path latin1 = dir.resolve("latin1.json");
    Files.write(latin1, "[{\"question\": \"Caf\u00e9?\", \"answer\": \"x\"}]".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
    RunCommandTest.Run encoding = knowledge("import", latin1.toString());
    assertThat(encoding.exit()).isEqualTo(1);
    assertThat(encoding.err()).contains(latin1 + ":1: not UTF-8");

    assertThat(knowledge("list").out()).isEmpty();
  }

  @Test
  void theDatabaseComesFromDatabaseUrlWhenNoOptionIsGiven() throws Exception {
    Path csv = file("faq.csv", CSV);

    RunCommandTest.Run r = RunCommandTest.run(Map.of("DATABASE_URL", url), "knowledge", "import", csv.toString());

    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).startsWith("imported: 3,");
    assertThat(TestPostgres.count("SELECT count(*) FROM " + schema + ".knowledge_entries")).isEqualTo(3);
  }

  @Test
  void anUnreachableDatabaseIsOneLineWithoutThePassword() throws Exception {
    Path csv = file("faq.csv", CSV);

    RunCommandTest.Run r = RunCommandTest.run(Map.of(), "knowledge", "import", csv.toString(), "--database-url",
        "jdbc:postgresql://127.0.0.1:1/test?user=postgres&password=hunter2secret&connectTimeout=2");

    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).startsWith("tgsupport knowledge import: cannot migrate ").hasLineCount(1)
        .doesNotContain("hunter2secret");
  }
}
