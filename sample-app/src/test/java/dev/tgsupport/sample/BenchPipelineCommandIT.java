package dev.tgsupport.sample;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tgsupport.sample.BenchPipelineCommandTest.Run;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** {@code tgsupport bench pipeline} for real, small, against the test server. */
class BenchPipelineCommandIT {
  private static final List<String> STAGES =
      List.of("record", "noise", "followup", "intent", "knowledge", "ticket", "finish");

  @ParameterizedTest
  @ValueSource(strings = {"postgres", "memory"})
  void aSmallRunPrintsEveryKeyInOrderAndDropsItsSchema(String storage) throws Exception {
    Run r = BenchPipelineCommandTest.run(Map.of("DATABASE_URL", TestPostgres.url()), "bench", "pipeline",
        "--storage", storage, "--messages", "60", "--warmup", "20");
    assertThat(r.exit()).as(r.err()).isZero();
    Map<String, String> values = new LinkedHashMap<>();
    for (String line : r.out().split("\\R")) {
      String[] kv = line.split(": ", 2);
      assertThat(kv).as("a 'key: value' line: %s", line).hasSize(2);
      values.put(kv[0], kv[1]);
    }
    List<String> keys = new ArrayList<>(List.of("messages", "pipeline_msgs_per_s", "baseline_msgs_per_s", "ratio",
        "p50_ms", "p99_ms"));
    STAGES.forEach(s -> keys.add("stage_" + s + "_share"));
    assertThat(values.keySet()).containsExactlyElementsOf(keys);
    assertThat(values).containsEntry("messages", "60");
    for (String key : List.of("pipeline_msgs_per_s", "baseline_msgs_per_s", "ratio", "p50_ms", "p99_ms")) {
      assertThat(Double.parseDouble(values.get(key))).as(key).isPositive();
    }
    assertThat(values.get("ratio")).matches("\\d+\\.\\d\\d");
    assertThat(Double.parseDouble(values.get("p99_ms"))).isGreaterThanOrEqualTo(
        Double.parseDouble(values.get("p50_ms")));
    double sum = 0;
    for (String stage : STAGES) {
      String share = values.get("stage_" + stage + "_share");
      assertThat(share).as(stage).matches("[01]\\.\\d\\d");
      sum += Double.parseDouble(share);
    }
    assertThat(sum).as("shares add up to one, give or take rounding").isBetween(0.95, 1.05);

    assertThat(r.err()).contains("bench: mix: 60 messages: 24 noise (40%", "24 answerable (40%)",
        "12 for tickets (20%)", "bench: outcomes: ", "bench: self time per message: record ");
    assertThat(r.err()).contains(storage.equals("memory") ? "pipeline on memory" : "pipeline on PostgreSQL");
    Matcher m = Pattern.compile("ticket (\\d+)").matcher(r.err());
    assertThat(m.find()).as(r.err()).isTrue();
    assertThat(Integer.parseInt(m.group(1))).isBetween(10, 16);
    Matcher dropped = Pattern.compile("schema (bench_[a-z0-9]{8}) dropped").matcher(r.err());
    assertThat(dropped.find()).as(r.err()).isTrue();
    assertSchemaGone(dropped.group(1));
  }

  @Test
  void anUnreachableDatabaseFailsWithOneLineWithoutItsPassword() {
    Run r = BenchPipelineCommandTest.run(Map.of(), "bench", "pipeline", "--database-url",
        "postgres://bench:hunter22@127.0.0.1:1/none", "--messages", "10", "--warmup", "0");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.out()).isEmpty();
    List<String> errors = new ArrayList<>();
    for (String line : r.err().split("\\R")) {
      if (!line.startsWith("bench: ")) {
        errors.add(line);
      }
    }
    assertThat(errors).hasSize(1);
    assertThat(errors.get(0)).startsWith("tgsupport bench pipeline: failed on postgres://bench:***@127.0.0.1:1/none: ")
        .doesNotContain("hunter22");
    assertThat(r.err()).doesNotContain("hunter22");
  }

  private static void assertSchemaGone(String schema) throws Exception {
    try (Connection c = DriverManager.getConnection(TestPostgres.url());
        PreparedStatement s = c.prepareStatement("SELECT count(*) FROM pg_namespace WHERE nspname = ?")) {
      s.setString(1, schema);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        assertThat(rs.getInt(1)).as(schema).isZero();
      }
    }
  }
}
