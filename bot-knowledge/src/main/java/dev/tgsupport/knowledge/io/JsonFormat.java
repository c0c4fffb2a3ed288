package dev.tgsupport.knowledge.io;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A JSON array of {@code {"question", "answer", "tags"?, "language"?}} objects. Fields the format does not know are
 * ignored. A syntax error ends the reading there: the entries before it are kept.
 */
final class JsonFormat {
  private static final ObjectMapper JSON =
      new ObjectMapper(JsonFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build());

  private JsonFormat() {}

  static ParsedFile parse(String name, String text) {
    Rows rows = new Rows();
    try (JsonParser p = JSON.createParser(text)) {
      JsonToken t;
      try {
        t = p.nextToken();
      } catch (JsonProcessingException e) {
        throw KnowledgeImport.unreadable(name, line(e.getLocation()), "malformed JSON: " + message(e));
      }
      if (t == null) {
        throw KnowledgeImport.unreadable(name, 1, "the file is empty: expected a JSON array of entries");
      }
      if (t != JsonToken.START_ARRAY) {
        throw KnowledgeImport.unreadable(name, line(p.currentTokenLocation()),
            "expected a JSON array of {\"question\", \"answer\"} objects, found " + describe(t));
      }
      try {
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
          if (t == null) {
            rows.reject(line(p.currentLocation()), "malformed JSON: the array is not closed");
            break;
          }
          int line = line(p.currentTokenLocation());
          JsonNode entry = JSON.readTree(p);
          if (!entry.isObject()) {
            rows.reject(line, "expected an object with \"question\" and \"answer\", found " + describe(entry));
            continue;
          }
          entry(rows, line, entry);
        }
      } catch (JsonProcessingException e) {
        rows.reject(line(e.getLocation()), "malformed JSON: " + message(e) + "; the rest of the file was not read");
      }
    } catch (IOException e) {
      // The text is in memory: only the parser itself can fail here.
      throw new UncheckedIOException(e);
    }
    return rows.result();
  }

  private static void entry(Rows rows, int line, JsonNode entry) {
    List<String> mistyped = new ArrayList<>();
    String question = text(entry, "question", mistyped);
    String answer = text(entry, "answer", mistyped);
    String language = text(entry, "language", mistyped);
    if (!mistyped.isEmpty()) {
      rows.reject(line, mistyped.get(0));
      return;
    }
    List<String> tags = null;
    JsonNode tagNode = entry.get("tags");
    if (tagNode != null && !tagNode.isNull()) {
      if (!tagNode.isArray()) {
        rows.reject(line, "\"tags\" must be an array of strings, was " + describe(tagNode));
        return;
      }
      tags = new ArrayList<>();
      for (int i = 0; i < tagNode.size(); i++) {
        if (!tagNode.get(i).isTextual()) {
          rows.reject(line, "\"tags\"[" + i + "] must be a string, was " + describe(tagNode.get(i)));
          return;
        }
        tags.add(tagNode.get(i).textValue());
      }
    }
    rows.accept(line, question, answer, tags, language);
  }

  /** The string field, null when absent, null or not a string (then {@code mistyped} says so). */
  private static String text(JsonNode entry, String field, List<String> mistyped) {
    JsonNode node = entry.get(field);
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isTextual()) {
      mistyped.add("\"" + field + "\" must be a string, was " + describe(node));
      return null;
    }
    return node.textValue();
  }

  private static String message(JsonProcessingException e) {
    String m = e.getOriginalMessage() == null ? e.getClass().getSimpleName() : e.getOriginalMessage();
    return m.replaceAll("\\s*\\R\\s*", " ");
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
      default -> t.name().toLowerCase(java.util.Locale.ROOT);
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
