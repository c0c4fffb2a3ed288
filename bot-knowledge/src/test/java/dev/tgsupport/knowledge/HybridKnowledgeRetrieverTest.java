package dev.tgsupport.knowledge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tgsupport.core.InvalidInputException;
import dev.tgsupport.core.memory.InMemoryKnowledgeIndex;
import dev.tgsupport.core.model.KnowledgeEntry;
import dev.tgsupport.core.model.KnowledgeHit;
import dev.tgsupport.core.model.KnowledgeSource;
import dev.tgsupport.core.model.KnowledgeStatus;
import dev.tgsupport.core.port.Embedder;
import dev.tgsupport.core.port.KnowledgeRetriever;
import dev.tgsupport.core.text.HashingEmbedder;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The hybrid retriever's lifecycle and failure handling, over the model-free hashing embedder. */
class HybridKnowledgeRetrieverTest {
  private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");

  private final CountingEmbedder embedder = new CountingEmbedder(HashingEmbedder.create());
  private final InMemoryKnowledgeIndex vectors = InMemoryKnowledgeIndex.create(embedder.dimension());
  private final FailingKnowledgeIndex index = new FailingKnowledgeIndex(vectors);

  static KnowledgeEntry entry(long id, String question, String answer, KnowledgeStatus status) {
    return new KnowledgeEntry(id, question, answer, List.of("account", "security"), KnowledgeSource.MANUAL, status,
        null, null, null, T0);
  }

  private HybridKnowledgeRetriever.Builder builder() {
    return HybridKnowledgeRetriever.builder().embedder(embedder).index(index).retryInterval(Duration.ZERO);
  }

  private static final KnowledgeEntry RESET =
      entry(1, "How do I reset my password?", "Use the reset link.", KnowledgeStatus.VALIDATED);
  private static final KnowledgeEntry EXPORT =
      entry(2, "How do I export my data?", "Settings → Export.", KnowledgeStatus.VALIDATED);
  private static final KnowledgeEntry RESET_RU =
      entry(3, "Как сбросить пароль?", "Нажмите «Забыли пароль?».", KnowledgeStatus.VALIDATED);

  @Test
  void aValidatedEntryIsEmbeddedAndUpsertedWithItsPayload() {
    HybridKnowledgeRetriever r = builder().build();
    r.entryChanged(RESET);
    assertThat(vectors.count()).isEqualTo(1);
    Map<String, String> payload = Map.of(
        "status", "validated", "language", "en", "tags", "account,security", "model", "hashing-256");
    assertThat(index.payloads).singleElement().isEqualTo(Map.of(
        "status", "validated", "language", "en", "tags", "account,security", "model", "hashing-256",
        "fingerprint", HybridKnowledgeRetriever.fingerprint(RESET.question(), payload)));
    assertThat(HybridKnowledgeRetriever.fingerprint(RESET.question(), payload)).matches("[0-9a-f]{16}");
    List<KnowledgeHit> hits = r.retrieve("how can I reset my password", 3);
    assertThat(hits).first().satisfies(h -> {
      assertThat(h.entry()).isEqualTo(RESET);
      assertThat(h.score()).isBetween(0.0, 1.0);
    });
  }

  @Test
  void aRussianEntryIsStoredWithItsLanguage() {
    HybridKnowledgeRetriever r = builder().build();
    r.entryChanged(RESET_RU);
    assertThat(index.payloads).singleElement().extracting(p -> p.get("language")).isEqualTo("ru");
  }

  @Test
  void archivedAndDraftEntriesLeaveTheIndexAndAreNeverReturned() {
    HybridKnowledgeRetriever r = builder().build();
    r.reindex(List.of(RESET, EXPORT));
    assertThat(vectors.count()).isEqualTo(2);
    r.entryChanged(entry(1, RESET.question(), RESET.answer(), KnowledgeStatus.ARCHIVED));
    r.entryChanged(entry(2, EXPORT.question(), EXPORT.answer(), KnowledgeStatus.DRAFT));
    assertThat(vectors.count()).isZero();
    assertThat(r.retrieve("How do I reset my password?", 5)).isEmpty();
    assertThat(r.retrieve("How do I export my data?", 5)).isEmpty();
  }

  @Test
  void reindexEmbedsInBatchesAndDeletesWhatIsNoLongerValidated() {
    HybridKnowledgeRetriever r = builder().batchSize(2).build();
    List<KnowledgeEntry> five = new ArrayList<>();
    for (int i = 1; i <= 5; i++) {
      five.add(entry(i, "Question number " + i + " about topic " + i, "Answer " + i, KnowledgeStatus.VALIDATED));
    }
    r.reindex(five);
    assertThat(embedder.batchSizes).containsExactly(2, 2, 1);
    assertThat(vectors.count()).isEqualTo(5);
    r.reindex(five.subList(0, 2));
    assertThat(vectors.count()).isEqualTo(2);
    assertThat(r.retrieve("Question number 4 about topic 4", 5)).extracting(h -> h.entry().id())
        .doesNotContain(4L);
  }

