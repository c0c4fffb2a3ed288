package dev.tgsupport.knowledge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tgsupport.core.model.KnowledgeEntry;
import dev.tgsupport.core.model.KnowledgeStatus;
import dev.tgsupport.core.port.Embedder;
import dev.tgsupport.core.port.KnowledgeIndex;
import dev.tgsupport.core.text.HashingEmbedder;
import dev.tgsupport.knowledge.HybridKnowledgeRetrieverTest.CountingEmbedder;
import dev.tgsupport.knowledge.HybridKnowledgeRetrieverTest.Renamed;
import dev.tgsupport.knowledge.qdrant.QdrantKnowledgeIndex;
import dev.tgsupport.knowledge.testing.FakeQdrantServer;
import io.grpc.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A restart of the bot against a Qdrant that kept its collection: each "process" is a new index client and a new
 * retriever over the same fake server, and the counting embedder says what had to be embedded again.
 */
class ReindexAgainstQdrantTest {
  private static final int N = 120;

  private final FakeQdrantServer qdrant = FakeQdrantServer.startInProcess();
  private final List<QdrantKnowledgeIndex> opened = new ArrayList<>();

  @AfterEach
  void close() {
    opened.forEach(QdrantKnowledgeIndex::close);
    qdrant.close();
  }

  private static List<KnowledgeEntry> entries() {
    List<KnowledgeEntry> out = new ArrayList<>();
    for (int i = 1; i <= N; i++) {
      out.add(HybridKnowledgeRetrieverTest.entry(i, "How do I configure feature number " + i + " of the app?",
          "Open settings, section " + i + ".", KnowledgeStatus.VALIDATED));
    }
    return out;
  }

  /** A new process: its own index client on the server, its own retriever, the given embedder. */
  private HybridKnowledgeRetriever start(Embedder embedder) {
    QdrantKnowledgeIndex index = QdrantKnowledgeIndex.builder().grpcChannel(qdrant.newChannel())
        .model(embedder.modelName(), embedder.dimension()).build();
    opened.add(index);
    return HybridKnowledgeRetriever.builder().embedder(embedder).index(index).build();
  }

  private static int embedded(CountingEmbedder embedder) {
    return embedder.batchSizes.stream().mapToInt(Integer::intValue).sum();
  }

  private String collection() {
    return opened.get(0).collection();
  }

  private String storedFingerprint(long id) {
    return qdrant.payload(collection(), id).orElseThrow().get(KnowledgeIndex.FINGERPRINT_KEY).getStringValue();
  }

  @Test
  void aRestartAgainstAFilledCollectionEmbedsNothingAndStillFindsByVector() {
    CountingEmbedder first = new CountingEmbedder(HashingEmbedder.create());
    start(first).reindex(entries());
    assertThat(embedded(first)).isEqualTo(N);
    assertThat(qdrant.pointCount(collection())).isEqualTo(N);
    qdrant.resetCalls();

    CountingEmbedder second = new CountingEmbedder(HashingEmbedder.create());
    HybridKnowledgeRetriever restarted = start(second);
    restarted.reindex(entries());

    assertThat(embedded(second)).isZero();
    assertThat(qdrant.calls()).containsEntry("Points/Scroll", 1).doesNotContainKeys("Points/Upsert", "Points/Delete");
    List<Candidate> found = restarted.candidates("How do I configure feature number 42 of the app?");
    assertThat(found).first().satisfies(c -> {
      assertThat(c.entry().id()).isEqualTo(42L);
      assertThat(c.cosine()).isGreaterThan(0.9);
    });
  }

  @Test
  void aRebuildEmbedsEveryEntryAgainEvenWhenTheFingerprintsMatch() {
    CountingEmbedder first = new CountingEmbedder(HashingEmbedder.create());
    start(first).reindex(entries());
    List<KnowledgeEntry> fewer = entries().subList(0, N - 1);

    CountingEmbedder second = new CountingEmbedder(HashingEmbedder.create());
    start(second).rebuild(fewer);

    assertThat(embedded(second)).isEqualTo(N - 1);
    assertThat(qdrant.pointCount(collection())).as("the entry no longer validated is deleted").isEqualTo(N - 1);
  }

  @Test
  void anEntryChangedWhileDownIsTheOnlyOneEmbeddedAgain() {
    start(new CountingEmbedder(HashingEmbedder.create())).reindex(entries());
    String before = storedFingerprint(7);
    List<KnowledgeEntry> changed = new ArrayList<>(entries());
    changed.set(6, HybridKnowledgeRetrieverTest.entry(7, "How do I turn on dark mode?", "Settings → Theme.",
        KnowledgeStatus.VALIDATED));

    CountingEmbedder next = new CountingEmbedder(HashingEmbedder.create());
    HybridKnowledgeRetriever restarted = start(next);
    restarted.reindex(changed);

    assertThat(next.batchSizes).containsExactly(1);
    assertThat(storedFingerprint(7)).isNotEqualTo(before);
    assertThat(restarted.candidates("turn on dark mode")).first()
        .satisfies(c -> assertThat(c.entry().id()).isEqualTo(7L));
  }

