package dev.tgsupport.core.model;

import java.util.Locale;

/** Where a knowledge entry came from. */
public enum KnowledgeSource {
  /** Typed or imported by staff. */
  MANUAL,
  /** Imported from documentation. */
  DOCS,
  /** Drafted from a resolved ticket in the tracker. */
  KAITEN;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
