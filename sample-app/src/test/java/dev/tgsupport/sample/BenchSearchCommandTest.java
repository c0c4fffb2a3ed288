package dev.tgsupport.sample;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tgsupport.sample.RunCommandTest.Run;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code tgsupport bench search}, in-process and tiny: its output, its recall, its options. */
class BenchSearchCommandTest {
  /** 48 short support questions, one a line, two of them twice and a blank line between. */
  private static final String LINES = """
      How do I reset my password?
      I forgot my password and cannot log in
      Where is my order?
      When will my package arrive?
      Can I change the delivery address?
      How much does the premium plan cost?
      Why was I charged twice this month?
      I want a refund for my subscription
      How do I cancel my subscription?
      Can I pause my membership for a month?
      The app crashes when I open the settings
      The website is very slow today
      How do I export my invoices to CSV?
      Where can I download last month's report?
      How do I add a new team member?
      Can I remove a user from my workspace?
      How do I enable two-factor authentication?
      I lost my phone with the authenticator app
      How do I change the language of the interface?
      Is there a dark mode?

      How do I connect the Telegram bot?
      The bot does not answer my messages
      How do I set up a webhook?
      My webhook returns an error 500
      Can I increase my storage limit?
      I cannot upload a large file
      How do I transfer ownership of the account?
      How do I merge two customer accounts?
      Turn off the email reminders please
      I get too many notifications
      How do I update my payment card?
      My card was declined
      Do you offer a discount for students?
      Is there a free trial?
      How do I contact a human?
      What are your opening hours?
      Do you ship to Canada?
      How long does shipping take?
      The parcel arrived damaged
      I received the wrong item
      How do I return a product?
      Where is the return label?
      Can I get an invoice with my company name?
      How do I change my email address?
      How do I delete my account?
      Is my data stored in Europe?
      Can I use the API for free?
      What is the rate limit of the API?
      How do I reset my password?
      Where is my order?
      """;

  /** 12 more questions in the CLINC150 format, labels ignored. */
  private static final String CLINC = """
      {"train": [["what is the weather tomorrow", "weather"], ["will it rain today", "weather"],
                 ["set an alarm for 7 am", "alarm"], ["wake me up at six", "alarm"],
                 ["how do i say hello in french", "translate"], ["translate thank you to spanish", "translate"]],
       "oos_train": [["tell me a joke", "oos"], ["who won the football match", "oos"],
                     ["recommend a good movie", "oos"], ["what is the meaning of life", "oos"],
                     ["play some jazz music", "oos"], ["book a table for two tonight", "oos"]]}
      """;

  private static final List<String> KEYS = List.of("entries", "queries", "dimension", "build_seconds", "sdk_p50_ms",
      "sdk_p99_ms", "baseline_p50_ms", "baseline_p99_ms", "ratio", "recall_at_10");

  @Test
  void aTinyRunPrintsExactlyTheKeysInOrderAndFindsTheTrueNeighbours() {
    Run r = RunCommandTest.run(Map.of(), "bench", "search", "--entries", "2000", "--queries", "50", "--dimension",
        "64", "--seed", "7");

    assertThat(r.exit()).as(r.err()).isZero();
    Map<String, String> values = parse(r.out());
    assertThat(values.keySet()).containsExactlyElementsOf(KEYS);
    assertThat(values).containsEntry("entries", "2000").containsEntry("queries", "50")
        .containsEntry("dimension", "64");
    for (String key : KEYS.subList(3, KEYS.size())) {
      assertThat(values.get(key)).as(key).matches("[0-9]+\\.[0-9]+");
      assertThat(Double.parseDouble(values.get(key))).as(key).isPositive();
    }
    assertThat(Double.parseDouble(values.get("recall_at_10"))).isBetween(0.95, 1.0);
    assertThat(Double.parseDouble(values.get("ratio"))).isCloseTo(
        Double.parseDouble(values.get("baseline_p99_ms")) / Double.parseDouble(values.get("sdk_p99_ms")),
        org.assertj.core.api.Assertions.within(0.1 + 0.001 * Double.parseDouble(values.get("ratio"))));
    assertThat(r.err()).contains("bench: 2000 clustered vectors (45 clusters) of dimension 64, 50 queries of the top"
        + " 10, seed 7", "bench: sdk p50 ", "bench: baseline p50 ", "; on CPU p50 ");
  }

  @Test
  void uniformVectorsAreOfferedToo() {
    Run r = RunCommandTest.run(Map.of(), "bench", "search", "--entries", "500", "--queries", "20", "--dimension",
        "16", "--distribution", "uniform", "--max-connections", "8", "--beam-width", "50", "--candidates", "40");

    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(parse(r.out())).containsEntry("entries", "500").containsKey("recall_at_10");
    assertThat(Double.parseDouble(parse(r.out()).get("recall_at_10"))).isGreaterThanOrEqualTo(0.9);
    assertThat(r.err()).contains("bench: 500 uniform vectors of dimension 16",
        "maxConnections=8, beamWidth=50, searchCandidates=40");
  }

