package dev.tgsupport.core.port;

import dev.tgsupport.core.model.SpamSample;
import java.time.Instant;
import java.util.List;

/** The spam and ham samples staff taught; the spam detector learns from them together with its sample files. */
public interface SpamSampleStore {
  /**
   * Stores a sample. A sample of the same kind already taken from the same message is returned instead of adding
   * a second one, so teaching twice (or a redelivered command) changes nothing.
   */
  SpamSample add(SpamSample.Draft draft, Instant at);

  /** Removes the samples of {@code kind} taken from the message; returns how many there were. */
  int removeForMessage(long chatId, long telegramMessageId, SpamSample.Kind kind);

  /** The samples of {@code kind}, oldest first. */
  List<SpamSample> list(SpamSample.Kind kind);
}
