package dev.tgsupport.storage.mybatis;

import dev.tgsupport.core.model.KnowledgeEntry;
import dev.tgsupport.core.model.KnowledgeSource;
import dev.tgsupport.core.model.KnowledgeStatus;
import java.time.Instant;
import java.util.List;
import org.apache.ibatis.annotations.Param;
import org.apache.ibatis.annotations.Select;
import org.apache.ibatis.annotations.Update;

interface KnowledgeMapper {
  String COLUMNS = "id, question, answer, tags, source, status, language, validated_by, validated_at, created_at";

  @Select("INSERT INTO knowledge_entries (question, answer, tags, source, status, language, validated_by,"
      + " validated_at) VALUES (#{question}, #{answer}, #{tags,typeHandler=dev.tgsupport.storage.mybatis.TextArrayTypeHandler}, #{source}, #{status}, #{language},"
      + " #{validatedBy}, #{validatedAt}) RETURNING " + COLUMNS)
  KnowledgeEntry insert(
      @Param("question") String question,
      @Param("answer") String answer,
      @Param("tags") List<String> tags,
      @Param("source") KnowledgeSource source,
      @Param("status") KnowledgeStatus status,
      @Param("language") String language,
      @Param("validatedBy") String validatedBy,
      @Param("validatedAt") Instant validatedAt);

  @Select("SELECT " + COLUMNS + " FROM knowledge_entries WHERE id = #{id} AND deleted_at IS NULL")
  KnowledgeEntry find(@Param("id") long id);

  @Select("SELECT " + COLUMNS + " FROM knowledge_entries WHERE status = #{status} AND deleted_at IS NULL ORDER BY id")
  List<KnowledgeEntry> list(@Param("status") KnowledgeStatus status);

  @Select("UPDATE knowledge_entries SET status = 'validated', validated_by = #{by}, validated_at = #{at}"
      + " WHERE id = #{id} AND deleted_at IS NULL RETURNING " + COLUMNS)
  KnowledgeEntry validate(@Param("id") long id, @Param("by") String by, @Param("at") Instant at);

  @Select("UPDATE knowledge_entries SET status = 'archived' WHERE id = #{id} AND deleted_at IS NULL RETURNING "
      + COLUMNS)
  KnowledgeEntry archive(@Param("id") long id);

  @Select("SELECT " + COLUMNS + " FROM knowledge_entries WHERE deleted_at IS NULL AND tags @> ARRAY[#{tag}]::text[]"
      + " ORDER BY id")
  List<KnowledgeEntry> findByTag(@Param("tag") String tag);

  @Update("UPDATE knowledge_entries SET deleted_at = now() WHERE id = #{id} AND deleted_at IS NULL")
  int softDelete(@Param("id") long id);
}
