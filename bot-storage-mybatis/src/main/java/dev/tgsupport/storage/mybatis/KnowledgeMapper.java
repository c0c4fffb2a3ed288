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
  /** Must stay the expression of the index knowledge_question_key, or the lookup reads the whole table. */
  String QUESTION_KEY = "lower(btrim(regexp_replace(question, '\\s+', ' ', 'g')))";

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

  /**
   * The same key as {@code KnowledgeStore.questionKey} on both sides, so the expression index of migration 5
   * ({@code knowledge_question_key}) answers it.
   */
  @Select("SELECT " + COLUMNS + " FROM knowledge_entries WHERE " + QUESTION_KEY + " = lower(btrim(regexp_replace("
      + "#{question}, '\\s+', ' ', 'g'))) AND deleted_at IS NULL ORDER BY id LIMIT 1")
  KnowledgeEntry findByQuestion(@Param("question") String question);

  /** Reads the old status on the right-hand side: a validated entry becomes a draft, others keep theirs. */
  @Select("UPDATE knowledge_entries SET question = #{question}, answer = #{answer},"
      + " tags = #{tags,typeHandler=dev.tgsupport.storage.mybatis.TextArrayTypeHandler}, language = #{language},"
      + " status = CASE WHEN status = 'validated' THEN 'draft' ELSE status END,"
      + " validated_by = CASE WHEN status = 'validated' THEN NULL ELSE validated_by END,"
      + " validated_at = CASE WHEN status = 'validated' THEN NULL ELSE validated_at END"
      + " WHERE id = #{id} AND deleted_at IS NULL RETURNING " + COLUMNS)
  KnowledgeEntry update(
      @Param("id") long id,
      @Param("question") String question,
      @Param("answer") String answer,
      @Param("tags") List<String> tags,
      @Param("language") String language);

  @Select("SELECT " + COLUMNS + " FROM knowledge_entries WHERE deleted_at IS NULL AND tags @> ARRAY[#{tag}]::text[]"
      + " ORDER BY id")
  List<KnowledgeEntry> findByTag(@Param("tag") String tag);

  @Update("UPDATE knowledge_entries SET deleted_at = now() WHERE id = #{id} AND deleted_at IS NULL")
  int softDelete(@Param("id") long id);
}
