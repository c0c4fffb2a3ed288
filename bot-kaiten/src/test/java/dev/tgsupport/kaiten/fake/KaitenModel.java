package dev.tgsupport.kaiten.fake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Kaiten's data as the fake keeps it: users, spaces, boards with columns, sub-columns and lanes, card types, custom
 * properties, cards with comments, tags and members, company tags and external webhooks. Each operation validates
 * like Kaiten (400 with {@code {"message"}}, 404 for unknown ids in paths), renders Kaiten's JSON and reports the
 * change as an external-webhook event.
 *
 * <p>Not thread-safe by itself: the server calls it under one lock.
 */
final class KaitenModel {

  /** Receives change events for a space: {@code event} is {@code entity:action}, {@code data} its payload. */
  interface EventSink {
    void emit(long spaceId, String event, ObjectNode data);
  }

  enum CardView {
    /** {@code POST /cards}: nested board, column, lane, type and owner are null. */
    FLAT,
    /** {@code GET /cards/{id}} and {@code PATCH}: everything, nested objects included. */
    FULL,
    /** {@code GET /cards}: no nested objects, no description unless asked for. */
    LIST,
    /** {@code GET /cards?additional_card_fields=description}. */
    LIST_WITH_DESCRIPTION
  }

  static final class UserRec {
    long id;
    String fullName;
    String username;
    String email;
  }

  static final class BoardRec {
    long id;
    long spaceId;
    String title;
  }

  static final class ColumnRec {
    long id;
    long boardId;
    Long parentId;
    String title;
    int type;
    int sortOrder;
  }

  static final class LaneRec {
    long id;
    long boardId;
    String title;
    Long defaultCardTypeId;
  }

  static final class CommentRec {
    long id;
    String uid;
    long cardId;
    String text;
    int type;
    long authorId;
    boolean internal;
    boolean deleted;
    boolean edited;
    Instant created;
    Instant updated;
  }

  static final class MemberRec {
    long userId;
    int type;
    Instant created;
    Instant updated;
  }

  static final class CardRec {
    long id;
    String uid;
    String title;
    String description;
    long boardId;
    long columnId;
    Long laneId;
    Long typeId;
    long ownerId;
    int condition = 1;
    JsonNode externalId;
    ObjectNode properties = Json.object();
    double sortOrder;
    boolean asap;
    String dueDate;
    Instant created;
    Instant updated;
    Instant lastMovedAt;
    Instant lastMovedToDoneAt;
    Instant completedAt;
    Instant commentLastAddedAt;
    int version = 1;
    final List<CommentRec> comments = new ArrayList<>();
    final Set<Long> tagIds = new LinkedHashSet<>();
    final Map<Long, MemberRec> members = new LinkedHashMap<>();
  }

  static final class WebhookRec {
    long id;
    long spaceId;
    String url;
    boolean enabled = true;
    Instant created;
    Instant updated;
  }

  private static final Pattern PROPERTY_KEY = Pattern.compile("id_(\\d{1,18})");
  private static final int MAX_TITLE = 1024;
  private static final int MAX_DESCRIPTION = 32768;
  private static final int MAX_EXTERNAL_ID = 1024;
  private static final int MAX_TAG = 128;
  private static final int MAX_WEBHOOK_URL = 4096;

  final Map<Long, UserRec> users = new LinkedHashMap<>();
  final Map<Long, String> spaces = new LinkedHashMap<>();
  final Map<Long, BoardRec> boards = new LinkedHashMap<>();
  final Map<Long, ColumnRec> columns = new LinkedHashMap<>();
  final Map<Long, LaneRec> lanes = new LinkedHashMap<>();
  final Map<Long, String> cardTypes = new LinkedHashMap<>();
  final Map<Long, String[]> customProperties = new LinkedHashMap<>();
  final Map<Long, CardRec> cards = new LinkedHashMap<>();
  final Map<Long, String> tags = new LinkedHashMap<>();
  final Map<Long, WebhookRec> webhooks = new LinkedHashMap<>();

  private final Clock clock;
  private final EventSink events;
  boolean commentBumpsCardUpdated;
  boolean webhooksInPlan = true;

  private long nextUserId = 1;
  private long nextSpaceId = 1;
  private long nextBoardId = 10;
  private long nextColumnId = 100;
  private long nextLaneId = 200;
  private long nextTagId = 300;
  private long nextCardId = 5_000_001;
  private long nextCommentId = 900_001;
  private long nextWebhookId = 1;
  private Instant lastNow = Instant.EPOCH;

  KaitenModel(Clock clock, EventSink events) {
    this.clock = clock;
    this.events = events;
  }

  /** Millisecond time that never goes backwards, so {@code updated} orders changes. */
  Instant now() {
    Instant t = clock.instant().truncatedTo(ChronoUnit.MILLIS);
    if (t.isBefore(lastNow)) {
      t = lastNow;
    }
    lastNow = t;
    return t;
  }

  // ------------------------------------------------------------------------------------------------ setup

  long addUser(String fullName, String username, String email) {
    UserRec u = new UserRec();
    u.id = nextUserId++;
    u.fullName = fullName;
    u.username = username;
    u.email = email;
    users.put(u.id, u);
    return u.id;
  }

