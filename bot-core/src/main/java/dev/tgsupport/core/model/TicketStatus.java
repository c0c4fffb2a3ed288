package dev.tgsupport.core.model;

import java.util.Locale;

/** Where a ticket stands. Open and in-progress tickets are active; resolved and closed ones are not. */
public enum TicketStatus {
  OPEN,
  IN_PROGRESS,
  RESOLVED,
  CLOSED;

  public boolean isActive() {
    return this == OPEN || this == IN_PROGRESS;
  }

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
