package dev.tgsupport.storage.mybatis;

import dev.tgsupport.core.model.Direction;
import java.time.Instant;
import java.util.List;
import org.apache.ibatis.annotations.Arg;
import org.apache.ibatis.annotations.ConstructorArgs;
import org.apache.ibatis.annotations.Param;
import org.apache.ibatis.annotations.Select;

/**
 * The statements of the batched ingest ({@link GroupCommitRecorder}).
 *
 * <p>Why this shape (measured with {@code tgsupport bench storage}, 16 callers, on 2 cores):
 * <ul>
 *   <li>Rows travel as one array per column, expanded by {@code unnest}, not as a {@code <foreach>} over
 *       {@code VALUES}: the SQL text is the same for every batch size, so the server plans it once per connection,
 *       and MyBatis binds 24 parameters per batch instead of about 24 per message. The {@code VALUES} form cost
 *       about 0.6 ms more client time per batch of 16 (C1-only JVM, as the CLI runs), 30% of the batch.
 *   <li>Users, chats and messages go in one statement, the upserts as data-modifying CTEs, run on a connection in
 *       auto-commit: one round trip, and the statement is the transaction. About 15% more throughput than three
 *       statements and a COMMIT.
 *   <li>The insert returns only what the database assigns; the rest of a created row is what was sent.
 *   <li>Users and chats are not upserted with {@code ON CONFLICT DO UPDATE}, which locks the existing row even when
 *       its {@code WHERE} leaves it unchanged (a lock record in the WAL for every user and chat of every batch, and
 *       two writers whose batches share a chat wait for each other). An {@code INSERT … ON CONFLICT DO NOTHING} adds
 *       the new ones and an {@code UPDATE} touches only the rows whose values differ: the server's time per message
 *       halved (4.7 s to 2.1 s of PostgreSQL CPU for 20,000 messages, 2 writers).
 * </ul>
 * The statement keeps the semantics of {@link UserMapper#upsert} and {@link ChatMapper#upsert}: flags are never taken
 * from the message, and an unchanged row is not rewritten. One difference under a race: when two writers add the
 * same new user (or chat) at once with different names, the first one's version stays until that user's next
 * message, where the one-by-one upsert would keep the last. Callers pass distinct user and chat ids (an {@code
 * UPDATE … FROM} must find one source row per target row) and distinct message keys, all sorted, so concurrent
 * writers lock rows in one order. The messages' foreign keys are checked at the end of the statement, when the CTEs'
 * rows are in.
 */
interface IngestMapper {
  String ARRAY = ",typeHandler=org.apache.ibatis.type.ArrayTypeHandler}";

  /** Users, one array per column, all of one length. */
  record UserColumns(Long[] ids, String[] usernames, String[] firstNames, String[] lastNames, String[] languages) {}

  /** Chats, one array per column. */
  record ChatColumns(Long[] ids, String[] types, String[] titles) {}

  /**
   * Incoming messages, one array per column; {@code sentAt} in ISO-8601 ({@link Instant#toString()}), which the
   * server rounds to microseconds as it does a bound timestamp.
   */
  record MessageColumns(
      Long[] chatIds,
      Long[] telegramIds,
      Long[] userIds,
      Long[] threadIds,
      Long[] replyToIds,
      String[] types,
      String[] texts,
      Integer[] strippedNuls,
      String[] sentAt,
      String[] attachmentTypes,
      String[] attachmentFileIds,
      String[] attachmentFileUniqueIds,
      String[] attachmentFileNames,
      String[] attachmentMimeTypes,
      Long[] attachmentFileSizes) {}

  /** What the database assigned to a message the statement created. */
  record Inserted(long id, long chatId, long telegramMessageId, Instant sentAt) {}

