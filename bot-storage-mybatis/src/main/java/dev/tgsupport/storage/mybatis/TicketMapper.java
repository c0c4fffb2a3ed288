package dev.tgsupport.storage.mybatis;

import dev.tgsupport.core.model.Ticket;
import dev.tgsupport.core.model.TicketStatus;
import java.util.List;
import org.apache.ibatis.annotations.Param;
import org.apache.ibatis.annotations.Select;
import org.apache.ibatis.annotations.Update;

interface TicketMapper {
  String COLUMNS = "id, message_id, chat_id, user_id, title, status, kaiten_card_id AS external_id, created_at,"
      + " resolved_at";

  /** Opens a ticket for a stored incoming message; null when the message already has one (or does not exist). */
  @Select("INSERT INTO tickets (message_id, chat_id, user_id, title)"
      + " SELECT m.id, m.chat_id, m.user_id, #{title} FROM messages m"
      + " WHERE m.id = #{messageId} AND m.user_id IS NOT NULL AND m.deleted_at IS NULL"
      + " ON CONFLICT ON CONSTRAINT tickets_message DO NOTHING"
      + " RETURNING " + COLUMNS)
  Ticket open(@Param("messageId") long messageId, @Param("title") String title);

  @Select("SELECT " + COLUMNS + " FROM tickets WHERE id = #{id} AND deleted_at IS NULL")
  Ticket find(@Param("id") long id);

  @Select("SELECT " + COLUMNS + " FROM tickets WHERE message_id = #{messageId} AND deleted_at IS NULL")
  Ticket findByMessage(@Param("messageId") long messageId);

  @Select("SELECT " + COLUMNS + " FROM tickets WHERE kaiten_card_id = #{externalId} AND deleted_at IS NULL")
  Ticket findByExternalId(@Param("externalId") String externalId);

  @Select("SELECT " + COLUMNS + " FROM tickets WHERE user_id = #{userId}"
      + " AND status IN ('open', 'in_progress') AND deleted_at IS NULL ORDER BY id")
  List<Ticket> listActiveByUser(@Param("userId") long userId);

  @Select({"<script>",
      "SELECT " + COLUMNS + " FROM tickets WHERE deleted_at IS NULL",
      "<if test='!statuses.isEmpty()'> AND status IN",
      "<foreach item='s' collection='statuses' open='(' separator=',' close=')'>#{s}</foreach></if>",
      "ORDER BY id DESC LIMIT #{limit}",
      "</script>"})
  List<Ticket> listRecent(@Param("statuses") List<TicketStatus> statuses, @Param("limit") int limit);

  // Same predicate as the partial index tickets_user_active, so the planner can read the active rows from it.
  @Select("SELECT " + COLUMNS + " FROM tickets WHERE status IN ('open', 'in_progress') AND deleted_at IS NULL"
      + " AND kaiten_card_id IS NOT NULL AND id > #{afterId} ORDER BY id LIMIT #{limit}")
  List<Ticket> listActiveLinked(@Param("afterId") long afterId, @Param("limit") int limit);

  // resolved_at is kept while a ticket is resolved or closed and cleared when it is reopened.
  @Select("UPDATE tickets SET status = #{status},"
      + " resolved_at = CASE WHEN #{status} IN ('resolved', 'closed') THEN COALESCE(resolved_at, #{now}) END"
      + " WHERE id = #{id} AND deleted_at IS NULL RETURNING " + COLUMNS)
  Ticket updateStatus(
      @Param("id") long id, @Param("status") TicketStatus status, @Param("now") java.time.Instant now);

  @Update("UPDATE tickets SET kaiten_card_id = #{externalId} WHERE id = #{id} AND deleted_at IS NULL")
  int setExternalId(@Param("id") long id, @Param("externalId") String externalId);

  @Select("SELECT count(*) FROM messages WHERE id = #{messageId} AND deleted_at IS NULL")
  int messageExists(@Param("messageId") long messageId);
}
