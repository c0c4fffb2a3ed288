package dev.tgsupport.storage.mybatis;

import dev.tgsupport.core.model.SpamSample;
import java.time.Instant;
import java.util.List;
import org.apache.ibatis.annotations.Param;
import org.apache.ibatis.annotations.Select;
import org.apache.ibatis.annotations.Update;

interface SpamSampleMapper {
  String COLUMNS = "id, kind, text, chat_id, telegram_message_id, added_by, created_at";

  /** The new sample; null when the message already has a live sample of this kind. */
  @Select("INSERT INTO spam_samples (kind, text, chat_id, telegram_message_id, added_by, created_at)"
      + " VALUES (#{kind}, #{text}, #{chatId}, #{messageId}, #{addedBy}, #{at})"
      + " ON CONFLICT (chat_id, telegram_message_id, kind) WHERE deleted_at IS NULL AND chat_id IS NOT NULL"
      + " DO NOTHING RETURNING " + COLUMNS)
  SpamSample insert(@Param("kind") SpamSample.Kind kind, @Param("text") String text, @Param("chatId") Long chatId,
      @Param("messageId") Long messageId, @Param("addedBy") Long addedBy, @Param("at") Instant at);

  @Select("SELECT " + COLUMNS + " FROM spam_samples WHERE chat_id = #{chatId} AND telegram_message_id = #{messageId}"
      + " AND kind = #{kind} AND deleted_at IS NULL")
  SpamSample findForMessage(@Param("chatId") long chatId, @Param("messageId") long messageId,
      @Param("kind") SpamSample.Kind kind);

  @Update("UPDATE spam_samples SET deleted_at = now() WHERE chat_id = #{chatId} AND telegram_message_id = #{messageId}"
      + " AND kind = #{kind} AND deleted_at IS NULL")
  int removeForMessage(@Param("chatId") long chatId, @Param("messageId") long messageId,
      @Param("kind") SpamSample.Kind kind);

  @Select("SELECT " + COLUMNS + " FROM spam_samples WHERE kind = #{kind} AND deleted_at IS NULL ORDER BY id")
  List<SpamSample> list(@Param("kind") SpamSample.Kind kind);
}
