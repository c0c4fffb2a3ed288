package dev.tgsupport.knowledge.io;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Markdown: each {@code ## question} heading starts an entry whose answer is the text up to the next heading of
 * level 1 or 2. A {@code Tags: a, b} or {@code Language: ru} line as the first or last line of that text sets the
 * tags or the language instead of being part of the answer. Text before the first {@code ##} (a title, an
 * introduction) is not imported; headings inside fenced code blocks are answer text.
 */
final class MarkdownFormat {
  private static final Pattern ENTRY = Pattern.compile("^ {0,3}##(?!#)(?:[ \\t]+(.*?))?[ \\t#]*$");
  private static final Pattern TITLE = Pattern.compile("^ {0,3}#(?:[ \\t].*)?$");
  private static final Pattern FENCE = Pattern.compile("^ {0,3}(```|~~~).*$");
  private static final Pattern META = Pattern.compile("(?i)^\\s*(tags|language)\\s*:\\s*(.*?)\\s*$");

  private MarkdownFormat() {}

  static ParsedFile parse(String text) {
    Rows rows = new Rows();
    String[] lines = text.split("\\r?\\n", -1);
    int start = 0;
    String question = null;
    List<String> body = new ArrayList<>();
    boolean fenced = false;
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      if (FENCE.matcher(line).matches()) {
        fenced = !fenced;
      }
      Matcher entry = fenced ? null : ENTRY.matcher(line);
      boolean isEntry = entry != null && entry.matches();
      boolean isTitle = !fenced && !isEntry && TITLE.matcher(line).matches();
      if (isEntry || isTitle) {
        if (question != null) {
          entry(rows, start, question, body);
        }
        question = isEntry ? (entry.group(1) == null ? "" : entry.group(1)) : null;
        start = i + 1;
        body = new ArrayList<>();
      } else if (question != null) {
        body.add(line);
      }
    }
    if (question != null) {
      entry(rows, start, question, body);
    }
    return rows.result();
  }

  private static void entry(Rows rows, int line, String question, List<String> body) {
    List<String> tags = null;
    String language = null;
    List<String> text = new ArrayList<>(body);
    trimBlank(text);
    // Metadata lines at the start, then at the end; a "Tags:" line in the middle is answer text.
    for (boolean fromStart : new boolean[] {true, false}) {
      while (!text.isEmpty()) {
        Matcher m = META.matcher(text.get(fromStart ? 0 : text.size() - 1));
        if (!m.matches()) {
          break;
        }
        if (m.group(1).equalsIgnoreCase("tags")) {
          tags = Arrays.asList(m.group(2).split(","));
        } else {
          language = m.group(2).isEmpty() ? null : m.group(2);
        }
        text.remove(fromStart ? 0 : text.size() - 1);
        trimBlank(text);
      }
    }
    rows.accept(line, question, text.isEmpty() ? null : String.join("\n", text), tags, language);
  }

  private static void trimBlank(List<String> lines) {
    while (!lines.isEmpty() && lines.get(0).isBlank()) {
      lines.remove(0);
    }
    while (!lines.isEmpty() && lines.get(lines.size() - 1).isBlank()) {
      lines.remove(lines.size() - 1);
    }
  }
}
