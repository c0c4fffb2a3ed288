package dev.tgsupport.kaiten;

import static dev.tgsupport.core.InvalidInputException.check;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The fields {@code PATCH /cards/{id}} changes; null means "leave as is". Moving is a change of column (with lane
 * and board for cross-lane or cross-board moves).
 *
 * @param title nullable
 * @param description nullable
 * @param boardId nullable
 * @param columnId nullable
 * @param laneId nullable
 * @param condition 1 live, 2 archived; nullable
 * @param externalId nullable
 * @param properties values by custom property id; empty for none
 */
record CardUpdate(
    String title,
    String description,
    Long boardId,
    Long columnId,
    Long laneId,
    Integer condition,
    String externalId,
    Map<Long, Object> properties) {

  CardUpdate {
    check(title == null || (!title.isBlank() && title.length() <= NewCard.MAX_TITLE), "card.title",
        "must be 1 to " + NewCard.MAX_TITLE + " characters", title);
    check(description == null || description.length() <= NewCard.MAX_DESCRIPTION, "card.description",
        "must be at most " + NewCard.MAX_DESCRIPTION + " characters", description);
    check(boardId == null || boardId > 0, "card.boardId", "must be > 0", boardId);
    check(columnId == null || columnId > 0, "card.columnId", "must be > 0", columnId);
    check(laneId == null || laneId > 0, "card.laneId", "must be > 0", laneId);
    check(condition == null || condition == 1 || condition == 2, "card.condition", "must be 1 or 2", condition);
    check(externalId == null || (!externalId.isBlank() && externalId.length() <= NewCard.MAX_EXTERNAL_ID),
        "card.externalId", "must be 1 to " + NewCard.MAX_EXTERNAL_ID + " characters", externalId);
    properties = properties == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(properties));
    check(title != null || description != null || boardId != null || columnId != null || laneId != null
        || condition != null || externalId != null || !properties.isEmpty(), "card.update",
        "must change at least one field", "nothing");
  }

  /** Moves the card to a column of its board. */
  static CardUpdate move(long columnId) {
    return new CardUpdate(null, null, null, columnId, null, null, null, Map.of());
  }

  /** Moves the card to a column and lane of its board. */
  static CardUpdate move(long columnId, long laneId) {
    return new CardUpdate(null, null, null, columnId, laneId, null, null, Map.of());
  }

  static CardUpdate title(String title) {
    return new CardUpdate(title, null, null, null, null, null, null, Map.of());
  }

  static CardUpdate description(String description) {
    return new CardUpdate(null, description, null, null, null, null, null, Map.of());
  }

  boolean moves() {
    return boardId != null || columnId != null || laneId != null;
  }
}
