package dev.tgsupport.telegram;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.pengrad.telegrambot.model.Update;
import com.pengrad.telegrambot.utility.BotUtils;
import java.io.StringReader;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Splits what Telegram sends (the {@code result} array of {@code getUpdates}, or one webhook body) into updates, each
 * kept as its JSON text next to pengrad's parse of it.
 *
 * <p>The raw side exists because pengrad drops fields it does not know (a payload type newer than the library) and
 * because one update pengrad cannot parse must not take the others down with it, nor stop the poller's offset from
 * moving: the update id and the payload's field name are read from the JSON tree independently of pengrad's model,
 * and from a truncated or otherwise broken text as far as it can be read.
 *
 * <p>Nothing here throws, whatever the input. Stateless; all methods are thread-safe.
 */
final class RawUpdates {

  /** The value of {@link Raw#updateId()} when the update has no usable id. */
  static final long NO_ID = -1;
  /** The value of {@link Raw#kind()} when the update has no payload field, or is not a JSON object. */
  static final String EMPTY = "empty";
  private static final String UPDATE_ID = "update_id";
  // Longer number literals are never a valid update id; checking first keeps BigDecimal away from hostile input.
  private static final int MAX_NUMBER_LITERAL = 40;

  private RawUpdates() {}

  /**
   * One update as received.
   *
   * @param updateId the {@code update_id}; {@link #NO_ID} when absent, not an integral number, negative or beyond
   *     {@code long}
   * @param kind the payload's field name ({@code message}, {@code callback_query}, or one pengrad does not know),
   *     which is the first field other than {@code update_id}; {@link #EMPTY} when there is none
   * @param json the update's JSON text
   * @param parsed pengrad's model of it; null when {@code parseError} is set
   * @param parseError why the JSON could not be parsed; null when it could
   */
  record Raw(long updateId, String kind, String json, Update parsed, String parseError) {

    // The default toString would print the whole update, message text included, into any log line.
    @Override
    public String toString() {
      return "Raw[updateId=" + updateId + ", kind=" + kind + ", json=" + (json == null ? 0 : json.length())
          + " chars" + (parseError == null ? "" : ", parseError=" + parseError) + "]";
    }
  }

  /**
   * Reads a webhook body, which carries exactly one update. Any text yields one {@link Raw}: a body that is not a
   * JSON object, or not JSON at all, has {@code parseError} set (and the id and kind as far as they could be read).
   */
  static Raw parse(String body) {
    if (body == null) {
      return new Raw(NO_ID, EMPTY, "", null, "update: no body");
    }
    try {
      return fromElement(JsonParser.parseString(body), body);
    } catch (RuntimeException | StackOverflowError e) {
      return sniff(body, describe(e));
    }
  }

  /**
   * Reads several updates from any text: a {@code result} array, a whole {@code getUpdates} envelope
   * ({@code {"ok":true,"result":[…]}}) or a single update. When the text is not valid JSON, the elements of an array
   * are recovered one by one, and what cannot be read becomes a {@link Raw} with {@code parseError} set; a
   * truncated array thus still yields its intact leading updates. Empty only for an empty array.
   */
  static List<Raw> parseBatch(String body) {
    if (body == null) {
      return List.of(parse(null));
    }
    JsonElement root;
    try {
      root = JsonParser.parseString(body);
    } catch (RuntimeException | StackOverflowError e) {
      return salvage(body, describe(e));
    }
    if (root.isJsonArray()) {
      return fromResultArray(root.getAsJsonArray());
    }
    JsonArray enveloped = envelopeResult(root);
    if (enveloped != null) {
      return fromResultArray(enveloped);
    }
    return List.of(fromElement(root, body));
  }

  /** Reads the {@code result} array of a {@code getUpdates} response, one {@link Raw} per element, in order. */
  static List<Raw> fromResultArray(JsonArray result) {
    if (result == null) {
      return List.of();
    }
    List<Raw> raws = new ArrayList<>(result.size());
    for (JsonElement element : result) {
      String text;
      try {
        text = String.valueOf(element);
      } catch (RuntimeException | StackOverflowError e) {
        text = "";
      }
      raws.add(fromElement(element, text));
    }
    return raws;
  }

  /**
   * The highest usable update id among {@code raws}, broken ones included, so a poller can move its offset past an
   * update nobody can parse; {@link #NO_ID} when none has one.
   */
  static long maxUpdateId(List<Raw> raws) {
    long max = NO_ID;
    if (raws == null) {
      return max;
    }
    for (Raw r : raws) {
      if (r != null && r.updateId() > max) {
        max = r.updateId();
      }
    }
    return max;
  }

