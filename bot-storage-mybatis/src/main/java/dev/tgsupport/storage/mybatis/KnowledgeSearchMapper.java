package dev.tgsupport.storage.mybatis;

import java.util.List;
import org.apache.ibatis.annotations.Param;
import org.apache.ibatis.annotations.Select;

interface KnowledgeSearchMapper {
  /**
   * Candidates: validated entries whose text shares a stemmed word with the query (GIN on search_tsv, any word) or
   * whose question is trigram-similar to it (GIN on lower(question)). For each: the Dice overlap of the stemmed words
   * of query and question, the share of query words found anywhere in the entry, and the trigram similarity of the
   * stemmed words (stop words left out, so "how do I" does not make questions alike; typos still match).
   */
  @Select("WITH q AS ("
      + " SELECT tsvector_to_array(to_tsvector('russian', #{query})) AS lex),"
      + " q2 AS (SELECT lex, array_to_string(lex, ' ') AS lextext,"
      + " (SELECT string_agg(quote_literal(l), ' | ') FROM unnest(lex) l)::tsquery AS anyword FROM q),"
      + " c AS (SELECT e.*, tsvector_to_array(to_tsvector('russian', left(e.question, 100000))) AS qlex FROM knowledge_entries e, q2"
      + " WHERE e.status = 'validated' AND e.deleted_at IS NULL"
      + " AND ((q2.anyword IS NOT NULL AND e.search_tsv @@ q2.anyword) OR lower(e.question) % lower(#{query}))"
      + " ORDER BY ts_rank(e.search_tsv, coalesce(q2.anyword, ''::tsquery)) DESC, e.id LIMIT #{candidates})"
      + " SELECT c.id, c.question, c.answer, c.tags, c.source, c.status, c.language, c.validated_by, c.validated_at,"
      + " c.created_at,"
      + " COALESCE(2.0 * cardinality(ARRAY(SELECT unnest(q2.lex) INTERSECT SELECT unnest(c.qlex)))"
      + " / NULLIF(cardinality(q2.lex) + cardinality(c.qlex), 0), 0) AS lexeme_overlap,"
      + " COALESCE((SELECT count(*) FROM unnest(q2.lex) l WHERE c.search_tsv @@ quote_literal(l)::tsquery)::float8"
      + " / NULLIF(cardinality(q2.lex), 0), 0) AS coverage,"
      + " similarity(q2.lextext, array_to_string(c.qlex, ' ')) AS trigram"
      + " FROM c, q2")
  List<KnowledgeSearchRow> search(@Param("query") String query, @Param("candidates") int candidates);
}
