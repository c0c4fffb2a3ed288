package dev.tgsupport.storage.mybatis;

import dev.tgsupport.core.model.Direction;
import dev.tgsupport.core.model.MessageType;
import java.time.Instant;
import java.util.List;
import org.apache.ibatis.annotations.Param;
import org.apache.ibatis.annotations.Select;
import org.apache.ibatis.annotations.Update;

interface MessageMapper {
  String COLUMNS = "id, chat_id, user_id, telegram_message_id, direction, thread_id, reply_to_message_id,"
      + " message_type, text, sent_at, noise_reason, intent, confidence, handled_at, attachment_type,"
      + " attachment_file_id, attachment_file_unique_id, attachment_file_name, attachment_mime_type,"
      + " attachment_file_size";

  /** Returns the new row, or null when the message was already stored: one round trip for the common case. */
  @Select("INSERT INTO messages (chat_id, telegram_message_id, direction, user_id, thread_id, reply_to_message_id,"
      + " message_type, text, stripped_nul_count, sent_at, attachment_type, attachment_file_id,"
      + " attachment_file_unique_id, attachment_file_name, attachment_mime_type, attachment_file_size)"
      + " VALUES (#{chatId}, #{telegramMessageId}, #{direction}, #{userId}, #{threadId}, #{replyToMessageId},"
      + " #{type}, #{text}, #{strippedNuls}, #{sentAt}, #{a.type}, #{a.fileId}, #{a.fileUniqueId}, #{a.fileName},"
      + " #{a.mimeType}, #{a.fileSize})"
      + " ON CONFLICT ON CONSTRAINT messages_key DO NOTHING RETURNING " + COLUMNS)
  MessageRow insert(
      @Param("chatId") long chatId,
      @Param("telegramMessageId") long telegramMessageId,
      @Param("direction") Direction direction,
      @Param("userId") Long userId,
      @Param("threadId") Long threadId,
      @Param("replyToMessageId") Long replyToMessageId,
      @Param("type") MessageType type,
      @Param("text") String text,
      @Param("strippedNuls") int strippedNuls,
      @Param("sentAt") Instant sentAt,
      @Param("a") AttachmentColumns attachment);

  /**
   * A user's edit of an incoming message: content only (the tsvector column follows, being generated). Returns the
   * updated row, or null when no live incoming message has the key.
   */
  @Select("UPDATE messages SET message_type = #{type}, text = #{text}, stripped_nul_count = #{strippedNuls},"
      + " attachment_type = #{a.type}, attachment_file_id = #{a.fileId},"
      + " attachment_file_unique_id = #{a.fileUniqueId}, attachment_file_name = #{a.fileName},"
      + " attachment_mime_type = #{a.mimeType}, attachment_file_size = #{a.fileSize}, edited_at = #{editedAt}"
      + " WHERE chat_id = #{chatId} AND telegram_message_id = #{telegramMessageId} AND direction = 'in'"
      + " AND deleted_at IS NULL RETURNING " + COLUMNS)
  MessageRow updateIncoming(
      @Param("chatId") long chatId,
      @Param("telegramMessageId") long telegramMessageId,
      @Param("type") MessageType type,
      @Param("text") String text,
      @Param("strippedNuls") int strippedNuls,
      @Param("a") AttachmentColumns attachment,
      @Param("editedAt") Instant editedAt);

  // The predicates are literals, not parameters, so that even a generic plan can use the partial index
  // messages_unhandled, whose WHERE clause they repeat.
  @Select("SELECT " + COLUMNS + " FROM messages WHERE direction = 'in' AND handled_at IS NULL AND deleted_at IS NULL"
      + " AND created_at >= #{since} ORDER BY created_at, id LIMIT #{limit}")
  List<MessageRow> listUnhandled(@Param("since") Instant since, @Param("limit") int limit);

  @Select("SELECT " + COLUMNS + " FROM messages WHERE chat_id = #{chatId}"
      + " AND telegram_message_id = #{telegramMessageId} AND direction = #{direction} AND deleted_at IS NULL")
  MessageRow findByKey(
      @Param("chatId") long chatId,
      @Param("telegramMessageId") long telegramMessageId,
      @Param("direction") Direction direction);

  @Select("SELECT " + COLUMNS + " FROM messages WHERE id = #{id} AND deleted_at IS NULL")
  MessageRow findById(@Param("id") long id);

