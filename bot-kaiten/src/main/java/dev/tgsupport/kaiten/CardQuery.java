package dev.tgsupport.kaiten;

import static dev.tgsupport.core.InvalidInputException.check;

import java.time.Instant;
import java.util.List;

/**
 * Filters of {@code GET /cards}; null means "no filter". The listing pages through {@code pageSize} cards at a time.
 *
 * @param boardId nullable
 * @param columnId nullable
 * @param laneId nullable
 * @param externalId exact match on our idempotency key; nullable
 * @param updatedAfter only cards changed after this instant, oldest change first; nullable
 * @param states card states (1, 2, 3); empty for all
 * @param withDescription ask for {@code description}, which {@code GET /cards} leaves out by default
 * @param liveOnly only live cards ({@code condition=1}): whether Kaiten lists archived cards without the filter is
 *     not documented
 * @param pageSize 1 to 100 (Kaiten's maximum)
 */
record CardQuery(
    Long boardId,
    Long columnId,
    Long laneId,
    String externalId,
    Instant updatedAfter,
    List<Integer> states,
    boolean withDescription,
    boolean liveOnly,
    int pageSize) {

  static final int MAX_PAGE_SIZE = 100;

  CardQuery {
    check(boardId == null || boardId > 0, "query.boardId", "must be > 0", boardId);
    check(columnId == null || columnId > 0, "query.columnId", "must be > 0", columnId);
    check(laneId == null || laneId > 0, "query.laneId", "must be > 0", laneId);
    check(externalId == null || !externalId.isBlank(), "query.externalId", "must not be blank", externalId);
    states = states == null ? List.of() : List.copyOf(states);
    states.forEach(s -> check(s >= 1 && s <= 3, "query.states", "must hold 1, 2 or 3", s));
    check(pageSize >= 1 && pageSize <= MAX_PAGE_SIZE, "query.pageSize", "must be 1..100", pageSize);
  }

  /** Every card, 100 per page. */
  static CardQuery all() {
    return new CardQuery(null, null, null, null, null, List.of(), false, false, MAX_PAGE_SIZE);
  }

  static CardQuery board(long boardId) {
    return all().withBoard(boardId);
  }

  static CardQuery externalId(String externalId) {
    return new CardQuery(null, null, null, externalId, null, List.of(), false, false, MAX_PAGE_SIZE);
  }

  CardQuery withBoard(Long boardId) {
    return new CardQuery(boardId, columnId, laneId, externalId, updatedAfter, states, withDescription, liveOnly,
        pageSize);
  }

  CardQuery withColumn(Long columnId) {
    return new CardQuery(boardId, columnId, laneId, externalId, updatedAfter, states, withDescription, liveOnly,
        pageSize);
  }

  CardQuery withUpdatedAfter(Instant updatedAfter) {
    return new CardQuery(boardId, columnId, laneId, externalId, updatedAfter, states, withDescription, liveOnly,
        pageSize);
  }

  CardQuery withStates(List<Integer> states) {
    return new CardQuery(boardId, columnId, laneId, externalId, updatedAfter, states, withDescription, liveOnly,
        pageSize);
  }

  CardQuery includingDescription() {
    return new CardQuery(boardId, columnId, laneId, externalId, updatedAfter, states, true, liveOnly, pageSize);
  }

  /** Only live cards: neither archived nor deleted. */
  CardQuery onlyLive() {
    return new CardQuery(boardId, columnId, laneId, externalId, updatedAfter, states, withDescription, true, pageSize);
  }

  CardQuery withPageSize(int pageSize) {
    return new CardQuery(boardId, columnId, laneId, externalId, updatedAfter, states, withDescription, liveOnly,
        pageSize);
  }
}
