package dev.tgsupport.core.memory;

import static dev.tgsupport.core.InvalidInputException.check;
import static dev.tgsupport.core.InvalidInputException.requireNonNull;

import dev.tgsupport.core.InvalidInputException;
import dev.tgsupport.core.knowledge.Vectors;
import dev.tgsupport.core.port.KnowledgeIndex;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * A {@link KnowledgeIndex} that searches exactly: every query is compared with every stored vector by cosine
 * similarity. Right for the few thousand entries of a support knowledge base; use a vector database beyond that.
 *
 * <p>All vectors of one index have the same length: the one given to {@link #create(int)}, or that of the first
 * vector stored when created with {@link #create()}. A vector or query of another length, of length zero, all zeros
 * or with a NaN or infinite component raises {@link InvalidInputException} naming {@code vector} (or {@code query})
 * with the expected and the actual length. Scores are cosine similarities in [-1, 1]; ties are broken by the smaller
 * entry id, so results are deterministic.
 *
 * <p>Thread-safe: searches run in parallel, writes exclusively. Vectors and payloads are copied on the way in.
 * One instance per index; nothing survives the process.
 */
public final class InMemoryKnowledgeIndex implements KnowledgeIndex {
  private record Point(double[] unit, Map<String, String> payload) {}

  private static final Comparator<VectorHit> BEST_FIRST =
      Comparator.comparingDouble(VectorHit::score).reversed().thenComparingLong(VectorHit::entryId);

  private final ReadWriteLock lock = new ReentrantReadWriteLock();
  private final Map<Long, Point> points = new HashMap<>();
  // 0 until fixed by create(int) or the first upsert; guarded by lock.
  private int dimension;

  private InMemoryKnowledgeIndex(int dimension) {
    this.dimension = dimension;
  }

  /** An empty index whose dimension is fixed by the first vector stored. */
  public static InMemoryKnowledgeIndex create() {
    return new InMemoryKnowledgeIndex(0);
  }

  /** An empty index for vectors of length {@code dimension} (the {@code Embedder}'s dimension). */
  public static InMemoryKnowledgeIndex create(int dimension) {
    check(dimension > 0, "dimension", "must be > 0", dimension);
    return new InMemoryKnowledgeIndex(dimension);
  }

  @Override
  public void upsert(long entryId, float[] vector, Map<String, String> payload) {
    requireNonNull(vector, "vector");
    requireNonNull(payload, "payload");
    Map<String, String> copy = copyPayload(payload);
    lock.writeLock().lock();
    try {
      double[] unit = unit(vector, "vector", dimension == 0 ? vector.length : dimension);
      dimension = vector.length;
      points.put(entryId, new Point(unit, copy));
    } finally {
      lock.writeLock().unlock();
    }
  }

  @Override
  public void delete(long entryId) {
    lock.writeLock().lock();
    try {
      points.remove(entryId);
    } finally {
      lock.writeLock().unlock();
    }
  }

  /**
   * The best {@code limit} entries by cosine similarity with {@code query}, at least {@code minScore}, whose payload
   * holds every pair of {@code filter} (an empty filter matches all). Before its dimension is fixed, the index finds
   * nothing for a query of any length.
   */
  @Override
  public List<VectorHit> search(float[] query, int limit, double minScore, Map<String, String> filter) {
    requireNonNull(query, "query");
    requireNonNull(filter, "filter");
    check(limit >= 0, "limit", "must be >= 0", limit);
    check(!Double.isNaN(minScore), "minScore", "must be a number", minScore);
    lock.readLock().lock();
    try {
      double[] q = unit(query, "query", dimension == 0 ? query.length : dimension);
      List<VectorHit> hits = new ArrayList<>();
      for (Map.Entry<Long, Point> e : points.entrySet()) {
        Point p = e.getValue();
        if (!matches(p.payload(), filter)) {
          continue;
        }
        double score = Math.max(-1.0, Math.min(1.0, dot(q, p.unit())));
        if (score >= minScore) {
          hits.add(new VectorHit(e.getKey(), score));
        }
      }
      hits.sort(BEST_FIRST);
      return List.copyOf(hits.subList(0, Math.min(limit, hits.size())));
    } finally {
      lock.readLock().unlock();
    }
  }

  @Override
  public long count() {
    lock.readLock().lock();
    try {
      return points.size();
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Every point with its fingerprint: nothing survives the process, so this lists what this process wrote. */
  @Override
  public Optional<Map<Long, String>> fingerprints() {
    lock.readLock().lock();
    try {
      Map<Long, String> out = new HashMap<>();
      points.forEach((id, p) -> out.put(id, p.payload().getOrDefault(FINGERPRINT_KEY, "")));
      return Optional.of(Map.copyOf(out));
    } finally {
      lock.readLock().unlock();
    }
  }

  private static boolean matches(Map<String, String> payload, Map<String, String> filter) {
    for (Map.Entry<String, String> f : filter.entrySet()) {
      if (!f.getValue().equals(payload.get(f.getKey()))) {
        return false;
      }
    }
    return true;
  }

  private static Map<String, String> copyPayload(Map<String, String> payload) {
    for (Map.Entry<String, String> e : payload.entrySet()) {
      check(e.getKey() != null && e.getValue() != null, "payload", "must hold no null key or value", payload);
    }
    return Map.copyOf(payload);
  }

  /** The vector scaled to length 1, after checking its dimension and values. */
  private static double[] unit(float[] v, String field, int expected) {
    double norm = Vectors.checkedNorm(v, field, expected);
    double[] unit = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      unit[i] = v[i] / norm;
    }
    return unit;
  }

  private static double dot(double[] a, double[] b) {
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      sum += a[i] * b[i];
    }
    return sum;
  }
}
