package dev.tgsupport.storage.mybatis;

import dev.tgsupport.core.model.TelegramUser;
import org.apache.ibatis.annotations.Insert;
import org.apache.ibatis.annotations.Param;
import org.apache.ibatis.annotations.Select;
import org.apache.ibatis.annotations.Update;

interface UserMapper {
  String COLUMNS = "id, username, first_name, last_name, language_code, is_internal AS internal, is_blocked AS blocked";

  // The WHERE keeps an unchanged user from being rewritten (no dead tuple, no trigger) on every message.
  @Insert("INSERT INTO users (id, username, first_name, last_name, language_code)"
      + " VALUES (#{id}, #{username}, #{firstName}, #{lastName}, #{languageCode})"
      + " ON CONFLICT (id) DO UPDATE SET username = EXCLUDED.username, first_name = EXCLUDED.first_name,"
      + " last_name = EXCLUDED.last_name, language_code = EXCLUDED.language_code, deleted_at = NULL"
      + " WHERE (users.username, users.first_name, users.last_name, users.language_code, users.deleted_at)"
      + " IS DISTINCT FROM (EXCLUDED.username, EXCLUDED.first_name, EXCLUDED.last_name, EXCLUDED.language_code,"
      + " NULL::timestamptz)")
  void upsert(TelegramUser user);

  @Select("SELECT " + COLUMNS + " FROM users WHERE id = #{id} AND deleted_at IS NULL")
  TelegramUser find(@Param("id") long id);

  @Update("UPDATE users SET is_internal = #{internal} WHERE id = #{id} AND deleted_at IS NULL")
  int setInternal(@Param("id") long id, @Param("internal") boolean internal);

  @Update("UPDATE users SET is_blocked = #{blocked} WHERE id = #{id} AND deleted_at IS NULL")
  int setBlocked(@Param("id") long id, @Param("blocked") boolean blocked);
}