  private static Raw fromElement(JsonElement element, String text) {
    if (element == null || !element.isJsonObject()) {
      return new Raw(NO_ID, EMPTY, text, null, "update: expected a JSON object, was " + typeOf(element));
    }
    JsonObject object = element.getAsJsonObject();
    long updateId = NO_ID;
    String kind = null;
    for (Map.Entry<String, JsonElement> e : object.entrySet()) {
      if (UPDATE_ID.equals(e.getKey())) {
        updateId = updateId(e.getValue());
      } else if (kind == null) {
        kind = e.getKey();
      }
    }
    kind = kindOf(kind);
    // pengrad reads the tree written out again, not the tree itself nor the original text. Not the tree: from text,
    // the reader knows the JSON path of a bad value, and a number beyond int (an update_id, a message_id) is refused
    // instead of silently truncated. Not the original text: the tree already settled duplicate keys (the last wins),
    // and the id and kind above came from it, so a webhook body and the same update in a getUpdates array agree.
    JsonReader reader = null;
    try {
      reader = new JsonReader(new StringReader(object.toString()));
      Update update = BotUtils.GSON.fromJson(reader, Update.class);
      if (update == null) {
        return new Raw(updateId, kind, text, null, "update: empty");
      }
      return new Raw(updateId, kind, text, update, null);
    } catch (RuntimeException | StackOverflowError e) {
      // pengrad's own type adapters throw ClassCastException and IllegalStateException, not only JsonParseException.
      // Line and column would point into the rewritten text, not into json; the path says where.
      String error = describe(e, reader == null ? "$" : pathOf(reader)).replaceAll(" at line \\d+ column \\d+", "");
      return new Raw(updateId, kind, text, null, error);
    }
  }

  private static String pathOf(JsonReader reader) {
    try {
      return reader.getPath();
    } catch (RuntimeException e) {
      return "$";
    }
  }

  private static JsonArray envelopeResult(JsonElement root) {
    if (!root.isJsonObject()) {
      return null;
    }
    JsonObject o = root.getAsJsonObject();
    JsonElement result = o.get("result");
    return o.has("ok") && !o.has(UPDATE_ID) && result != null && result.isJsonArray() ? result.getAsJsonArray() : null;
  }

  /**
   * The body is not JSON (truncated, garbage inside): an array is cut into its top-level elements by a scanner that
   * only tracks strings and brackets, so every intact element still parses on its own.
   */
  private static List<Raw> salvage(String body, String error) {
    int start = firstNonBlank(body);
    if (start >= body.length() || body.charAt(start) != '[') {
      return List.of(sniff(body, error));
    }
    List<Raw> raws = new ArrayList<>();
    for (String piece : topLevelElements(body, start)) {
      try {
        raws.add(fromElement(JsonParser.parseString(piece), piece));
      } catch (RuntimeException | StackOverflowError e) {
        raws.add(sniff(piece, describe(e)));
      }
    }
    if (raws.isEmpty()) {
      raws.add(new Raw(NO_ID, EMPTY, body, null, error));
    }
    return raws;
  }

  private static List<String> topLevelElements(String s, int openBracket) {
    List<String> pieces = new ArrayList<>();
    int depth = 0;
    boolean inString = false;
    boolean escaped = false;
    int pieceStart = openBracket + 1;
    for (int i = openBracket; i < s.length(); i++) {
      char c = s.charAt(i);
      if (inString) {
        if (escaped) {
          escaped = false;
        } else if (c == '\\') {
          escaped = true;
        } else if (c == '"') {
          inString = false;
        }
        continue;
      }
      switch (c) {
        case '"' -> inString = true;
        case '{', '[' -> depth++;
        case '}', ']' -> {
          depth--;
          if (depth == 0) {
            addPiece(pieces, s.substring(pieceStart, i));
            return pieces;
          }
        }
        case ',' -> {
          if (depth == 1) {
            addPiece(pieces, s.substring(pieceStart, i));
            pieceStart = i + 1;
          }
        }
        default -> { }
      }
    }
    addPiece(pieces, s.substring(Math.min(pieceStart, s.length())));
    return pieces;
  }

  private static void addPiece(List<String> pieces, String piece) {
    if (!piece.isBlank()) {
      pieces.add(piece.strip());
    }
  }

