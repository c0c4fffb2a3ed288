package dev.tgsupport.knowledge.io;

import dev.tgsupport.core.port.KnowledgeStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** Collects the rows a format reader finds, checking each one the same way whatever the format. */
final class Rows {
  private static final Pattern LANGUAGE = Pattern.compile("[a-z]{2,3}(-[a-z0-9]{2,8})*");

  private final List<ImportRow> rows = new ArrayList<>();
  private final List<ImportProblem> problems = new ArrayList<>();
  private final Map<String, Integer> lineOfQuestion = new HashMap<>();

  void reject(int line, String reason) {
    problems.add(new ImportProblem(line, reason));
  }

  /**
   * Checks and keeps one entry.
   *
   * @param question null when the row has none
   * @param answer null when the row has none
   * @param tags null when the row says nothing about tags
   * @param language null when the row does not say
   */
  void accept(int line, String question, String answer, List<String> tags, String language) {
    String problem = problem(question, answer, tags, language);
    if (problem != null) {
      reject(line, problem);
      return;
    }
    String q = question.strip();
    Integer first = lineOfQuestion.putIfAbsent(KnowledgeStore.questionKey(q), line);
    if (first != null) {
      reject(line, "duplicate question: the same as on line " + first);
      return;
    }
    rows.add(new ImportRow(line, q, answer.strip().replace("\r\n", "\n"), tags == null ? null : cleanTags(tags),
        language == null ? null : language.strip().toLowerCase(Locale.ROOT)));
  }

  ParsedFile result() {
    return new ParsedFile(rows, problems);
  }

  private static String problem(String question, String answer, List<String> tags, String language) {
    if (question == null) {
      return "missing question";
    }
    if (question.isBlank()) {
      return "blank question";
    }
    if (answer == null) {
      return "missing answer";
    }
    if (answer.isBlank()) {
      return "blank answer";
    }
    String bad = badText("question", question.strip(), KnowledgeImport.MAX_QUESTION_LENGTH, false);
    if (bad == null) {
      bad = badText("answer", answer.strip(), KnowledgeImport.MAX_ANSWER_LENGTH, true);
    }
    if (bad != null) {
      return bad;
    }
    if (tags != null) {
      Set<String> distinct = new LinkedHashSet<>(cleanTags(tags));
      if (distinct.size() > KnowledgeImport.MAX_TAGS) {
        return "too many tags: at most " + KnowledgeImport.MAX_TAGS + ", found " + distinct.size();
      }
      for (String tag : distinct) {
        String badTag = badText("tag", tag, KnowledgeImport.MAX_TAG_LENGTH, false);
        if (badTag != null) {
          return badTag;
        }
      }
    }
    if (language != null && !LANGUAGE.matcher(language.strip().toLowerCase(Locale.ROOT)).matches()) {
      return "language must be a language code such as 'ru' or 'en', was '" + shorten(language) + "'";
    }
    return null;
  }

  private static List<String> cleanTags(List<String> tags) {
    Set<String> out = new LinkedHashSet<>();
    for (String t : tags) {
      if (t != null && !t.isBlank()) {
        out.add(t.strip());
      }
    }
    return List.copyOf(out);
  }

  /** Too long, a control character (the answer may hold line breaks and tabs), or a lone UTF-16 surrogate. */
  private static String badText(String field, String text, int maxLength, boolean multiline) {
    int length = text.codePointCount(0, text.length());
    if (length > maxLength) {
      return field + " too long: at most " + maxLength + " characters, found " + length;
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\0') {
        return field + " contains a NUL character (U+0000)";
      }
      if (!multiline && (c == '\n' || c == '\r')) {
        return field + " spans several lines";
      }
      if (Character.isISOControl(c) && c != '\t' && c != '\n' && c != '\r') {
        return field + " contains the control character " + String.format("U+%04X", (int) c);
      }
      if (Character.isHighSurrogate(c) && (i + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(i + 1)))
          || Character.isLowSurrogate(c) && (i == 0 || !Character.isHighSurrogate(text.charAt(i - 1)))) {
        return field + " contains an unpaired surrogate " + String.format("U+%04X", (int) c);
      }
    }
    return null;
  }

  static String shorten(String s) {
    return s.length() <= 40 ? s : s.substring(0, 40) + "…";
  }
}