  @Test
  void realTextsAreEmbeddedWithTheBundledModelAndTheHeldOutOnesFindTheirTrueNeighbours(@TempDir Path dir)
      throws IOException {
    Path lines = Files.writeString(dir.resolve("questions.txt"), LINES, StandardCharsets.UTF_8);
    Path clinc = Files.writeString(dir.resolve("train.json"), CLINC, StandardCharsets.UTF_8);

    Run r = RunCommandTest.run(Map.of(), "bench", "search", "--texts", lines.toString(), "--texts", clinc.toString(),
        "--queries", "15", "--seed", "3");

    assertThat(r.exit()).as(r.err()).isZero();
    Map<String, String> values = parse(r.out());
    assertThat(values.keySet()).containsExactlyElementsOf(KEYS);
    assertThat(values).containsEntry("entries", "45").containsEntry("queries", "15")
        .containsEntry("dimension", "384");
    // Building 45 vectors can take less than the 10 ms that build_seconds' two decimals show.
    assertThat(Double.parseDouble(values.get("build_seconds"))).isGreaterThanOrEqualTo(0.0);
    for (String key : KEYS.subList(4, KEYS.size())) {
      if (key.equals("ratio")) {
        // A brute-force scan of 45 vectors can beat the graph walk by 200 times on a busy machine: 0.00 at two
        // decimals. Only a large index makes the ratio mean something.
        assertThat(Double.parseDouble(values.get(key))).as(key).isGreaterThanOrEqualTo(0.0);
      } else {
        assertThat(Double.parseDouble(values.get(key))).as(key).isPositive();
      }
    }
    // 45 vectors and 100 candidates: the graph walk reaches every one, so the approximate answer is the exact one.
    assertThat(Double.parseDouble(values.get("recall_at_10"))).isEqualTo(1.0);
    assertThat(r.err()).contains("bench: 60 distinct texts (of 62 read) from " + lines + ", " + clinc + "; 15 held"
        + " out as queries of the top 10, seed 3; 45 indexed", "LocalEmbedder[all-minilm-l6-v2-q, 384 dims]",
        "bench: embedded 60 texts in ", "bench: sdk p50 ");
  }

  @Test
  void theHeldOutQueriesAreASeededSampleThatIsNeverIndexed() {
    List<String> texts = IntStream.range(0, 200).mapToObj(i -> "text " + i).toList();

    BenchSearchTexts.Split split = BenchSearchTexts.split(texts, 30, 42);

    assertThat(split.queries()).hasSize(30).doesNotHaveDuplicates();
    assertThat(split.entries()).hasSize(170).doesNotContainAnyElementsOf(split.queries());
    Set<String> all = new HashSet<>(split.entries());
    all.addAll(split.queries());
    assertThat(all).containsExactlyInAnyOrderElementsOf(texts);
    assertThat(split.entries()).isSortedAccordingTo((a, b) -> Integer.compare(
        Integer.parseInt(a.substring(5)), Integer.parseInt(b.substring(5))));
    assertThat(BenchSearchTexts.split(texts, 30, 42)).isEqualTo(split);
    assertThat(BenchSearchTexts.split(texts, 30, 43).queries()).isNotEqualTo(split.queries());
    // A sample, not the first or last lines of the file.
    assertThat(split.queries()).isNotEqualTo(texts.subList(0, 30)).isNotEqualTo(texts.subList(170, 200));
  }

  @Test
  void textsAreReadDistinctFromLinesAndClincFiles(@TempDir Path dir) throws IOException {
    Path lines = Files.writeString(dir.resolve("a.txt"), "  one \n\ntwo\none\n", StandardCharsets.UTF_8);
    Path clinc = Files.writeString(dir.resolve("b.json"), "\n {\"x\": [[\"two\", \"l\"], [\"three\", \"l\"]],"
        + " \"y\": [[\"four\", \"m\"]]}", StandardCharsets.UTF_8);

    BenchSearchTexts.Texts texts = BenchSearchTexts.read(List.of(lines, clinc));

    assertThat(texts.distinct()).containsExactly("one", "two", "three", "four");
    assertThat(texts.read()).isEqualTo(6);
  }

  @Test
  void badTextFilesFailNamingTheFile(@TempDir Path dir) throws IOException {
    Path missing = dir.resolve("missing.txt");
    Run r = RunCommandTest.run(Map.of(), "bench", "search", "--texts", missing.toString());
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).startsWith("tgsupport bench search: cannot read " + missing + ": no such file");

