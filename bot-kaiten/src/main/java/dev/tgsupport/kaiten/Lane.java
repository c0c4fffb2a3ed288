package dev.tgsupport.kaiten;

/**
 * A lane (swimlane) of a board.
 *
 * @param id the lane id
 * @param boardId 0 when Kaiten did not say
 * @param title never null
 * @param defaultCardTypeId nullable
 */
record Lane(long id, long boardId, String title, Long defaultCardTypeId) {
  Lane {
    title = title == null ? "" : title;
  }
}