  long addSpace(String title) {
    long id = nextSpaceId++;
    spaces.put(id, title);
    return id;
  }

  long addBoard(long spaceId, String title) {
    requireSetup(spaces.containsKey(spaceId), "unknown space " + spaceId);
    BoardRec b = new BoardRec();
    b.id = nextBoardId++;
    b.spaceId = spaceId;
    b.title = title;
    boards.put(b.id, b);
    return b.id;
  }

  long addColumn(long boardId, Long parentId, String title, int type) {
    requireSetup(boards.containsKey(boardId), "unknown board " + boardId);
    requireSetup(parentId == null || (columns.containsKey(parentId) && columns.get(parentId).boardId == boardId),
        "unknown parent column " + parentId + " on board " + boardId);
    requireSetup(type >= 0 && type <= 3, "column type must be 0..3, was " + type);
    ColumnRec c = new ColumnRec();
    c.id = nextColumnId++;
    c.boardId = boardId;
    c.parentId = parentId;
    c.title = title;
    c.type = type;
    c.sortOrder = (int) columns.values().stream()
        .filter(o -> o.boardId == boardId && Objects.equals(o.parentId, parentId)).count() + 1;
    columns.put(c.id, c);
    return c.id;
  }

  long addLane(long boardId, String title, Long defaultCardTypeId) {
    requireSetup(boards.containsKey(boardId), "unknown board " + boardId);
    LaneRec l = new LaneRec();
    l.id = nextLaneId++;
    l.boardId = boardId;
    l.title = title;
    l.defaultCardTypeId = defaultCardTypeId;
    lanes.put(l.id, l);
    return l.id;
  }

  void addCardType(long id, String name) {
    cardTypes.put(id, name);
  }

  void addCustomProperty(long id, String name, String type) {
    customProperties.put(id, new String[] {name, type});
  }

  private static void requireSetup(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }

  // ------------------------------------------------------------------------------------------------ users, boards

  ObjectNode currentUser(long userId) {
    return userJson(users.get(userId));
  }

  ArrayNode listUsers(int limit, int offset) {
    ArrayNode out = Json.array();
    users.values().stream().skip(offset).limit(limit).forEach(u -> out.add(userJson(u)));
    return out;
  }

  ArrayNode listSpaces() {
    ArrayNode out = Json.array();
    spaces.forEach((id, title) -> out.add(Json.object().put("id", id).put("title", title)));
    return out;
  }

  ArrayNode listSpaceBoards(long spaceId) {
    requireFound(spaces.containsKey(spaceId));
    ArrayNode out = Json.array();
    boards.values().stream().filter(b -> b.spaceId == spaceId).forEach(b -> out.add(boardJson(b, false)));
    return out;
  }

  ObjectNode getBoard(long boardId) {
    return boardJson(board(boardId), true);
  }

  ArrayNode listColumns(long boardId) {
    board(boardId);
    ArrayNode out = Json.array();
    topColumns(boardId).forEach(c -> out.add(columnJson(c, true)));
    return out;
  }

  ArrayNode listSubColumns(long columnId) {
    ColumnRec parent = columns.get(columnId);
    requireFound(parent != null);
    ArrayNode out = Json.array();
    children(parent.id).forEach(c -> out.add(columnJson(c, true)));
    return out;
  }

  ArrayNode listLanes(long boardId) {
    board(boardId);
    ArrayNode out = Json.array();
    lanes.values().stream().filter(l -> l.boardId == boardId).forEach(l -> out.add(laneJson(l)));
    return out;
  }

  ArrayNode listCardTypes(int limit, int offset) {
    ArrayNode out = Json.array();
    cardTypes.entrySet().stream().skip(offset).limit(limit)
        .forEach(e -> out.add(Json.object().put("id", e.getKey()).put("name", e.getValue())));
    return out;
  }

  ArrayNode listCustomProperties(int limit, int offset) {
    ArrayNode out = Json.array();
    customProperties.entrySet().stream().skip(offset).limit(limit).forEach(e -> out.add(Json.object()
        .put("id", e.getKey()).put("name", e.getValue()[0]).put("type", e.getValue()[1])));
    return out;
  }

  // ------------------------------------------------------------------------------------------------ cards