    Path blank = Files.writeString(dir.resolve("blank.txt"), "\n  \n", StandardCharsets.UTF_8);
    r = RunCommandTest.run(Map.of(), "bench", "search", "--texts", blank.toString());
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).isEqualTo("tgsupport bench search: " + blank + " holds no text\n");

    Path json = Files.writeString(dir.resolve("bad.json"), "{\"train\": [[\"text\"]]}", StandardCharsets.UTF_8);
    r = RunCommandTest.run(Map.of(), "bench", "search", "--texts", json.toString());
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).startsWith("tgsupport bench search: " + json + ": \"train\"[0] must be [text, label]");
  }

  @Test
  void tooFewTextsForTheQueriesIsAUsageError(@TempDir Path dir) throws IOException {
    List<String> twenty = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      twenty.add("question number " + i);
    }
    Path file = Files.write(dir.resolve("q.txt"), twenty, StandardCharsets.UTF_8);

    Run r = RunCommandTest.run(Map.of(), "bench", "search", "--texts", file.toString(), "--queries", "11");

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).endsWith("tgsupport bench search: --queries must leave at least 10 of the 20 distinct texts"
        + " to index, was 11\n");
  }

  @ParameterizedTest
  @CsvSource({"--entries, 1000", "--dimension, 384", "--distribution, uniform"})
  void optionsTheTextsDecideAreRefusedWithTexts(String option, String value, @TempDir Path dir) throws IOException {
    Path file = Files.writeString(dir.resolve("q.txt"), "a question\n", StandardCharsets.UTF_8);
    Run r = RunCommandTest.run(Map.of(), "bench", "search", "--texts", file.toString(), option, value);
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).isEqualTo("tgsupport bench search: " + option + " cannot be used with --texts: the texts"
        + " decide it\n");
  }

  @Test
  void theResultPrintsEveryKeyOnceWithItsRatio() {
    BenchSearch.Result r = new BenchSearch.Result(100_000, 1_000, 384, 61.2345, 0.41234, 1.5, 40.0, 45.0, 0.98765);
    assertThat(r.lines()).containsExactly(
        "entries: 100000",
        "queries: 1000",
        "dimension: 384",
        "build_seconds: 61.23",
        "sdk_p50_ms: 0.412",
        "sdk_p99_ms: 1.500",
        "baseline_p50_ms: 40.000",
        "baseline_p99_ms: 45.000",
        "ratio: 30.0",
        "recall_at_10: 0.9877");
  }

  @Test
  void percentilesAreNearestRank() {
    long[] nanos = new long[100];
    for (int i = 0; i < nanos.length; i++) {
      nanos[i] = (100 - i) * 1_000_000L;
    }
    assertThat(BenchSearch.percentileMs(nanos, 0.50)).isEqualTo(50.0);
    assertThat(BenchSearch.percentileMs(nanos, 0.99)).isEqualTo(99.0);
    assertThat(BenchSearch.percentileMs(new long[] {3_000_000}, 0.99)).isEqualTo(3.0);
  }

  @ParameterizedTest
  @CsvSource({
    "--entries, 9, '--entries must be in 10..10000000, was 9'",
    "--queries, 0, '--queries must be in 1..1000000, was 0'",
    "--dimension, 1, '--dimension must be in 2..4096, was 1'",
    "--dimension, 4097, '--dimension must be in 2..4096, was 4097'",
    "--max-connections, 0, '--max-connections must be in 1..512, was 0'",
    "--beam-width, 3201, '--beam-width must be in 1..3200, was 3201'",
    "--candidates, 0, '--candidates must be in 1..10000, was 0'",
    "--distribution, gaussian, '--distribution must be clustered or uniform, was ''gaussian'''"
  })
  void badOptionsAreUsageErrors(String option, String value, String message) {
    Run r = RunCommandTest.run(Map.of(), "bench", "search", option, value);
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).isEqualTo("tgsupport bench search: " + message + "\n");
  }

  @Test
  void tooManyComponentsForTheHeapIsAUsageError() {
    Run r = RunCommandTest.run(Map.of(), "bench", "search", "--entries", "1000000", "--dimension", "384");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).isEqualTo("tgsupport bench search: --entries x --dimension must be at most 200000000 (every"
        + " vector is held twice in memory), was 384000000\n");
  }

  @Test
  void helpDescribesTheVectorsAndListsTheKeys() {
    Run r = RunCommandTest.run(Map.of(), "bench", "search", "--help");
    assertThat(r.exit()).isZero();
    String help = r.out().replaceAll("\\s+", " ");
    assertThat(help).contains("--entries=N", "--queries=Q", "--dimension=D", "--seed=S", "--distribution=KIND",
        "(default 100000)", "(default 1000)", "(default 384", "mixture of Gaussian clusters", "uniform on the sphere",
        "InMemoryEmbeddingStore", "--texts=FILE", "CLINC150", "held out as the queries",
        "--entries, --dimension and --distribution are refused");
    for (String key : KEYS) {
      assertThat(help).contains(key);
    }
  }

  private static Map<String, String> parse(String out) {
    Map<String, String> values = new LinkedHashMap<>();
    for (String line : out.lines().toList()) {
      assertThat(line).matches("[a-z0-9_]+: \\S+");
      String key = line.substring(0, line.indexOf(':'));
      assertThat(values.put(key, line.substring(key.length() + 2))).as("%s printed twice", key).isNull();
    }
    return values;
  }
}
