package dev.tgsupport.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code tgsupport eval knowledge --lexical postgres}: PostgreSQL full-text search as the lexical side. */
class EvalKnowledgeCommandIT {
  private static final Path EXAMPLES = Path.of(System.getProperty("basedir", ".")).resolve("../examples/knowledge");
  private static final String EVAL_SCHEMAS = "SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'tgsupport_eval_%'";

  private static RunCommandTest.Run eval(Map<String, String> env, String... args) {
    String[] all = new String[args.length + 6];
    all[0] = "eval";
    all[1] = "knowledge";
    all[2] = "--kb";
    all[3] = EXAMPLES.resolve("kb.csv").toString();
    all[4] = "--queries";
    all[5] = EXAMPLES.resolve("queries.csv").toString();
    System.arraycopy(args, 0, all, 6, args.length);
    return RunCommandTest.run(env, all);
  }

  private static Map<String, Double> values(RunCommandTest.Run r) {
    Map<String, Double> out = new HashMap<>();
    for (String l : r.out().lines().toList()) {
      out.put(l.substring(0, l.indexOf(':')), Double.parseDouble(l.substring(l.indexOf(':') + 2)));
    }
    return out;
  }

  /**
   * Measured with {@code Calibration.postgresDefaults()}: 0.8667, 0.9778, 0.9164, 0.9672, 0.9667
   * (examples/knowledge/README.md); floors a little below. The schema it loads the knowledge into is dropped.
   */
  @Test
  void theHybridRetrieverWithPostgresFullTextSearchStaysAboveItsFloorsAndLeavesNoSchema() {
    long before = TestPostgres.count(EVAL_SCHEMAS);
    RunCommandTest.Run r = eval(Map.of(), "--lexical", "postgres", "--database-url", TestPostgres.url());
    assertThat(r.exit()).as(r.err()).isZero();
    Map<String, Double> v = values(r);
    assertThat(v.keySet()).containsExactlyInAnyOrder(
        "recall_at_1", "recall_at_5", "mrr", "answered_precision", "unanswerable_rejected", "queries");
    assertThat(v.get("queries")).isEqualTo(120.0);
    assertThat(v.get("recall_at_1")).isGreaterThanOrEqualTo(0.84);
    assertThat(v.get("recall_at_5")).isGreaterThanOrEqualTo(0.95);
    assertThat(v.get("mrr")).isGreaterThanOrEqualTo(0.89);
    assertThat(v.get("answered_precision")).isGreaterThanOrEqualTo(0.94);
    assertThat(v.get("unanswerable_rejected")).isGreaterThanOrEqualTo(0.93);
    assertThat(r.err()).contains("(hybrid, lexical postgres, ");
    assertThat(TestPostgres.count(EVAL_SCHEMAS)).isEqualTo(before);
  }

  @Test
  void postgresAloneNeedsNoModel() {
    RunCommandTest.Run r = eval(Map.of(), "--retriever", "lexical", "--lexical", "postgres", "--database-url",
        TestPostgres.url());
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(values(r).get("recall_at_1")).isGreaterThanOrEqualTo(0.79);
    assertThat(r.err()).contains("(lexical, lexical postgres, no embedder)");
  }

  @Test
  void anUnreachableDatabaseFailsInOneLineWithoutThePassword() {
    RunCommandTest.Run r = eval(Map.of(), "--retriever", "lexical", "--lexical", "postgres", "--database-url",
        "postgres://eval:s3cret-pw@127.0.0.1:1/nowhere?connectTimeout=1");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.out()).isEmpty();
    assertThat(r.err().lines().toList()).as(r.err()).singleElement().asString()
        .startsWith("tgsupport eval knowledge: cannot load the knowledge base into postgres://eval:***@127.0.0.1:1/")
        .doesNotContain("s3cret-pw");
  }
}
