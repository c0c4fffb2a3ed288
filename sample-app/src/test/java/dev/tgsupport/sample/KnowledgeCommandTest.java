package dev.tgsupport.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code knowledge} command's usage errors and progress bar, without a database. */
class KnowledgeCommandTest {
  @TempDir Path dir;

  @Test
  void usageErrorsAreOneLineAndExitCodeTwo() throws Exception {
    Path txt = dir.resolve("faq.txt");
    Files.writeString(txt, "question,answer\nQ?,A.\n");

    RunCommandTest.Run format = RunCommandTest.run(Map.of(), "knowledge", "import", txt.toString());
    RunCommandTest.Run badFormat = RunCommandTest.run(Map.of(), "knowledge", "import", txt.toString(),
        "--format", "xml");
    RunCommandTest.Run noDatabase = RunCommandTest.run(Map.of(), "knowledge", "import", txt.toString(),
        "--format", "csv");
    RunCommandTest.Run status = RunCommandTest.run(Map.of(), "knowledge", "list", "--status", "open");
    RunCommandTest.Run limit = RunCommandTest.run(Map.of(), "knowledge", "search", "x", "--limit", "0");

    assertThat(format.exit()).isEqualTo(2);
    assertThat(format.err()).isEqualTo("tgsupport knowledge import: cannot tell the format of " + txt
        + " from its name: use .csv, .json, .md or .markdown, or give --format\n");
    assertThat(badFormat.err()).isEqualTo("tgsupport knowledge import: --format must be csv, json or markdown,"
        + " was 'xml'\n");
    assertThat(noDatabase.exit()).isEqualTo(2);
    assertThat(noDatabase.err()).startsWith("tgsupport knowledge import: no database: give --database-url URL or set"
        + " DATABASE_URL").hasLineCount(1);
    assertThat(status.exit()).isEqualTo(2);
    assertThat(status.err()).isEqualTo("tgsupport knowledge list: --status must be draft, validated or archived,"
        + " was 'open'\n");
    assertThat(limit.err()).isEqualTo("tgsupport knowledge search: --limit must be 1..100, was 0\n");
  }

  @Test
  void withoutATerminalOnStderrThereIsNoProgressBar() {
    assertThat(System.getProperty("tgsupport.stderr.tty")).isNull();
    assertThat(KnowledgeImportCommand.stderrIsTerminal()).isFalse();
  }

  @Test
  void theProgressBarRedrawsInPlaceOncePerPercentAndClearsItself() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintWriter err = new PrintWriter(bytes, true, StandardCharsets.UTF_8);
    KnowledgeImportCommand.ProgressBar bar = new KnowledgeImportCommand.ProgressBar(err);

    for (int i = 1; i <= 400; i++) {
      bar.rowDone(i, 400);
    }
    String drawnText = bytes.toString(StandardCharsets.UTF_8);
    bar.clear();

    // 0 % to 100 %: 101 drawings, each starting with a carriage return.
    assertThat(drawnText.chars().filter(c -> c == '\r').count()).isEqualTo(101);
    assertThat(drawnText).endsWith("\rimporting [" + "#".repeat(30) + "] 100% 400/400").doesNotContain("\n");
    assertThat(drawnText).contains("\rimporting [" + "#".repeat(15) + ".".repeat(15) + "] 50% 200/400");
    assertThat(bytes.toString(StandardCharsets.UTF_8)).endsWith("\r");
  }
}
