package dev.tgsupport.core.port;

import java.util.List;
import java.util.Map;

/** A vector index over knowledge entries (Qdrant, an in-process ANN index, exact in-memory search). */
public interface KnowledgeIndex {
  /** A search result: the entry id and its cosine similarity, in [-1, 1] (map it before making a KnowledgeHit). */
  record VectorHit(long entryId, double score) {}

  /**
   * Inserts or replaces the vector of an entry with its payload (status, language, tags…). All vectors of an index
   * have one length; a vector of another length, or with no length, is refused with an
   * {@link dev.tgsupport.core.InvalidInputException} naming {@code vector}.
   */
  void upsert(long entryId, float[] vector, Map<String, String> payload);

  void delete(long entryId);

  /**
   * The {@code limit} nearest entries with score at least {@code minScore} whose payload contains every pair of
   * {@code filter}, best first.
   */
  List<VectorHit> search(float[] query, int limit, double minScore, Map<String, String> filter);

  long count();
}
