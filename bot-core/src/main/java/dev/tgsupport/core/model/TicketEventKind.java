package dev.tgsupport.core.model;

import java.util.Locale;

/** What a ticket event records. */
public enum TicketEventKind {
  STATUS,
  COMMENT,
  ASSIGNMENT,
  /** The user edited the message the ticket was opened for; the body is the new text. */
  EDIT;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
