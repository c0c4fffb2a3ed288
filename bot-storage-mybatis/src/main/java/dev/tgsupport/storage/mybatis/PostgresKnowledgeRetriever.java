package dev.tgsupport.storage.mybatis;

import dev.tgsupport.core.model.KnowledgeEntry;
import dev.tgsupport.core.model.KnowledgeHit;
import dev.tgsupport.core.port.KnowledgeRetriever;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Finds validated knowledge entries with PostgreSQL: full-text search with Russian and English stemming (the
 * {@code russian} configuration stems Cyrillic words with the Russian and Latin words with the English stemmer)
 * to collect candidates, and a score that blends how many stemmed words the query and the question share (Dice,
 * weight {@value #WORD_WEIGHT}), the share of query words found anywhere in the entry (weight
 * {@value #COVERAGE_WEIGHT}) and the trigram similarity of the stemmed words, which catches typos (the rest).
 * Storage is the index: nothing to keep in sync. Thread-safe.
 */
final class PostgresKnowledgeRetriever implements KnowledgeRetriever {
  static final double WORD_WEIGHT = 0.5;
  static final double COVERAGE_WEIGHT = 0.2;
  private static final int CANDIDATES = 50;

  private final MyBatisStorage storage;

  PostgresKnowledgeRetriever(MyBatisStorage storage) {
    this.storage = storage;
  }

  @Override
  public List<KnowledgeHit> retrieve(String query, int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be >= 1, was " + limit);
    }
    String q = Texts.clean(query == null ? "" : query.strip());
    if (q.isEmpty()) {
      return List.of();
    }
    // Very long messages are not questions worth a full scan of every lexeme; the start carries the question.
    String bounded = q.length() > 2_000 ? q.substring(0, 2_000) : q;
    List<KnowledgeSearchRow> rows;
    try {
      rows = storage.inTransaction(s -> storage.mapper(KnowledgeSearchMapper.class).search(bounded, CANDIDATES));
    } catch (dev.tgsupport.core.StorageUnavailableException e) {
      throw new UnavailableException("knowledge search failed: " + e.getMessage(), e);
    }
    List<KnowledgeHit> hits = new ArrayList<>(rows.size());
    for (KnowledgeSearchRow r : rows) {
      double score = WORD_WEIGHT * r.lexemeOverlap() + COVERAGE_WEIGHT * r.coverage()
          + (1 - WORD_WEIGHT - COVERAGE_WEIGHT) * r.trigram();
      score = Math.max(0.0, Math.min(1.0, score));
      if (score > 0) {
        hits.add(new KnowledgeHit(new KnowledgeEntry(r.id(), r.question(), r.answer(), r.tags(), r.source(),
            r.status(), r.language(), r.validatedBy(), r.validatedAt(), r.createdAt()), score));
      }
    }
    hits.sort(Comparator.comparingDouble(KnowledgeHit::score).reversed()
        .thenComparingLong(h -> h.entry().id()));
    return List.copyOf(hits.subList(0, Math.min(limit, hits.size())));
  }
}
