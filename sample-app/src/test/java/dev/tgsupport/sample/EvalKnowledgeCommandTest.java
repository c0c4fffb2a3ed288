package dev.tgsupport.sample;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tgsupport.sample.RunCommandTest.Run;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tgsupport eval knowledge}, in-process: its output, its errors, and floors on the shipped examples. */
class EvalKnowledgeCommandTest {
  private static final List<String> KEYS = List.of(
      "recall_at_1", "recall_at_5", "mrr", "answered_precision", "unanswerable_rejected", "queries");
  private static final Path EXAMPLES = Path.of(System.getProperty("basedir", ".")).resolve("../examples/knowledge");

  private static Run eval(String... args) {
    String[] all = new String[args.length + 2];
    all[0] = "eval";
    all[1] = "knowledge";
    System.arraycopy(args, 0, all, 2, args.length);
    return RunCommandTest.run(Map.of(), all);
  }

  private static Map<String, Double> values(Run r) {
    List<String> lines = r.out().lines().toList();
    assertThat(lines.stream().map(l -> l.substring(0, l.indexOf(':'))).toList()).containsExactlyElementsOf(KEYS);
    assertThat(lines).allMatch(l -> l.matches("[a-z_0-9]+: [0-9]+(\\.[0-9]{4})?"));
    Map<String, Double> out = new HashMap<>();
    for (String l : lines) {
      out.put(l.substring(0, l.indexOf(':')), Double.parseDouble(l.substring(l.indexOf(':') + 2)));
    }
    return out;
  }

  private static String kb() {
    return EXAMPLES.resolve("kb.csv").toString();
  }

  private static String queries() {
    return EXAMPLES.resolve("queries.csv").toString();
  }

  /** Measured: 0.8556, 0.9778, 0.9055, 0.9683, 1.0000 (examples/knowledge/README.md); floors a little below. */
  @Test
  void theHybridRetrieverOnTheShippedExamplesStaysAboveItsFloors() {
    Run r = eval("--kb", kb(), "--queries", queries());
    assertThat(r.exit()).as(r.err()).isZero();
    Map<String, Double> v = values(r);
    assertThat(v.get("queries")).isEqualTo(120.0);
    assertThat(v.get("recall_at_1")).isGreaterThanOrEqualTo(0.83);
    assertThat(v.get("recall_at_5")).isGreaterThanOrEqualTo(0.95);
    assertThat(v.get("mrr")).isGreaterThanOrEqualTo(0.88);
    assertThat(v.get("answered_precision")).isGreaterThanOrEqualTo(0.94);
    assertThat(v.get("unanswerable_rejected")).isGreaterThanOrEqualTo(0.95);
    assertThat(r.err()).contains("eval: en: recall_at_1", "eval: ru: recall_at_1", "answer threshold 0.50");
  }

  /** Measured for the lexical retriever alone: 0.8111, 0.9556, 0.8683, 0.9118, 0.9667. */
  @Test
  void theLexicalRetrieverAloneNeedsNoModel() {
    Run r = eval("--kb", kb(), "--queries", queries(), "--retriever", "lexical");
    assertThat(r.exit()).as(r.err()).isZero();
    Map<String, Double> v = values(r);
    assertThat(v.get("recall_at_1")).isGreaterThanOrEqualTo(0.79);
    assertThat(v.get("unanswerable_rejected")).isGreaterThanOrEqualTo(0.93);
  }

  @Test
  void trainingPrintsTheFittedCalibrationToStderrOnly() {
    Run r = eval("--kb", kb(), "--queries", queries(), "--embedder", "hashing", "--train",
        EXAMPLES.resolve("train-queries.csv").toString());
    assertThat(r.exit()).as(r.err()).isZero();
    values(r);
    assertThat(r.err()).contains("eval: fitted on 68 queries of", "Calibration{intercept=");
  }

  @Test
  void aQueryNamingAnUnknownQuestionIsRefusedWithFileAndLine(@TempDir Path dir) throws IOException {
    Path q = Files.writeString(dir.resolve("q.csv"),
        "query,expected_question\nforgot password,How do I reset my password?\nhello,No such question?\n",
        StandardCharsets.UTF_8);
    Run r = eval("--kb", kb(), "--queries", q.toString(), "--embedder", "hashing");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).contains(q + ": line 3: expected_question 'No such question?' is not a question of the"
        + " knowledge base");
  }

  @Test
  void aBadHeaderOrRowIsRefusedWithFileAndLine(@TempDir Path dir) throws IOException {
    Path header = Files.writeString(dir.resolve("h.csv"), "question,answer\nx,y\n", StandardCharsets.UTF_8);
    Run r = eval("--kb", kb(), "--queries", header.toString(), "--embedder", "hashing");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).contains(header + ": line 1: the header must be 'query,expected_question'");

    Path fields = Files.writeString(dir.resolve("f.csv"), "query,expected_question\n\na,b,c\n", StandardCharsets.UTF_8);
    r = eval("--kb", kb(), "--queries", fields.toString(), "--embedder", "hashing");
    assertThat(r.err()).contains(fields + ": line 3: expected 2 fields (query,expected_question), found 3");

    r = eval("--kb", dir.resolve("missing.csv").toString(), "--queries", fields.toString());
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).contains("missing.csv: no such file");
  }

  @Test
  void trainingGoesOnlyWithTheHybridRetriever() {
    Run r = eval("--kb", kb(), "--queries", queries(), "--retriever", "lexical", "--train", queries());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("--train fits the hybrid retriever");
  }
}
