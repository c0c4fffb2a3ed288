package dev.tgsupport.sample;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tgsupport.sample.RunCommandTest.Run;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tgsupport eval intents}, in-process, on tiny files in the CLINC150 format. */
class EvalIntentsCommandTest {
  private static final List<String> KEYS =
      List.of("in_scope_accuracy", "oos_recall", "oos_precision", "macro_f1", "train_seconds", "per_message_ms");

  private static final String TRAIN = """
      {"train": [
        ["How much does the Pro plan cost?", "billing"], ["Why was I charged twice this month?", "billing"],
        ["I need a refund for my subscription", "billing"], ["What is the price of the premium plan", "billing"],
        ["Сколько стоит тариф Про?", "billing"], ["Почему с меня дважды списали деньги?", "billing"],
        ["Верните деньги за подписку", "billing"], ["Какая цена у премиум тарифа", "billing"],
        ["I forgot my password", "password"], ["How do I reset my password?", "password"],
        ["I can't log in to my account", "password"], ["Change my login password please", "password"],
        ["Я забыл пароль", "password"], ["Как сбросить пароль?", "password"],
        ["Не могу войти в аккаунт", "password"], ["Поменяйте пароль от входа", "password"],
        ["Where is my order?", "delivery"], ["When will my package arrive?", "delivery"],
        ["Track my delivery", "delivery"], ["The courier has not come yet", "delivery"],
        ["Где мой заказ?", "delivery"], ["Когда приедет посылка?", "delivery"],
        ["Отследить доставку", "delivery"], ["Курьер до сих пор не приехал", "delivery"]],
       "oos_train": [
        ["What's the weather tomorrow", "oos"], ["Tell me a joke", "oos"], ["Who won the football match", "oos"],
        ["Recommend a good movie", "oos"], ["Какая завтра погода", "oos"], ["Расскажи анекдот", "oos"]]}
      """;

  private static final String TEST = """
      {"test": [["what does the basic plan cost", "billing"], ["сколько стоит подписка", "billing"],
                ["reset the password for my account", "password"], ["не помню пароль", "password"],
                ["where is my parcel", "delivery"], ["где моя посылка", "delivery"]],
       "oos_test": [["sing me a song", "oos"], ["какой сегодня курс доллара", "oos"]]}
      """;

  private static Path write(Path dir, String name, String json) throws IOException {
    return Files.writeString(dir.resolve(name), json, StandardCharsets.UTF_8);
  }

  private static List<String> keys(Run r) {
    return r.out().lines().map(l -> l.substring(0, l.indexOf(':'))).toList();
  }

  @Test
  void trainsAndPrintsExactlyTheKeys(@TempDir Path dir) throws IOException {
    Run r = RunCommandTest.run(Map.of(), "eval", "intents", "--train", write(dir, "train.json", TRAIN).toString(),
        "--test", write(dir, "test.json", TEST).toString());
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out().lines().toList()).hasSize(6).allMatch(l -> l.matches("[a-z0-9_]+: [0-9]+\\.[0-9]+"));
    assertThat(keys(r)).isEqualTo(KEYS);
    assertThat(r.err()).contains("eval: training on 30 examples, calibrating on a held-out fifth of them",
        "eval: judging 8 examples of ");
    double accuracy = Double.parseDouble(r.out().lines().findFirst().orElseThrow().substring(19));
    assertThat(accuracy).as(r.out()).isGreaterThanOrEqualTo(0.5);
  }

  @Test
  void aSavedModelLoadsAndJudgesTheSame(@TempDir Path dir) throws IOException {
    Path train = write(dir, "train.json", TRAIN);
    Path test = write(dir, "test.json", TEST);
    Path model = dir.resolve("intents.model");
    Run trained = RunCommandTest.run(Map.of(), "eval", "intents", "--train", train.toString(), "--val",
        test.toString(), "--test", test.toString(), "--save", model.toString());
    assertThat(trained.exit()).as(trained.err()).isZero();
    assertThat(trained.err()).contains("calibrating on 8 examples of " + test, "saved the model to " + model);
    Run loaded = RunCommandTest.run(Map.of(), "eval", "intents", "--model", model.toString(), "--test",
        test.toString());
    assertThat(loaded.exit()).as(loaded.err()).isZero();
    assertThat(loaded.out().lines().limit(4).toList()).isEqualTo(trained.out().lines().limit(4).toList());
    assertThat(loaded.out()).contains("train_seconds: 0.00");
    assertThat(keys(loaded)).isEqualTo(KEYS);
  }

  @Test
  void badOptionsAreUsageErrors(@TempDir Path dir) throws IOException {
    Path test = write(dir, "test.json", TEST);
    Run neither = RunCommandTest.run(Map.of(), "eval", "intents", "--test", test.toString());
    assertThat(neither.exit()).isEqualTo(2);
    assertThat(neither.out()).isEmpty();
    assertThat(neither.err()).isEqualTo("tgsupport eval intents: give either --train or --model\n");
    Run both = RunCommandTest.run(Map.of(), "eval", "intents", "--model", "m", "--val", test.toString(), "--test",
        test.toString());
    assertThat(both.exit()).isEqualTo(2);
    assertThat(both.err()).isEqualTo("tgsupport eval intents: --val and --save go with --train, not with --model\n");
  }

  @Test
  void badFilesFailWithOneLineNamingTheFileAndTheProblem(@TempDir Path dir) throws IOException {
    Path test = write(dir, "test.json", TEST);
    Path broken = write(dir, "broken.json", "{\"train\": [[\"a\", \"b\"],");
    Run notJson = RunCommandTest.run(Map.of(), "eval", "intents", "--train", broken.toString(), "--test",
        test.toString());
    assertThat(notJson.exit()).isEqualTo(1);
    assertThat(notJson.out()).isEmpty();
    assertThat(notJson.err()).startsWith("tgsupport eval intents: " + broken + " is not valid JSON: ")
        .hasLineCount(1);
    Path shape = write(dir, "shape.json", "{\"train\": [[\"fine\", \"billing\"], [\"no label\"]]}");
    Run badPair = RunCommandTest.run(Map.of(), "eval", "intents", "--train", shape.toString(), "--test",
        test.toString());
    assertThat(badPair.exit()).isEqualTo(1);
    assertThat(badPair.err()).isEqualTo("tgsupport eval intents: " + shape + ": \"train\"[1] must be [text, label]"
        + " with two non-blank strings, was [\"no label\"]\n");
    Path list = write(dir, "list.json", "[[\"a\", \"b\"]]");
    Run array = RunCommandTest.run(Map.of(), "eval", "intents", "--train", list.toString(), "--test",
        test.toString());
    assertThat(array.err()).isEqualTo("tgsupport eval intents: " + list + " must hold a JSON object of arrays of"
        + " [text, label] (CLINC150 format), was array\n");
    Run missing = RunCommandTest.run(Map.of(), "eval", "intents", "--model", dir.resolve("none.model").toString(),
        "--test", test.toString());
    assertThat(missing.exit()).isEqualTo(1);
    assertThat(missing.err()).isEqualTo("tgsupport eval intents: intent model file " + dir.resolve("none.model")
        + " does not exist\n");
  }

  @Test
  void helpListsTheKeys() {
    Run r = RunCommandTest.run(Map.of(), "eval", "intents", "--help");
    assertThat(r.exit()).isZero();
    assertThat(r.out()).contains("--train=FILE", "--test=FILE", "--val=FILE", "--save=FILE", "--model=FILE");
    for (String key : KEYS) {
      assertThat(r.out()).contains(key);
    }
  }
}
