package dev.tgsupport.knowledge.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tgsupport.core.InvalidInputException;
import dev.tgsupport.knowledge.io.KnowledgeImport.Format;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KnowledgeImportParseTest {
  @TempDir Path dir;

  private static ParsedFile parse(Format format, String text) throws IOException {
    return KnowledgeImport.parse(new StringReader(text), format);
  }

  private static List<String> problems(ParsedFile f) {
    return f.problems().stream().map(ImportProblem::toString).toList();
  }

  // --- CSV ---------------------------------------------------------------------------------------------------

  @Test
  void csvReadsQuotesCommasDoubledQuotesAndLineBreaksInsideFields() throws IOException {
    ParsedFile f = parse(Format.CSV, "question,answer,tags\r\n"
        + "How do I pay?,\"By card, or by \"\"bank\"\" transfer.\nSee Billing.\",billing;payments\r\n"
        + "\"Где мой счёт?\",В разделе «Оплата» 👍,оплата | счёт\r\n");

    assertThat(f.problems()).isEmpty();
    assertThat(f.rows()).containsExactly(
        new ImportRow(2, "How do I pay?", "By card, or by \"bank\" transfer.\nSee Billing.",
            List.of("billing", "payments"), null),
        new ImportRow(4, "Где мой счёт?", "В разделе «Оплата» 👍", List.of("оплата | счёт"), null));
  }

  @Test
  void csvWithoutATagsColumnLeavesTagsUnsaidAndTakesALanguageColumnInAnyOrder() throws IOException {
    ParsedFile f = parse(Format.CSV, "Answer,Language,QUESTION\nSettings → Security.,EN,How to reset 2FA?\n"
        + "Никак.,,Как удалить аккаунт?\n");

    assertThat(f.rows()).containsExactly(new ImportRow(2, "How to reset 2FA?", "Settings → Security.", null, "en"),
        new ImportRow(3, "Как удалить аккаунт?", "Никак.", null, null));
  }

  @Test
  void csvBadRowsAreReportedWithTheirLinesAndTheOthersKept() throws IOException {
    String text = "question,answer,tags\n"
        + "Good one?,Yes.,\n" // 2
        + ",No question.,\n" // 3
        + "No answer?,,\n" // 4
        + "Too few fields?\n" // 5
        + "\"Multi\nline quoted\",\"answer\nhere\",\n" // 6-8: the question spans two lines
        + "  good ONE?  ,Again.,\n" // 9: duplicate of line 2
        + "Bad \"quote,x,\n" // 10
        + "Nul?,a\u0000b,\n" // 11
        + "Long?," + "x".repeat(KnowledgeImport.MAX_ANSWER_LENGTH + 1) + ",\n" // 12
        + "Last good?,Fine.,t1\n"; // 13

    ParsedFile f = parse(Format.CSV, text);

    assertThat(f.rows()).extracting(ImportRow::line).containsExactly(2, 13);
    assertThat(problems(f)).containsExactly(
        "3: blank question",
        "4: blank answer",
        "5: expected 3 fields as in the header, found 1",
        "6: question spans several lines",
        "9: duplicate question: the same as on line 2",
        "10: quote inside an unquoted field (quote the whole field and write the quote as \"\")",
        "11: answer contains a NUL character (U+0000)",
        "12: answer too long: at most 4096 characters, found 4097");
  }

  @Test
  void csvAnUnterminatedQuoteIsReportedOnTheLineItOpensAndTheRowsBeforeAreKept() throws IOException {
    ParsedFile f = parse(Format.CSV, "question,answer\nA?,B.\nC?,\"never closed\nD?,E.\n");

    assertThat(f.rows()).extracting(ImportRow::question).containsExactly("A?");
    assertThat(f.problems()).singleElement().satisfies(p -> {
      assertThat(p.line()).isEqualTo(3);
      assertThat(p.reason()).startsWith("unterminated quoted field");
    });
  }

  @Test
  void csvWithAnUnusableHeaderCannotBeReadAtAll() {
    assertThatThrownBy(() -> parse(Format.CSV, "question,reply\nA?,B.\n"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("file input:1: unknown column 'reply' in the header row; expected question, answer and"
            + " optionally tags and language");
    assertThatThrownBy(() -> parse(Format.CSV, "\n\nquestion\nA?\n"))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("input:3: the header row has no column 'answer'");
    assertThatThrownBy(() -> parse(Format.CSV, "")).hasMessageContaining("the file is empty");
  }

  // --- JSON --------------------------------------------------------------------------------------------------

  @Test
  void jsonReadsEntriesWithOptionalTagsAndLanguageAndReportsBadOnesByLine() throws IOException {
    String text = "[\n"
        + "  {\"question\": \"How do I pay?\", \"answer\": \"By card.\\nOr cash.\", \"tags\": [\"billing\"],"
        + " \"language\": \"en\", \"id\": 7},\n" // 2
        + "  {\"question\": \"Где счёт?\", \"answer\": \"В настройках \uD83D\uDC4D\"},\n" // 3
        + "  {\"question\": \"No answer?\"},\n" // 4
        + "  {\"question\": 42, \"answer\": \"x\"},\n" // 5
        + "  \"just a string\",\n" // 6
        + "  {\"question\": \"Tags?\", \"answer\": \"x\", \"tags\": \"a;b\"},\n" // 7
        + "  {\"question\": \"Lone?\", \"answer\": \"\\ud800\"},\n" // 8
        + "  {\"question\": \"Lang?\", \"answer\": \"x\", \"language\": \"Русский\"},\n" // 9
        + "  {\"question\": \"where is my invoice?\", \"answer\": \"y\"},\n" // 10
        + "  {\"question\": \"Where is my INVOICE?\", \"answer\": \"z\"}\n" // 11
        + "]\n";

    ParsedFile f = parse(Format.JSON, text);

    assertThat(f.rows()).containsExactly(
        new ImportRow(2, "How do I pay?", "By card.\nOr cash.", List.of("billing"), "en"),
        new ImportRow(3, "Где счёт?", "В настройках 👍", null, null),
        new ImportRow(10, "where is my invoice?", "y", null, null));
    assertThat(problems(f)).containsExactly(
        "4: missing answer",
        "5: \"question\" must be a string, was a number",
        "6: expected an object with \"question\" and \"answer\", found a string",
        "7: \"tags\" must be an array of strings, was a string",
        "8: answer contains an unpaired surrogate U+D800",
        "9: language must be a language code such as 'ru' or 'en', was 'Русский'",
        "11: duplicate question: the same as on line 10");
  }

  @Test
  void jsonASyntaxErrorKeepsTheEntriesBeforeItAndSaysTheRestWasNotRead() throws IOException {
    ParsedFile f = parse(Format.JSON, "[{\"question\": \"A?\", \"answer\": \"B.\"},\n{\"question\": \"C?\" \"answer\"}]");

    assertThat(f.rows()).extracting(ImportRow::question).containsExactly("A?");
    assertThat(f.problems()).singleElement().satisfies(p -> {
      assertThat(p.line()).isEqualTo(2);
      assertThat(p.reason()).startsWith("malformed JSON: ").endsWith("; the rest of the file was not read");
    });
  }

  @Test
  void jsonThatIsNotAnArrayCannotBeReadAtAll() {
    assertThatThrownBy(() -> parse(Format.JSON, "{\"question\": \"A?\"}"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("input:1: expected a JSON array");
    assertThatThrownBy(() -> parse(Format.JSON, "  ")).hasMessageContaining("the file is empty");
  }

  // --- Markdown ----------------------------------------------------------------------------------------------

  @Test
  void markdownTakesEachLevelTwoHeadingAsAQuestionWithTagsAndLanguageLines() throws IOException {
    String text = "# Billing FAQ\n" // 1
        + "Intro text that is not an entry.\n"
        + "\n"
        + "## How do I pay?\n" // 4
        + "Tags: billing, payments\n"
        + "\n"
        + "By card.\n"
        + "\n"
        + "### Details\n"
        + "###\n"
        + "Or by bank transfer.\n"
        + "## Как вернуть деньги? ##\n" // 12
        + "Напишите в поддержку.\n"
        + "```\n"
        + "## not a heading inside code\n"
        + "```\n"
        + "Tags: возврат\n"
        + "Language: ru\n"
        + "## Empty?\n" // 19
        + "\n"
        + "##\n" // 21
        + "Answer without question.\n"
        + "# Another title\n"
        + "Not part of any answer.\n";

    ParsedFile f = parse(Format.MARKDOWN, text);

    assertThat(f.rows()).containsExactly(
        new ImportRow(4, "How do I pay?", "By card.\n\n### Details\n###\nOr by bank transfer.",
            List.of("billing", "payments"), null),
        new ImportRow(12, "Как вернуть деньги?", "Напишите в поддержку.\n```\n## not a heading inside code\n```",
            List.of("возврат"), "ru"));
    assertThat(problems(f)).containsExactly("19: missing answer", "21: blank question");
  }

  @Test
  void markdownWindowsLineEndsAndADuplicateQuestion() throws IOException {
    ParsedFile f = parse(Format.MARKDOWN, "## A?\r\nOne.\r\n## a?\r\nTwo.\r\n");

    assertThat(f.rows()).containsExactly(new ImportRow(1, "A?", "One.", null, null));
    assertThat(problems(f)).containsExactly("3: duplicate question: the same as on line 1");
  }

  // --- files -------------------------------------------------------------------------------------------------

  @Test
  void theFormatComesFromTheExtensionUnlessGiven() throws IOException {
    Path md = dir.resolve("faq.MD");
    Files.writeString(md, "\uFEFF## Q?\nA.\n", StandardCharsets.UTF_8);
    Path txt = dir.resolve("faq.txt");
    Files.writeString(txt, "question,answer\nQ?,A.\n", StandardCharsets.UTF_8);

    assertThat(KnowledgeImport.parse(md).rows()).containsExactly(new ImportRow(1, "Q?", "A.", null, null));
    assertThat(KnowledgeImport.parse(txt, Format.CSV).rows()).hasSize(1);
    assertThatThrownBy(() -> KnowledgeImport.parse(txt))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("format").hasMessageContaining("faq.txt").hasMessageContaining(".csv, .json, .md");
    assertThat(Format.fromFileName("a.markdown")).contains(Format.MARKDOWN);
    assertThat(Format.fromFileName("a.JSON")).contains(Format.JSON);
    assertThat(Format.fromName(" Csv ")).isEqualTo(Format.CSV);
    assertThat(Format.fromName("xml")).isNull();
  }

  @Test
  void aFileThatIsNotUtf8OrMissingCannotBeRead() throws IOException {
    Path latin1 = dir.resolve("latin1.csv");
    Files.write(latin1, "question,answer\nCaf\u00e9?,Oui.\n".getBytes(StandardCharsets.ISO_8859_1));

    assertThatThrownBy(() -> KnowledgeImport.parse(latin1))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("latin1.csv:2: not UTF-8: invalid byte 0xE9 at offset 19");
    assertThatThrownBy(() -> KnowledgeImport.parse(dir.resolve("missing.csv"))).isInstanceOf(NoSuchFileException.class);
  }
}