  CardRec createCard(JsonNode body, long authorId) {
    requireObjectBody(body);
    CardRec card = new CardRec();
    card.title = title(body.get("title"), true);
    if (!body.hasNonNull("board_id")) {
      throw ApiError.badRequest("board_id is required");
    }
    BoardRec board = boards.get(integer(body, "board_id"));
    if (board == null) {
      throw ApiError.badRequest("board_id: board " + body.get("board_id") + " not found");
    }
    card.boardId = board.id;
    card.columnId = body.hasNonNull("column_id") ? columnOf(board.id, integer(body, "column_id"))
        : topColumns(board.id).stream().findFirst().map(c -> c.id)
            .orElseThrow(() -> ApiError.badRequest("board " + board.id + " has no columns"));
    card.laneId = body.hasNonNull("lane_id") ? laneOf(board.id, integer(body, "lane_id"))
        : lanes.values().stream().filter(l -> l.boardId == board.id).findFirst().map(l -> l.id).orElse(null);
    if (body.hasNonNull("type_id")) {
      card.typeId = cardTypeOf(integer(body, "type_id"));
    } else {
      LaneRec lane = card.laneId == null ? null : lanes.get(card.laneId);
      card.typeId = lane != null && lane.defaultCardTypeId != null ? lane.defaultCardTypeId
          : cardTypes.keySet().stream().findFirst().orElse(null);
    }
    card.description = description(body.get("description"));
    if (body.has("text_format_type_id")) {
      int format = (int) integer(body, "text_format_type_id");
      if (format < 1 || format > 3) {
        throw ApiError.badRequest("text_format_type_id must be 1, 2 or 3");
      }
    }
    card.externalId = externalId(body.get("external_id"));
    if (body.has("properties")) {
      mergeProperties(card, body.get("properties"));
    }
    card.ownerId = body.hasNonNull("owner_id") ? userOf(integer(body, "owner_id")) : authorId;
    if (body.hasNonNull("responsible_id")) {
      long responsible = userOf(integer(body, "responsible_id"));
      MemberRec m = member(responsible, 2);
      card.members.put(responsible, m);
    }
    card.asap = body.path("asap").asBoolean(false);
    card.dueDate = body.hasNonNull("due_date") ? body.get("due_date").asText() : null;
    card.id = nextCardId++;
    card.uid = UUID.randomUUID().toString();
    Instant now = now();
    card.created = now;
    card.updated = now;
    card.lastMovedAt = now;
    card.sortOrder = cards.size() + 1;
    if (state(card) == 3) {
      card.lastMovedToDoneAt = now;
      card.completedAt = now;
    }
    cards.put(card.id, card);
    ObjectNode data = cardJson(card, CardView.FULL);
    data.set("author", userJson(users.get(authorId)));
    events.emit(board.spaceId, "card:add", data);
    return card;
  }

  CardRec card(long cardId) {
    CardRec card = cards.get(cardId);
    if (card == null || card.condition == 3) {
      throw ApiError.notFound();
    }
    return card;
  }

  /**
   * {@code PATCH /cards/{id}}: any of title, description, board, column, lane, type, owner, properties, condition,
   * external id, sort order, asap, due date. A move reports {@code card:move}, any other change {@code card:update}.
   */
  CardRec updateCard(long cardId, JsonNode body, long authorId) {
    requireObjectBody(body);
    CardRec card = card(cardId);
    ObjectNode old = cardJson(card, CardView.FULL);
    ObjectNode changes = Json.object();
    int oldState = state(card);
    long boardId = card.boardId;
    if (body.hasNonNull("board_id")) {
      long newBoard = integer(body, "board_id");
      if (!boards.containsKey(newBoard)) {
        throw ApiError.badRequest("board_id: board " + newBoard + " not found");
      }
      boardId = newBoard;
    }
    Long columnId = body.hasNonNull("column_id") ? columnOf(boardId, integer(body, "column_id")) : null;
    if (columnId == null && boardId != card.boardId) {
      long target = boardId;
      columnId = topColumns(target).stream().findFirst().map(c -> c.id)
          .orElseThrow(() -> ApiError.badRequest("board " + target + " has no columns"));
    }
    Long laneId = body.hasNonNull("lane_id") ? laneOf(boardId, integer(body, "lane_id")) : null;
    if (laneId == null && boardId != card.boardId) {
      long target = boardId;
      laneId = lanes.values().stream().filter(l -> l.boardId == target).findFirst().map(l -> l.id).orElse(null);
    }
    // Validate everything before changing anything, so a refused PATCH leaves the card as it was.
    String title = body.has("title") ? title(body.get("title"), true) : null;
    String description = body.has("description") ? description(body.get("description")) : null;
    Long typeId = body.hasNonNull("type_id") ? cardTypeOf(integer(body, "type_id")) : null;
    Long ownerId = body.hasNonNull("owner_id") ? userOf(integer(body, "owner_id")) : null;
    Integer condition = null;
    if (body.hasNonNull("condition")) {
      condition = (int) integer(body, "condition");
      if (condition < 1 || condition > 3) {
        throw ApiError.badRequest("condition must be 1 (live), 2 (archived) or 3 (deleted)");
      }
    }
    JsonNode externalId = body.has("external_id") ? externalId(body.get("external_id")) : null;
    if (body.has("properties") && !body.get("properties").isObject()) {
      throw ApiError.badRequest("properties must be an object");
    }
    if (body.has("properties")) {
      checkProperties(body.get("properties"));
    }
    Instant now = now();
    if (title != null && !title.equals(card.title)) {
      card.title = title;
      changes.put("title", title);
    }
    if (body.has("description")) {
      card.description = description;
      changes.put("description", description);
    }
    boolean moved = false;
    if (boardId != card.boardId) {
      card.boardId = boardId;
      changes.put("board_id", boardId);
      moved = true;
    }
    if (columnId != null && columnId != card.columnId) {
      card.columnId = columnId;
      changes.put("column_id", columnId);
      moved = true;
    }
    if (laneId != null && !laneId.equals(card.laneId)) {
      card.laneId = laneId;
      changes.put("lane_id", laneId);
      moved = true;
    }
    if (typeId != null) {
      card.typeId = typeId;
      changes.put("type_id", typeId);
    }
    if (ownerId != null) {
      card.ownerId = ownerId;
      changes.put("owner_id", ownerId);
    }
    if (condition != null && condition != card.condition) {
      card.condition = condition;
      changes.put("condition", condition);
    }
    if (body.has("external_id")) {
      card.externalId = externalId;
      changes.set("external_id", externalId == null ? Json.MAPPER.nullNode() : externalId);
    }
    if (body.has("properties")) {
      mergeProperties(card, body.get("properties"));
      changes.set("properties", body.get("properties").deepCopy());
    }
    if (body.has("sort_order")) {
      card.sortOrder = body.get("sort_order").asDouble(card.sortOrder);
      changes.put("sort_order", card.sortOrder);
    }
    if (body.has("asap")) {
      card.asap = body.get("asap").asBoolean();
      changes.put("asap", card.asap);
    }
    if (body.has("due_date")) {
      card.dueDate = body.get("due_date").isNull() ? null : body.get("due_date").asText();
      changes.put("due_date", card.dueDate);
    }
    if (moved) {
      card.lastMovedAt = now;
      int newState = state(card);
      if (newState != oldState) {
        changes.put("state", newState);
      }
      if (newState == 3 && oldState != 3) {
        card.lastMovedToDoneAt = now;
        card.completedAt = now;
      } else if (newState != 3) {
        card.completedAt = null;
      }
    }
    if (!changes.isEmpty()) {
      card.updated = now;
      card.version++;
      ObjectNode data = Json.object();
      data.set("old", old);
      data.set("changes", changes);
      data.set("author", userJson(users.get(authorId)));
      events.emit(boards.get(card.boardId).spaceId, moved ? "card:move" : "card:update", data);
    }
    return card;
  }

