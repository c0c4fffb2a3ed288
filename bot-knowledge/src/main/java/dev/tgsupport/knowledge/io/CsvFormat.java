package dev.tgsupport.knowledge.io;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * RFC 4180: comma-separated fields, quoted fields with doubled quotes and line breaks inside, LF or CRLF line ends,
 * a header row naming the columns. A malformed record is a problem on its line and the reader goes on with the next
 * line; only an unusable header stops it.
 */
final class CsvFormat {
  static final List<String> COLUMNS = List.of("question", "answer", "tags", "language");

  private final String name;
  private final String text;
  private int i;
  private int line = 1;

  private CsvFormat(String name, String text) {
    this.name = name;
    this.text = text;
  }

  private record Record(int line, List<String> fields, String problem) {}

  static ParsedFile parse(String name, String text) {
    return new CsvFormat(name, text).read();
  }

  private ParsedFile read() {
    Rows rows = new Rows();
    Record header = next();
    if (header == null) {
      throw KnowledgeImport.unreadable(name, 1, "the file is empty: expected a header row question,answer[,tags]");
    }
    if (header.problem() != null) {
      throw KnowledgeImport.unreadable(name, header.line(), "bad header row: " + header.problem());
    }
    Map<String, Integer> columns = new HashMap<>();
    for (int c = 0; c < header.fields().size(); c++) {
      String column = header.fields().get(c).strip().toLowerCase(Locale.ROOT);
      if (!COLUMNS.contains(column)) {
        throw KnowledgeImport.unreadable(name, header.line(), "unknown column '" + Rows.shorten(header.fields().get(c))
            + "' in the header row; expected question, answer and optionally tags and language");
      }
      if (columns.put(column, c) != null) {
        throw KnowledgeImport.unreadable(name, header.line(), "column '" + column + "' appears twice in the header");
      }
    }
    for (String required : List.of("question", "answer")) {
      if (!columns.containsKey(required)) {
        throw KnowledgeImport.unreadable(name, header.line(), "the header row has no column '" + required
            + "'; expected question,answer[,tags][,language]");
      }
    }
    int width = header.fields().size();
    for (Record r = next(); r != null; r = next()) {
      if (r.problem() != null) {
        rows.reject(r.line(), r.problem());
      } else if (r.fields().size() != width) {
        rows.reject(r.line(), "expected " + width + " fields as in the header, found " + r.fields().size());
      } else {
        Integer tags = columns.get("tags");
        Integer language = columns.get("language");
        String languageValue = language == null ? null : r.fields().get(language);
        rows.accept(r.line(), r.fields().get(columns.get("question")), r.fields().get(columns.get("answer")),
            tags == null ? null : Arrays.asList(r.fields().get(tags).split(";")),
            languageValue == null || languageValue.isBlank() ? null : languageValue);
      }
    }
    return rows.result();
  }

  /** The next record, or null at the end; empty lines between records are skipped. */
  private Record next() {
    int n = text.length();
    while (i < n && (text.charAt(i) == '\n' || text.charAt(i) == '\r')) {
      if (text.charAt(i) == '\n') {
        line++;
      }
      i++;
    }
    if (i >= n) {
      return null;
    }
    int start = line;
    List<String> fields = new ArrayList<>();
    while (true) {
      StringBuilder field = new StringBuilder();
      if (i < n && text.charAt(i) == '"') {
        int opened = line;
        i++;
        while (true) {
          if (i >= n) {
            return new Record(opened, fields, "unterminated quoted field: the quote opened on this line never closes,"
                + " so the rest of the file was not read");
          }
          char c = text.charAt(i);
          if (c == '"') {
            if (i + 1 < n && text.charAt(i + 1) == '"') {
              field.append('"');
              i += 2;
              continue;
            }
            i++;
            break;
          }
          if (c == '\n') {
            line++;
          }
          field.append(c);
          i++;
        }
        if (i < n && !isDelimiter(text.charAt(i))) {
          return skipRest(start, "unexpected character after a closing quote (write a quote inside a quoted field"
              + " as \"\")");
        }
      } else {
        while (i < n && !isDelimiter(text.charAt(i))) {
          if (text.charAt(i) == '"') {
            return skipRest(start, "quote inside an unquoted field (quote the whole field and write the quote as"
                + " \"\")");
          }
          field.append(text.charAt(i));
          i++;
        }
      }
      fields.add(field.toString());
      if (i >= n) {
        return new Record(start, fields, null);
      }
      char c = text.charAt(i);
      i++;
      if (c == ',') {
        continue;
      }
      if (c == '\r' && i < n && text.charAt(i) == '\n') {
        i++;
      }
      if (c == '\n' || c == '\r') {
        line++;
        return new Record(start, fields, null);
      }
    }
  }

  /** Drops what is left of the current physical line after a malformed record. */
  private Record skipRest(int start, String problem) {
    while (i < text.length() && text.charAt(i) != '\n') {
      i++;
    }
    return new Record(start, List.of(), problem);
  }

  private static boolean isDelimiter(char c) {
    return c == ',' || c == '\n' || c == '\r';
  }
}
