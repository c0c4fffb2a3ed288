package dev.tgsupport.sample;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tgsupport.sample.RunCommandTest.Run;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code tgsupport bench embed}: its output and options, on a tiny run of the real bundled model. */
class BenchEmbedCommandTest {
  private static final List<String> KEYS = List.of("texts", "batch_size", "threads", "single_texts_per_s",
      "batched_texts_per_s", "batch_speedup", "cached_texts_per_s", "cache_speedup");

  @Test
  void aTinyRunPrintsExactlyTheKeysInOrder() {
    Run r = RunCommandTest.run(Map.of(), "bench", "embed", "--texts", "6", "--batch-size", "4", "--threads", "1");

    assertThat(r.exit()).as(r.err()).isZero();
    List<String> lines = r.out().lines().toList();
    assertThat(lines.stream().map(l -> l.substring(0, l.indexOf(": "))).toList()).containsExactlyElementsOf(KEYS);
    assertThat(lines.subList(0, 3)).containsExactly("texts: 6", "batch_size: 4", "threads: 1");
    assertThat(lines.subList(3, 8)).allMatch(l -> l.matches("[a-z_]+: [0-9]+\\.[0-9]+"), "decimal numbers");
    assertThat(r.err()).as("no progress when not on a terminal").isEmpty();
  }

  @Test
  void theResultPrintsRatesAndSpeedups() {
    BenchEmbedCommand.Result r = new BenchEmbedCommand.Result(2000, 64, 2, 150.04, 261.5, 1_234_567.891);
    assertThat(BenchEmbedCommand.lines(r)).containsExactly(
        "texts: 2000",
        "batch_size: 64",
        "threads: 2",
        "single_texts_per_s: 150.0",
        "batched_texts_per_s: 261.5",
        "batch_speedup: 1.74",
        "cached_texts_per_s: 1234567.9",
        "cache_speedup: 8228.26");
  }

  @Test
  void theQuestionsAreDistinctEnglishAndReproducible() {
    List<String> questions = BenchEmbedCommand.questions(0, 25_000);
    assertThat(new HashSet<>(questions)).hasSize(25_000);
    assertThat(questions).allMatch(q -> q.matches("[A-Z][A-Za-z0-9 ,'?.()-]+[?.)]"), "an English sentence");
    assertThat(questions.get(0)).isEqualTo("How do I reset my password in the mobile app?");
    assertThat(questions.get(2)).isEqualTo("Why does the mobile app fail when I try to reset my password?");
    assertThat(BenchEmbedCommand.questions(100, 3)).isEqualTo(questions.subList(100, 103));
    assertThat(questions.get(19_200)).endsWith("(ticket 1)");
  }

  @ParameterizedTest
  @CsvSource({"--texts,0", "--texts,1000001", "--batch-size,0", "--batch-size,10001", "--threads,0",
      "--threads,257"})
  void badOptionsAreUsageErrors(String option, String value) {
    Run r = RunCommandTest.run(Map.of(), "bench", "embed", option, value);
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).isEqualTo("tgsupport bench embed: " + option + " must be in " + (option.equals("--texts")
        ? "1..1000000" : option.equals("--batch-size") ? "1..10000" : "1..256") + ", was " + value + "\n");
  }

  @Test
  void helpListsTheOptionsAndKeys() {
    Run r = RunCommandTest.run(Map.of(), "bench", "embed", "--help");
    assertThat(r.exit()).isZero();
    assertThat(r.out()).contains("--texts=N", "--batch-size=B", "--threads=T", "(default 2000)", "(default 64)");
    for (String key : KEYS) {
      assertThat(r.out()).contains(key);
    }
    assertThat(RunCommandTest.run(Map.of(), "bench", "--help").out()).contains("embed");
  }
}
