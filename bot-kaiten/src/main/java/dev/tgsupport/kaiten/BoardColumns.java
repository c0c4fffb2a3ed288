package dev.tgsupport.kaiten;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The columns of one board with sub-columns flattened in, which is what the "is this card done?" check needs.
 *
 * @param boardId the board
 * @param columns every column and sub-column, parents before their children, in Kaiten's order
 */
record BoardColumns(long boardId, List<Column> columns) {

  BoardColumns {
    columns = List.copyOf(columns);
  }

  Optional<Column> find(long columnId) {
    for (Column column : columns) {
      if (column.id() == columnId) {
        return Optional.of(column);
      }
    }
    return Optional.empty();
  }

  /**
   * Whether a column counts as done: its own type is 3, or it sits (at any depth) under a column of type 3. Kaiten
   * may leave a sub-column's own type unset or copy the parent's; either way a sub-column of a done column is done.
   */
  boolean isDoneColumn(long columnId) {
    Map<Long, Column> byId = byId();
    Column column = byId.get(columnId);
    for (int depth = 0; column != null && depth < 16; depth++) {
      if (column.type() == Column.TYPE_DONE) {
        return true;
      }
      column = column.parentId() == null ? null : byId.get(column.parentId());
    }
    return false;
  }

  /**
   * The card is done when its column is a done column or Kaiten's own state says so. The column type is the robust
   * signal (states are derived from it, and titles are localized); the state covers a column not cached yet.
   */
  boolean isDone(Card card) {
    return isDoneColumn(card.columnId()) || card.stateDone();
  }

  /** Top-level columns of type 3, in board order; a board may have several. */
  List<Column> doneColumns() {
    return columns.stream().filter(c -> !c.isSubColumn() && c.type() == Column.TYPE_DONE).toList();
  }

  private Map<Long, Column> byId() {
    Map<Long, Column> map = new LinkedHashMap<>();
    columns.forEach(c -> map.put(c.id(), c));
    return map;
  }
}
