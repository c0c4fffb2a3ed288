package dev.tgsupport.knowledge.hnsw;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tgsupport.core.memory.InMemoryKnowledgeIndex;
import dev.tgsupport.core.port.KnowledgeIndex;
import dev.tgsupport.core.port.KnowledgeIndex.VectorHit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Recall@10 of the HNSW index against exact search ({@link InMemoryKnowledgeIndex}) on the same 10,000 vectors, with
 * the default options. The vectors are a mixture of Gaussian clusters, the way sentence embeddings group by topic:
 * 100 cluster centres in random directions, each point its centre plus noise as long as the centre (cosine about
 * 0.5 within a cluster, about 0 across). Queries are new points of the same distribution.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HnswRecallTest {
  private static final int ENTRIES = 10_000;
  private static final int DIMENSION = 128;
  private static final int CLUSTERS = 100;
  private static final int QUERIES = 200;
  private static final int K = 10;

  private final Random random = new Random(20_261_123);
  private final float[][] centres = new float[CLUSTERS][];
  private HnswKnowledgeIndex hnsw;
  private InMemoryKnowledgeIndex exact;

  @BeforeAll
  void build() {
    for (int c = 0; c < CLUSTERS; c++) {
      centres[c] = gaussian(1.0);
    }
    hnsw = HnswKnowledgeIndex.create(DIMENSION);
    exact = InMemoryKnowledgeIndex.create(DIMENSION);
    for (int i = 0; i < ENTRIES; i++) {
      float[] v = point();
      // Half validated, a tenth in Russian (all of those validated); unrelated to the vector.
      Map<String, String> payload = Map.of("status", i % 2 == 0 ? "validated" : "draft",
          "language", i % 10 == 4 ? "ru" : "en");
      hnsw.upsert(i, v, payload);
      exact.upsert(i, v, payload);
    }
    hnsw.optimize();
  }

  @AfterAll
  void close() {
    hnsw.close();
  }

  @Test
  void recallAt10IsAtLeast95Percent() {
    assertThat(hnsw.count()).isEqualTo(ENTRIES);
    assertThat(recall(Map.of())).isGreaterThanOrEqualTo(0.95);
  }

  @Test
  void recallAt10WithAPayloadFilterIsAtLeast95Percent() {
    assertThat(recall(Map.of("status", "validated"))).isGreaterThanOrEqualTo(0.95);
    assertThat(recall(Map.of("status", "validated", "language", "ru"))).isGreaterThanOrEqualTo(0.95);
  }

  @Test
  void updatesAndDeletesAreSeenBySearchAndCount() {
    HnswKnowledgeIndex copy = HnswKnowledgeIndex.create(DIMENSION);
    InMemoryKnowledgeIndex copyExact = InMemoryKnowledgeIndex.create(DIMENSION);
    try (copy) {
      Random r = new Random(7);
      float[][] vectors = new float[3_000][];
      for (int i = 0; i < vectors.length; i++) {
        vectors[i] = point();
        copy.upsert(i, vectors[i], Map.of("n", Integer.toString(i % 3)));
        copyExact.upsert(i, vectors[i], Map.of("n", Integer.toString(i % 3)));
      }
      // Move entries of the first half to new vectors and payloads; delete entries of the second half.
      Set<Integer> moved = new HashSet<>();
      Set<Integer> deleted = new HashSet<>();
      for (int i = 0; i < 300; i++) {
        int m = r.nextInt(1_500);
        moved.add(m);
        vectors[m] = point();
        copy.upsert(m, vectors[m], Map.of("n", "moved"));
        copyExact.upsert(m, vectors[m], Map.of("n", "moved"));
        int d = 1_500 + r.nextInt(1_500);
        deleted.add(d);
        copy.delete(d);
        copyExact.delete(d);
      }

      assertThat(copy.count()).isEqualTo(3_000 - deleted.size()).isEqualTo(copyExact.count());
      assertThat(recall(copy, copyExact, Map.of())).isGreaterThanOrEqualTo(0.95);
      assertThat(recall(copy, copyExact, Map.of("n", "moved"))).isGreaterThanOrEqualTo(0.95);
      for (int m : moved) {
        List<VectorHit> hits = copy.search(vectors[m], 1, -1, Map.of("n", "moved"));
        assertThat(hits).extracting(VectorHit::entryId).containsExactly((long) m);
        assertThat(hits.get(0).score()).isGreaterThan(0.9999);
        assertThat(copy.search(vectors[m], 10, -1, Map.of("n", Integer.toString(m % 3))))
            .extracting(VectorHit::entryId).doesNotContain((long) m);
      }
      for (int d : deleted) {
        assertThat(copy.search(vectors[d], 10, -1, Map.of())).extracting(VectorHit::entryId)
            .doesNotContain((long) d);
      }
    }
  }

  private double recall(Map<String, String> filter) {
    return recall(hnsw, exact, filter);
  }

  private double recall(KnowledgeIndex approximate, KnowledgeIndex truth, Map<String, String> filter) {
    int found = 0;
    int wanted = 0;
    for (int q = 0; q < QUERIES; q++) {
      float[] query = point();
      Set<Long> expected = new HashSet<>(ids(truth.search(query, K, -1, filter)));
      List<VectorHit> hits = approximate.search(query, K, -1, filter);
      assertThat(hits).hasSameSizeAs(expected);
      for (int i = 1; i < hits.size(); i++) {
        assertThat(hits.get(i).score()).isLessThanOrEqualTo(hits.get(i - 1).score());
      }
      for (Long id : ids(hits)) {
        if (expected.contains(id)) {
          found++;
        }
      }
      wanted += expected.size();
    }
    assertThat(wanted).as("exact hits for filter %s", filter).isGreaterThan(0);
    return (double) found / wanted;
  }

  private static List<Long> ids(List<VectorHit> hits) {
    List<Long> out = new ArrayList<>(hits.size());
    hits.forEach(h -> out.add(h.entryId()));
    return out;
  }

  private float[] point() {
    float[] centre = centres[random.nextInt(CLUSTERS)];
    float[] noise = gaussian(1.0);
    float[] out = new float[DIMENSION];
    for (int i = 0; i < DIMENSION; i++) {
      out[i] = centre[i] + noise[i];
    }
    return out;
  }

  /** A random direction, of length about {@code length}. */
  private float[] gaussian(double length) {
    float[] out = new float[DIMENSION];
    double scale = length / Math.sqrt(DIMENSION);
    for (int i = 0; i < DIMENSION; i++) {
      out[i] = (float) (random.nextGaussian() * scale);
    }
    return out;
  }
}
