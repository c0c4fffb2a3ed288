package dev.tgsupport.core.model;

import java.util.Locale;

/** What a ticket event records. */
public enum TicketEventKind {
  STATUS,
  COMMENT,
  ASSIGNMENT;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
