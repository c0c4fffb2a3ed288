package dev.tgsupport.core.model;

import java.util.Locale;

/** Whether a stored message came from a user ({@code IN}) or was sent by the bot ({@code OUT}). */
public enum Direction {
  IN,
  OUT;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
