package dev.tgsupport.kaiten;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads Kaiten's JSON into the bridge's records and writes request bodies. Mapping is by hand, from trees, because
 * Kaiten's fields vary in type ({@code external_id} is a string or a number, ids come nested or flat) and the
 * records must not break on fields Kaiten adds.
 */
final class KaitenJson {
  /** Thread-safe once configured; never reconfigured. */
  static final ObjectMapper MAPPER = new ObjectMapper();

  // Kaiten writes millisecond UTC timestamps ("2026-09-01T12:00:00.123Z"); queries use the same form.
  private static final DateTimeFormatter MILLIS =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private KaitenJson() {}

  /** Thrown when a required field is missing; the client turns it into a server error naming the operation. */
  static final class ShapeException extends RuntimeException {
    ShapeException(String message) {
      super(message);
    }
  }

  static Card card(JsonNode n) {
    requireObject(n, "card");
    Map<String, JsonNode> properties = new LinkedHashMap<>();
    JsonNode props = n.path("properties");
    if (props.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = props.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        properties.put(e.getKey(), e.getValue().deepCopy());
      }
    }
    List<Tag> tags = new ArrayList<>();
    for (JsonNode t : n.path("tags")) {
      if (t.isObject()) {
        // A card's tag entry may carry both the link id ("id") and the company tag id ("tag_id").
        long id = t.hasNonNull("tag_id") ? t.path("tag_id").asLong() : t.path("id").asLong();
        tags.add(new Tag(id, text(t, "name")));
      }
    }
    return new Card(
        requiredId(n, "id", "card"),
        text(n, "title"),
        nullableText(n, "description"),
        idOrNested(n, "board_id", "board"),
        idOrNested(n, "column_id", "column"),
        optionalLong(n, "lane_id"),
        optionalLong(n, "type_id"),
        n.path("state").asInt(0),
        n.path("condition").asInt(0),
        externalId(n.path("external_id")),
        properties,
        n.path("comments_total").asInt(0),
        instant(n.path("comment_last_added_at")),
        instant(n.path("created")),
        instant(n.path("updated")),
        instant(n.path("last_moved_to_done_at")),
        instant(n.path("completed_at")),
        tags);
  }

  static Comment comment(JsonNode n) {
    requireObject(n, "comment");
    JsonNode author = n.path("author");
    User user = author.isObject() && author.hasNonNull("id") ? user(author) : null;
    long authorId = n.hasNonNull("author_id") ? n.path("author_id").asLong() : user == null ? 0 : user.id();
    return new Comment(
        requiredId(n, "id", "comment"),
        n.path("card_id").asLong(0),
        text(n, "text"),
        authorId,
        user,
        n.path("internal").asBoolean(false),
        n.path("deleted").asBoolean(false),
        n.path("edited").asBoolean(false),
        n.path("sd_description").asBoolean(false),
        instant(n.path("created")),
        instant(n.path("updated")));
  }

  static User user(JsonNode n) {
    requireObject(n, "user");
    // Card members carry the user id as user_id next to their own id.
    long id = n.hasNonNull("user_id") ? n.path("user_id").asLong() : requiredId(n, "id", "user");
    return new User(id, text(n, "full_name"), text(n, "username"), nullableText(n, "email"));
  }

  static Member member(JsonNode n) {
    return new Member(user(n), n.path("type").asInt(1));
  }

  static Tag tag(JsonNode n) {
    requireObject(n, "tag");
    long id = n.hasNonNull("tag_id") ? n.path("tag_id").asLong() : requiredId(n, "id", "tag");
    return new Tag(id, text(n, "name"));
  }

  static Board board(JsonNode n) {
    requireObject(n, "board");
    return new Board(requiredId(n, "id", "board"), text(n, "title"), n.path("space_id").asLong(0));
  }

  static Lane lane(JsonNode n, long boardId) {
    requireObject(n, "lane");
    return new Lane(requiredId(n, "id", "lane"), n.path("board_id").asLong(boardId), text(n, "title"),
        optionalLong(n, "default_card_type_id"));
  }

  /** The columns of a board with nested {@code subcolumns} flattened in after their parent, at any depth. */
  static List<Column> columns(JsonNode array, long boardId) {
    List<Column> out = new ArrayList<>();
    for (JsonNode n : array) {
      addColumn(n, boardId, null, out, 0);
    }
    return out;
  }

  private static void addColumn(JsonNode n, long boardId, Long parentId, List<Column> out, int depth) {
    requireObject(n, "column");
    long id = requiredId(n, "id", "column");
    // A sub-column names its parent in column_id; nesting says the same when that field is absent.
    Long parent = n.hasNonNull("column_id") ? Long.valueOf(n.path("column_id").asLong()) : parentId;
    out.add(new Column(id, n.path("board_id").asLong(boardId), parent, text(n, "title"), n.path("type").asInt(0)));
    if (depth < 8) {
      for (JsonNode child : n.path("subcolumns")) {
        addColumn(child, boardId, id, out, depth + 1);
      }
    }
  }

  static ObjectNode newCardBody(NewCard card) {
    ObjectNode body = MAPPER.createObjectNode();
    body.put("title", card.title());
    body.put("board_id", card.boardId());
    putIfPresent(body, "column_id", card.columnId());
    putIfPresent(body, "lane_id", card.laneId());
    putIfPresent(body, "type_id", card.typeId());
    if (card.description() != null) {
      body.put("description", card.description());
      // Markdown is Kaiten's default; saying so keeps the card readable if a company changes the default.
      body.put("text_format_type_id", 1);
    }
    if (card.externalId() != null) {
      body.put("external_id", card.externalId());
    }
    putProperties(body, card.properties());
    return body;
  }

  static ObjectNode updateBody(CardUpdate update) {
    ObjectNode body = MAPPER.createObjectNode();
    if (update.title() != null) {
      body.put("title", update.title());
    }
    if (update.description() != null) {
      body.put("description", update.description());
    }
    putIfPresent(body, "board_id", update.boardId());
    putIfPresent(body, "column_id", update.columnId());
    putIfPresent(body, "lane_id", update.laneId());
    if (update.condition() != null) {
      body.put("condition", update.condition());
    }
    if (update.externalId() != null) {
      body.put("external_id", update.externalId());
    }
    putProperties(body, update.properties());
    return body;
  }

  static String format(Instant instant) {
    return MILLIS.format(instant);
  }

  /** An ISO-8601 timestamp, with or without an offset; null when absent or unreadable. */
  static Instant instant(JsonNode n) {
    if (n == null || !n.isTextual() || n.asText().isBlank()) {
      return null;
    }
    String text = n.asText();
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      try {
        return OffsetDateTime.parse(text).toInstant();
      } catch (DateTimeParseException again) {
        return null;
      }
    }
  }

  private static void putProperties(ObjectNode body, Map<Long, Object> properties) {
    if (properties.isEmpty()) {
      return;
    }
    ObjectNode props = body.putObject("properties");
    properties.forEach((id, value) -> props.set("id_" + id, MAPPER.valueToTree(value)));
  }

  private static void putIfPresent(ObjectNode body, String field, Long value) {
    if (value != null) {
      body.put(field, value);
    }
  }

  private static String externalId(JsonNode n) {
    if (n == null || n.isNull() || n.isMissingNode()) {
      return null;
    }
    if (n.isIntegralNumber()) {
      return n.bigIntegerValue().toString();
    }
    return n.asText();
  }

  private static void requireObject(JsonNode n, String what) {
    if (n == null || !n.isObject()) {
      throw new ShapeException("a " + what + " that is not a JSON object");
    }
  }

  private static long requiredId(JsonNode n, String field, String what) {
    JsonNode id = n.path(field);
    if (id.isIntegralNumber() && id.canConvertToLong()) {
      return id.asLong();
    }
    if (id.isTextual() && id.asText().matches("\\d{1,18}")) {
      return Long.parseLong(id.asText());
    }
    throw new ShapeException("a " + what + " without a numeric " + field);
  }

  private static long idOrNested(JsonNode n, String field, String nested) {
    if (n.hasNonNull(field)) {
      return n.path(field).asLong();
    }
    return n.path(nested).path("id").asLong(0);
  }

  private static Long optionalLong(JsonNode n, String field) {
    return n.hasNonNull(field) && n.path(field).canConvertToLong() ? n.path(field).asLong() : null;
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.path(field);
    return v.isNull() || v.isMissingNode() ? "" : v.asText();
  }

  private static String nullableText(JsonNode n, String field) {
    JsonNode v = n.path(field);
    return v.isNull() || v.isMissingNode() ? null : v.asText();
  }
}