  CardRec deleteCard(long cardId, long authorId) {
    CardRec card = card(cardId);
    card.condition = 3;
    card.updated = now();
    ObjectNode data = cardJson(card, CardView.FULL);
    data.set("author", userJson(users.get(authorId)));
    events.emit(boards.get(card.boardId).spaceId, "card:remove", data);
    return card;
  }

  /** {@code GET /cards} filters. Unknown parameters are ignored, as Kaiten does. */
  List<CardRec> listCards(Params p) {
    List<Predicate<CardRec>> filters = new ArrayList<>();
    Long condition = p.optLong("condition");
    filters.add(condition == null ? c -> c.condition != 3 : c -> c.condition == condition);
    Long board = p.optLong("board_id");
    if (board != null) {
      filters.add(c -> c.boardId == board);
    }
    Long space = p.optLong("space_id");
    if (space != null) {
      filters.add(c -> boards.get(c.boardId).spaceId == space);
    }
    List<Long> columnIds = new ArrayList<>(p.longList("column_ids"));
    Long column = p.optLong("column_id");
    if (column != null) {
      columnIds.add(column);
    }
    if (!columnIds.isEmpty()) {
      filters.add(c -> columnIds.contains(c.columnId));
    }
    Long lane = p.optLong("lane_id");
    if (lane != null) {
      filters.add(c -> lane.equals(c.laneId));
    }
    List<Long> states = p.longList("states");
    if (!states.isEmpty()) {
      filters.add(c -> states.contains((long) state(c)));
    }
    String externalId = p.first("external_id");
    if (externalId != null) {
      filters.add(c -> c.externalId != null && c.externalId.asText().equals(externalId));
    }
    String tag = p.first("tag");
    if (tag != null) {
      filters.add(c -> c.tagIds.stream().anyMatch(id -> tags.get(id).equals(tag)));
    }
    List<Long> tagIds = p.longList("tag_ids");
    if (!tagIds.isEmpty()) {
      filters.add(c -> c.tagIds.stream().anyMatch(tagIds::contains));
    }
    Instant updatedAfter = p.optInstant("updated_after");
    if (updatedAfter != null) {
      filters.add(c -> c.updated.isAfter(updatedAfter));
    }
    Instant updatedBefore = p.optInstant("updated_before");
    if (updatedBefore != null) {
      filters.add(c -> c.updated.isBefore(updatedBefore));
    }
    Instant createdAfter = p.optInstant("created_after");
    if (createdAfter != null) {
      filters.add(c -> c.created.isAfter(createdAfter));
    }
    Instant doneAfter = p.optInstant("last_moved_to_done_at_after");
    if (doneAfter != null) {
      filters.add(c -> c.lastMovedToDoneAt != null && c.lastMovedToDoneAt.isAfter(doneAfter));
    }
    String query = p.first("query");
    if (query != null && !query.isBlank()) {
      String q = query.toLowerCase(Locale.ROOT);
      filters.add(c -> c.title.toLowerCase(Locale.ROOT).contains(q)
          || (c.description != null && c.description.toLowerCase(Locale.ROOT).contains(q)));
    }
    Comparator<CardRec> order = switch (p.first("order_by") == null ? "id" : p.first("order_by")) {
      case "created" -> Comparator.comparing((CardRec c) -> c.created).thenComparingLong(c -> c.id);
      case "updated" -> Comparator.comparing((CardRec c) -> c.updated).thenComparingLong(c -> c.id);
      case "sort_order" -> Comparator.comparingDouble((CardRec c) -> c.sortOrder).thenComparingLong(c -> c.id);
      default -> Comparator.comparingLong((CardRec c) -> c.id);
    };
    if ("desc".equalsIgnoreCase(p.first("order_direction"))) {
      order = order.reversed();
    }
    int limit = p.limit(100);
    int offset = p.offset();
    return cards.values().stream()
        .filter(c -> filters.stream().allMatch(f -> f.test(c)))
        .sorted(order)
        .skip(offset)
        .limit(limit)
        .toList();
  }

