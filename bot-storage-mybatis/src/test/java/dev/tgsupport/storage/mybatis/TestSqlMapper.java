package dev.tgsupport.storage.mybatis;

import org.apache.ibatis.annotations.Options;
import org.apache.ibatis.annotations.Param;
import org.apache.ibatis.annotations.Select;
import org.apache.ibatis.annotations.Update;

/**
 * Raw SQL on the current transaction's connection, for tests that need to reach below the ports. Register it with
 * {@link #registerOn} and get it inside a work through {@code storage.mapper(TestSqlMapper.class)}.
 */
interface TestSqlMapper {
  static void registerOn(MyBatisStorage storage) {
    var configuration = storage.sessions().getConfiguration();
    if (!configuration.hasMapper(TestSqlMapper.class)) {
      configuration.addMapper(TestSqlMapper.class);
    }
  }

  @Select("SELECT pg_backend_pid()")
  int backendPid();

  @Select("SELECT current_setting('synchronous_commit')")
  String synchronousCommit();

  /** Must be the first statement of the transaction. */
  @Update("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
  void repeatableRead();

  @Select("SELECT set_config('statement_timeout', #{value}, true)")
  String setLocalStatementTimeout(@Param("value") String value);

  @Select("SELECT set_config('lock_timeout', #{value}, true)")
  String setLocalLockTimeout(@Param("value") String value);

  @Select("SELECT pg_sleep(#{seconds})::text")
  String sleep(@Param("seconds") double seconds);

  /** The same sleep under a JDBC query timeout of one second (MyBatis sets it with setQueryTimeout). */
  @Select("SELECT pg_sleep(#{seconds})::text")
  @Options(timeout = 1)
  String sleepWithOneSecondQueryTimeout(@Param("seconds") double seconds);
}
