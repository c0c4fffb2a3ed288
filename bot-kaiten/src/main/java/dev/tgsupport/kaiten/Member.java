package dev.tgsupport.kaiten;

/**
 * A member of a card.
 *
 * @param user the user
 * @param type 1 member, 2 responsible
 */
record Member(User user, int type) {
  static final int TYPE_RESPONSIBLE = 2;

  boolean responsible() {
    return type == TYPE_RESPONSIBLE;
  }
}