  // ------------------------------------------------------------------------------------------------ comments

  CommentRec addComment(long cardId, JsonNode body, long authorId) {
    requireObjectBody(body);
    CardRec card = card(cardId);
    JsonNode text = body.get("text");
    if (text == null || !text.isTextual() || text.asText().isBlank()) {
      throw ApiError.badRequest("text is required");
    }
    int type = body.hasNonNull("type") ? (int) integer(body, "type") : 1;
    if (type != 1 && type != 2) {
      throw ApiError.badRequest("type must be 1 (markdown) or 2 (html)");
    }
    if (body.has("internal") && !body.get("internal").isBoolean()) {
      throw ApiError.badRequest("internal must be a boolean");
    }
    return comment(card, text.asText(), type, authorId, body.path("internal").asBoolean(false));
  }

  CommentRec comment(CardRec card, String text, int type, long authorId, boolean internal) {
    CommentRec c = new CommentRec();
    c.id = nextCommentId++;
    c.uid = UUID.randomUUID().toString();
    c.cardId = card.id;
    c.text = text;
    c.type = type;
    c.authorId = authorId;
    c.internal = internal;
    Instant now = now();
    c.created = now;
    c.updated = now;
    card.comments.add(c);
    card.commentLastAddedAt = now;
    if (commentBumpsCardUpdated) {
      card.updated = now;
    }
    ObjectNode data = commentJson(c);
    events.emit(boards.get(card.boardId).spaceId, "comment:add", data);
    return c;
  }

  List<CommentRec> comments(long cardId) {
    return card(cardId).comments;
  }

  CommentRec updateComment(long cardId, long commentId, JsonNode body, long authorId) {
    requireObjectBody(body);
    CardRec card = card(cardId);
    CommentRec c = commentOf(card, commentId);
    JsonNode text = body.get("text");
    if (text == null || !text.isTextual() || text.asText().isBlank()) {
      throw ApiError.badRequest("text is required");
    }
    ObjectNode old = commentJson(c);
    c.text = text.asText();
    c.edited = true;
    c.updated = now();
    ObjectNode data = Json.object();
    data.set("old", old);
    data.set("changes", Json.object().put("text", c.text));
    data.set("author", userJson(users.get(authorId)));
    events.emit(boards.get(card.boardId).spaceId, "comment:update", data);
    return c;
  }

  CommentRec deleteComment(long cardId, long commentId, long authorId) {
    CardRec card = card(cardId);
    CommentRec c = commentOf(card, commentId);
    // Deleted comments stay in the list with deleted=true: that is why readers must filter them.
    c.deleted = true;
    c.updated = now();
    ObjectNode data = commentJson(c);
    data.set("author", userJson(users.get(authorId)));
    events.emit(boards.get(card.boardId).spaceId, "comment:remove", data);
    return c;
  }

  private CommentRec commentOf(CardRec card, long commentId) {
    return card.comments.stream().filter(c -> c.id == commentId).findFirst().orElseThrow(ApiError::notFound);
  }

  // ------------------------------------------------------------------------------------------------ tags, members

  /** Adds a tag by name, creating the company tag when new; adding a tag the card has is a no-op. */
  long addCardTag(long cardId, JsonNode body) {
    requireObjectBody(body);
    CardRec card = card(cardId);
    String name = tagName(body.get("name"));
    long tagId = tagId(name);
    if (card.tagIds.add(tagId)) {
      card.updated = now();
    }
    return tagId;
  }

  void removeCardTag(long cardId, long tagId) {
    CardRec card = card(cardId);
    if (!card.tagIds.remove(tagId)) {
      throw ApiError.notFound();
    }
    card.updated = now();
  }

  long createTag(JsonNode body) {
    requireObjectBody(body);
    return tagId(tagName(body.get("name")));
  }

  ArrayNode listTags(Params p) {
    String query = p.first("query");
    List<Long> ids = p.longList("ids");
    ArrayNode out = Json.array();
    tags.entrySet().stream()
        .filter(e -> query == null || e.getValue().toLowerCase(Locale.ROOT).contains(query.toLowerCase(Locale.ROOT)))
        .filter(e -> ids.isEmpty() || ids.contains(e.getKey()))
        .skip(p.offset())
        .limit(p.limit(100))
        .forEach(e -> out.add(tagJson(e.getKey())));
    return out;
  }

  private long tagId(String name) {
    for (Map.Entry<Long, String> e : tags.entrySet()) {
      if (e.getValue().equals(name)) {
        return e.getKey();
      }
    }
    long id = nextTagId++;
    tags.put(id, name);
    return id;
  }

  private static String tagName(JsonNode name) {
    if (name == null || !name.isTextual() || name.asText().isEmpty()) {
      throw ApiError.badRequest("name is required");
    }
    if (name.asText().length() > MAX_TAG) {
      throw ApiError.badRequest("name must be at most " + MAX_TAG + " characters");
    }
    return name.asText();
  }