  @Test
  void staleIndexPointsThatAreNotKnownValidatedEntriesAreDropped() {
    // A point left from before a restart: the index has it, the retriever was never told about it.
    vectors.upsert(99, embedder.embed("How do I reset my password?"),
        Map.of("status", "validated", "model", embedder.modelName()));
    HybridKnowledgeRetriever r = builder().build();
    r.reindex(List.of(EXPORT));
    assertThat(r.retrieve("How do I reset my password?", 5)).extracting(h -> h.entry().id())
        .doesNotContain(99L);
  }

  @Test
  void theFingerprintChangesWithTheTextTheModelAndThePayloadAndOnlyWithThem() {
    Map<String, String> payload = Map.of("status", "validated", "model", "m1", "tags", "a,b");
    String f = HybridKnowledgeRetriever.fingerprint("How do I reset my password?", payload);

    assertThat(HybridKnowledgeRetriever.fingerprint("How do I reset my password?", new java.util.TreeMap<>(payload)))
        .isEqualTo(f);
    assertThat(HybridKnowledgeRetriever.fingerprint("How do I reset my password", payload)).isNotEqualTo(f);
    assertThat(HybridKnowledgeRetriever.fingerprint("How do I reset my password?",
        Map.of("status", "validated", "model", "m2", "tags", "a,b"))).isNotEqualTo(f);
    assertThat(HybridKnowledgeRetriever.fingerprint("How do I reset my password?",
        Map.of("status", "validated", "model", "m1", "tags", "a"))).isNotEqualTo(f);
    // Parts cannot run into each other.
    assertThat(HybridKnowledgeRetriever.fingerprint("ab", Map.of("c", "d")))
        .isNotEqualTo(HybridKnowledgeRetriever.fingerprint("a", Map.of("bc", "d")));
  }

  @Test
  void aSecondReindexOfTheSameEntriesEmbedsNothingAndAChangedOneAlone() {
    HybridKnowledgeRetriever r = builder().build();
    r.reindex(List.of(RESET, EXPORT, RESET_RU));
    assertThat(embedder.batchSizes).containsExactly(3);

    r.reindex(List.of(RESET, EXPORT, RESET_RU));
    assertThat(embedder.batchSizes).containsExactly(3);

    KnowledgeEntry retagged = new KnowledgeEntry(2, EXPORT.question(), EXPORT.answer(), List.of("export"),
        KnowledgeSource.MANUAL, KnowledgeStatus.VALIDATED, null, null, null, T0);
    r.reindex(List.of(RESET, retagged, RESET_RU));
    assertThat(embedder.batchSizes).containsExactly(3, 1);
    assertThat(index.payloads.get(index.payloads.size() - 1)).containsEntry("tags", "export");
  }

  @Test
  void aReindexByAnotherModelReembedsEverythingInAnIndexShared() {
    builder().build().reindex(List.of(RESET, EXPORT));
    CountingEmbedder next = new CountingEmbedder(new Renamed(HashingEmbedder.create(), "hashing-256-v2"));

    HybridKnowledgeRetriever.builder().embedder(next).index(index).build().reindex(List.of(RESET, EXPORT));

    assertThat(next.batchSizes).containsExactly(2);
    assertThat(vectors.count()).isEqualTo(2);
    assertThat(index.payloads.get(index.payloads.size() - 1)).containsEntry("model", "hashing-256-v2");
  }

  @Test
  void whenTheIndexCannotListItsPointsEveryEntryIsEmbeddedAgain() {
    HybridKnowledgeRetriever r = builder().build();
    r.reindex(List.of(RESET, EXPORT));
    index.unlisted = true;

    r.reindex(List.of(RESET, EXPORT));

    assertThat(embedder.batchSizes).containsExactly(2, 2);
    assertThat(vectors.count()).isEqualTo(2);
  }

  @Test
  void anIndexFailureWhileIndexingLeavesTheEntryPendingAndARetryCatchesUp() {
    HybridKnowledgeRetriever r = builder().build();
    index.down = true;
    r.entryChanged(RESET); // must not throw: the storage write it follows has happened
    r.entryChanged(EXPORT);
    assertThat(r.pendingReindex()).isEqualTo(2);
    assertThat(r.retryPending()).isEqualTo(2);
    index.down = false;
    assertThat(r.retryPending()).isZero();
    assertThat(r.pendingReindex()).isZero();
    assertThat(vectors.count()).isEqualTo(2);
    assertThat(r.retrieve("how can I reset my password", 1)).first()
        .extracting(h -> h.entry().id()).isEqualTo(1L);
  }

