package dev.tgsupport.core.model;

import static dev.tgsupport.core.InvalidInputException.check;
import static dev.tgsupport.core.InvalidInputException.requireNonNull;

/**
 * A knowledge entry found for a query.
 *
 * @param entry the entry
 * @param score relevance in [0, 1]; comparable across queries of one retriever, so a threshold can apply
 */
public record KnowledgeHit(KnowledgeEntry entry, double score) {
  public KnowledgeHit {
    requireNonNull(entry, "knowledgeHit.entry");
    check(score >= 0.0 && score <= 1.0 && !Double.isNaN(score), "knowledgeHit.score", "must be in [0, 1]", score);
  }
}
