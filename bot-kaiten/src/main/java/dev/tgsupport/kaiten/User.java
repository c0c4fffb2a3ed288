package dev.tgsupport.kaiten;

/**
 * A Kaiten user.
 *
 * @param id the user id
 * @param fullName never null
 * @param username never null
 * @param email nullable
 */
record User(long id, String fullName, String username, String email) {
  User {
    fullName = fullName == null ? "" : fullName;
    username = username == null ? "" : username;
  }

  /** The full name, else the username, else {@code "user <id>"}: how to sign a relayed reply. */
  String displayName() {
    if (!fullName.isBlank()) {
      return fullName;
    }
    return username.isBlank() ? "user " + id : username;
  }
}
