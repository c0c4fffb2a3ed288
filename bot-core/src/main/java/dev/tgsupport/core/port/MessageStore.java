package dev.tgsupport.core.port;

import dev.tgsupport.core.model.Direction;
import dev.tgsupport.core.model.IncomingMessage;
import dev.tgsupport.core.model.Intent;
import dev.tgsupport.core.model.OutgoingMessage;
import dev.tgsupport.core.model.SentMessage;
import dev.tgsupport.core.model.StoredMessage;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Messages, unique on (chat id, Telegram message id, direction): storing the same message twice is a no-op that
 * returns the stored one. The chat and the user must have been stored first.
 *
 * <p>Deleted messages are soft-deleted: every query hides them, and recording the same key again is a no-op that
 * returns the deleted row with {@code created == false} (so a redelivered update never resurrects it).
 */
public interface MessageStore {
  /** What {@link #recordIncoming} did: {@code created} is false when the message was already stored. */
  record Recorded(StoredMessage message, boolean created) {}

  Recorded recordIncoming(IncomingMessage message);

  /**
   * Stores a message the bot sent, under {@code sent.chatId()} (Telegram's answer wins over the request, e.g. after a
   * chat migration); idempotent like {@link #recordIncoming}.
   */
  StoredMessage recordOutgoing(OutgoingMessage message, SentMessage sent);

  Optional<StoredMessage> find(long chatId, long telegramMessageId, Direction direction);

  Optional<StoredMessage> findById(long id);

  /**
   * @param reason why, not blank
   * @throws dev.tgsupport.core.NotFoundException for an unknown id
   */
  void markNoise(long id, String reason);

  /**
   * Undoes {@link #markNoise}: the message is no longer noise (staff said a message judged spam is not).
   *
   * @throws dev.tgsupport.core.NotFoundException for an unknown id
   */
  void clearNoise(long id);

  /** @throws dev.tgsupport.core.NotFoundException for an unknown id */
  void setIntent(long id, Intent intent);

  /** Records that the pipeline finished with the message. @throws dev.tgsupport.core.NotFoundException */
  void markHandled(long id, Instant at);

  /**
   * The pipeline's last write for a message, in one step: its noise reason (when it is noise), its intent (when one
   * was found) and the time it was handled. The default calls {@link #markNoise}, {@link #setIntent} and
   * {@link #markHandled}; a store backed by a database does it in one statement, since every message ends here.
   *
   * @param noiseReason the reason it is noise, or null to leave the noise mark as it is
   * @param intent the intent found, or null to leave the stored one as it is
   * @throws dev.tgsupport.core.NotFoundException for an unknown id (nothing is changed then)
   * @throws dev.tgsupport.core.InvalidInputException for a blank {@code noiseReason} or a null {@code at}
   */
  default void markHandled(long id, String noiseReason, Intent intent, Instant at) {
    if (noiseReason != null) {
      markNoise(id, noiseReason);
    }
    if (intent != null) {
      setIntent(id, intent);
    }
    markHandled(id, at);
  }

  /**
   * The newest {@code limit} messages of a chat, newest first, including those of chats that migrated into it
   * (see {@link ChatStore#migrate}).
   */
  List<StoredMessage> listByChat(long chatId, int limit);

  /**
   * Full-text search with Russian and English stemming: messages containing every word of {@code query} (in any
   * grammatical form), most relevant first.
   */
  List<StoredMessage> search(String query, int limit);

  /** Adds a tag to a message (no-op when it has it). @throws dev.tgsupport.core.NotFoundException */
  void tag(long id, String tag);

  /** Messages carrying the tag, newest first. */
  List<StoredMessage> findByTag(String tag, int limit);

  /** Soft-deletes a message. @throws dev.tgsupport.core.NotFoundException for an unknown or deleted id */
  void delete(long id);

  /**
   * Replaces the text of an incoming message the user edited (and its type and attachment, which an edit can change
   * too). Outgoing messages are never touched.
   *
   * @param edited the new version, keyed by its chat id and Telegram message id
   * @return the updated message, or empty when no such incoming message is stored (or it was deleted)
   */
  Optional<StoredMessage> updateIncoming(IncomingMessage edited);

  /**
   * Incoming messages recorded but never handled (a crash between storing and answering), oldest first: neither
   * handled, nor deleted, recorded at or after {@code since}.
   */
  List<StoredMessage> listUnhandled(Instant since, int limit);
}
