package dev.tgsupport.storage.mybatis;

import dev.tgsupport.core.model.Chat;
import dev.tgsupport.core.model.ChatType;
import org.apache.ibatis.annotations.Insert;
import org.apache.ibatis.annotations.Param;
import org.apache.ibatis.annotations.Select;
import org.apache.ibatis.annotations.Update;

interface ChatMapper {
  String COLUMNS = "id, type, title, is_archived AS archived";

  @Insert("INSERT INTO chats (id, type, title) VALUES (#{id}, #{type}, #{title})"
      + " ON CONFLICT (id) DO UPDATE SET type = EXCLUDED.type, title = EXCLUDED.title, deleted_at = NULL"
      + " WHERE (chats.type, chats.title, chats.deleted_at)"
      + " IS DISTINCT FROM (EXCLUDED.type, EXCLUDED.title, NULL::timestamptz)")
  void upsert(Chat chat);

  @Select("SELECT " + COLUMNS + " FROM chats WHERE id = #{id} AND deleted_at IS NULL")
  Chat find(@Param("id") long id);

  @Update("UPDATE chats SET is_archived = #{archived} WHERE id = #{id} AND deleted_at IS NULL")
  int setArchived(@Param("id") long id, @Param("archived") boolean archived);

  @Insert("INSERT INTO chats (id, type, title) VALUES (#{id}, #{type}, #{title}) ON CONFLICT (id) DO NOTHING")
  void insertIfAbsent(@Param("id") long id, @Param("type") ChatType type, @Param("title") String title);

  @Update("UPDATE chats SET migrated_to = #{toId} WHERE id = #{fromId}")
  int markMigrated(@Param("fromId") long fromId, @Param("toId") long toId);

  // Follows group → supergroup links; a chain is bounded by the depth so a bad cycle cannot loop forever.
  @Select("WITH RECURSIVE chain(id, migrated_to, depth) AS ("
      + " SELECT id, migrated_to, 0 FROM chats WHERE id = #{id}"
      + " UNION ALL SELECT c.id, c.migrated_to, chain.depth + 1 FROM chats c JOIN chain ON c.id = chain.migrated_to"
      + " WHERE chain.depth < 10)"
      + " SELECT id FROM chain WHERE migrated_to IS NULL ORDER BY depth DESC LIMIT 1")
  Long currentId(@Param("id") long id);
}
