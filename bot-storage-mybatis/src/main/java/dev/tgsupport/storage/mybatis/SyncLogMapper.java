package dev.tgsupport.storage.mybatis;

import dev.tgsupport.core.port.SyncLogStore.SyncRun;
import java.time.Instant;
import java.util.List;
import org.apache.ibatis.annotations.Param;
import org.apache.ibatis.annotations.Select;
import org.apache.ibatis.annotations.Update;

interface SyncLogMapper {
  String COLUMNS = "id, integration, kind, status, started_at, finished_at, records, errors";

  @Select("INSERT INTO sync_log (integration, kind, status, started_at) VALUES (#{integration}, #{kind}, 'running',"
      + " #{at}) RETURNING id")
  long start(@Param("integration") String integration, @Param("kind") String kind, @Param("at") Instant at);

  @Update("UPDATE sync_log SET status = #{status}, finished_at = #{at}, records = #{records}, errors = #{errors}"
      + " WHERE id = #{id} AND deleted_at IS NULL")
  int finish(@Param("id") long id, @Param("status") String status, @Param("at") Instant at,
      @Param("records") int records, @Param("errors") String errors);

  @Select("SELECT " + COLUMNS + " FROM sync_log WHERE integration = #{integration} AND deleted_at IS NULL"
      + " ORDER BY started_at DESC, id DESC LIMIT #{limit}")
  List<SyncRun> recent(@Param("integration") String integration, @Param("limit") int limit);
}
