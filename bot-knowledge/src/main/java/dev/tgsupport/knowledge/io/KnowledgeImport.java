package dev.tgsupport.knowledge.io;

import dev.tgsupport.core.InvalidInputException;
import dev.tgsupport.core.knowledge.KnowledgeBase;
import dev.tgsupport.core.model.KnowledgeDraft;
import dev.tgsupport.core.model.KnowledgeEntry;
import dev.tgsupport.core.model.KnowledgeSource;
import dev.tgsupport.core.model.KnowledgeStatus;
import dev.tgsupport.core.text.Languages;
import java.io.IOException;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Imports question–answer files into a {@link KnowledgeBase}, idempotently: a row whose question (compared ignoring
 * case and whitespace) is already stored updates that entry if its answer, tags or language differ and is skipped
 * otherwise, so importing the same file twice changes nothing the second time.
 *
 * <p>Formats, UTF-8 with or without a byte order mark:
 *
 * <ul>
 *   <li>{@link Format#CSV} ({@code .csv}): RFC 4180 with a header row {@code question,answer[,tags][,language]} in
 *       any column order; tags separated by {@code ;} (a comma would need quoting in every row).
 *   <li>{@link Format#JSON} ({@code .json}): an array of {@code {"question", "answer", "tags": [..]?, "language"?}}
 *       objects; other fields are ignored.
 *   <li>{@link Format#MARKDOWN} ({@code .md}, {@code .markdown}): a {@code ## question} heading, then the answer up
 *       to the next {@code #} or {@code ##} heading; a {@code Tags: a, b} (and {@code Language: ru}) line first or
 *       last in the answer sets the tags (language). Text before the first {@code ##} is ignored.
 * </ul>
 *
 * <p>A bad row is skipped and reported as an {@link ImportProblem} with its line: a missing or blank question or
 * answer, a question already asked earlier in the file, a question over {@value #MAX_QUESTION_LENGTH} or an answer
 * over {@value #MAX_ANSWER_LENGTH} characters (Telegram's message limit), more than {@value #MAX_TAGS} tags or a tag
 * over {@value #MAX_TAG_LENGTH} characters, a NUL or other control character (the answer may hold line breaks and
 * tabs), a malformed language code. Only a file that cannot be used at all (not UTF-8, an unusable CSV header, JSON
 * that is not an array) makes {@code parse} throw.
 *
 * <p>Statuses: new entries are drafts, or validated by {@value #VALIDATOR} with {@code validated}. Changing a
 * validated entry makes it a draft again (see {@link dev.tgsupport.core.port.KnowledgeStore#update}) unless the import
 * is {@code validated}; with {@code validated}, an unchanged draft is validated too (counted as updated). Archived
 * entries stay archived: archiving was a decision an import should not undo.
 *
 * <p>Stateless and thread-safe.
 */
public final class KnowledgeImport {
  /** Longest question, in characters (code points). */
  public static final int MAX_QUESTION_LENGTH = 1000;
  /** Longest answer, in characters (code points): one Telegram message. */
  public static final int MAX_ANSWER_LENGTH = 4096;
  /** Most tags on one entry. */
  public static final int MAX_TAGS = 20;
  /** Longest tag, in characters. */
  public static final int MAX_TAG_LENGTH = 64;
  /** Who validates the entries of a {@code validated} import. */
  public static final String VALIDATOR = "import";

  private static final Logger log = LoggerFactory.getLogger(KnowledgeImport.class);

  private KnowledgeImport() {}

  /** The file formats. */
  public enum Format {
    CSV,
    JSON,
    MARKDOWN;

    /** The format a file name's extension stands for: .csv, .json, .md or .markdown, in any case. */
    public static Optional<Format> fromFileName(String fileName) {
      String lower = fileName.toLowerCase(Locale.ROOT);
      if (lower.endsWith(".csv")) {
        return Optional.of(CSV);
      }
      if (lower.endsWith(".json")) {
        return Optional.of(JSON);
      }
      if (lower.endsWith(".md") || lower.endsWith(".markdown")) {
        return Optional.of(MARKDOWN);
      }
      return Optional.empty();
    }

    /** {@code csv}, {@code json} or {@code markdown}, or null for anything else. */
    public static Format fromName(String name) {
      for (Format f : values()) {
        if (f.name().equalsIgnoreCase(name == null ? "" : name.strip())) {
          return f;
        }
      }
      return null;
    }
  }

  /** Told after each row {@link #apply} handled, on the calling thread; for a progress bar. */
  @FunctionalInterface
  public interface Progress {
    Progress NONE = (done, total) -> {};

    void rowDone(int done, int total);
  }

  /**
   * Reads a file in the format its extension names.
   *
   * @throws IOException when the file cannot be read
   * @throws InvalidInputException when the extension names no format ({@code format}), or the file cannot be used
   *     at all ({@code file}, naming the file and line)
   */
  public static ParsedFile parse(Path file) throws IOException {
    String name = file.toString();
    Format format = Format.fromFileName(name).orElseThrow(() -> new InvalidInputException("format",
        "cannot be told from the file name " + name + ": expected .csv, .json, .md or .markdown"));
    return parse(file, format);
  }

  /** Reads a file in the given format, whatever its extension. See {@link #parse(Path)}. */
  public static ParsedFile parse(Path file, Format format) throws IOException {
    InvalidInputException.requireNonNull(format, "format");
    String name = file.toString();
    return parse(name, decode(name, Files.readAllBytes(file)), format);
  }

  /**
   * Reads entries from {@code reader}; line numbers count from its current position.
   *
   * @throws InvalidInputException when the text cannot be used at all
   */
  public static ParsedFile parse(Reader reader, Format format) throws IOException {
    InvalidInputException.requireNonNull(format, "format");
    StringBuilder text = new StringBuilder();
    char[] buffer = new char[8192];
    for (int n; (n = reader.read(buffer)) != -1; ) {
      text.append(buffer, 0, n);
    }
    return parse("input", text.toString(), format);
  }

  private static ParsedFile parse(String name, String text, Format format) {
    String t = !text.isEmpty() && text.charAt(0) == '\uFEFF' ? text.substring(1) : text;
    return switch (format) {
      case CSV -> CsvFormat.parse(name, t);
      case JSON -> JsonFormat.parse(name, t);
      case MARKDOWN -> MarkdownFormat.parse(t);
    };
  }

  /**
   * Stores the rows: new questions become entries, changed ones are updated, identical ones skipped. Each row is
   * its own transaction, so a failure midway keeps the rows before it; re-running the import finishes the job.
   * Rows the storage refuses are counted as failed with the reason; the file's own problems are counted as failed
   * too.
   *
   * @param validated store new and changed entries as validated by {@value #VALIDATOR} instead of as drafts
   * @param progress told after each row; {@link Progress#NONE} for nothing
   * @throws dev.tgsupport.core.RetriableException when the storage is unavailable (nothing after that row is done)
   */
  public static ImportSummary apply(KnowledgeBase knowledge, ParsedFile file, boolean validated,
      Progress progress) {
    Objects.requireNonNull(knowledge, "knowledge");
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(progress, "progress");
    int imported = 0;
    int updated = 0;
    int skipped = 0;
    List<ImportProblem> problems = new ArrayList<>(file.problems());
    int total = file.rows().size();
    int done = 0;
    for (ImportRow row : file.rows()) {
      try {
        switch (applyOne(knowledge, row, validated)) {
          case IMPORTED -> imported++;
          case UPDATED -> updated++;
          case SKIPPED -> skipped++;
        }
      } catch (InvalidInputException e) {
        problems.add(new ImportProblem(row.line(), "refused: " + e.getMessage()));
      }
      progress.rowDone(++done, total);
    }
    ImportSummary summary = new ImportSummary(imported, updated, skipped, problems.size(), problems);
    log.info("knowledge import: {}", summary);
    return summary;
  }

  private enum Outcome { IMPORTED, UPDATED, SKIPPED }

  private static Outcome applyOne(KnowledgeBase knowledge, ImportRow row, boolean validated) {
    Optional<KnowledgeEntry> found = knowledge.findByQuestion(row.question());
    if (found.isEmpty()) {
      String language = row.language() != null ? row.language()
          : Languages.detect(row.question() + "\n" + row.answer());
      knowledge.add(new KnowledgeDraft(row.question(), row.answer(), row.tags() == null ? List.of() : row.tags(),
          KnowledgeSource.MANUAL, language), validated ? KnowledgeStatus.VALIDATED : KnowledgeStatus.DRAFT);
      return Outcome.IMPORTED;
    }
    KnowledgeEntry e = found.get();
    List<String> tags = row.tags() != null ? row.tags() : e.tags();
    String language = row.language() != null ? row.language() : e.language();
    boolean changed = !e.answer().equals(row.answer()) || !e.tags().equals(tags)
        || !Objects.equals(e.language(), language);
    if (changed) {
      // The stored question is kept: the row matched it, and a difference in case or spacing is no change.
      e = knowledge.update(e.id(), new KnowledgeDraft(e.question(), row.answer(), tags, e.source(), language));
    }
    boolean validate = validated && e.status() == KnowledgeStatus.DRAFT;
    if (validate) {
      knowledge.validate(e.id(), VALIDATOR);
    }
    return changed || validate ? Outcome.UPDATED : Outcome.SKIPPED;
  }

  static InvalidInputException unreadable(String name, int line, String reason) {
    return new InvalidInputException("file", name + ":" + line + ": " + reason);
  }

  /** Strict UTF-8: a bad byte makes the file unusable rather than a silent U+FFFD in an answer. */
  private static String decode(String name, byte[] bytes) {
    try {
      CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes));
      return chars.toString();
    } catch (CharacterCodingException e) {
      int line = 1;
      int at = firstBadByte(bytes);
      for (int i = 0; i < at; i++) {
        if (bytes[i] == '\n') {
          line++;
        }
      }
      throw unreadable(name, line, "not UTF-8: invalid byte 0x"
          + String.format("%02X", bytes[Math.min(at, bytes.length - 1)] & 0xFF) + " at offset " + at);
    }
  }

  private static int firstBadByte(byte[] bytes) {
    var decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(bytes.length + 1);
    decoder.decode(in, out, true);
    return in.position();
  }
}
