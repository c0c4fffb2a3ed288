package dev.tgsupport.sample;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tgsupport.core.model.KnowledgeDraft;
import dev.tgsupport.core.model.KnowledgeSource;
import dev.tgsupport.core.text.Languages;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads question–answer pairs from a CSV file ({@code question,answer[,tags]} header, RFC 4180, tags separated by
 * {@code ;}) or a JSON array of {@code {"question", "answer", "tags": [...]}} objects. UTF-8 with an optional BOM.
 * Strict on purpose: every problem is a {@link KnowledgeFileException} naming the file and the line.
 */
final class KnowledgeFile {
  private static final ObjectMapper JSON =
      new ObjectMapper(JsonFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build());
  private static final List<String> COLUMNS = List.of("question", "answer", "tags");

  enum Format {
    CSV,
    JSON
  }

  private KnowledgeFile() {}

  /** Reads {@code path}, choosing the format by extension (.csv, .json), else by the first non-blank character. */
  static List<KnowledgeDraft> load(Path path) throws KnowledgeFileException {
    String name = path.toString();
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(path);
    } catch (NoSuchFileException e) {
      throw new KnowledgeFileException(name, 0, "no such file");
    } catch (IOException e) {
      throw new KnowledgeFileException(name, 0, "cannot read: " + e.getMessage());
    }
    return parse(name, bytes, formatOf(name));
  }

  /**
   * Parses file contents.
   *
   * @param name the file name for messages
   * @param format the format, or null to sniff it from the contents
   */
  static List<KnowledgeDraft> parse(String name, byte[] bytes, Format format) throws KnowledgeFileException {
    String text = decode(name, bytes);
    if (!text.isEmpty() && text.charAt(0) == '\uFEFF') {
      text = text.substring(1);
    }
    Format f = format != null ? format : sniff(text);
    return f == Format.JSON ? parseJson(name, text) : parseCsv(name, text);
  }

  static Format formatOf(String fileName) {
    String lower = fileName.toLowerCase(Locale.ROOT);
    if (lower.endsWith(".csv")) {
      return Format.CSV;
    }
    if (lower.endsWith(".json")) {
      return Format.JSON;
    }
    return null;
  }

  private static Format sniff(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (!Character.isWhitespace(c)) {
        return c == '[' || c == '{' ? Format.JSON : Format.CSV;
      }
    }
    return Format.CSV;
  }

  /** Strict UTF-8: a bad byte is an error on its line, never a silent U+FFFD in an answer. */
  private static String decode(String name, byte[] bytes) throws KnowledgeFileException {
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(bytes.length + 1);
    CoderResult result = decoder.decode(in, out, true);
    if (!result.isError()) {
      result = decoder.flush(out);
    }
    if (result.isError()) {
      int at = in.position();
      int line = 1;
      for (int i = 0; i < at; i++) {
        if (bytes[i] == '\n') {
          line++;
        }
      }
      throw new KnowledgeFileException(name, line,
          String.format("invalid UTF-8: byte 0x%02X at offset %d", bytes[Math.min(at, bytes.length - 1)] & 0xFF, at));
    }
    out.flip();
    return out.toString();
  }

  private static List<KnowledgeDraft> parseCsv(String name, String text) throws KnowledgeFileException {
    List<Csv.Row> rows;
    try {
      rows = Csv.parse(text);
    } catch (Csv.CsvException e) {
      throw new KnowledgeFileException(name, e.line, e.getMessage());
    }
    if (rows.isEmpty()) {
      throw new KnowledgeFileException(name, 1, "the file is empty: expected a header row question,answer[,tags]");
    }
    Csv.Row header = rows.get(0);
    Map<String, Integer> columns = new LinkedHashMap<>();
    for (int i = 0; i < header.fields().size(); i++) {
      String column = header.fields().get(i).strip().toLowerCase(Locale.ROOT);
      if (!COLUMNS.contains(column)) {
        throw new KnowledgeFileException(name, header.line(), "unknown column '" + header.fields().get(i)
            + "' in the header; expected question, answer and optionally tags");
      }
      if (columns.put(column, i) != null) {
        throw new KnowledgeFileException(name, header.line(), "column '" + column + "' appears twice in the header");
      }
    }
    for (String required : List.of("question", "answer")) {
      if (!columns.containsKey(required)) {
        throw new KnowledgeFileException(name, header.line(), "missing column '" + required
            + "' in the header; expected question, answer and optionally tags");
      }
    }
    if (rows.size() == 1) {
      throw new KnowledgeFileException(name, header.line(), "no entries after the header");
    }
    int width = header.fields().size();
    List<KnowledgeDraft> drafts = new ArrayList<>(rows.size() - 1);
    for (Csv.Row row : rows.subList(1, rows.size())) {
      if (row.fields().size() != width) {
        throw new KnowledgeFileException(name, row.line(),
            "expected " + width + " fields as in the header, found " + row.fields().size());
      }
      String question = row.fields().get(columns.get("question")).strip();
      String answer = row.fields().get(columns.get("answer")).strip();
      List<String> tags = new ArrayList<>();
      Integer tagColumn = columns.get("tags");
      if (tagColumn != null) {
        for (String tag : row.fields().get(tagColumn).split(";")) {
          if (!tag.isBlank()) {
            tags.add(tag.strip());
          }
        }
      }
      drafts.add(draft(name, row.line(), question, answer, tags));
    }
    return List.copyOf(drafts);
  }

  private static List<KnowledgeDraft> parseJson(String name, String text) throws KnowledgeFileException {
    List<KnowledgeDraft> drafts = new ArrayList<>();
    try (JsonParser p = JSON.createParser(text)) {
      JsonToken t = p.nextToken();
      if (t == null) {
        throw new KnowledgeFileException(name, 1, "the file is empty: expected a JSON array of entries");
      }
      if (t != JsonToken.START_ARRAY) {
        throw new KnowledgeFileException(name, line(p.currentTokenLocation()),
            "expected a JSON array of {\"question\", \"answer\", \"tags\"} objects, found " + describe(t));
      }
      int index = 0;
      while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
        if (t == null) {
          throw new KnowledgeFileException(name, line(p.currentLocation()), "the array is not closed");
        }
        int line = line(p.currentTokenLocation());
        if (t != JsonToken.START_OBJECT) {
          throw new KnowledgeFileException(name, line, "entry " + index + " is " + describe(t)
              + ", expected an object with \"question\" and \"answer\"");
        }
        JsonNode entry = JSON.readTree(p);
        drafts.add(jsonEntry(name, line, index, entry));
        index++;
      }
      t = p.nextToken();
      if (t != null) {
        throw new KnowledgeFileException(name, line(p.currentTokenLocation()),
            "found " + describe(t) + " after the end of the array");
      }
    } catch (JsonProcessingException e) {
      String problem = e.getOriginalMessage() == null ? e.getClass().getSimpleName() : e.getOriginalMessage();
      throw new KnowledgeFileException(name, line(e.getLocation()),
          "malformed JSON: " + problem.replaceAll("\\s*\\R\\s*", " "));
    } catch (IOException e) {
      throw new KnowledgeFileException(name, 0, "cannot read: " + e.getMessage());
    }
    if (drafts.isEmpty()) {
      throw new KnowledgeFileException(name, 1, "the array has no entries");
    }
    return List.copyOf(drafts);
  }

  private static KnowledgeDraft jsonEntry(String name, int line, int index, JsonNode entry)
      throws KnowledgeFileException {
    String where = "entry " + index + ": ";
    for (Iterator<String> it = entry.fieldNames(); it.hasNext(); ) {
      String field = it.next();
      if (!COLUMNS.contains(field)) {
        throw new KnowledgeFileException(name, line,
            where + "unknown field \"" + field + "\"; expected question, answer and optionally tags");
      }
    }
    String question = requiredString(name, line, where, entry, "question");
    String answer = requiredString(name, line, where, entry, "answer");
    List<String> tags = new ArrayList<>();
    JsonNode tagNode = entry.get("tags");
    if (tagNode != null && !tagNode.isNull()) {
      if (!tagNode.isArray()) {
        throw new KnowledgeFileException(name, line,
            where + "\"tags\" must be an array of strings, was " + describe(tagNode));
      }
      for (int i = 0; i < tagNode.size(); i++) {
        JsonNode tag = tagNode.get(i);
        if (!tag.isTextual()) {
          throw new KnowledgeFileException(name, line,
              where + "\"tags\"[" + i + "] must be a string, was " + describe(tag));
        }
        if (tag.textValue().isBlank()) {
          throw new KnowledgeFileException(name, line, where + "\"tags\"[" + i + "] is blank");
        }
        tags.add(tag.textValue().strip());
      }
    }
    return draft(name, line, question.strip(), answer.strip(), tags);
  }

  private static String requiredString(String name, int line, String where, JsonNode entry, String field)
      throws KnowledgeFileException {
    JsonNode node = entry.get(field);
    if (node == null || node.isNull()) {
      throw new KnowledgeFileException(name, line, where + "missing \"" + field + "\"");
    }
    if (!node.isTextual()) {
      throw new KnowledgeFileException(name, line,
          where + "\"" + field + "\" must be a string, was " + describe(node));
    }
    return node.textValue();
  }

  private static KnowledgeDraft draft(String name, int line, String question, String answer, List<String> tags)
      throws KnowledgeFileException {
    if (question.isBlank()) {
      throw new KnowledgeFileException(name, line, "blank question");
    }
    if (answer.isBlank()) {
      throw new KnowledgeFileException(name, line, "blank answer");
    }
    return new KnowledgeDraft(question, answer, tags, KnowledgeSource.MANUAL, Languages.detect(question));
  }

  private static int line(JsonLocation location) {
    return location == null ? 0 : Math.max(0, location.getLineNr());
  }

  private static String describe(JsonToken t) {
    return switch (t) {
      case START_ARRAY -> "an array";
      case START_OBJECT -> "an object";
      case VALUE_STRING -> "a string";
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
      case VALUE_TRUE, VALUE_FALSE -> "a boolean";
      case VALUE_NULL -> "null";
      default -> t.asString() == null ? t.name().toLowerCase(Locale.ROOT) : "'" + t.asString() + "'";
    };
  }

  private static String describe(JsonNode node) {
    return switch (node.getNodeType()) {
      case ARRAY -> "an array";
      case OBJECT, POJO -> "an object";
      case STRING -> "a string";
      case NUMBER -> "a number";
      case BOOLEAN -> "a boolean";
      case NULL, MISSING -> "null";
      case BINARY -> "binary data";
    };
  }
}
