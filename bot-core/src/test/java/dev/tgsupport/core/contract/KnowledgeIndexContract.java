package dev.tgsupport.core.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.tgsupport.core.InvalidInputException;
import dev.tgsupport.core.port.KnowledgeIndex;
import dev.tgsupport.core.port.KnowledgeIndex.VectorHit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The behaviour of {@link KnowledgeIndex} every implementation must have: exact in-memory search, an in-process ANN
 * index, Qdrant. Extend it and return an empty index for vectors of the given dimension from {@link #index(int)}.
 * Scores are compared within {@link #tolerance()} because servers keep vectors as 32-bit floats. The
 * {@link KnowledgeIndex#fingerprints()} tests are skipped for an index that answers it with {@code Optional.empty()}.
 */
public abstract class KnowledgeIndexContract {

  /** An empty index for vectors of length {@code dimension}; a new one for each call. */
  protected abstract KnowledgeIndex index(int dimension);

  protected double tolerance() {
    return 1e-5;
  }

  private static float[] v(float... xs) {
    return xs;
  }

  private static List<Long> ids(List<VectorHit> hits) {
    return hits.stream().map(VectorHit::entryId).toList();
  }

  @Test
  void scoresAreCosineSimilaritiesBestFirst() {
    KnowledgeIndex index = index(3);
    index.upsert(1, v(1, 0, 0), Map.of());
    index.upsert(2, v(1, 1, 0), Map.of());
    index.upsert(3, v(0, 0.2f, 5), Map.of());
    index.upsert(4, v(-2, 0.1f, 0), Map.of());

    List<VectorHit> hits = index.search(v(3, 0, 0), 10, -1.0, Map.of());

    assertThat(ids(hits)).containsExactly(1L, 2L, 3L, 4L);
    assertThat(hits.get(0).score()).isCloseTo(1.0, within(tolerance()));
    assertThat(hits.get(1).score()).isCloseTo(Math.sqrt(0.5), within(tolerance()));
    assertThat(hits.get(2).score()).isCloseTo(0.0, within(tolerance()));
    assertThat(hits.get(3).score()).isCloseTo(-2 / Math.sqrt(4.01), within(tolerance()));
  }

  @Test
  void theScoreDoesNotDependOnVectorLength() {
    KnowledgeIndex index = index(2);
    index.upsert(1, v(0.3f, 0.4f), Map.of());

    assertThat(index.search(v(30, 40), 1, 0, Map.of()).get(0).score()).isCloseTo(1.0, within(tolerance()));
  }

  @Test
  void limitKeepsTheBest() {
    KnowledgeIndex index = index(2);
    index.upsert(7, v(1, 0.1f), Map.of());
    index.upsert(3, v(1, 0), Map.of());
    index.upsert(5, v(0, 1), Map.of());

    assertThat(ids(index.search(v(1, 0), 2, -1, Map.of()))).containsExactly(3L, 7L);
    assertThat(ids(index.search(v(1, 0), 1, -1, Map.of()))).containsExactly(3L);
    assertThat(index.search(v(1, 0), 0, -1, Map.of())).isEmpty();
  }

  @Test
  void minScoreDropsWeakerHits() {
    KnowledgeIndex index = index(2);
    index.upsert(1, v(1, 0), Map.of());
    index.upsert(2, v(1, 1), Map.of());
    index.upsert(3, v(0, 1), Map.of());

    assertThat(ids(index.search(v(1, 0), 10, 0.5, Map.of()))).containsExactly(1L, 2L);
    assertThat(ids(index.search(v(1, 0), 10, 0.99, Map.of()))).containsExactly(1L);
  }

  @Test
  void theFilterKeepsEntriesWhosePayloadHoldsEveryPair() {
    KnowledgeIndex index = index(2);
    index.upsert(1, v(1, 0), Map.of("status", "validated", "language", "ru"));
    index.upsert(2, v(1, 0.01f), Map.of("status", "validated", "language", "en"));
    index.upsert(3, v(1, 0.02f), Map.of("status", "draft", "language", "ru"));
    index.upsert(4, v(1, 0.03f), Map.of());

    assertThat(ids(index.search(v(1, 0), 10, 0, Map.of("status", "validated")))).containsExactly(1L, 2L);
    assertThat(ids(index.search(v(1, 0), 10, 0, Map.of("status", "validated", "language", "ru"))))
        .containsExactly(1L);
    assertThat(index.search(v(1, 0), 10, 0, Map.of("status", "archived"))).isEmpty();
    assertThat(ids(index.search(v(1, 0), 10, 0, Map.of()))).containsExactly(1L, 2L, 3L, 4L);
  }

  @Test
  void upsertReplacesVectorAndPayloadAndDeleteRemoves() {
    KnowledgeIndex index = index(2);
    index.upsert(1, v(1, 0), Map.of("status", "draft"));
    index.upsert(1, v(0, 1), Map.of("status", "validated"));

    assertThat(index.count()).isEqualTo(1);
    assertThat(ids(index.search(v(0, 1), 1, 0.99, Map.of("status", "validated")))).containsExactly(1L);
    assertThat(index.search(v(1, 0), 1, 0.5, Map.of())).isEmpty();

    index.delete(1);
    index.delete(99);

    assertThat(index.count()).isZero();
    assertThat(index.search(v(0, 1), 1, -1, Map.of())).isEmpty();
  }

  @Test
  void storedVectorsAndPayloadsAreCopies() {
    KnowledgeIndex index = index(2);
    float[] vector = v(1, 0);
    Map<String, String> payload = new HashMap<>(Map.of("status", "validated"));
    index.upsert(1, vector, payload);

    vector[0] = 0;
    vector[1] = 1;
    payload.put("status", "draft");

    assertThat(ids(index.search(v(1, 0), 1, 0.99, Map.of("status", "validated")))).containsExactly(1L);
  }

  @Test
  void largeAndNegativeLookingIdsRoundTrip() {
    KnowledgeIndex index = index(2);
    long big = (1L << 52) + 3;
    index.upsert(big, v(1, 0), Map.of());

    assertThat(ids(index.search(v(1, 0), 1, 0, Map.of()))).containsExactly(big);
  }

  @Test
  void aVectorOfAnotherDimensionIsRefusedNamingExpectedAndActualLength() {
    KnowledgeIndex index = index(3);
    index.upsert(1, v(1, 0, 0), Map.of());

    assertThatThrownBy(() -> index.upsert(2, v(1, 0), Map.of()))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("vector must have length 3 (the index dimension), was 2")
        .extracting(e -> ((InvalidInputException) e).field()).isEqualTo("vector");
    assertThatThrownBy(() -> index.search(v(1, 0, 0, 0), 1, 0, Map.of()))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("query must have length 3 (the index dimension), was 4");
    assertThat(index.count()).isEqualTo(1);
  }

  @Test
  void zeroEmptyAndNonFiniteVectorsAreRefusedAndNothingIsStored() {
    KnowledgeIndex index = index(2);
    assertThatThrownBy(() -> index.upsert(1, v(0, 0), Map.of()))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("vector must not be all zeros (its cosine similarity is undefined)");
    assertThatThrownBy(() -> index.upsert(1, v(), Map.of())).hasMessage("vector must not be empty");
    assertThatThrownBy(() -> index.upsert(1, v(1, Float.NaN), Map.of()))
        .hasMessage("vector[1] must be finite, was NaN");
    assertThatThrownBy(() -> index.search(v(1, Float.POSITIVE_INFINITY), 1, 0, Map.of()))
        .isInstanceOf(InvalidInputException.class);
    assertThat(index.count()).isZero();
  }

  @Test
  void aNegativeLimitIsRefused() {
    KnowledgeIndex index = index(2);
    assertThatThrownBy(() -> index.search(v(1, 0), -1, 0, Map.of()))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("limit must be >= 0, was -1");
  }

  @Test
  void findsTheNearestAmongAThousandRandomVectors() {
    int dim = 32;
    KnowledgeIndex index = index(dim);
    Random random = new Random(42);
    List<float[]> vectors = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      float[] x = new float[dim];
      for (int j = 0; j < dim; j++) {
        x[j] = (float) random.nextGaussian();
      }
      vectors.add(x);
      index.upsert(i + 1, x, Map.of("parity", i % 2 == 0 ? "odd-id" : "even-id"));
    }
    assertThat(index.count()).isEqualTo(1000);
    for (int q = 0; q < 20; q++) {
      int target = random.nextInt(1000);
      float[] query = vectors.get(target).clone();
      query[0] += 0.01f;
      List<VectorHit> hits = index.search(query, 5, -1, Map.of());
      assertThat(hits).hasSize(5);
      assertThat(hits.get(0).entryId()).isEqualTo(target + 1);
      for (int k = 1; k < hits.size(); k++) {
        assertThat(hits.get(k).score()).isLessThanOrEqualTo(hits.get(k - 1).score());
      }
      String parity = target % 2 == 0 ? "odd-id" : "even-id";
      assertThat(index.search(query, 3, -1, Map.of("parity", parity)).get(0).entryId()).isEqualTo(target + 1);
    }
  }

  /** The index's fingerprints, or the test is skipped when the index cannot list them. */
  private static Map<Long, String> fingerprintsOrSkip(KnowledgeIndex index) {
    var listed = index.fingerprints();
    Assumptions.assumeTrue(listed.isPresent(), "the index does not list its points");
    return listed.get();
  }

  @Test
  void fingerprintsListEveryPointWithItsLastFingerprint() {
    KnowledgeIndex index = index(2);
    assertThat(fingerprintsOrSkip(index)).isEmpty();
    long big = (1L << 52) + 3;
    index.upsert(1, v(1, 0), Map.of(KnowledgeIndex.FINGERPRINT_KEY, "aaaa", "status", "validated"));
    index.upsert(2, v(0, 1), Map.of(KnowledgeIndex.FINGERPRINT_KEY, "bbbb"));
    index.upsert(3, v(1, 1), Map.of("status", "validated"));
    index.upsert(big, v(1, 2), Map.of(KnowledgeIndex.FINGERPRINT_KEY, "dddd"));
    index.upsert(2, v(0, 1), Map.of(KnowledgeIndex.FINGERPRINT_KEY, "cccc"));
    index.delete(1);

    assertThat(fingerprintsOrSkip(index)).isEqualTo(Map.of(2L, "cccc", 3L, "", big, "dddd"));
  }

  @Test
  void fingerprintsListManyPointsAndOnlyTheFingerprint() {
    KnowledgeIndex index = index(2);
    Map<Long, String> expected = new HashMap<>();
    // More than a page of a paging implementation (Qdrant's scroll pages are 1,000 points), ids out of order.
    for (int i = 0; i < 2_345; i++) {
      long id = (i * 7919L) % 10_007 + 1;
      String fingerprint = Long.toHexString(id * 31);
      expected.put(id, fingerprint);
      index.upsert(id, v(1, i), Map.of(KnowledgeIndex.FINGERPRINT_KEY, fingerprint, "tags", "a,b"));
    }

    Map<Long, String> listed = fingerprintsOrSkip(index);

    assertThat(listed).hasSize(2_345).isEqualTo(expected);
    assertThat(index.count()).isEqualTo(2_345);
  }

  @Test
  void concurrentSearchesAndWritesStayConsistent() throws Exception {
    KnowledgeIndex index = index(2);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int i = 1; i <= 200; i++) {
        long id = i;
        futures.add(pool.submit(() -> index.upsert(id, v(1, id), Map.of("n", Long.toString(id)))));
        futures.add(pool.submit(() -> index.search(v(1, 1), 5, 0, Map.of())));
      }
      for (Future<?> f : futures) {
        f.get();
      }

      assertThat(index.count()).isEqualTo(200);
      assertThat(ids(index.search(v(1, 7), 1, 0, Map.of("n", "7")))).containsExactly(7L);
    } finally {
      pool.shutdownNow();
    }
  }
}
