package dev.tgsupport.storage.mybatis;

import dev.tgsupport.core.model.TicketEvent;
import dev.tgsupport.core.model.TicketEventKind;
import java.util.List;
import org.apache.ibatis.annotations.Param;
import org.apache.ibatis.annotations.Select;

interface TicketEventMapper {
  String COLUMNS = "id, ticket_id, kind, author, body, external_id, created_at";

  /** Null when an event with the same external id exists for the ticket. */
  @Select("INSERT INTO ticket_events (ticket_id, kind, author, body, external_id)"
      + " VALUES (#{ticketId}, #{kind}, #{author}, #{body}, #{externalId})"
      + " ON CONFLICT ON CONSTRAINT ticket_events_external DO NOTHING RETURNING " + COLUMNS)
  TicketEvent append(
      @Param("ticketId") long ticketId,
      @Param("kind") TicketEventKind kind,
      @Param("author") String author,
      @Param("body") String body,
      @Param("externalId") String externalId);

  @Select("SELECT " + COLUMNS + " FROM ticket_events WHERE ticket_id = #{ticketId} AND deleted_at IS NULL"
      + " ORDER BY id")
  List<TicketEvent> list(@Param("ticketId") long ticketId);

  @Select("SELECT count(*) FROM tickets WHERE id = #{ticketId} AND deleted_at IS NULL")
  int ticketExists(@Param("ticketId") long ticketId);
}
