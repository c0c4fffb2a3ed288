package dev.tgsupport.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tgsupport.sample.RunCommandTest.Run;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tgsupport eval spam}, in-process: its output, its options, and the targets on tg-spam's shared samples. */
class EvalSpamCommandTest {
  private static final String KEYS = "(spam_recall|ham_false_positive_rate|precision|f1|messages|per_message_us)";

  /** Texts written for this test; each theme several times so every fold has some of it. */
  private static List<String> spam() {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      out.add("Удалённая работа, доход от " + (100 + i) + "$ в день, без опыта, пиши в лс за подробностями");
      out.add("Earn " + (300 + i) + " USDT a day with our crypto signals, join t.me/+Inv1te" + i + " now");
    }
    return out;
  }

  private static List<String> ham() {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      out.add("Подскажите, почему не приходит письмо для сброса пароля, жду уже " + (i + 2) + " часа");
      out.add("After updating to version 3." + i + " the export to CSV fails with a timeout error");
      out.add("Спасибо, заработало после перезапуска, вопрос " + i + " закрыт");
    }
    return out;
  }

  private static Path write(Path dir, String name, List<String> lines) throws IOException {
    return Files.write(dir.resolve(name), lines, StandardCharsets.UTF_8);
  }

  @Test
  void crossValidationPrintsExactlyTheKeys(@TempDir Path dir) throws IOException {
    Run r = RunCommandTest.run(Map.of(), "eval", "spam", "--spam", write(dir, "s.txt", spam()).toString(),
        "--ham", write(dir, "h.txt", ham()).toString(), "--folds", "3");
    assertThat(r.exit()).as(r.err()).isZero();
    List<String> lines = r.out().lines().toList();
    assertThat(lines).hasSize(6).allMatch(l -> l.matches(KEYS + ": [0-9.]+"));
    assertThat(lines.stream().map(l -> l.substring(0, l.indexOf(':'))).toList()).containsExactly(
        "spam_recall", "ham_false_positive_rate", "precision", "f1", "messages", "per_message_us");
    assertThat(lines).contains("messages: 30");
    assertThat(r.err()).contains("eval: 12 spam and 18 ham, 3-fold cross-validation", "fold 3/3");
  }

  @Test
  void withTrainingFilesItJudgesTheTestFilesOnly(@TempDir Path dir) throws IOException {
    Run r = RunCommandTest.run(Map.of(), "eval", "spam",
        "--train-spam", write(dir, "ts.txt", spam()).toString(), "--train-ham", write(dir, "th.txt", ham()).toString(),
        "--spam", write(dir, "s.txt", List.of("Доход от 500$ в день без опыта, пиши в лс")).toString(),
        "--ham", write(dir, "h.txt", List.of("Где найти настройки уведомлений?", "", "Спасибо!")).toString(),
        "--stop-words", write(dir, "stop.txt", List.of("пиши в лс")).toString());
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out().lines().toList()).contains("spam_recall: 1.0000", "ham_false_positive_rate: 0.0000",
        "messages: 3");
    assertThat(r.err()).contains("training on 12 spam and 18 ham; judging 1 spam and 2 ham");
  }

  @Test
  void badOptionsAreUsageErrorsAndMissingFilesFailures(@TempDir Path dir) throws IOException {
    Path s = write(dir, "s.txt", spam());
    Run half = RunCommandTest.run(Map.of(), "eval", "spam", "--spam", s.toString(), "--ham", s.toString(),
        "--train-spam", s.toString());
    assertThat(half.exit()).isEqualTo(2);
    assertThat(half.out()).isEmpty();
    assertThat(half.err()).isEqualTo("tgsupport eval spam: --train-spam and --train-ham go together; give both or"
        + " neither\n");
    Run folds = RunCommandTest.run(Map.of(), "eval", "spam", "--spam", s.toString(), "--ham", s.toString(),
        "--folds", "1");
    assertThat(folds.exit()).isEqualTo(2);
    assertThat(folds.err()).startsWith("tgsupport eval spam: --folds must be in 2..100, was 1");
    Run missing = RunCommandTest.run(Map.of(), "eval", "spam", "--spam", dir.resolve("nope.txt").toString(),
        "--ham", s.toString());
    assertThat(missing.exit()).isEqualTo(1);
    assertThat(missing.out()).isEmpty();
    assertThat(missing.err()).startsWith("tgsupport eval spam: cannot read ").contains("nope.txt").hasLineCount(1);
  }

  @Test
  void helpListsTheKeys() {
    Run r = RunCommandTest.run(Map.of(), "eval", "spam", "--help");
    assertThat(r.exit()).isZero();
    assertThat(r.out()).contains("--spam=FILE", "--ham=FILE", "--train-spam=FILE", "--train-ham=FILE",
        "--stop-words=FILE", "spam_recall", "ham_false_positive_rate", "per_message_us");
  }

  /**
   * The target on tg-spam's shared samples, by cross-validation: no message is judged by a model that saw
   * it. The held-out third of tg-spam's files is evaluated elsewhere.
   */
  @Test
  void crossValidatedOnTheSharedSamplesItMeetsTheTargets() {
    Path data = Path.of(System.getProperty("basedir", ".")).resolve("../../shared/data/tg-spam").normalize();
    assumeTrue(Files.isRegularFile(data.resolve("spam-samples.txt")),
        "tg-spam's samples are not at " + data + "; skipping the cross-validation on shared data");
    StringWriter progress = new StringWriter();
    SpamEval.Data d = new SpamEval.Data(lines(data.resolve("spam-samples.txt")),
        lines(data.resolve("ham-samples.txt")), lines(data.resolve("stop-words.txt")));
    SpamEval.Result r = SpamEval.crossValidate(d, 5, false, new PrintWriter(progress));
    assertThat(r.recall()).as(String.join(", ", r.lines())).isGreaterThanOrEqualTo(0.95);
    assertThat(r.falsePositiveRate()).as(String.join(", ", r.lines())).isLessThanOrEqualTo(0.01);
    assertThat(r.messages()).isEqualTo(d.spam().size() + d.ham().size());
  }

  private static List<String> lines(Path file) {
    try {
      return Files.readAllLines(file, StandardCharsets.UTF_8).stream().filter(l -> !l.isBlank()).map(String::strip)
          .toList();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }
}
