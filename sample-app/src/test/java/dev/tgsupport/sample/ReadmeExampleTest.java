package dev.tgsupport.sample;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tgsupport.core.model.Chat;
import dev.tgsupport.core.model.IncomingMessage;
import dev.tgsupport.core.model.KnowledgeDraft;
import dev.tgsupport.core.model.KnowledgeStatus;
import dev.tgsupport.core.model.TelegramUser;
import dev.tgsupport.core.pipeline.Outcome;
import dev.tgsupport.core.pipeline.Pipeline;
import dev.tgsupport.core.pipeline.Plugin;
import dev.tgsupport.core.pipeline.Stage;
import dev.tgsupport.core.pipeline.Stages;
import dev.tgsupport.core.text.ExampleIntentClassifier;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Keeps the README's embedding example compiling, running, and identical to the code below. */
class ReadmeExampleTest {

  /** The README example, verbatim between the markers. */
  static Outcome readmeExample() {
    // README:begin
    Plugin orders = context -> context
        .addStageBefore(Stages.KNOWLEDGE, Stage.of("orders", (message, chain) ->
            message.message().text().matches("(?i).*\\border #\\d+.*")
                ? Outcome.handled(message, "Orders ship within two working days.")
                : chain.proceed(message)))
        .onIntent("billing", (message, actions) ->
            Optional.of(Outcome.handled(message, "Billing questions go to billing@example.com.")));

    Pipeline pipeline = Pipeline.builder()          // in-memory storage and default text models
        .intentClassifier(ExampleIntentClassifier.builder()
            .add("billing", "I was charged twice", "refund my payment", "how much does it cost")
            .add("how_to", "how do I change my settings", "where can I find my profile")
            .build())
        .plugin(orders)
        .build();
    pipeline.knowledge().add(
        KnowledgeDraft.of("How do I reset my password?", "Click \"Forgot password?\" on the sign-in page."),
        KnowledgeStatus.VALIDATED);

    TelegramUser alice = TelegramUser.of(42, "Alice");
    IncomingMessage message = IncomingMessage.text(
        Chat.privateChat(alice.id(), "Alice"), alice, 1, "I forgot my password, how do I reset it?");
    Outcome outcome = pipeline.process(message);
    System.out.println(outcome.kind() + ": " + outcome.reply());
    // README:end
    return outcome;
  }

  @Test
  void readmeExampleAnswersFromTheKnowledgeBase() {
    Outcome outcome = readmeExample();
    assertThat(outcome.kind()).isEqualTo(Outcome.Kind.ANSWERED);
    assertThat(outcome.reply()).isEqualTo("Click \"Forgot password?\" on the sign-in page.");
  }

  @Test
  void readmeShowsExactlyThisCode() throws IOException {
    Path basedir = Path.of(System.getProperty("basedir", "."));
    String readme = Files.readString(basedir.resolve("../README.md"));
    Matcher block = Pattern.compile("(?s)```java\\n(.*?)```").matcher(readme);
    assertThat(block.find()).as("README.md has a ```java block").isTrue();

    String source = Files.readString(basedir.resolve("src/test/java/dev/tgsupport/sample/ReadmeExampleTest.java"));
    String marked = source.substring(source.indexOf("// README:begin\n") + "// README:begin\n".length(),
        source.indexOf("    // README:end"));
    assertThat(bodyOf(block.group(1))).isEqualTo(dedent(marked));
  }

  /** The README wraps the example in a class and main method; compare only what is inside main. */
  private static String bodyOf(String readmeBlock) {
    List<String> lines = readmeBlock.lines().toList();
    int start = -1;
    int end = -1;
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).contains("public static void main(")) {
        start = i + 1;
      }
    }
    for (int i = lines.size() - 1; i > start; i--) {
      if (lines.get(i).strip().equals("}")) {
        end = i; // the class's closing brace
        break;
      }
    }
    for (int i = end - 1; i > start; i--) {
      if (lines.get(i).strip().equals("}")) {
        end = i; // main's closing brace
        break;
      }
    }
    assertThat(start).as("README example has a main method").isPositive();
    return dedent(String.join("\n", lines.subList(start, end)) + "\n");
  }

  private static String dedent(String text) {
    List<String> lines = text.lines().toList();
    int indent = Integer.MAX_VALUE;
    for (String l : lines) {
      if (!l.isBlank()) {
        indent = Math.min(indent, l.length() - l.stripLeading().length());
      }
    }
    List<String> out = new ArrayList<>();
    for (String l : lines) {
      out.add(l.isBlank() ? "" : l.substring(indent));
    }
    return String.join("\n", out).strip();
  }
}
