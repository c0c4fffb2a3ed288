package dev.tgsupport.telegram.fake;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A request's parameters, merged from the query string and a form, JSON or multipart body the way the Bot API reads
 * them: every value is text, and non-primitive values (from form bodies already JSON text) stay JSON text.
 */
final class Params {

  private static final Pattern BOUNDARY = Pattern.compile("boundary=(\"([^\"]+)\"|[^;\\s]+)", Pattern.CASE_INSENSITIVE);
  private static final Pattern DISPOSITION_NAME = Pattern.compile("[; ]name=\"([^\"]*)\"", Pattern.CASE_INSENSITIVE);
  private static final Pattern DISPOSITION_FILE = Pattern.compile("filename=\"([^\"]*)\"", Pattern.CASE_INSENSITIVE);

  final Map<String, String> values;
  final Map<String, String> files;

  Params(Map<String, String> values, Map<String, String> files) {
    this.values = values;
    this.files = files;
  }

  static Params of(Map<String, String> values) {
    return new Params(new LinkedHashMap<>(values), new LinkedHashMap<>());
  }

  static Params parse(String rawQuery, String contentType, byte[] body) {
    Map<String, String> values = new LinkedHashMap<>();
    Map<String, String> files = new LinkedHashMap<>();
    if (rawQuery != null) {
      parseForm(rawQuery, values);
    }
    String type = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
    if (body.length > 0) {
      if (type.startsWith("application/x-www-form-urlencoded")) {
        parseForm(new String(body, StandardCharsets.UTF_8), values);
      } else if (type.startsWith("application/json")) {
        parseJson(new String(body, StandardCharsets.UTF_8), values);
      } else if (type.startsWith("multipart/form-data")) {
        parseMultipart(contentType, body, values, files);
      }
    }
    return new Params(values, files);
  }

  String get(String name) {
    return values.get(name);
  }

  boolean has(String name) {
    String value = values.get(name);
    return (value != null && !value.isEmpty()) || files.containsKey(name);
  }

  /** Telegram reads malformed integers as absent rather than failing the request. */
  Optional<Long> optLong(String name) {
    String value = values.get(name);
    if (value == null || value.isBlank()) {
      return Optional.empty();
    }
    try {
      return Optional.of(Long.parseLong(value.trim()));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  Optional<Integer> optInt(String name) {
    return optLong(name).map(Long::intValue);
  }

  boolean bool(String name) {
    String value = values.get(name);
    return value != null && (value.equalsIgnoreCase("true") || value.equals("1"));
  }

  /** The parameter as JSON; empty when absent, and a Bad Request when present but not JSON. */
  Optional<JsonNode> json(String name) {
    String value = values.get(name);
    if (value == null || value.isBlank()) {
      return Optional.empty();
    }
    return Optional.of(Json.tryParse(value)
        .orElseThrow(() -> ApiException.badRequest("can't parse " + name + " JSON object")));
  }

  private static void parseForm(String form, Map<String, String> into) {
    for (String pair : form.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = eq < 0 ? pair : pair.substring(0, eq);
      String value = eq < 0 ? "" : pair.substring(eq + 1);
      try {
        into.put(URLDecoder.decode(name, StandardCharsets.UTF_8), URLDecoder.decode(value, StandardCharsets.UTF_8));
      } catch (IllegalArgumentException malformedEscape) {
        // Telegram skips what it cannot decode; so does the fake.
      }
    }
  }

  private static void parseJson(String body, Map<String, String> into) {
    JsonNode root = Json.tryParse(body).orElseThrow(() -> ApiException.badRequest("can't parse JSON object"));
    if (!root.isObject()) {
      throw ApiException.badRequest("can't parse JSON object");
    }
    for (Map.Entry<String, JsonNode> field : root.properties()) {
      JsonNode value = field.getValue();
      if (!value.isNull()) {
        into.put(field.getKey(), value.isValueNode() ? value.asText() : Json.write(value));
      }
    }
  }

  private static void parseMultipart(String contentType, byte[] body, Map<String, String> values,
      Map<String, String> files) {
    Matcher boundaryMatch = BOUNDARY.matcher(contentType);
    if (!boundaryMatch.find()) {
      throw ApiException.badRequest("can't parse multipart/form-data: no boundary");
    }
    String boundary = boundaryMatch.group(2) != null ? boundaryMatch.group(2) : boundaryMatch.group(1);
    // ISO-8859-1 maps bytes 1:1 to chars, so offsets found in the string are byte offsets.
    String raw = new String(body, StandardCharsets.ISO_8859_1);
    String delimiter = "--" + boundary;
    int pos = raw.indexOf(delimiter);
    while (pos >= 0) {
      int partStart = pos + delimiter.length();
      if (raw.startsWith("--", partStart)) {
        return;
      }
      int next = raw.indexOf("\r\n" + delimiter, partStart);
      if (next < 0) {
        return;
      }
      String part = raw.substring(partStart, next);
      int headerEnd = part.indexOf("\r\n\r\n");
      if (headerEnd >= 0) {
        String headers = part.substring(0, headerEnd);
        Matcher name = DISPOSITION_NAME.matcher(headers);
        if (name.find()) {
          Matcher file = DISPOSITION_FILE.matcher(headers);
          if (file.find()) {
            files.put(name.group(1), file.group(1));
          } else {
            String content = part.substring(headerEnd + 4);
            values.put(name.group(1), new String(content.getBytes(StandardCharsets.ISO_8859_1),
                StandardCharsets.UTF_8));
          }
        }
      }
      pos = next + 2;
    }
  }
}