  @Test
  void aPendingDeletionIsRetriedToo() {
    HybridKnowledgeRetriever r = builder().build();
    r.entryChanged(RESET);
    index.down = true;
    r.entryChanged(entry(1, RESET.question(), RESET.answer(), KnowledgeStatus.ARCHIVED));
    assertThat(r.pendingReindex()).isEqualTo(1);
    index.down = false;
    // The next change flushes the pending deletion first.
    r.entryChanged(EXPORT);
    assertThat(r.pendingReindex()).isZero();
    assertThat(vectors.count()).isEqualTo(1);
  }

  @Test
  void queriesRetryPendingUpdatesOnceTheIndexIsBack() {
    HybridKnowledgeRetriever r = builder().build();
    index.down = true;
    r.reindex(List.of(RESET, EXPORT));
    assertThat(r.pendingReindex()).isEqualTo(2);
    index.down = false;
    r.retrieve("export", 3);
    assertThat(r.pendingReindex()).isZero();
    assertThat(vectors.count()).isEqualTo(2);
  }

  @Test
  void anEmbedderFailureWhileIndexingLeavesTheEntryPending() {
    HybridKnowledgeRetriever r = builder().build();
    embedder.down = true;
    r.entryChanged(RESET);
    assertThat(r.pendingReindex()).isEqualTo(1);
    embedder.down = false;
    assertThat(r.retryPending()).isZero();
  }

  @Test
  void whenTheVectorSideIsDownAQueryIsUnavailable() {
    HybridKnowledgeRetriever r = builder().build();
    r.reindex(List.of(RESET));
    index.down = true;
    assertThatThrownBy(() -> r.retrieve("reset password", 3))
        .isInstanceOf(KnowledgeRetriever.UnavailableException.class)
        .hasMessageContaining("vector index: UNAVAILABLE");
    index.down = false;
    embedder.down = true;
    assertThatThrownBy(() -> r.retrieve("reset password", 3))
        .isInstanceOf(KnowledgeRetriever.UnavailableException.class);
  }

  @Test
  void aRussianQueryIsOrderedByTheLexicalSide() {
    HybridKnowledgeRetriever r = builder().build();
    r.reindex(List.of(RESET, EXPORT, RESET_RU));
    List<Candidate> cs = r.candidates("забыл пароль, как сбросить");
    assertThat(cs).first().satisfies(c -> {
      assertThat(c.entry().id()).isEqualTo(3L);
      assertThat(c.understood()).isFalse();
    });
    // The vector side took no part in the order: the fused score is the lexical side's alone.
    for (Candidate c : cs) {
      double lexical = c.lexicalRank() < 0 ? 0 : 1.0 / (60 + c.lexicalRank() + 1);
      assertThat(c.rrf()).isEqualTo(lexical);
    }
  }

  @Test
  void badConfigurationIsRefusedNamingTheField() {
    assertThatThrownBy(() -> HybridKnowledgeRetriever.builder().batchSize(0))
        .isInstanceOf(InvalidInputException.class).hasMessage("batchSize must be in 1..10000, was 0");
    assertThatThrownBy(() -> HybridKnowledgeRetriever.builder().candidates(0))
        .hasMessage("candidates must be in 1..1000, was 0");
    assertThatThrownBy(() -> HybridKnowledgeRetriever.builder().rrfK(0)).hasMessage("rrfK must be > 0, was 0");
    assertThatThrownBy(() -> HybridKnowledgeRetriever.builder().index(index).build())
        .isInstanceOf(InvalidInputException.class).hasMessage("embedder must not be null");
    assertThatThrownBy(() -> builder().build().retrieve("x", 0)).hasMessage("limit must be > 0, was 0");
  }

  /** Another model name over the same vectors, as after switching models. */
  static final class Renamed implements Embedder {
    private final Embedder delegate;
    private final String modelName;

    Renamed(Embedder delegate, String modelName) {
      this.delegate = delegate;
      this.modelName = modelName;
    }

    @Override
    public int dimension() {
      return delegate.dimension();
    }

    @Override
    public String modelName() {
      return modelName;
    }

    @Override
    public float[] embed(String text) {
      return delegate.embed(text);
    }

    @Override
    public List<float[]> embedAll(List<String> texts) {
      return delegate.embedAll(texts);
    }
  }

  /** Counts batch sizes; fails like a down embedding service while {@link #down}. */
  static final class CountingEmbedder implements Embedder {
    private final Embedder delegate;
    final List<Integer> batchSizes = new ArrayList<>();
    volatile boolean down;

    CountingEmbedder(Embedder delegate) {
      this.delegate = delegate;
    }

    @Override
    public int dimension() {
      return delegate.dimension();
    }

    @Override
    public String modelName() {
      return delegate.modelName();
    }

    @Override
    public float[] embed(String text) {
      if (down) {
        throw new dev.tgsupport.core.OperationTimeoutException("embedding service timed out");
      }
      return delegate.embed(text);
    }

    @Override
    public List<float[]> embedAll(List<String> texts) {
      if (down) {
        throw new dev.tgsupport.core.OperationTimeoutException("embedding service timed out");
      }
      batchSizes.add(texts.size());
      return delegate.embedAll(texts);
    }
  }
}
