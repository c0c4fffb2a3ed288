package dev.tgsupport.knowledge.hnsw;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.tgsupport.core.InvalidInputException;
import dev.tgsupport.core.StorageUnavailableException;
import dev.tgsupport.core.contract.KnowledgeIndexContract;
import dev.tgsupport.core.port.KnowledgeIndex;
import dev.tgsupport.core.port.KnowledgeIndex.VectorHit;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The in-memory HNSW index against the shared contract, plus what only it has: disk, options, closing. */
class HnswKnowledgeIndexTest extends KnowledgeIndexContract {
  private final List<HnswKnowledgeIndex> opened = new ArrayList<>();

  @Override
  protected KnowledgeIndex index(int dimension) {
    return track(HnswKnowledgeIndex.create(dimension));
  }

  private HnswKnowledgeIndex track(HnswKnowledgeIndex index) {
    opened.add(index);
    return index;
  }

  @AfterEach
  void closeAll() {
    opened.forEach(HnswKnowledgeIndex::close);
  }

  private static List<Long> ids(List<VectorHit> hits) {
    return hits.stream().map(VectorHit::entryId).toList();
  }

  @Test
  void anIndexOnDiskKeepsItsVectorsAndPayloadsAcrossARestart(@TempDir Path dir) {
    Path at = dir.resolve("knowledge-index");
    try (HnswKnowledgeIndex index = HnswKnowledgeIndex.open(at, 3)) {
      index.upsert(1, new float[] {1, 0, 0}, Map.of("status", "validated", "language", "en"));
      index.upsert(2, new float[] {0, 1, 0}, Map.of("status", "draft"));
      index.upsert(3, new float[] {0, 0, 1}, Map.of("status", "validated"));
      index.delete(3);
    }

    try (HnswKnowledgeIndex index = HnswKnowledgeIndex.open(at, 3)) {
      assertThat(index.count()).isEqualTo(2);
      List<VectorHit> hits = index.search(new float[] {1, 0.5f, 0}, 10, -1, Map.of());
      assertThat(ids(hits)).containsExactly(1L, 2L);
      assertThat(hits.get(0).score()).isCloseTo(1 / Math.sqrt(1.25), within(1e-6));
      assertThat(ids(index.search(new float[] {0, 1, 0}, 10, -1, Map.of("status", "validated", "language", "en"))))
          .containsExactly(1L);
      assertThat(ids(index.search(new float[] {0, 0, 1}, 10, -1, Map.of("status", "draft")))).containsExactly(2L);

      index.upsert(2, new float[] {0, 0, 1}, Map.of("status", "validated"));
    }

    try (HnswKnowledgeIndex index = HnswKnowledgeIndex.open(at, 3)) {
      assertThat(index.count()).isEqualTo(2);
      assertThat(index.search(new float[] {0, 0, 1}, 1, 0.99, Map.of("status", "validated")))
          .extracting(VectorHit::entryId).containsExactly(2L);
      assertThat(index.search(new float[] {0, 0, 1}, 10, -1, Map.of("status", "draft"))).isEmpty();
    }
  }

  @Test
  void fingerprintsSurviveARestartAndAnUpdateReplacesThem(@TempDir Path dir) {
    Path at = dir.resolve("knowledge-index");
    try (HnswKnowledgeIndex index = HnswKnowledgeIndex.open(at, 2)) {
      index.upsert(1, new float[] {1, 0}, Map.of(KnowledgeIndex.FINGERPRINT_KEY, "f1"));
      index.upsert(2, new float[] {0, 1}, Map.of(KnowledgeIndex.FINGERPRINT_KEY, "f2"));
      index.optimize();
      index.upsert(2, new float[] {1, 1}, Map.of(KnowledgeIndex.FINGERPRINT_KEY, "f2b"));
      index.upsert(3, new float[] {1, 2}, Map.of());
    }

    try (HnswKnowledgeIndex index = HnswKnowledgeIndex.open(at, 2)) {
      assertThat(index.fingerprints()).hasValue(Map.of(1L, "f1", 2L, "f2b", 3L, ""));
    }
  }

  @Test
  void reopeningWithAnotherDimensionIsRefusedNamingBoth(@TempDir Path dir) {
    try (HnswKnowledgeIndex index = HnswKnowledgeIndex.open(dir, 3)) {
      index.upsert(1, new float[] {1, 0, 0}, Map.of());
    }
    assertThatThrownBy(() -> HnswKnowledgeIndex.open(dir, 384))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("dimension must be 3, the length of the vectors stored at " + dir + ", was 384");
    // The refused open released the directory: it opens again.
    try (HnswKnowledgeIndex index = HnswKnowledgeIndex.open(dir, 3)) {
      assertThat(index.count()).isEqualTo(1);
    }
  }

  @Test
  void aDirectoryOpenTwiceIsRefusedAsUnavailable(@TempDir Path dir) {
    try (HnswKnowledgeIndex index = HnswKnowledgeIndex.open(dir, 2)) {
      index.upsert(1, new float[] {1, 0}, Map.of());
      assertThatThrownBy(() -> HnswKnowledgeIndex.open(dir, 2))
          .isInstanceOf(StorageUnavailableException.class)
          .hasMessageStartingWith("cannot open the HNSW index at " + dir + ": ")
          .hasMessageContaining("write.lock");
      assertThat(index.count()).isEqualTo(1);
    }
  }

