package dev.tgsupport.kaiten;

/**
 * A company tag.
 *
 * @param id the company tag id
 * @param name never null
 */
record Tag(long id, String name) {
  Tag {
    name = name == null ? "" : name;
  }
}
