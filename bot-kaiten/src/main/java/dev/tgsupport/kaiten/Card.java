package dev.tgsupport.kaiten;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A Kaiten card as the bridge reads it. Kaiten sends many more fields; only these are kept.
 *
 * @param id the card id
 * @param title never null
 * @param description Markdown; null when Kaiten left it out ({@code GET /cards} without
 *     {@code additional_card_fields=description}) or sent null
 * @param boardId the board
 * @param columnId the column or sub-column
 * @param laneId nullable
 * @param typeId nullable
 * @param state 1 queued, 2 in progress, 3 done; derived by Kaiten from the column type; 0 when absent
 * @param condition 1 live, 2 archived, 3 deleted; 0 when absent
 * @param externalId our idempotency key; nullable; numeric values are given as text
 * @param properties custom properties by key ({@code id_15}), as Kaiten sent them
 * @param commentsTotal how many comments the card has, for change detection
 * @param commentLastAddedAt nullable
 * @param created nullable when absent
 * @param updated bumped by any edit, moves included; nullable when absent
 * @param lastMovedToDoneAt nullable
 * @param completedAt nullable
 * @param tags the card's tags; empty when not sent
 */
record Card(
    long id,
    String title,
    String description,
    long boardId,
    long columnId,
    Long laneId,
    Long typeId,
    int state,
    int condition,
    String externalId,
    Map<String, JsonNode> properties,
    int commentsTotal,
    Instant commentLastAddedAt,
    Instant created,
    Instant updated,
    Instant lastMovedToDoneAt,
    Instant completedAt,
    List<Tag> tags) {

  static final int STATE_DONE = 3;
  static final int CONDITION_ARCHIVED = 2;
  static final int CONDITION_DELETED = 3;

  Card {
    title = title == null ? "" : title;
    properties = Map.copyOf(properties);
    tags = List.copyOf(tags);
  }

  /** True when Kaiten itself says the card is done; {@link BoardColumns#isDone} also checks the column type. */
  boolean stateDone() {
    return state == STATE_DONE;
  }

  Card withTags(List<Tag> tags) {
    return new Card(id, title, description, boardId, columnId, laneId, typeId, state, condition, externalId,
        properties, commentsTotal, commentLastAddedAt, created, updated, lastMovedToDoneAt, completedAt, tags);
  }

  boolean archived() {
    return condition == CONDITION_ARCHIVED;
  }

  /** Archived, or deleted as the update docs call condition 3 (a deleted card normally answers 404 instead). */
  boolean removed() {
    return condition == CONDITION_ARCHIVED || condition == CONDITION_DELETED;
  }
}
