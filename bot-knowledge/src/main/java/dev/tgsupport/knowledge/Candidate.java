package dev.tgsupport.knowledge;

import dev.tgsupport.core.model.KnowledgeEntry;

/**
 * One entry found by either side for a query, with what each side said about it.
 *
 * @param lexicalScore the lexical retriever's score, 0 when it did not find the entry
 * @param lexicalRank 0-based rank on the lexical side, -1 when absent
 * @param cosine the vector side's cosine similarity, 0 when absent (or negative)
 * @param vectorRank 0-based rank on the vector side, -1 when absent
 * @param understood whether the embedder understands the query's language
 * @param rrf the reciprocal rank fusion score that orders candidates
 */
record Candidate(
    KnowledgeEntry entry,
    double lexicalScore,
    int lexicalRank,
    double cosine,
    int vectorRank,
    boolean understood,
    double rrf) {

  /** How far down a side's list still counts as "both sides agree". */
  private static final int AGREEMENT_RANKS = 3;

  /** The calibration's inputs, in {@link Calibration#FEATURES} order (the first is the intercept's 1). */
  double[] features() {
    boolean lexTop = lexicalRank >= 0 && lexicalRank < AGREEMENT_RANKS;
    boolean vecTop = vectorRank >= 0 && vectorRank < AGREEMENT_RANKS;
    return new double[] {
      1.0,
      lexicalScore,
      understood ? cosine : 0.0,
      understood ? 0.0 : cosine,
      // Rank features carry the score they were earned with: being first among weak matches proves nothing.
      lexicalRank == 0 ? lexicalScore : 0.0,
      understood && vectorRank == 0 ? cosine : 0.0,
      understood && lexTop && vecTop ? Math.min(lexicalScore, cosine) : 0.0
    };
  }
}
