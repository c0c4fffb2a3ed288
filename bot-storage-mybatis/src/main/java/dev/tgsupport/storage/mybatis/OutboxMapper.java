package dev.tgsupport.storage.mybatis;

import dev.tgsupport.core.model.OutboxEntry;
import java.time.Instant;
import java.util.List;
import org.apache.ibatis.annotations.Param;
import org.apache.ibatis.annotations.Select;
import org.apache.ibatis.annotations.Update;

interface OutboxMapper {
  String COLUMNS = "id, kind, payload::text AS payload, attempts, next_attempt_at, last_error, done_at, created_at";

  @Select("INSERT INTO outbox (kind, payload, next_attempt_at) VALUES (#{kind}, #{payload}::jsonb, #{dueAt})"
      + " RETURNING " + COLUMNS)
  OutboxEntry enqueue(@Param("kind") String kind, @Param("payload") String payload, @Param("dueAt") Instant dueAt);

  // SKIP LOCKED lets concurrent workers claim disjoint rows without waiting on each other. The claimed ids go in as
  // an array so the update reaches them through the primary key: a join let the planner hash-join a scan of the
  // whole table, done rows included, on every poll.
  @Select("UPDATE outbox SET attempts = attempts + 1, next_attempt_at = #{leaseUntil}"
      + " WHERE id = ANY (ARRAY(SELECT id FROM outbox WHERE done_at IS NULL AND deleted_at IS NULL"
      + " AND next_attempt_at <= #{now} ORDER BY next_attempt_at, id LIMIT #{limit} FOR UPDATE SKIP LOCKED))"
      + " RETURNING " + COLUMNS)
  List<OutboxEntry> claimDue(
      @Param("now") Instant now, @Param("limit") int limit, @Param("leaseUntil") Instant leaseUntil);

  @Update("UPDATE outbox SET done_at = #{at} WHERE id = #{id} AND deleted_at IS NULL")
  int markDone(@Param("id") long id, @Param("at") Instant at);

  @Update("UPDATE outbox SET last_error = #{error}, next_attempt_at = #{retryAt} WHERE id = #{id}"
      + " AND deleted_at IS NULL")
  int markFailed(@Param("id") long id, @Param("error") String error, @Param("retryAt") Instant retryAt);

  @Select("SELECT " + COLUMNS + " FROM outbox WHERE done_at IS NULL AND deleted_at IS NULL"
      + " ORDER BY created_at, id LIMIT #{limit}")
  List<OutboxEntry> listPending(@Param("limit") int limit);
}
