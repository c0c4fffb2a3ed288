package dev.tgsupport.kaiten;

/**
 * A column or sub-column of a board.
 *
 * @param id the column id
 * @param boardId the board; 0 when Kaiten did not say
 * @param parentId the parent column of a sub-column; null for a top-level column
 * @param title localized and renamable: never match on it
 * @param type 1 queue, 2 in progress, 3 done; 0 when absent
 */
record Column(long id, long boardId, Long parentId, String title, int type) {

  static final int TYPE_QUEUE = 1;
  static final int TYPE_IN_PROGRESS = 2;
  static final int TYPE_DONE = 3;

  Column {
    title = title == null ? "" : title;
  }

  boolean isSubColumn() {
    return parentId != null;
  }
}
