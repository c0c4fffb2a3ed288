package dev.tgsupport.storage.mybatis;

import dev.tgsupport.core.model.OutboxEntry;
import java.time.Instant;
import java.util.List;
import org.apache.ibatis.annotations.Arg;
import org.apache.ibatis.annotations.ConstructorArgs;
import org.apache.ibatis.annotations.Param;
import org.apache.ibatis.annotations.ResultMap;
import org.apache.ibatis.annotations.Results;
import org.apache.ibatis.annotations.Select;
import org.apache.ibatis.annotations.Update;

interface OutboxMapper {
  String COLUMNS =
      "id, kind, payload::text AS payload, attempts, next_attempt_at, last_error, done_at, created_at, parked_at";

  // OutboxEntry has two constructors (the 8-argument one predates parking), so MyBatis cannot pick one by argument
  // names: this result map names the canonical one by its types, and every statement below reuses it.
  @Select("INSERT INTO outbox (kind, payload, next_attempt_at) VALUES (#{kind}, #{payload}::jsonb, #{dueAt})"
      + " RETURNING " + COLUMNS)
  @Results(id = "outboxEntry")
  @ConstructorArgs({
      @Arg(column = "id", javaType = long.class),
      @Arg(column = "kind", javaType = String.class),
      @Arg(column = "payload", javaType = String.class),
      @Arg(column = "attempts", javaType = int.class),
      @Arg(column = "next_attempt_at", javaType = Instant.class),
      @Arg(column = "last_error", javaType = String.class),
      @Arg(column = "done_at", javaType = Instant.class),
      @Arg(column = "created_at", javaType = Instant.class),
      @Arg(column = "parked_at", javaType = Instant.class)})
  OutboxEntry enqueue(@Param("kind") String kind, @Param("payload") String payload, @Param("dueAt") Instant dueAt);

  // SKIP LOCKED lets concurrent workers claim disjoint rows without waiting on each other. The claimed ids go in as
  // an array so the update reaches them through the primary key: a join let the planner hash-join a scan of the
  // whole table, done rows included, on every poll. Parked rows are left out by the predicate of the outbox_due index.
  @Select({"<script>",
      "UPDATE outbox SET attempts = attempts + 1, next_attempt_at = #{leaseUntil}",
      "WHERE id = ANY (ARRAY(SELECT id FROM outbox",
      "WHERE done_at IS NULL AND parked_at IS NULL AND deleted_at IS NULL AND next_attempt_at &lt;= #{now}",
      "<if test='!kinds.isEmpty()'>AND kind IN",
      "<foreach item='k' collection='kinds' open='(' separator=',' close=')'>#{k}</foreach></if>",
      "ORDER BY next_attempt_at, id LIMIT #{limit} FOR UPDATE SKIP LOCKED))",
      "RETURNING " + COLUMNS,
      "</script>"})
  @ResultMap("outboxEntry")
  List<OutboxEntry> claimDue(@Param("now") Instant now, @Param("limit") int limit,
      @Param("leaseUntil") Instant leaseUntil, @Param("kinds") List<String> kinds);

  @Update("UPDATE outbox SET done_at = #{at}, parked_at = NULL WHERE id = #{id} AND deleted_at IS NULL")
  int markDone(@Param("id") long id, @Param("at") Instant at);

  @Update("UPDATE outbox SET last_error = #{error}, next_attempt_at = #{retryAt} WHERE id = #{id}"
      + " AND deleted_at IS NULL")
  int markFailed(@Param("id") long id, @Param("error") String error, @Param("retryAt") Instant retryAt);

  @Select("SELECT " + COLUMNS + " FROM outbox WHERE done_at IS NULL AND parked_at IS NULL AND deleted_at IS NULL"
      + " ORDER BY created_at, id LIMIT #{limit}")
  @ResultMap("outboxEntry")
  List<OutboxEntry> listPending(@Param("limit") int limit);

  /**
   * Parks an unfinished entry; returns 1 when it exists (a done entry stays done, untouched), 0 when it does not,
   * so one statement tells "unknown" from "already done" without a second read.
   */
  @Select("WITH target AS (SELECT id, done_at FROM outbox WHERE id = #{id} AND deleted_at IS NULL FOR UPDATE),"
      + " parked AS (UPDATE outbox o SET parked_at = #{at}, last_error = #{error} FROM target"
      + " WHERE o.id = target.id AND target.done_at IS NULL)"
      + " SELECT count(*) FROM target")
  int park(@Param("id") long id, @Param("error") String error, @Param("at") Instant at);

  /** Unparks a parked entry; returns 1 when the entry exists (parked or not), 0 when it does not. */
  @Select("WITH target AS (SELECT id, parked_at FROM outbox WHERE id = #{id} AND deleted_at IS NULL FOR UPDATE),"
      + " unparked AS (UPDATE outbox o SET parked_at = NULL, attempts = 0, next_attempt_at = #{retryAt} FROM target"
      + " WHERE o.id = target.id AND target.parked_at IS NOT NULL)"
      + " SELECT count(*) FROM target")
  int unpark(@Param("id") long id, @Param("retryAt") Instant retryAt);

  @Select("SELECT " + COLUMNS + " FROM outbox WHERE parked_at IS NOT NULL AND deleted_at IS NULL"
      + " ORDER BY parked_at DESC, id DESC LIMIT #{limit}")
  @ResultMap("outboxEntry")
  List<OutboxEntry> listParked(@Param("limit") int limit);

  /** Pending (due or retrying) and parked counts, and the oldest pending entry's creation; the indexes cover both. */
  @Select("SELECT (SELECT count(*) FROM outbox WHERE done_at IS NULL AND parked_at IS NULL AND deleted_at IS NULL)"
      + " AS pending, (SELECT count(*) FROM outbox WHERE parked_at IS NOT NULL AND deleted_at IS NULL) AS parked,"
      + " (SELECT min(created_at) FROM outbox WHERE done_at IS NULL AND parked_at IS NULL AND deleted_at IS NULL)"
      + " AS oldest_pending_created_at")
  dev.tgsupport.core.port.OutboxStore.Backlog backlog();
}
