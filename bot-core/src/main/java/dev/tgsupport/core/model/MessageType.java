package dev.tgsupport.core.model;

import java.util.Locale;

/** What an incoming message carries. Captions of media count as the message text. */
public enum MessageType {
  TEXT,
  VOICE,
  PHOTO,
  DOCUMENT,
  STICKER,
  VIDEO,
  /** A GIF or soundless video; Telegram also sets {@code document} on these. */
  ANIMATION,
  CONTACT,
  LOCATION,
  OTHER;

  /** The lower-case spelling used in storage and JSON. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
