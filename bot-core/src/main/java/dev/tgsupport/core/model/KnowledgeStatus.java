package dev.tgsupport.core.model;

import java.util.Locale;

/** Lifecycle of a knowledge entry: only {@code VALIDATED} entries answer users. */
public enum KnowledgeStatus {
  DRAFT,
  VALIDATED,
  ARCHIVED;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