  /**
   * Reads an object's top-level fields in order until the text breaks, so a truncated update still yields its id and
   * kind (Telegram writes {@code update_id} first).
   */
  private static Raw sniff(String text, String error) {
    long updateId = NO_ID;
    String kind = null;
    try (JsonReader reader = new JsonReader(new StringReader(text))) {
      reader.setStrictness(Strictness.LENIENT);
      if (reader.peek() == JsonToken.BEGIN_OBJECT) {
        reader.beginObject();
        while (reader.hasNext()) {
          String name = reader.nextName();
          if (UPDATE_ID.equals(name)) {
            // Consistent with the tree reading: a later duplicate decides, whatever its type.
            updateId = NO_ID;
            if (reader.peek() == JsonToken.NUMBER) {
              updateId = updateId(reader.nextString());
            } else {
              reader.skipValue();
            }
          } else {
            if (kind == null) {
              kind = name;
            }
            reader.skipValue();
          }
        }
      }
    } catch (Exception | StackOverflowError e) {
      // Expected: the text is broken somewhere; what was read before that point stands.
    }
    return new Raw(updateId, kindOf(kind), text, null, error);
  }

  /**
   * Telegram's field names are short snake_case words; anything else (an empty or garbled key) would only carry
   * control characters or megabytes into logs and storage, and the JSON text keeps it anyway.
   */
  private static String kindOf(String key) {
    if (key == null) {
      return EMPTY;
    }
    return key.length() <= 64 && key.matches("[A-Za-z0-9_]+") ? key : "invalid_field_name";
  }

  private static long updateId(JsonElement value) {
    if (value instanceof JsonPrimitive p && p.isNumber()) {
      return updateId(p.getAsString());
    }
    return NO_ID;
  }

  private static long updateId(String literal) {
    if (literal == null || literal.isEmpty() || literal.length() > MAX_NUMBER_LITERAL) {
      return NO_ID;
    }
    try {
      long id = new BigDecimal(literal).longValueExact();
      return id >= 0 ? id : NO_ID;
    } catch (ArithmeticException | NumberFormatException e) {
      return NO_ID;
    }
  }

  private static int firstNonBlank(String s) {
    int i = 0;
    while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
      i++;
    }
    return i;
  }

  private static String typeOf(JsonElement e) {
    if (e == null || e.isJsonNull()) {
      return "null";
    }
    if (e.isJsonArray()) {
      return "an array";
    }
    if (e.isJsonPrimitive()) {
      JsonPrimitive p = e.getAsJsonPrimitive();
      return p.isNumber() ? "a number" : p.isBoolean() ? "a boolean" : "a string";
    }
    return "an object";
  }

  /**
   * "{@code <field>: <reason>}", the field taken from Gson's JSON path when it names one. Kept short: Gson quotes
   * the offending token, which may be message text.
   */
  static String describe(Throwable e) {
    return describe(e, "$");
  }

  private static String describe(Throwable e, String readerPath) {
    String field = readerPath == null ? "" : readerPath.replaceAll("^\\$\\.?|\\.$", "");
    field = field.isEmpty() ? "update" : field;
    String message = e.getMessage();
    if (message == null || message.isBlank()) {
      return printable(field + ": " + e.getClass().getSimpleName());
    }
    // Gson's messages end with "… at line 1 column 42 path $.message.chat.id" and often a troubleshooting link.
    int link = message.indexOf("\nSee https://");
    if (link >= 0) {
      message = message.substring(0, link);
    }
    int path = message.lastIndexOf(" path $");
    if (path >= 0) {
      String p = message.substring(path + " path $".length()).strip();
      // While a name is being read, Gson's path ends in a dot ("$.message.").
      p = p.replaceAll("^\\.|\\.$", "");
      field = p.isEmpty() ? "update" : p;
      message = message.substring(0, path);
    }
    int colon = message.indexOf("Exception: ");
    if (colon >= 0 && message.lastIndexOf(' ', colon) < 0) {
      message = message.substring(colon + "Exception: ".length());
    }
    message = message.strip();
    if (message.length() > 200) {
      message = message.substring(0, 200) + "…";
    }
    return printable(field + ": " + message);
  }

  /**
   * The text with control characters and unpaired surrogates replaced by U+FFFD: error texts quote input, and go to
   * logs and databases that refuse a NUL or cannot encode half a surrogate pair.
   */
  static String printable(String text) {
    StringBuilder b = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean bad;
      if (Character.isHighSurrogate(c)) {
        bad = i + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(i + 1));
        if (!bad) {
          if (b != null) {
            b.append(c).append(text.charAt(i + 1));
          }
          i++;
          continue;
        }
      } else {
        bad = Character.isLowSurrogate(c) || Character.isISOControl(c);
      }
      if (bad && b == null) {
        b = new StringBuilder(text.length()).append(text, 0, i);
      }
      if (b != null) {
        b.append(bad ? '\uFFFD' : c);
      }
    }
    return b == null ? text : b.toString();
  }
}