  @Test
  void vectorsWiderThanLuceneDefaultLimitAreIndexed(@TempDir Path dir) {
    int dim = 1536;
    float[] a = new float[dim];
    float[] b = new float[dim];
    a[0] = 1;
    b[dim - 1] = 1;
    try (HnswKnowledgeIndex index = HnswKnowledgeIndex.open(dir, dim)) {
      index.upsert(1, a, Map.of());
      index.upsert(2, b, Map.of());
      index.optimize();
    }
    try (HnswKnowledgeIndex index = HnswKnowledgeIndex.open(dir, dim)) {
      assertThat(ids(index.search(b, 2, -1, Map.of()))).containsExactly(2L, 1L);
    }
  }

  @Test
  void optimizeMergesAndKeepsEverything() {
    HnswKnowledgeIndex index = track(HnswKnowledgeIndex.create(2));
    for (int i = 1; i <= 50; i++) {
      index.upsert(i, new float[] {1, i}, Map.of("n", Integer.toString(i)));
      if (i % 10 == 0) {
        index.search(new float[] {1, 0}, 1, -1, Map.of()); // a refresh: one more segment
      }
    }
    index.delete(50);
    index.optimize();

    assertThat(index.count()).isEqualTo(49);
    assertThat(ids(index.search(new float[] {1, 7}, 1, -1, Map.of("n", "7")))).containsExactly(7L);
    assertThat(index.search(new float[] {1, 50}, 1, -1, Map.of("n", "50"))).isEmpty();
  }

  @Test
  void payloadPairsDoNotRunIntoEachOther() {
    HnswKnowledgeIndex index = track(HnswKnowledgeIndex.create(2));
    index.upsert(1, new float[] {1, 0}, Map.of("a=b", "c"));
    index.upsert(2, new float[] {1, 0}, Map.of("a", "b=c"));

    assertThat(ids(index.search(new float[] {1, 0}, 10, -1, Map.of("a", "b=c")))).containsExactly(2L);
    assertThat(ids(index.search(new float[] {1, 0}, 10, -1, Map.of("a=b", "c")))).containsExactly(1L);
  }

  @Test
  void badOptionsAreRefusedNamingTheField() {
    assertThatThrownBy(() -> HnswKnowledgeIndex.create(0))
        .isInstanceOf(InvalidInputException.class).hasMessage("dimension must be in 1..4096, was 0");
    assertThatThrownBy(() -> HnswKnowledgeIndex.create(5000))
        .hasMessage("dimension must be in 1..4096, was 5000");
    assertThatThrownBy(() -> HnswKnowledgeIndex.builder(8).maxConnections(0).build())
        .hasMessage("maxConnections must be in 1..512, was 0");
    assertThatThrownBy(() -> HnswKnowledgeIndex.builder(8).beamWidth(4000).build())
        .hasMessage("beamWidth must be in 1..3200, was 4000");
    assertThatThrownBy(() -> HnswKnowledgeIndex.builder(8).searchCandidates(0).build())
        .hasMessage("searchCandidates must be in 1..10000, was 0");
    assertThatThrownBy(() -> HnswKnowledgeIndex.builder(8).directory(null))
        .hasMessage("directory must not be null");
  }

  @Test
  void optionsAreKeptAndShown() {
    HnswKnowledgeIndex index = track(HnswKnowledgeIndex.builder(8).maxConnections(24).beamWidth(200)
        .searchCandidates(64).build());
    assertThat(index.options()).isEqualTo(new HnswKnowledgeIndex.Options(8, 24, 200, 64));
    assertThat(index).hasToString("HnswKnowledgeIndex[in memory, Options[dimension=8, maxConnections=24,"
        + " beamWidth=200, searchCandidates=64]]");
  }

  @Test
  void aClosedIndexRefusesEveryCallButClose() {
    HnswKnowledgeIndex index = HnswKnowledgeIndex.create(2);
    index.upsert(1, new float[] {1, 0}, Map.of());
    index.close();
    index.close();

    assertThatThrownBy(() -> index.search(new float[] {1, 0}, 1, -1, Map.of()))
        .isInstanceOf(IllegalStateException.class).hasMessage("the HNSW index in memory is closed");
    assertThatThrownBy(() -> index.upsert(2, new float[] {1, 0}, Map.of()))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(index::count).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(index::optimize).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void aNullFilterOrPayloadIsRefusedNamingIt() {
    HnswKnowledgeIndex index = track(HnswKnowledgeIndex.create(2));
    assertThatThrownBy(() -> index.upsert(1, new float[] {1, 0}, null)).hasMessage("payload must not be null");
    assertThatThrownBy(() -> index.search(new float[] {1, 0}, 1, 0, null)).hasMessage("filter must not be null");
    assertThatThrownBy(() -> index.search(new float[] {1, 0}, 1, Double.NaN, Map.of()))
        .hasMessage("minScore must be a number, was NaN");
  }
}
