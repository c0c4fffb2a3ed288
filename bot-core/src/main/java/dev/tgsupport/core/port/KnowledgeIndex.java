package dev.tgsupport.core.port;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A vector index over knowledge entries (Qdrant, an in-process ANN index, exact in-memory search). */
public interface KnowledgeIndex {
  /**
   * The payload key whose value {@link #fingerprints()} lists: what the writer of a point wants to recognise it by
   * later (the retriever stores a hash of the embedded text and the model, to skip re-embedding unchanged entries).
   */
  String FINGERPRINT_KEY = "fingerprint";

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

  /**
   * Every point of the index: its entry id and the value of its {@value #FINGERPRINT_KEY} payload key as last
   * upserted ({@code ""} for a point upserted without one). Empty when the index cannot list its points cheaply;
   * the caller then has to treat every entry as unknown to the index.
   *
   * <p>Read once at start-up, not per query: an index that persists across restarts (Qdrant, an HNSW directory)
   * answers with what a previous process wrote, so a caller re-embeds only what changed and deletes the points of
   * entries it no longer has. The map is a snapshot, not a view; a write running meanwhile may or may not be in it.
   *
   * <p>Fails like the other calls: a {@link dev.tgsupport.core.RetriableException} when the index is down or slow
   * (carry on as if it had answered empty), a non-retriable one otherwise.
   */
  default Optional<Map<Long, String>> fingerprints() {
    return Optional.empty();
  }
}