  /** Also a soft-deleted row: recording its key again must return it rather than resurrect it. */
  @Select("SELECT " + COLUMNS + " FROM messages WHERE chat_id = #{chatId}"
      + " AND telegram_message_id = #{telegramMessageId} AND direction = #{direction}")
  MessageRow findByKeyIncludingDeleted(
      @Param("chatId") long chatId,
      @Param("telegramMessageId") long telegramMessageId,
      @Param("direction") Direction direction);

  @Update("UPDATE messages SET is_noise = TRUE, noise_reason = #{reason} WHERE id = #{id} AND deleted_at IS NULL")
  int markNoise(@Param("id") long id, @Param("reason") String reason);

  @Update("UPDATE messages SET is_noise = FALSE, noise_reason = NULL WHERE id = #{id} AND deleted_at IS NULL")
  int clearNoise(@Param("id") long id);

  @Update("UPDATE messages SET intent = #{intent}, confidence = #{confidence} WHERE id = #{id} AND deleted_at IS NULL")
  int setIntent(@Param("id") long id, @Param("intent") String intent, @Param("confidence") double confidence);

  @Update("UPDATE messages SET handled_at = #{at} WHERE id = #{id} AND deleted_at IS NULL")
  int markHandled(@Param("id") long id, @Param("at") Instant at);

  /** The verdicts and the handled time in one statement; a null reason or intent leaves that column as it is. */
  @Update("UPDATE messages SET handled_at = #{at},"
      + " is_noise = CASE WHEN CAST(#{reason} AS text) IS NULL THEN is_noise ELSE TRUE END,"
      + " noise_reason = COALESCE(CAST(#{reason} AS text), noise_reason),"
      + " intent = COALESCE(CAST(#{intent} AS text), intent),"
      + " confidence = CASE WHEN CAST(#{intent} AS text) IS NULL THEN confidence"
      + " ELSE CAST(#{confidence} AS double precision) END"
      + " WHERE id = #{id} AND deleted_at IS NULL")
  int markHandledWithVerdicts(
      @Param("id") long id,
      @Param("reason") String reason,
      @Param("intent") String intent,
      @Param("confidence") Double confidence,
      @Param("at") Instant at);

  // History of a chat includes the chats that migrated into it (group → supergroup).
  // Each chat's newest rows come from messages_chat_time under their own LIMIT, so a chat with a long history costs
  // no more than a new one (an IN over the chats read every row of them and sorted).
  @Select("SELECT m.* FROM (SELECT #{chatId}::bigint AS id UNION SELECT id FROM chats WHERE migrated_to = #{chatId}) c"
      + " CROSS JOIN LATERAL (SELECT " + COLUMNS + " FROM messages WHERE chat_id = c.id AND deleted_at IS NULL"
      + " ORDER BY sent_at DESC, id DESC LIMIT #{limit}) m"
      + " ORDER BY m.sent_at DESC, m.id DESC LIMIT #{limit}")
  List<MessageRow> listByChat(@Param("chatId") long chatId, @Param("limit") int limit);

  @Select("SELECT " + COLUMNS + " FROM messages WHERE deleted_at IS NULL"
      + " AND text_tsv @@ websearch_to_tsquery('russian', #{query})"
      + " ORDER BY ts_rank_cd(text_tsv, websearch_to_tsquery('russian', #{query})) DESC, id DESC LIMIT #{limit}")
  List<MessageRow> search(@Param("query") String query, @Param("limit") int limit);

  @Select("SELECT " + COLUMNS + " FROM messages WHERE deleted_at IS NULL AND tags @> ARRAY[#{tag}]::text[]"
      + " ORDER BY id DESC LIMIT #{limit}")
  List<MessageRow> findByTag(@Param("tag") String tag, @Param("limit") int limit);

  @Update("UPDATE messages SET tags = ARRAY(SELECT DISTINCT unnest(tags || ARRAY[#{tag}]::text[]) ORDER BY 1)"
      + " WHERE id = #{id} AND deleted_at IS NULL")
  int addTag(@Param("id") long id, @Param("tag") String tag);

  @Update("UPDATE messages SET deleted_at = now() WHERE id = #{id} AND deleted_at IS NULL")
  int softDelete(@Param("id") long id);
}
