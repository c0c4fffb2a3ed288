package dev.tgsupport.core.port;

import java.time.Instant;
import java.util.List;

/**
 * Telegram updates the SDK could not use (an unknown type, or one that failed to parse), kept verbatim so nothing a
 * user sent is silently lost and a later version can replay them. Unique on the update id: saving the same update
 * twice keeps the first.
 */
public interface UpdateStore {

  /**
   * An update kept verbatim.
   *
   * @param error why it was skipped; nullable
   * @param receivedAt when the storage kept it (its clock, or the database's)
   */
  record RawUpdate(long updateId, String kind, String payload, String error, Instant receivedAt) {}

  /**
   * Keeps an update verbatim.
   *
   * @param updateId Telegram's update id
   * @param kind the update's payload field (for example {@code message_reaction}), or {@code unparsable}
   * @param payload the JSON exactly as received; NUL characters are stripped (PostgreSQL text cannot hold them,
   *     and every storage strips them alike so an update reads back the same everywhere)
   * @param error why it was skipped; nullable
   * @return true when stored now, false when this update id was already kept
   * @throws dev.tgsupport.core.InvalidInputException for a blank kind or a null payload
   */
  boolean saveRaw(long updateId, String kind, String payload, String error);

  /** The most recent {@code limit} raw updates, newest first (by when they were kept, then by update id). */
  List<RawUpdate> listRaw(int limit);
}
