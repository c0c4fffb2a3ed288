package dev.tgsupport.kaiten;

import static dev.tgsupport.core.InvalidInputException.check;
import static dev.tgsupport.core.InvalidInputException.requireNonBlank;
import static dev.tgsupport.core.InvalidInputException.requireNonNull;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code POST /cards} creates, plus the tags added right after it (the endpoint has no tags field).
 *
 * @param title required, at most 1024 characters
 * @param boardId required
 * @param columnId nullable: Kaiten then uses the board's first column
 * @param laneId nullable
 * @param typeId nullable
 * @param description Markdown, at most 32768 characters; nullable
 * @param externalId the idempotency key, filterable with {@code GET /cards?external_id=}; at most 1024 characters;
 *     nullable
 * @param properties custom property values by property id, sent as {@code properties.id_<N>}; a value may be null,
 *     a number, a string, a list or a map
 * @param tags tag names, 1 to 128 characters each
 */
record NewCard(
    String title,
    long boardId,
    Long columnId,
    Long laneId,
    Long typeId,
    String description,
    String externalId,
    Map<Long, Object> properties,
    List<String> tags) {

  static final int MAX_TITLE = 1024;
  static final int MAX_DESCRIPTION = 32768;
  static final int MAX_EXTERNAL_ID = 1024;

  NewCard {
    requireNonBlank(title, "card.title");
    check(title.length() <= MAX_TITLE, "card.title", "must be at most " + MAX_TITLE + " characters", title);
    check(boardId > 0, "card.boardId", "must be > 0", boardId);
    check(columnId == null || columnId > 0, "card.columnId", "must be > 0", columnId);
    check(laneId == null || laneId > 0, "card.laneId", "must be > 0", laneId);
    check(typeId == null || typeId > 0, "card.typeId", "must be > 0", typeId);
    check(description == null || description.length() <= MAX_DESCRIPTION, "card.description",
        "must be at most " + MAX_DESCRIPTION + " characters", description);
    check(externalId == null || (!externalId.isBlank() && externalId.length() <= MAX_EXTERNAL_ID),
        "card.externalId", "must be 1 to " + MAX_EXTERNAL_ID + " characters", externalId);
    requireNonNull(properties, "card.properties");
    properties.keySet().forEach(id -> check(id != null && id > 0, "card.properties", "keys must be > 0", id));
    // Values may be null (to clear a property), so Map.copyOf would not do.
    properties = Collections.unmodifiableMap(new LinkedHashMap<>(properties));
    requireNonNull(tags, "card.tags");
    tags.forEach(tag -> check(tag != null && !tag.isBlank() && tag.length() <= KaitenConfig.MAX_TAG_LENGTH,
        "card.tags", "must hold names of 1 to " + KaitenConfig.MAX_TAG_LENGTH + " characters", tag));
    tags = List.copyOf(tags);
  }

  /** A card with only the required fields. */
  static NewCard of(String title, long boardId) {
    return new NewCard(title, boardId, null, null, null, null, null, Map.of(), List.of());
  }

  NewCard withColumn(Long columnId) {
    return new NewCard(title, boardId, columnId, laneId, typeId, description, externalId, properties, tags);
  }

  NewCard withLane(Long laneId) {
    return new NewCard(title, boardId, columnId, laneId, typeId, description, externalId, properties, tags);
  }

  NewCard withType(Long typeId) {
    return new NewCard(title, boardId, columnId, laneId, typeId, description, externalId, properties, tags);
  }

  NewCard withDescription(String description) {
    return new NewCard(title, boardId, columnId, laneId, typeId, description, externalId, properties, tags);
  }

  NewCard withExternalId(String externalId) {
    return new NewCard(title, boardId, columnId, laneId, typeId, description, externalId, properties, tags);
  }

  NewCard withProperty(long propertyId, Object value) {
    Map<Long, Object> copy = new LinkedHashMap<>(properties);
    copy.put(propertyId, value);
    return new NewCard(title, boardId, columnId, laneId, typeId, description, externalId, copy, tags);
  }

  NewCard withTags(List<String> tags) {
    return new NewCard(title, boardId, columnId, laneId, typeId, description, externalId, properties,
        new ArrayList<>(tags));
  }
}
