package dev.tgsupport.sample;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tgsupport.sample.BenchStorageCommandTest.Run;
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
import org.junit.jupiter.api.Test;

/** {@code tgsupport bench storage} for real, small, against the test server. */
class BenchStorageCommandIT {
  private static String url() {
    String configured = System.getenv("TGSUPPORT_TEST_JDBC_URL");
    return configured != null && !configured.isBlank() ? configured
        : "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";
  }

  @Test
  void aSmallRunPrintsEveryKeyAndDropsItsSchema() throws Exception {
    Run r = BenchStorageCommandTest.run("bench", "storage", "--database-url", url(), "--messages", "500",
        "--threads", "8", "--warmup", "100", "--rounds", "2");
    assertThat(r.exit()).as(r.err()).isZero();
    Map<String, String> values = new LinkedHashMap<>();
    for (String line : r.out().split("\\R")) {
      String[] kv = line.split(": ", 2);
      assertThat(kv).as("a 'key: value' line: %s", line).hasSize(2);
      values.put(kv[0], kv[1]);
    }
    assertThat(values.keySet()).containsExactly("messages", "threads", "rounds", "baseline_msgs_per_s",
        "sdk_msgs_per_s", "ratio", "ratio_min", "ratio_max", "baseline_p50_ms", "baseline_p99_ms", "p50_ms", "p99_ms",
        "avg_batch");
    assertThat(values).containsEntry("messages", "500").containsEntry("threads", "8").containsEntry("rounds", "2");
    assertThat(Double.parseDouble(values.get("ratio_min")))
        .isLessThanOrEqualTo(Double.parseDouble(values.get("ratio_max")));
    // Both paths ran twice, alternating which went first.
    assertThat(r.err()).containsSubsequence("bench: baseline 1: ", "bench: sdk 1: ", "bench: sdk 2: ",
        "bench: baseline 2: ");
    for (String key : List.of("baseline_msgs_per_s", "sdk_msgs_per_s", "ratio", "ratio_min", "ratio_max",
        "baseline_p50_ms",
        "baseline_p99_ms", "p50_ms", "p99_ms", "avg_batch")) {
      assertThat(Double.parseDouble(values.get(key))).as(key).isPositive();
    }
    assertThat(values.get("ratio")).matches("\\d+\\.\\d\\d");
    assertThat(Double.parseDouble(values.get("avg_batch"))).isGreaterThanOrEqualTo(1.0);

    Matcher m = Pattern.compile("schema (bench_[a-z0-9]{8}) dropped").matcher(r.err());
    assertThat(m.find()).as(r.err()).isTrue();
    try (Connection c = DriverManager.getConnection(url());
        PreparedStatement s = c.prepareStatement("SELECT count(*) FROM pg_namespace WHERE nspname = ?")) {
      s.setString(1, m.group(1));
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        assertThat(rs.getInt(1)).isZero();
      }
    }
  }

  @Test
  void anUnreachableDatabaseFailsWithOneLine() {
    Run r = BenchStorageCommandTest.run("bench", "storage", "--database-url",
        "postgres://bench:hunter22@127.0.0.1:1/none", "--messages", "10");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.out()).isEmpty();
    List<String> errors = new ArrayList<>();
    for (String line : r.err().split("\\R")) {
      if (!line.startsWith("bench: ")) {
        errors.add(line);
      }
    }
    assertThat(errors).hasSize(1);
    assertThat(errors.get(0)).startsWith("tgsupport bench storage: failed on postgres://bench:***@127.0.0.1:1/none: ")
        .doesNotContain("hunter22");
  }
}
