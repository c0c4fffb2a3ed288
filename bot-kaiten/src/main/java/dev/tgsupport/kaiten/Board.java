package dev.tgsupport.kaiten;

/**
 * A board.
 *
 * @param id the board id
 * @param title never null
 * @param spaceId the space whose external webhook reports the board's changes; 0 when Kaiten did not say
 */
record Board(long id, String title, long spaceId) {
  Board {
    title = title == null ? "" : title;
  }
}