  /** Upserts the users and chats and inserts the messages; returns the messages created (existing keys left out). */
  @Select("WITH ui AS (SELECT * FROM unnest(#{u.ids" + ARRAY + "::bigint[], #{u.usernames" + ARRAY + "::text[],"
      + " #{u.firstNames" + ARRAY + "::text[], #{u.lastNames" + ARRAY + "::text[], #{u.languages" + ARRAY + "::text[])"
      + " AS x(id, username, first_name, last_name, language_code)),"
      + " ci AS (SELECT * FROM unnest(#{c.ids" + ARRAY + "::bigint[], #{c.types" + ARRAY + "::text[],"
      + " #{c.titles" + ARRAY + "::text[]) AS x(id, type, title)),"
      + " un AS (INSERT INTO users (id, username, first_name, last_name, language_code) SELECT * FROM ui"
      + " ON CONFLICT (id) DO NOTHING),"
      + " uu AS (UPDATE users SET username = ui.username, first_name = ui.first_name, last_name = ui.last_name,"
      + " language_code = ui.language_code, deleted_at = NULL FROM ui WHERE users.id = ui.id"
      + " AND (users.username, users.first_name, users.last_name, users.language_code, users.deleted_at)"
      + " IS DISTINCT FROM (ui.username, ui.first_name, ui.last_name, ui.language_code, NULL::timestamptz)),"
      + " cn AS (INSERT INTO chats (id, type, title) SELECT * FROM ci ON CONFLICT (id) DO NOTHING),"
      + " cu AS (UPDATE chats SET type = ci.type, title = ci.title, deleted_at = NULL FROM ci WHERE chats.id = ci.id"
      + " AND (chats.type, chats.title, chats.deleted_at) IS DISTINCT FROM (ci.type, ci.title, NULL::timestamptz))"
      + " INSERT INTO messages (chat_id, telegram_message_id, direction, user_id, thread_id, reply_to_message_id,"
      + " message_type, text, stripped_nul_count, sent_at, attachment_type, attachment_file_id,"
      + " attachment_file_unique_id, attachment_file_name, attachment_mime_type, attachment_file_size)"
      + " SELECT m.chat_id, m.telegram_message_id, #{direction}, m.user_id, m.thread_id, m.reply_to_message_id,"
      + " m.message_type, m.text, m.stripped_nul_count, m.sent_at::timestamptz, m.attachment_type,"
      + " m.attachment_file_id, m.attachment_file_unique_id, m.attachment_file_name, m.attachment_mime_type,"
      + " m.attachment_file_size"
      + " FROM unnest(#{m.chatIds" + ARRAY + "::bigint[], #{m.telegramIds" + ARRAY + "::bigint[],"
      + " #{m.userIds" + ARRAY + "::bigint[], #{m.threadIds" + ARRAY + "::bigint[],"
      + " #{m.replyToIds" + ARRAY + "::bigint[], #{m.types" + ARRAY + "::text[], #{m.texts" + ARRAY + "::text[],"
      + " #{m.strippedNuls" + ARRAY + "::integer[], #{m.sentAt" + ARRAY + "::text[],"
      + " #{m.attachmentTypes" + ARRAY + "::text[], #{m.attachmentFileIds" + ARRAY + "::text[],"
      + " #{m.attachmentFileUniqueIds" + ARRAY + "::text[], #{m.attachmentFileNames" + ARRAY + "::text[],"
      + " #{m.attachmentMimeTypes" + ARRAY + "::text[], #{m.attachmentFileSizes" + ARRAY + "::bigint[])"
      + " AS m(chat_id, telegram_message_id, user_id, thread_id, reply_to_message_id, message_type, text,"
      + " stripped_nul_count, sent_at, attachment_type, attachment_file_id, attachment_file_unique_id,"
      + " attachment_file_name, attachment_mime_type, attachment_file_size)"
      + " ON CONFLICT ON CONSTRAINT messages_key DO NOTHING"
      + " RETURNING id, chat_id, telegram_message_id, sent_at")
  // Named constructor arguments: MyBatis's argument-name automapping reflects over the constructor again for every
  // row, which was most of the writer's time spent reading the answer.
  @ConstructorArgs({
      @Arg(column = "id", javaType = long.class),
      @Arg(column = "chat_id", javaType = long.class),
      @Arg(column = "telegram_message_id", javaType = long.class),
      @Arg(column = "sent_at", javaType = Instant.class)})
  List<Inserted> ingest(
      @Param("u") UserColumns users,
      @Param("c") ChatColumns chats,
      @Param("direction") Direction direction,
      @Param("m") MessageColumns messages);

  /** Stored rows of the keys, soft-deleted ones included (recording a deleted message again must not hide it). */
  @Select("SELECT " + MessageMapper.COLUMNS + " FROM messages WHERE direction = #{direction}"
      + " AND (chat_id, telegram_message_id) IN (SELECT * FROM unnest(#{chatIds" + ARRAY + "::bigint[],"
      + " #{telegramIds" + ARRAY + "::bigint[]))")
  List<MessageRow> findByKeys(
      @Param("direction") Direction direction,
      @Param("chatIds") Long[] chatIds,
      @Param("telegramIds") Long[] telegramIds);
}
