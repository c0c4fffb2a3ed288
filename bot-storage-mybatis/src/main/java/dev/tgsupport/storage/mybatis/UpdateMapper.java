package dev.tgsupport.storage.mybatis;

import dev.tgsupport.core.port.UpdateStore.RawUpdate;
import java.util.List;
import org.apache.ibatis.annotations.Param;
import org.apache.ibatis.annotations.Select;

interface UpdateMapper {
  String COLUMNS = "update_id, kind, payload, error, received_at";

  /** Returns the update id, or null when the update was kept before (a soft-deleted row included: first one wins). */
  @Select("INSERT INTO telegram_updates (update_id, kind, payload, error)"
      + " VALUES (#{updateId}, #{kind}, #{payload}, #{error})"
      + " ON CONFLICT (update_id) DO NOTHING RETURNING update_id")
  Long save(
      @Param("updateId") long updateId,
      @Param("kind") String kind,
      @Param("payload") String payload,
      @Param("error") String error);

  @Select("SELECT " + COLUMNS + " FROM telegram_updates WHERE deleted_at IS NULL"
      + " ORDER BY received_at DESC, update_id DESC LIMIT #{limit}")
  List<RawUpdate> list(@Param("limit") int limit);
}
