package dev.tgsupport.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.tgsupport.core.model.KnowledgeDraft;
import dev.tgsupport.core.model.KnowledgeSource;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KnowledgeFileTest {
  private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

  private static List<KnowledgeDraft> csv(String text) throws KnowledgeFileException {
    return KnowledgeFile.parse("kb.csv", text.getBytes(StandardCharsets.UTF_8), KnowledgeFile.Format.CSV);
  }

  private static List<KnowledgeDraft> json(String text) throws KnowledgeFileException {
    return KnowledgeFile.parse("kb.json", text.getBytes(StandardCharsets.UTF_8), KnowledgeFile.Format.JSON);
  }

  private static KnowledgeFileException csvError(String text) {
    return catchThrowableOfType(KnowledgeFileException.class, () -> csv(text));
  }

  private static KnowledgeFileException jsonError(String text) {
    return catchThrowableOfType(KnowledgeFileException.class, () -> json(text));
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  @Nested
  class GoodCsv {
    @Test
    void readsQuotedFieldsDoubledQuotesNewlinesBomCrlfAndTags() throws Exception {
      String body = "question,answer,tags\r\n"
          + "How do I reset my password?,\"Click \"\"Forgot password?\"\",\r\nthen check your email.\",account; security\r\n"
          + "\"Как сбросить пароль?\",\"Нажмите «Забыли пароль?»\",\"account;;security;\"\r\n";
      List<KnowledgeDraft> drafts = KnowledgeFile.parse(
          "kb.csv", concat(BOM, body.getBytes(StandardCharsets.UTF_8)), KnowledgeFile.Format.CSV);

      assertThat(drafts).hasSize(2);
      KnowledgeDraft en = drafts.get(0);
      assertThat(en.question()).isEqualTo("How do I reset my password?");
      assertThat(en.answer()).isEqualTo("Click \"Forgot password?\",\nthen check your email.");
      assertThat(en.tags()).containsExactly("account", "security");
      assertThat(en.source()).isEqualTo(KnowledgeSource.MANUAL);
      KnowledgeDraft ru = drafts.get(1);
      assertThat(ru.question()).isEqualTo("Как сбросить пароль?");
      assertThat(ru.answer()).isEqualTo("Нажмите «Забыли пароль?»");
      assertThat(ru.tags()).containsExactly("account", "security");
    }

    @Test
    void bomDoesNotBecomePartOfTheFirstColumnName() throws Exception {
      byte[] bytes = concat(BOM, "question,answer\nQ,A\n".getBytes(StandardCharsets.UTF_8));
      assertThat(KnowledgeFile.parse("kb.csv", bytes, KnowledgeFile.Format.CSV)).hasSize(1);
    }

    @Test
    void tagsColumnIsOptionalAndColumnsMayComeInAnyOrder() throws Exception {
      assertThat(csv("question,answer\nQ1,A1\n").get(0).tags()).isEmpty();
      List<KnowledgeDraft> drafts = csv("Tags, Answer ,QUESTION\nbilling,A1,Q1");
      assertThat(drafts.get(0).question()).isEqualTo("Q1");
      assertThat(drafts.get(0).answer()).isEqualTo("A1");
      assertThat(drafts.get(0).tags()).containsExactly("billing");
    }

    @Test
    void lastLineWithoutLineBreakAndBlankLinesBetweenRecordsAreFine() throws Exception {
      assertThat(csv("question,answer\n\nQ1,A1\n\r\n\nQ2,A2")).extracting(KnowledgeDraft::question)
          .containsExactly("Q1", "Q2");
    }

    @Test
    void emptyQuotedTagsFieldMeansNoTags() throws Exception {
      assertThat(csv("question,answer,tags\nQ,A,\"\"\nQ2,A2,\n").get(1).tags()).isEmpty();
    }

    @Test
    void questionsAndAnswersAreTrimmedAndLanguageIsDetected() throws Exception {
      List<KnowledgeDraft> drafts = csv("question,answer\n\"  How do I export data?  \",\"  Settings.  \"\n"
          + "Как выгрузить данные?,В настройках.\n");
      assertThat(drafts.get(0).question()).isEqualTo("How do I export data?");
      assertThat(drafts.get(0).answer()).isEqualTo("Settings.");
      assertThat(drafts.get(0).language()).isEqualTo("en");
      assertThat(drafts.get(1).language()).isEqualTo("ru");
    }
  }

  @Nested
  class BadCsv {
    @Test
    void unterminatedQuoteNamesTheLineWhereItOpens() {
      KnowledgeFileException e = csvError("question,answer\nQ1,A1\nQ2,\"never closed\nQ3,A3\n");
      assertThat(e.line()).isEqualTo(3);
      assertThat(e.getMessage()).isEqualTo(
          "kb.csv: line 3: unterminated quoted field: the quote opened on this line never closes");
    }

    @Test
    void wrongColumnCountNamesTheLineTheRecordStartsOn() {
      KnowledgeFileException e = csvError("question,answer\n\"Q1\nstill Q1\",A1\nQ2,A2,extra\n");
      assertThat(e.line()).isEqualTo(4);
      assertThat(e.getMessage()).isEqualTo("kb.csv: line 4: expected 2 fields as in the header, found 3");

      assertThat(csvError("question,answer,tags\nQ1,A1\n").getMessage())
          .isEqualTo("kb.csv: line 2: expected 3 fields as in the header, found 2");
    }

    @Test
    void missingHeaderIsReportedOnLineOne() {
      KnowledgeFileException e = csvError("How do I reset my password?,Click Forgot password.\n");
      assertThat(e.line()).isEqualTo(1);
      assertThat(e.problem()).startsWith("unknown column 'How do I reset my password?' in the header");
    }

    @Test
    void missingAnswerColumnIsNamed() {
      assertThat(csvError("question,tags\nQ,t\n").getMessage()).isEqualTo(
          "kb.csv: line 1: missing column 'answer' in the header; expected question, answer and optionally tags");
      assertThat(csvError("answer\nA\n").problem()).startsWith("missing column 'question'");
    }

    @Test
    void duplicateColumnIsAnError() {
      assertThat(csvError("question,answer,question\nQ,A,Q\n").getMessage())
          .isEqualTo("kb.csv: line 1: column 'question' appears twice in the header");
    }

    @Test
    void blankQuestionOrAnswerNamesTheLine() {
      assertThat(csvError("question,answer\nQ1,A1\n  ,A2\n").getMessage()).isEqualTo("kb.csv: line 3: blank question");
      assertThat(csvError("question,answer\nQ1,A1\nQ2,\"\"\n").getMessage()).isEqualTo("kb.csv: line 3: blank answer");
    }

    @Test
    void invalidUtf8NamesTheLine() {
      byte[] bytes = concat("question,answer\nQ1,A1\nQ2,".getBytes(StandardCharsets.UTF_8),
          new byte[] {(byte) 0xC3, (byte) 0x28}, "\n".getBytes(StandardCharsets.UTF_8));
      KnowledgeFileException e = catchThrowableOfType(KnowledgeFileException.class,
          () -> KnowledgeFile.parse("kb.csv", bytes, KnowledgeFile.Format.CSV));
      assertThat(e.line()).isEqualTo(3);
      assertThat(e.getMessage()).isEqualTo("kb.csv: line 3: invalid UTF-8: byte 0xC3 at offset 25");
    }

    @Test
    void truncatedUtf8AtTheEndIsAnError() {
      byte[] bytes = concat("question,answer\nQ,A".getBytes(StandardCharsets.UTF_8), new byte[] {(byte) 0xD0});
      KnowledgeFileException e = catchThrowableOfType(KnowledgeFileException.class,
          () -> KnowledgeFile.parse("kb.csv", bytes, KnowledgeFile.Format.CSV));
      assertThat(e.line()).isEqualTo(2);
      assertThat(e.problem()).startsWith("invalid UTF-8");
    }

    @Test
    void quoteInsideAnUnquotedFieldIsAnError() {
      assertThat(csvError("question,answer\nQ1,Say \"hi\"\n").getMessage()).isEqualTo(
          "kb.csv: line 2: quote inside an unquoted field (quote the whole field and write the quote as \"\")");
    }

    @Test
    void textAfterAClosingQuoteIsAnError() {
      assertThat(csvError("question,answer\n\"Q1\"x,A1\n").getMessage()).isEqualTo(
          "kb.csv: line 2: unexpected character 'x' after a closing quote (write a quote inside a quoted field as \"\")");
    }

    @Test
    void errorsAfterAMultiLineFieldCountPhysicalLines() {
      KnowledgeFileException e = csvError("question,answer\nQ1,\"line one\nline two\nline three\"\nQ2,\"A2\" \n");
      assertThat(e.line()).isEqualTo(5);
    }

    @Test
    void loneCarriageReturnIsAnError() {
      assertThat(csvError("question,answer\rQ,A\r").getMessage()).isEqualTo(
          "kb.csv: line 1: carriage return without a line feed (line ends must be LF or CRLF)");
    }

    @Test
    void emptyFileAndHeaderOnlyFileAreErrors() {
      assertThat(csvError("").getMessage())
          .isEqualTo("kb.csv: line 1: the file is empty: expected a header row question,answer[,tags]");
      assertThat(csvError("\n\n").line()).isEqualTo(1);
      assertThat(csvError("question,answer\n").getMessage()).isEqualTo("kb.csv: line 1: no entries after the header");
    }
  }

  @Nested
  class GoodJson {
    @Test
    void readsEntriesWithAndWithoutTags() throws Exception {
      List<KnowledgeDraft> drafts = json("""
          [
            {"question": "How do I reset my password?", "answer": "Click \\"Forgot password?\\".",
             "tags": ["account", " security "]},
            {"question": "Как сбросить пароль?", "answer": "Нажмите «Забыли пароль?»\\nи проверьте почту."},
            {"question": "Q3", "answer": "A3", "tags": null}
          ]
          """);
      assertThat(drafts).hasSize(3);
      assertThat(drafts.get(0).answer()).isEqualTo("Click \"Forgot password?\".");
      assertThat(drafts.get(0).tags()).containsExactly("account", "security");
      assertThat(drafts.get(1).answer()).isEqualTo("Нажмите «Забыли пароль?»\nи проверьте почту.");
      assertThat(drafts.get(1).tags()).isEmpty();
      assertThat(drafts.get(2).tags()).isEmpty();
    }

    @Test
    void toleratesABom() throws Exception {
      byte[] bytes = concat(BOM, "[{\"question\":\"Q\",\"answer\":\"A\"}]".getBytes(StandardCharsets.UTF_8));
      assertThat(KnowledgeFile.parse("kb.json", bytes, KnowledgeFile.Format.JSON)).hasSize(1);
    }
  }

  @Nested
  class BadJson {
    @Test
    void malformedJsonNamesTheLineFromJackson() {
      KnowledgeFileException e = jsonError("[\n  {\"question\": \"Q1\", \"answer\": \"A1\"},\n  {\"question\": \"Q2\" \"answer\": \"A2\"}\n]");
      assertThat(e.line()).isEqualTo(3);
      assertThat(e.getMessage()).startsWith("kb.json: line 3: malformed JSON: ").doesNotContain("\n");
    }

    @Test
    void unclosedArrayIsMalformed() {
      KnowledgeFileException e = jsonError("[\n{\"question\": \"Q\", \"answer\": \"A\"}\n");
      assertThat(e.line()).isBetween(2, 3);
      assertThat(e.problem()).startsWith("malformed JSON");
    }

    @Test
    void nonObjectItemNamesItsLine() {
      KnowledgeFileException e = jsonError("[\n  {\"question\": \"Q1\", \"answer\": \"A1\"},\n  \"just a string\"\n]");
      assertThat(e.getMessage()).isEqualTo(
          "kb.json: line 3: entry 1 is a string, expected an object with \"question\" and \"answer\"");
    }

    @Test
    void wrongTypesNameTheLineOfTheEntry() {
      assertThat(jsonError("[\n{\"question\": \"Q\", \"answer\": \"A\"},\n\n{\"question\": 42, \"answer\": \"A\"}]")
          .getMessage()).isEqualTo("kb.json: line 4: entry 1: \"question\" must be a string, was a number");
      assertThat(jsonError("[{\"question\": \"Q\", \"answer\": [\"A\"]}]").getMessage())
          .isEqualTo("kb.json: line 1: entry 0: \"answer\" must be a string, was an array");
      assertThat(jsonError("[\n {\"question\": \"Q\", \"answer\": \"A\", \"tags\": \"a;b\"}]").getMessage())
          .isEqualTo("kb.json: line 2: entry 0: \"tags\" must be an array of strings, was a string");
      assertThat(jsonError("[\n {\"question\": \"Q\", \"answer\": \"A\", \"tags\": [\"a\", true]}]").getMessage())
          .isEqualTo("kb.json: line 2: entry 0: \"tags\"[1] must be a string, was a boolean");
    }

    @Test
    void missingOrBlankFieldsAreErrors() {
      assertThat(jsonError("[{\"question\": \"Q\"}]").getMessage())
          .isEqualTo("kb.json: line 1: entry 0: missing \"answer\"");
      assertThat(jsonError("[{\"question\": null, \"answer\": \"A\"}]").getMessage())
          .isEqualTo("kb.json: line 1: entry 0: missing \"question\"");
      assertThat(jsonError("[\n\n{\"question\": \" \", \"answer\": \"A\"}]").getMessage())
          .isEqualTo("kb.json: line 3: blank question");
      assertThat(jsonError("[{\"question\": \"Q\", \"answer\": \"A\", \"tags\": [\" \"]}]").problem())
          .isEqualTo("entry 0: \"tags\"[0] is blank");
    }

    @Test
    void unknownFieldsAreErrors() {
      assertThat(jsonError("[{\"question\": \"Q\", \"answer\": \"A\", \"anwser\": \"typo\"}]").problem())
          .isEqualTo("entry 0: unknown field \"anwser\"; expected question, answer and optionally tags");
    }

    @Test
    void duplicateKeysAreErrors() {
      KnowledgeFileException e = jsonError("[\n{\"question\": \"Q\", \"answer\": \"A\",\n \"answer\": \"B\"}]");
      assertThat(e.line()).isEqualTo(3);
      assertThat(e.problem()).startsWith("malformed JSON: ").containsIgnoringCase("duplicate").contains("answer");
    }

    @Test
    void topLevelMustBeANonEmptyArray() {
      assertThat(jsonError("{\"question\": \"Q\", \"answer\": \"A\"}").getMessage()).isEqualTo(
          "kb.json: line 1: expected a JSON array of {\"question\", \"answer\", \"tags\"} objects, found an object");
      assertThat(jsonError("[]").getMessage()).isEqualTo("kb.json: line 1: the array has no entries");
      assertThat(jsonError("  ").getMessage())
          .isEqualTo("kb.json: line 1: the file is empty: expected a JSON array of entries");
      assertThat(jsonError("[{\"question\": \"Q\", \"answer\": \"A\"}]\n[]").getMessage())
          .isEqualTo("kb.json: line 2: found an array after the end of the array");
    }

    @Test
    void invalidUtf8InJsonNamesTheLine() {
      byte[] bytes = concat("[\n{\"question\": \"Q\",\n \"answer\": \"".getBytes(StandardCharsets.UTF_8),
          new byte[] {(byte) 0xFF}, "\"}]".getBytes(StandardCharsets.UTF_8));
      KnowledgeFileException e = catchThrowableOfType(KnowledgeFileException.class,
          () -> KnowledgeFile.parse("kb.json", bytes, KnowledgeFile.Format.JSON));
      assertThat(e.line()).isEqualTo(3);
      assertThat(e.problem()).startsWith("invalid UTF-8: byte 0xFF");
    }
  }

  @Nested
  class LoadingFiles {
    @TempDir Path dir;

    @ParameterizedTest
    @CsvSource({"kb.csv, CSV", "KB.CSV, CSV", "kb.json, JSON", "kb.Json, JSON", "kb.txt, ", "kb, "})
    void formatFollowsTheExtension(String name, KnowledgeFile.Format expected) {
      assertThat(KnowledgeFile.formatOf(name)).isEqualTo(expected);
    }

    @Test
    void withoutAKnownExtensionTheFirstNonBlankCharacterDecides() throws Exception {
      Path jsonFile = dir.resolve("kb.txt");
      Files.writeString(jsonFile, "\n  [{\"question\": \"Q\", \"answer\": \"A\"}]");
      assertThat(KnowledgeFile.load(jsonFile)).hasSize(1);
      Path csvFile = dir.resolve("kb");
      Files.writeString(csvFile, "question,answer\nQ,A\n");
      assertThat(KnowledgeFile.load(csvFile)).hasSize(1);
    }

    @Test
    void theExtensionWinsOverTheContents() throws IOException {
      Path file = dir.resolve("kb.csv");
      Files.writeString(file, "[{\"question\": \"Q\", \"answer\": \"A\"}]");
      KnowledgeFileException e = catchThrowableOfType(KnowledgeFileException.class, () -> KnowledgeFile.load(file));
      assertThat(e.getMessage()).startsWith(file + ": line 1: ");
    }

    @Test
    void missingFileIsNamed() {
      Path file = dir.resolve("nope.csv");
      KnowledgeFileException e = catchThrowableOfType(KnowledgeFileException.class, () -> KnowledgeFile.load(file));
      assertThat(e.getMessage()).isEqualTo(file + ": no such file");
    }
  }

  @Test
  void bundledDemoKnowledgeIsValidAndBilingual() {
    List<KnowledgeDraft> drafts = DemoBot.bundledKnowledge();
    assertThat(drafts).hasSizeGreaterThanOrEqualTo(30);
    long russian = drafts.stream().filter(d -> d.question().matches("(?s).*\\p{IsCyrillic}.*")).count();
    assertThat(russian).isBetween(drafts.size() * 2L / 5, drafts.size() * 3L / 5);
    assertThat(drafts).allSatisfy(d -> assertThat(d.tags()).isNotEmpty());
  }
}