  MemberRec addMember(long cardId, JsonNode body) {
    requireObjectBody(body);
    CardRec card = card(cardId);
    if (!body.hasNonNull("user_id")) {
      throw ApiError.badRequest("user_id is required");
    }
    long userId = userOf(integer(body, "user_id"));
    MemberRec m = card.members.computeIfAbsent(userId, id -> member(id, 1));
    card.updated = now();
    return m;
  }

  MemberRec updateMember(long cardId, long userId, JsonNode body) {
    requireObjectBody(body);
    CardRec card = card(cardId);
    MemberRec m = card.members.get(userId);
    if (m == null) {
      throw ApiError.notFound();
    }
    int type = (int) integer(body, "type");
    if (type != 1 && type != 2) {
      throw ApiError.badRequest("type must be 1 (member) or 2 (responsible)");
    }
    if (type == 2) {
      // One responsible per card: the previous one becomes a plain member.
      card.members.values().forEach(o -> o.type = 1);
    }
    m.type = type;
    m.updated = now();
    card.updated = m.updated;
    return m;
  }

  void removeMember(long cardId, long userId) {
    CardRec card = card(cardId);
    if (card.members.remove(userId) == null) {
      throw ApiError.notFound();
    }
    card.updated = now();
  }

  private MemberRec member(long userId, int type) {
    MemberRec m = new MemberRec();
    m.userId = userId;
    m.type = type;
    m.created = now();
    m.updated = m.created;
    return m;
  }

  // ------------------------------------------------------------------------------------------------ webhooks

  ArrayNode listWebhooks(long spaceId) {
    requireWebhooksInPlan();
    requireFound(spaces.containsKey(spaceId));
    ArrayNode out = Json.array();
    webhooks.values().stream().filter(w -> w.spaceId == spaceId).forEach(w -> out.add(webhookJson(w)));
    return out;
  }

  WebhookRec createWebhook(long spaceId, JsonNode body) {
    requireWebhooksInPlan();
    requireObjectBody(body);
    requireFound(spaces.containsKey(spaceId));
    String url = webhookUrl(body.get("url"));
    if (webhooks.values().stream().anyMatch(w -> w.spaceId == spaceId)) {
      throw ApiError.badRequest("Only 1 external webhook per space is allowed");
    }
    return webhook(spaceId, url);
  }

  WebhookRec webhook(long spaceId, String url) {
    WebhookRec w = new WebhookRec();
    w.id = nextWebhookId++;
    w.spaceId = spaceId;
    w.url = url;
    w.created = now();
    w.updated = w.created;
    webhooks.put(w.id, w);
    return w;
  }

  WebhookRec updateWebhook(long spaceId, long webhookId, JsonNode body) {
    requireWebhooksInPlan();
    requireObjectBody(body);
    WebhookRec w = webhooks.get(webhookId);
    requireFound(w != null && w.spaceId == spaceId);
    String url = body.has("url") ? webhookUrl(body.get("url")) : null;
    if (body.has("enabled") && !body.get("enabled").isBoolean()) {
      throw ApiError.badRequest("enabled must be a boolean");
    }
    if (url != null) {
      w.url = url;
    }
    if (body.has("enabled")) {
      w.enabled = body.get("enabled").asBoolean();
    }
    w.updated = now();
    return w;
  }

  private void requireWebhooksInPlan() {
    if (!webhooksInPlan) {
      throw ApiError.notInPlan("External webhooks are not available in your plan");
    }
  }