  @Test
  void anEntryArchivedWhileDownHasItsVectorDeleted() {
    start(new CountingEmbedder(HashingEmbedder.create())).reindex(entries());
    List<KnowledgeEntry> remaining = new ArrayList<>(entries());
    remaining.remove(4);
    remaining.remove(4);

    CountingEmbedder next = new CountingEmbedder(HashingEmbedder.create());
    start(next).reindex(remaining);

    assertThat(embedded(next)).isZero();
    assertThat(qdrant.pointCount(collection())).isEqualTo(N - 2);
    assertThat(qdrant.payload(collection(), 5)).isEmpty();
    assertThat(qdrant.payload(collection(), 6)).isEmpty();
    assertThat(qdrant.payload(collection(), 7)).isPresent();
  }

  @Test
  void anotherModelGetsItsOwnCollectionAndEverythingEmbedded() {
    start(new CountingEmbedder(HashingEmbedder.create())).reindex(entries());

    CountingEmbedder other = new CountingEmbedder(new Renamed(HashingEmbedder.create(), "hashing-256-v2"));
    start(other).reindex(entries());

    assertThat(embedded(other)).isEqualTo(N);
    assertThat(qdrant.collections())
        .containsExactly("tgsupport_knowledge__hashing_256__256", "tgsupport_knowledge__hashing_256_v2__256");
    assertThat(qdrant.pointCount("tgsupport_knowledge__hashing_256_v2__256")).isEqualTo(N);
  }

  @Test
  void whenTheListingFailsEverythingIsEmbeddedAgainAsBefore() {
    start(new CountingEmbedder(HashingEmbedder.create())).reindex(entries());
    CountingEmbedder next = new CountingEmbedder(HashingEmbedder.create());
    HybridKnowledgeRetriever restarted = start(next);
    opened.get(1).ensureCollection();
    qdrant.failNext(1, Status.Code.UNAVAILABLE);

    restarted.reindex(entries());

    assertThat(embedded(next)).isEqualTo(N);
    assertThat(restarted.pendingReindex()).isZero();
    assertThat(qdrant.pointCount(collection())).isEqualTo(N);
  }

  @Test
  void aPointWrittenBeforeFingerprintsIsEmbeddedAgainOnce() {
    CountingEmbedder first = new CountingEmbedder(HashingEmbedder.create());
    start(first);
    KnowledgeEntry one = entries().get(0);
    // As an older version wrote it: no fingerprint in the payload.
    opened.get(0).upsert(one.id(), first.embed(one.question()), Map.of("status", "validated"));

    CountingEmbedder next = new CountingEmbedder(HashingEmbedder.create());
    start(next).reindex(List.of(one));
    assertThat(next.batchSizes).containsExactly(1);

    CountingEmbedder last = new CountingEmbedder(HashingEmbedder.create());
    start(last).reindex(List.of(one));
    assertThat(last.batchSizes).isEmpty();
  }

  /** A bot running on the collection, a second one starting, and the entry the first validates meanwhile. */
  private record TwoBots(HybridKnowledgeRetriever running, HybridKnowledgeRetriever starting,
      List<KnowledgeEntry> validatedBefore, KnowledgeEntry late) {
    /** What the starting bot reads from storage, just before the running one validates and indexes {@code late}. */
    List<KnowledgeEntry> readThenValidateLate() {
      List<KnowledgeEntry> snapshot = List.copyOf(validatedBefore);
      running.entryChanged(late);
      return snapshot;
    }
  }

  private TwoBots twoBots() {
    List<KnowledgeEntry> all = entries();
    List<KnowledgeEntry> before = all.subList(0, N - 1);
    HybridKnowledgeRetriever running = start(new CountingEmbedder(HashingEmbedder.create()));
    running.reindex(before);
    return new TwoBots(running, start(new CountingEmbedder(HashingEmbedder.create())), before, all.get(N - 1));
  }

  @Test
  void anEntryAnotherBotValidatesDuringTheStartUpReadKeepsItsVector() {
    TwoBots bots = twoBots();

    int read = bots.starting().reindexFrom(bots::readThenValidateLate);

    assertThat(read).isEqualTo(N - 1);
    assertThat(qdrant.payload(collection(), bots.late().id())).as("not taken for a stale point").isPresent();
    assertThat(qdrant.pointCount(collection())).isEqualTo(N);
  }

  @Test
  void readingStorageBeforeListingTheIndexWouldHaveDeletedIt() {
    // The same race through reindex(Collection), whose caller read storage first: the point is deleted. This is
    // what reindexFrom avoids, and why run and KnowledgeBase use it.
    TwoBots bots = twoBots();

    bots.starting().reindex(bots.readThenValidateLate());

    assertThat(qdrant.payload(collection(), bots.late().id())).isEmpty();
  }
}
