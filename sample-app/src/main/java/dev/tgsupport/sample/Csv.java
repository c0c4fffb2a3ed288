package dev.tgsupport.sample;

import java.util.ArrayList;
import java.util.List;

/**
 * A small, strict RFC 4180 reader: comma-separated fields, quoted fields with doubled quotes and line breaks
 * inside, CRLF or LF line ends. Anything else is an error naming the line, because a knowledge file that parses
 * "almost right" would silently answer users with half an answer.
 */
final class Csv {
  private Csv() {}

  /** One record and the physical line it starts on (1-based). */
  record Row(int line, List<String> fields) {}

  static final class CsvException extends Exception {
    final int line;

    CsvException(int line, String problem) {
      super(problem, null, false, false);
      this.line = line;
    }
  }

  /** Parses {@code text}; completely empty lines between records are skipped. */
  static List<Row> parse(String text) throws CsvException {
    List<Row> rows = new ArrayList<>();
    int n = text.length();
    int i = 0;
    int line = 1;
    while (i < n) {
      char first = text.charAt(i);
      if (first == '\n') {
        i++;
        line++;
        continue;
      }
      if (first == '\r' && i + 1 < n && text.charAt(i + 1) == '\n') {
        i += 2;
        line++;
        continue;
      }
      int rowLine = line;
      List<String> fields = new ArrayList<>();
      while (true) {
        StringBuilder field = new StringBuilder();
        if (i < n && text.charAt(i) == '"') {
          int opened = line;
          i++;
          while (true) {
            if (i >= n) {
              throw new CsvException(opened, "unterminated quoted field: the quote opened on this line never closes");
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
            if (c == '\r' && i + 1 < n && text.charAt(i + 1) == '\n') {
              i++; // keep CRLF inside a field as one LF: answers are sent as typed, not as Windows text
              continue;
            }
            if (c == '\n') {
              line++;
            }
            field.append(c);
            i++;
          }
          if (i < n && !isDelimiter(text.charAt(i))) {
            throw new CsvException(line, "unexpected " + show(text.charAt(i)) + " after a closing quote"
                + " (write a quote inside a quoted field as \"\")");
          }
        } else {
          while (i < n && !isDelimiter(text.charAt(i))) {
            char c = text.charAt(i);
            if (c == '"') {
              throw new CsvException(line, "quote inside an unquoted field"
                  + " (quote the whole field and write the quote as \"\")");
            }
            field.append(c);
            i++;
          }
        }
        fields.add(field.toString());
        if (i >= n) {
          break;
        }
        char c = text.charAt(i);
        if (c == ',') {
          i++;
          continue;
        }
        if (c == '\n') {
          i++;
          line++;
          break;
        }
        // c == '\r'
        if (i + 1 < n && text.charAt(i + 1) == '\n') {
          i += 2;
          line++;
          break;
        }
        throw new CsvException(line, "carriage return without a line feed (line ends must be LF or CRLF)");
      }
      rows.add(new Row(rowLine, List.copyOf(fields)));
    }
    return rows;
  }

  private static boolean isDelimiter(char c) {
    return c == ',' || c == '\n' || c == '\r';
  }

  private static String show(char c) {
    return Character.isISOControl(c) ? String.format("character U+%04X", (int) c) : "character '" + c + "'";
  }
}