  private static String webhookUrl(JsonNode url) {
    if (url == null || !url.isTextual() || url.asText().isBlank()) {
      throw ApiError.badRequest("url is required");
    }
    String text = url.asText();
    if (text.length() > MAX_WEBHOOK_URL) {
      throw ApiError.badRequest("url must be at most " + MAX_WEBHOOK_URL + " characters");
    }
    try {
      URI uri = URI.create(text);
      if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
        throw ApiError.badRequest("url must be an http(s) URL");
      }
    } catch (IllegalArgumentException e) {
      throw ApiError.badRequest("url must be an http(s) URL");
    }
    return text;
  }

  // ------------------------------------------------------------------------------------------------ derived

  int state(CardRec card) {
    return effectiveType(columns.get(card.columnId));
  }

  /** A column's type, or its parent's when a sub-column has none; a queue when nothing says otherwise. */
  int effectiveType(ColumnRec column) {
    for (int depth = 0; column != null && depth < 16; depth++) {
      if (column.type >= 1 && column.type <= 3) {
        return column.type;
      }
      column = column.parentId == null ? null : columns.get(column.parentId);
    }
    return 1;
  }

  List<ColumnRec> topColumns(long boardId) {
    return columns.values().stream().filter(c -> c.boardId == boardId && c.parentId == null)
        .sorted(Comparator.comparingInt(c -> c.sortOrder)).toList();
  }

  private List<ColumnRec> children(long parentId) {
    return columns.values().stream().filter(c -> parentId == (c.parentId == null ? -1 : c.parentId))
        .sorted(Comparator.comparingInt(c -> c.sortOrder)).toList();
  }

  // ------------------------------------------------------------------------------------------------ JSON

  ObjectNode cardJson(CardRec c, CardView view) {
    ObjectNode n = Json.object();
    n.put("id", c.id);
    n.put("uid", c.uid);
    n.put("title", c.title);
    if (view != CardView.LIST) {
      n.put("description", c.description);
    }
    n.put("board_id", c.boardId);
    n.put("column_id", c.columnId);
    putNullable(n, "lane_id", c.laneId);
    putNullable(n, "type_id", c.typeId);
    n.put("owner_id", c.ownerId);
    n.put("state", state(c));
    n.put("condition", c.condition);
    n.put("archived", c.condition == 2);
    n.put("blocked", false);
    n.put("asap", c.asap);
    n.put("due_date", c.dueDate);
    n.put("sort_order", c.sortOrder);
    n.put("created", Json.time(c.created));
    n.put("updated", Json.time(c.updated));
    n.put("last_moved_at", Json.time(c.lastMovedAt));
    n.put("completed_at", Json.time(c.completedAt));
    n.put("last_moved_to_done_at", Json.time(c.lastMovedToDoneAt));
    n.set("external_id", c.externalId == null ? Json.MAPPER.nullNode() : c.externalId.deepCopy());
    n.set("properties", c.properties.deepCopy());
    n.put("comments_total", c.comments.size());
    n.put("comment_last_added_at", Json.time(c.commentLastAddedAt));
    ArrayNode tagArray = n.putArray("tags");
    ArrayNode tagIdArray = n.putArray("tag_ids");
    for (long tagId : c.tagIds) {
      tagArray.add(tagJson(tagId).put("card_id", c.id).put("tag_id", tagId));
      tagIdArray.add(tagId);
    }
    n.put("source", "api");
    n.put("version", c.version);
    if (view == CardView.FLAT) {
      n.putNull("board");
      n.putNull("column");
      n.putNull("lane");
      n.putNull("type");
      n.putNull("owner");
      n.putArray("members");
    } else if (view == CardView.FULL) {
      BoardRec board = boards.get(c.boardId);
      n.set("board", Json.object().put("id", board.id).put("title", board.title).put("space_id", board.spaceId));
      n.set("column", columnJson(columns.get(c.columnId), false));
      n.set("lane", c.laneId == null ? Json.MAPPER.nullNode() : laneJson(lanes.get(c.laneId)));
      n.set("type", c.typeId == null ? Json.MAPPER.nullNode()
          : Json.object().put("id", c.typeId).put("name", cardTypes.get(c.typeId)));
      n.set("owner", userJson(users.get(c.ownerId)));
      ArrayNode members = n.putArray("members");
      c.members.values().forEach(m -> members.add(memberJson(c.id, m)));
      n.putArray("checklists");
      n.putArray("files");
      n.putArray("external_links");
    }
    return n;
  }

  ObjectNode commentJson(CommentRec c) {
    ObjectNode n = Json.object();
    n.put("id", c.id);
    n.put("uid", c.uid);
    n.put("card_id", c.cardId);
    n.put("text", c.text);
    n.put("type", c.type);
    n.put("author_id", c.authorId);
    n.set("author", userJson(users.get(c.authorId)));
    n.put("internal", c.internal);
    n.put("deleted", c.deleted);
    n.put("edited", c.edited);
    n.put("sd_description", false);
    n.putNull("email_addresses_to");
    n.putNull("sd_external_recipients_cc");
    n.put("notification_sent", false);
    n.put("created", Json.time(c.created));
    n.put("updated", Json.time(c.updated));
    return n;
  }

  ObjectNode userJson(UserRec u) {
    ObjectNode n = Json.object();
    if (u == null) {
      return n;
    }
    n.put("id", u.id);
    n.put("uid", new UUID(0, u.id).toString());
    n.put("full_name", u.fullName);
    n.put("username", u.username);
    n.put("email", u.email);
    n.put("activated", true);
    return n;
  }

  ObjectNode memberJson(long cardId, MemberRec m) {
    ObjectNode n = userJson(users.get(m.userId));
    n.put("user_id", m.userId);
    n.put("card_id", cardId);
    n.put("type", m.type);
    return n;
  }

  ObjectNode memberRoleJson(long cardId, MemberRec m) {
    return Json.object().put("card_id", cardId).put("user_id", m.userId).put("type", m.type)
        .put("created", Json.time(m.created)).put("updated", Json.time(m.updated));
  }

  ObjectNode tagJson(long tagId) {
    // A stable colour per tag, as Kaiten assigns one.
    return Json.object().put("id", tagId).put("name", tags.get(tagId)).put("color", (int) (tagId % 16) + 1);
  }

  ObjectNode cardTagJson(long cardId, long tagId) {
    return Json.object().put("id", cardId * 1000 + tagId).put("name", tags.get(tagId))
        .put("color", (int) (tagId % 16) + 1).put("card_id", cardId).put("tag_id", tagId);
  }

  ObjectNode webhookJson(WebhookRec w) {
    return Json.object().put("id", w.id).put("space_id", w.spaceId).put("url", w.url).put("enabled", w.enabled)
        .put("created", Json.time(w.created)).put("updated", Json.time(w.updated));
  }

  private ObjectNode boardJson(BoardRec b, boolean withColumnsAndLanes) {
    ObjectNode n = Json.object().put("id", b.id).put("title", b.title).put("space_id", b.spaceId);
    if (withColumnsAndLanes) {
      ArrayNode cols = n.putArray("columns");
      topColumns(b.id).forEach(c -> cols.add(columnJson(c, true)));
      ArrayNode ls = n.putArray("lanes");
      lanes.values().stream().filter(l -> l.boardId == b.id).forEach(l -> ls.add(laneJson(l)));
    }
    return n;
  }

  private ObjectNode columnJson(ColumnRec c, boolean withSubcolumns) {
    ObjectNode n = Json.object().put("id", c.id).put("title", c.title).put("board_id", c.boardId)
        .put("sort_order", c.sortOrder);
    if (c.type != 0) {
      n.put("type", c.type);
    } else {
      n.putNull("type");
    }
    putNullable(n, "column_id", c.parentId);
    if (withSubcolumns) {
      ArrayNode subs = n.putArray("subcolumns");
      children(c.id).forEach(s -> subs.add(columnJson(s, true)));
    }
    return n;
  }

  private static ObjectNode laneJson(LaneRec l) {
    ObjectNode n = Json.object().put("id", l.id).put("title", l.title).put("board_id", l.boardId);
    putNullable(n, "default_card_type_id", l.defaultCardTypeId);
    return n;
  }

  private static void putNullable(ObjectNode n, String field, Long value) {
    if (value == null) {
      n.putNull(field);
    } else {
      n.put(field, value);
    }
  }

  // ------------------------------------------------------------------------------------------------ validation

  private BoardRec board(long boardId) {
    BoardRec b = boards.get(boardId);
    requireFound(b != null);
    return b;
  }

  private long columnOf(long boardId, long columnId) {
    ColumnRec c = columns.get(columnId);
    if (c == null || c.boardId != boardId) {
      throw ApiError.badRequest("column_id: column " + columnId + " not found on board " + boardId);
    }
    return columnId;
  }

  private long laneOf(long boardId, long laneId) {
    LaneRec l = lanes.get(laneId);
    if (l == null || l.boardId != boardId) {
      throw ApiError.badRequest("lane_id: lane " + laneId + " not found on board " + boardId);
    }
    return laneId;
  }

  private long cardTypeOf(long typeId) {
    if (!cardTypes.containsKey(typeId)) {
      throw ApiError.badRequest("type_id: card type " + typeId + " not found");
    }
    return typeId;
  }

  private long userOf(long userId) {
    if (!users.containsKey(userId)) {
      throw ApiError.badRequest("user " + userId + " not found");
    }
    return userId;
  }

  private static String title(JsonNode title, boolean required) {
    if (title == null || title.isNull()) {
      if (required) {
        throw ApiError.badRequest("title is required");
      }
      return null;
    }
    if (!title.isTextual() || title.asText().isBlank()) {
      throw ApiError.badRequest("title must be a non-empty string");
    }
    if (title.asText().length() > MAX_TITLE) {
      throw ApiError.badRequest("title must be at most " + MAX_TITLE + " characters");
    }
    return title.asText();
  }

  private static String description(JsonNode description) {
    if (description == null || description.isNull()) {
      return null;
    }
    if (!description.isTextual()) {
      throw ApiError.badRequest("description must be a string");
    }
    if (description.asText().length() > MAX_DESCRIPTION) {
      throw ApiError.badRequest("description must be at most " + MAX_DESCRIPTION + " characters");
    }
    return description.asText();
  }

  private static JsonNode externalId(JsonNode value) {
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isTextual() && !value.isNumber()) {
      throw ApiError.badRequest("external_id must be a string or a number");
    }
    if (value.asText().length() > MAX_EXTERNAL_ID) {
      throw ApiError.badRequest("external_id must be at most " + MAX_EXTERNAL_ID + " characters");
    }
    return value.deepCopy();
  }

  private void checkProperties(JsonNode properties) {
    if (!properties.isObject()) {
      throw ApiError.badRequest("properties must be an object");
    }
    for (Iterator<String> it = properties.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      var m = PROPERTY_KEY.matcher(key);
      if (!m.matches() || !customProperties.containsKey(Long.parseLong(m.group(1)))) {
        throw ApiError.badRequest("properties: unknown custom property " + key);
      }
    }
  }

  private void mergeProperties(CardRec card, JsonNode properties) {
    checkProperties(properties);
    for (Iterator<Map.Entry<String, JsonNode>> it = properties.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (e.getValue().isNull()) {
        card.properties.remove(e.getKey());
      } else {
        card.properties.set(e.getKey(), e.getValue().deepCopy());
      }
    }
  }

  private static long integer(JsonNode body, String field) {
    JsonNode v = body.get(field);
    if (v == null || !v.isIntegralNumber() || !v.canConvertToLong()) {
      throw ApiError.badRequest(field + " must be an integer");
    }
    return v.asLong();
  }

  private static void requireObjectBody(JsonNode body) {
    if (body == null || !body.isObject()) {
      throw ApiError.badRequest("request body must be a JSON object");
    }
  }

  private static void requireFound(boolean found) {
    if (!found) {
      throw ApiError.notFound();
    }
  }
}
