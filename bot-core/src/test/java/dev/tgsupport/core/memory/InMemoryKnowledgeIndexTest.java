package dev.tgsupport.core.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.tgsupport.core.InvalidInputException;
import dev.tgsupport.core.port.KnowledgeIndex.VectorHit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class InMemoryKnowledgeIndexTest {
  private final InMemoryKnowledgeIndex index = InMemoryKnowledgeIndex.create();

  private static float[] v(float... xs) {
    return xs;
  }

  @Test
  void scoresAreCosineSimilaritiesBestFirst() {
    index.upsert(1, v(1, 0, 0), Map.of());
    index.upsert(2, v(1, 1, 0), Map.of());
    index.upsert(3, v(0, 0, 5), Map.of());
    index.upsert(4, v(-2, 0, 0), Map.of());

    List<VectorHit> hits = index.search(v(3, 0, 0), 10, -1.0, Map.of());

    assertThat(hits).extracting(VectorHit::entryId).containsExactly(1L, 2L, 3L, 4L);
    assertThat(hits.get(0).score()).isCloseTo(1.0, within(1e-9));
    assertThat(hits.get(1).score()).isCloseTo(Math.sqrt(0.5), within(1e-9));
    assertThat(hits.get(2).score()).isCloseTo(0.0, within(1e-9));
    assertThat(hits.get(3).score()).isCloseTo(-1.0, within(1e-9));
  }

  @Test
  void theScoreDoesNotDependOnVectorLength() {
    index.upsert(1, v(0.3f, 0.4f), Map.of());

    assertThat(index.search(v(30, 40), 1, 0, Map.of()).get(0).score()).isCloseTo(1.0, within(1e-6));
  }

  @Test
  void limitKeepsTheBestAndTiesGoToTheSmallerId() {
    index.upsert(7, v(1, 0), Map.of());
    index.upsert(3, v(2, 0), Map.of());
    index.upsert(5, v(0, 1), Map.of());

    assertThat(index.search(v(1, 0), 2, -1, Map.of())).extracting(VectorHit::entryId).containsExactly(3L, 7L);
    assertThat(index.search(v(1, 0), 0, -1, Map.of())).isEmpty();
  }

  @Test
  void minScoreDropsWeakerHitsAndKeepsEqualOnes() {
    index.upsert(1, v(1, 0), Map.of());
    index.upsert(2, v(1, 1), Map.of());
    index.upsert(3, v(0, 1), Map.of());

    assertThat(index.search(v(1, 0), 10, 0.5, Map.of())).extracting(VectorHit::entryId).containsExactly(1L, 2L);
    assertThat(index.search(v(1, 0), 10, 1.0, Map.of())).extracting(VectorHit::entryId).containsExactly(1L);
  }

  @Test
  void theFilterKeepsEntriesWhosePayloadHoldsEveryPair() {
    index.upsert(1, v(1, 0), Map.of("status", "validated", "language", "ru"));
    index.upsert(2, v(1, 0), Map.of("status", "validated", "language", "en"));
    index.upsert(3, v(1, 0), Map.of("status", "draft", "language", "ru"));
    index.upsert(4, v(1, 0), Map.of());

    assertThat(index.search(v(1, 0), 10, 0, Map.of("status", "validated")))
        .extracting(VectorHit::entryId).containsExactly(1L, 2L);
    assertThat(index.search(v(1, 0), 10, 0, Map.of("status", "validated", "language", "ru")))
        .extracting(VectorHit::entryId).containsExactly(1L);
    assertThat(index.search(v(1, 0), 10, 0, Map.of("status", "archived"))).isEmpty();
  }

  @Test
  void upsertReplacesVectorAndPayloadAndDeleteRemoves() {
    index.upsert(1, v(1, 0), Map.of("status", "draft"));
    index.upsert(1, v(0, 1), Map.of("status", "validated"));

    assertThat(index.count()).isEqualTo(1);
    assertThat(index.search(v(0, 1), 1, 0.99, Map.of("status", "validated")))
        .extracting(VectorHit::entryId).containsExactly(1L);

    index.delete(1);
    index.delete(99);

    assertThat(index.count()).isZero();
    assertThat(index.search(v(0, 1), 1, -1, Map.of())).isEmpty();
  }

  @Test
  void storedVectorsAndPayloadsAreCopies() {
    float[] vector = v(1, 0);
    Map<String, String> payload = new HashMap<>(Map.of("status", "validated"));
    index.upsert(1, vector, payload);

    vector[0] = 0;
    vector[1] = 1;
    payload.put("status", "draft");

    assertThat(index.search(v(1, 0), 1, 0.99, Map.of("status", "validated")))
        .extracting(VectorHit::entryId).containsExactly(1L);
  }

  @Test
  void aVectorOfAnotherDimensionIsRefusedNamingExpectedAndActualLength() {
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
  void theDimensionGivenAtCreationAppliesFromTheStart() {
    InMemoryKnowledgeIndex fixed = InMemoryKnowledgeIndex.create(4);

    assertThatThrownBy(() -> fixed.upsert(1, v(1, 0), Map.of()))
        .hasMessage("vector must have length 4 (the index dimension), was 2");
    assertThatThrownBy(() -> InMemoryKnowledgeIndex.create(0)).hasMessage("dimension must be > 0, was 0");
  }

  @Test
  void zeroEmptyAndNonFiniteVectorsAreRefused() {
    assertThatThrownBy(() -> index.upsert(1, v(0, 0), Map.of()))
        .hasMessage("vector must not be all zeros (its cosine similarity is undefined)");
    assertThatThrownBy(() -> index.upsert(1, v(), Map.of())).hasMessage("vector must not be empty");
    assertThatThrownBy(() -> index.upsert(1, v(1, Float.NaN), Map.of()))
        .hasMessage("vector[1] must be finite, was NaN");
    assertThat(index.count()).isZero();
  }

  @Test
  void concurrentSearchesAndWritesStayConsistent() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        long id = i;
        futures.add(pool.submit(() -> index.upsert(id, v(1, id), Map.of("n", Long.toString(id)))));
        futures.add(pool.submit(() -> index.search(v(1, 1), 5, 0, Map.of())));
      }
      for (Future<?> f : futures) {
        f.get();
      }

      assertThat(index.count()).isEqualTo(200);
      assertThat(index.search(v(1, 7), 1, 0, Map.of("n", "7"))).extracting(VectorHit::entryId).containsExactly(7L);
    } finally {
      pool.shutdownNow();
    }
  }
}
