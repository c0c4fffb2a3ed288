package dev.tgsupport.sample;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tgsupport.sample.RunCommandTest.Run;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code tgsupport bench search}, in-process and tiny: its output, its recall, its options. */
class BenchSearchCommandTest {
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
        "InMemoryEmbeddingStore");
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
