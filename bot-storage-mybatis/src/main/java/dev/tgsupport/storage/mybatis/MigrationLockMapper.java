package dev.tgsupport.storage.mybatis;

import org.apache.ibatis.annotations.Select;

/**
 * A session-level advisory lock per schema, so that instances starting together on one database migrate one after
 * the other instead of racing on the same DDL.
 */
interface MigrationLockMapper {

  // pg_advisory_lock returns void, which MyBatis cannot map: count the one row instead.
  @Select("SELECT count(*) FROM (SELECT pg_advisory_lock(hashtext('tgsupport.migrations:' || current_schema()))) l")
  int lock();

  @Select("SELECT pg_advisory_unlock(hashtext('tgsupport.migrations:' || current_schema()))")
  boolean unlock();
}
