package dev.tgsupport.knowledge.qdrant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.tgsupport.core.AuthenticationException;
import dev.tgsupport.core.ConflictException;
import dev.tgsupport.core.InvalidInputException;
import dev.tgsupport.core.OperationTimeoutException;
import dev.tgsupport.core.RetriableException;
import dev.tgsupport.core.StorageUnavailableException;
import dev.tgsupport.core.contract.KnowledgeIndexContract;
import dev.tgsupport.core.port.KnowledgeIndex;
import dev.tgsupport.core.port.KnowledgeIndex.VectorHit;
import dev.tgsupport.knowledge.embed.LocalEmbedder;
import dev.tgsupport.knowledge.testing.FakeQdrantServer;
import io.grpc.Status;
import io.qdrant.client.QdrantClient;
import io.qdrant.client.QdrantGrpcClient;
import io.qdrant.client.grpc.Collections.Distance;
import io.qdrant.client.grpc.Collections.VectorParams;
import io.qdrant.client.grpc.Collections.PayloadSchemaType;
import io.qdrant.client.grpc.JsonWithInt.Value;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class QdrantKnowledgeIndexTest extends KnowledgeIndexContract {
  private static final String KEY = "qk-7f3a-secret-api-key";

  private final AtomicInteger collections = new AtomicInteger();
  private final List<QdrantKnowledgeIndex> opened = new ArrayList<>();
  private FakeQdrantServer qdrant;

  @BeforeEach
  void startQdrant() {
    qdrant = FakeQdrantServer.startInProcess();
  }

  @AfterEach
  void stopQdrant() {
    opened.forEach(QdrantKnowledgeIndex::close);
    qdrant.close();
  }

  @Override
  protected KnowledgeIndex index(int dimension) {
    return open(builder(qdrant).collection("contract" + collections.incrementAndGet()).model("m", dimension));
  }

  private QdrantKnowledgeIndex.Builder builder(FakeQdrantServer server) {
    return QdrantKnowledgeIndex.builder().grpcChannel(server.newChannel());
  }

  private QdrantKnowledgeIndex open(QdrantKnowledgeIndex.Builder builder) {
    QdrantKnowledgeIndex index = builder.build();
    opened.add(index);
    return index;
  }

  private QdrantKnowledgeIndex twoDims() {
    return open(builder(qdrant).model("test-model", 2));
  }

  private static float[] v(float... xs) {
    return xs;
  }

  private static List<Long> ids(List<VectorHit> hits) {
    return hits.stream().map(VectorHit::entryId).toList();
  }

  private static String everything(Throwable t) {
    StringWriter out = new StringWriter();
    t.printStackTrace(new PrintWriter(out));
    return out.toString();
  }

  @Test
  void theCollectionIsNamedAfterTheModelAndDimension() {
    QdrantKnowledgeIndex index =
        open(builder(qdrant).model(LocalEmbedder.MODEL_NAME, LocalEmbedder.DIMENSION));
    QdrantKnowledgeIndex custom =
        open(builder(qdrant).collection("faq-Prod").model(" OpenAI/text-embedding-3-small ", 1536));

    assertThat(index.collection()).isEqualTo("tgsupport_knowledge__all_minilm_l6_v2_q__384");
    assertThat(custom.collection()).isEqualTo("faq-Prod__openai_text_embedding_3_small__1536");
    assertThat(qdrant.collections()).isEmpty();

    index.count();

    assertThat(qdrant.collections()).containsExactly("tgsupport_knowledge__all_minilm_l6_v2_q__384");
  }

  @Test
  void aModelChangeOpensANewEmptyCollection() {
    QdrantKnowledgeIndex before = open(builder(qdrant).model("model-a", 2));
    before.upsert(1, v(1, 0), Map.of("status", "validated"));

    QdrantKnowledgeIndex after = open(builder(qdrant).model("model-b", 2));

    assertThat(after.check()).isEqualTo(
        new QdrantKnowledgeIndex.CollectionCheck("tgsupport_knowledge__model_b__2", 0, true));
    assertThat(after.search(v(1, 0), 10, -1, Map.of())).isEmpty();
    assertThat(before.count()).isEqualTo(1);
    assertThat(qdrant.collections())
        .containsExactly("tgsupport_knowledge__model_a__2", "tgsupport_knowledge__model_b__2");
  }

  @Test
  void ensureCollectionIsIdempotentAndIndexesTheFilteredFields() {
    QdrantKnowledgeIndex index = twoDims();

    assertThat(index.ensureCollection()).isTrue();
    assertThat(index.ensureCollection()).isFalse();
    assertThat(open(builder(qdrant).model("test-model", 2)).ensureCollection()).isFalse();

    assertThat(qdrant.calls("Collections/Create")).isEqualTo(1);
    assertThat(qdrant.calls("Points/CreateFieldIndex")).isEqualTo(3);
    assertThat(qdrant.payloadIndexes(index.collection())).isEqualTo(Map.of(
        "status", PayloadSchemaType.Keyword,
        "language", PayloadSchemaType.Keyword,
        "tags", PayloadSchemaType.Keyword));
  }

  @Test
  void anExistingCollectionGetsTheMissingIndexesAndMustHaveOurDimension() throws Exception {
    try (QdrantClient raw = new QdrantClient(QdrantGrpcClient.newBuilder(qdrant.newChannel(), false, false).build())) {
      raw.createCollectionAsync("tgsupport_knowledge__test_model__2",
          VectorParams.newBuilder().setSize(2).setDistance(Distance.Cosine).build()).get();
      raw.createCollectionAsync("tgsupport_knowledge__other__3",
          VectorParams.newBuilder().setSize(4).setDistance(Distance.Cosine).build()).get();
    }

    assertThat(twoDims().ensureCollection()).isFalse();
    assertThat(qdrant.payloadIndexes("tgsupport_knowledge__test_model__2"))
        .containsOnlyKeys("status", "language", "tags");
    QdrantKnowledgeIndex mismatched = open(builder(qdrant).model("other", 3));
    assertThatThrownBy(mismatched::ensureCollection)
        .isInstanceOf(ConflictException.class)
        .hasMessageStartingWith("qdrant collection tgsupport_knowledge__other__3 at ")
        .hasMessageEndingWith(" holds vectors of length 4, this index expects 3");
  }

  @Test
  void checkReportsPointsAndWhetherThisIndexCreatedTheCollection() {
    QdrantKnowledgeIndex first = twoDims();
    first.upsert(1, v(1, 0), Map.of());
    first.upsert(2, v(0, 1), Map.of());

    assertThat(first.check()).isEqualTo(new QdrantKnowledgeIndex.CollectionCheck(first.collection(), 2, true));
    assertThat(twoDims().check()).isEqualTo(new QdrantKnowledgeIndex.CollectionCheck(first.collection(), 2, false));
  }

  @Test
  void thePayloadCarriesTheEntryIdAndModelAndReservedKeysAreRefused() {
    QdrantKnowledgeIndex index = twoDims();
    index.upsert(42, v(1, 0), Map.of("status", "validated"));

    Map<String, Value> payload = qdrant.payload(index.collection(), 42).orElseThrow();
    assertThat(payload.get("entry_id").getIntegerValue()).isEqualTo(42);
    assertThat(payload.get("model").getStringValue()).isEqualTo("test-model");
    assertThat(payload.get("status").getStringValue()).isEqualTo("validated");
    assertThatThrownBy(() -> index.upsert(43, v(1, 0), Map.of("model", "x")))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("payload.model must be this index's model test-model, was \"x\"");
    assertThatThrownBy(() -> index.upsert(43, v(1, 0), Map.of("entry_id", "7")))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("payload must not use the reserved key entry_id, was \"entry_id\"");
    index.upsert(44, v(0, 1), Map.of("model", "test-model"));
    assertThat(index.search(v(0, 1), 1, 0.9, Map.of("model", "test-model"))).extracting(h -> h.entryId())
        .containsExactly(44L);
  }

  @Test
  void fingerprintsScrollPageByPageWithoutVectorsAndWithOneKeyOfThePayload() {
    QdrantKnowledgeIndex index = twoDims();
    for (int i = 1; i <= 1_001; i++) {
      index.upsert(i, v(1, i), Map.of(KnowledgeIndex.FINGERPRINT_KEY, "f" + i, "status", "validated"));
    }
    index.upsert(-7, v(-1, 0), Map.of("status", "validated"));
    qdrant.resetCalls();

    Map<Long, String> listed = index.fingerprints().orElseThrow();

    assertThat(listed).hasSize(1_002).containsEntry(1L, "f1").containsEntry(1_001L, "f1001").containsEntry(-7L, "");
    assertThat(qdrant.calls()).isEqualTo(Map.of("Points/Scroll", 2));
  }

  @Test
  void fingerprintsOfAMissingCollectionCreateItAndAreEmpty() {
    QdrantKnowledgeIndex index = twoDims();

    assertThat(index.fingerprints()).hasValue(Map.of());
    assertThat(qdrant.collections()).containsExactly(index.collection());
  }

  @Test
  void aFailedOrSlowScrollMapsLikeEveryOtherCall() {
    QdrantKnowledgeIndex index = open(builder(qdrant).model("m", 2).timeout(Duration.ofMillis(200)));
    index.upsert(1, v(1, 0), Map.of(KnowledgeIndex.FINGERPRINT_KEY, "f1"));

    qdrant.failNext(1, Status.Code.UNAVAILABLE);
    assertThatThrownBy(index::fingerprints)
        .isInstanceOf(StorageUnavailableException.class)
        .hasMessageContaining("(scroll " + index.collection() + ")");
    qdrant.delayNext(1, Duration.ofSeconds(2));
    assertThatThrownBy(index::fingerprints)
        .isInstanceOf(OperationTimeoutException.class)
        .hasMessageContaining("scroll " + index.collection());

    assertThat(index.fingerprints()).hasValue(Map.of(1L, "f1"));
  }

  @Test
  void anUpsertIsVisibleToTheNextSearch() {
    QdrantKnowledgeIndex index = twoDims();
    for (int i = 1; i <= 20; i++) {
      index.upsert(i, v(1, i), Map.of("status", "validated"));
      assertThat(ids(index.search(v(1, i), 1, 0.999, Map.of("status", "validated")))).containsExactly((long) i);
    }
    index.delete(20);
    assertThat(ids(index.search(v(1, 20), 1, 0.9999, Map.of()))).doesNotContain(20L);
  }

  @Test
  void idsOfFiftyTwoBitsAndAboveRoundTrip() {
    QdrantKnowledgeIndex index = twoDims();
    long fiftyTwoBits = (1L << 52) - 1;
    index.upsert(fiftyTwoBits, v(1, 0), Map.of());
    index.upsert(Long.MAX_VALUE, v(0, 1), Map.of());
    index.upsert(-7, v(-1, 0), Map.of());

    assertThat(ids(index.search(v(1, 0), 1, 0, Map.of()))).containsExactly(fiftyTwoBits);
    assertThat(ids(index.search(v(0, 1), 1, 0, Map.of()))).containsExactly(Long.MAX_VALUE);
    assertThat(ids(index.search(v(-1, 0), 1, 0, Map.of()))).containsExactly(-7L);
    index.delete(-7);
    assertThat(index.count()).isEqualTo(2);
  }

  @Test
  void aCollectionDeletedBehindOurBackIsRecreatedOnce() {
    QdrantKnowledgeIndex index = twoDims();
    index.upsert(1, v(1, 0), Map.of());
    assertThat(qdrant.dropCollection(index.collection())).isTrue();

    index.upsert(2, v(0, 1), Map.of("status", "validated"));

    assertThat(index.count()).isEqualTo(1);
    assertThat(ids(index.search(v(0, 1), 5, 0, Map.of("status", "validated")))).containsExactly(2L);
    assertThat(qdrant.calls("Collections/Create")).isEqualTo(2);
    assertThat(qdrant.payloadIndexes(index.collection())).containsOnlyKeys("status", "language", "tags");

    qdrant.dropCollection(index.collection());
    assertThat(index.search(v(0, 1), 5, -1, Map.of())).isEmpty();
    assertThat(index.check().created()).isTrue();
  }

  @Test
  void aMissingApiKeyIsAnAuthenticationErrorWithoutTheKey() {
    try (FakeQdrantServer secured = FakeQdrantServer.startInProcess(KEY)) {
      QdrantKnowledgeIndex anonymous = open(builder(secured).model("m", 2));

      Throwable e = catchThrowable(anonymous::count);

      assertThat(e).isInstanceOf(AuthenticationException.class)
          .hasMessageContaining("refused the API key (UNAUTHENTICATED)");
      assertThat(everything(e)).doesNotContain(KEY);
    }
  }

  @Test
  void aWrongApiKeyIsRefusedAndNeitherKeyIsShown() {
    String wrong = "qk-wrong-key-0000";
    try (FakeQdrantServer secured = FakeQdrantServer.startInProcess(KEY)) {
      QdrantKnowledgeIndex index = open(builder(secured).apiKey(wrong).model("m", 2));

      Throwable e = catchThrowable(() -> index.upsert(1, v(1, 0), Map.of()));

      assertThat(e).isInstanceOf(AuthenticationException.class);
      assertThat(everything(e)).doesNotContain(KEY).doesNotContain(wrong);
      assertThat(index.toString()).doesNotContain(wrong).contains("apiKey=***");
    }
  }

  @Test
  void theRightApiKeyIsSentOnEveryCallAndNeverShown() {
    try (FakeQdrantServer secured = FakeQdrantServer.startInProcess(KEY)) {
      QdrantKnowledgeIndex.Builder builder = builder(secured).apiKey(KEY).model("m", 2);
      QdrantKnowledgeIndex index = open(builder);

      index.upsert(1, v(1, 0), Map.of());

      assertThat(ids(index.search(v(1, 0), 1, 0, Map.of()))).containsExactly(1L);
      assertThat(index.toString()).doesNotContain(KEY);
      assertThat(builder.toString()).doesNotContain(KEY);
    }
  }

  @Test
  void unavailableIsARetriableStorageErrorNamingTheEndpoint() {
    QdrantKnowledgeIndex index = twoDims();
    index.ensureCollection();
    qdrant.failNext(1, Status.Code.UNAVAILABLE);

    assertThatThrownBy(() -> index.upsert(1, v(1, 0), Map.of()))
        .isInstanceOf(StorageUnavailableException.class)
        .hasMessageStartingWith("qdrant unavailable at ")
        .hasMessageContaining("injected by FakeQdrantServer");

    index.upsert(1, v(1, 0), Map.of());
    assertThat(index.count()).isEqualTo(1);
  }

  @Test
  void aStoppedServerIsUnavailableAndARestartedOneServesItsData() {
    QdrantKnowledgeIndex index = twoDims();
    index.upsert(1, v(1, 0), Map.of());
    qdrant.stop();

    assertThatThrownBy(() -> index.search(v(1, 0), 1, 0, Map.of()))
        .isInstanceOf(StorageUnavailableException.class)
        .hasMessageStartingWith("qdrant unavailable at ");

    qdrant.restart();
    assertThat(ids(index.search(v(1, 0), 1, 0, Map.of()))).containsExactly(1L);
  }

  @Test
  void aSlowServerIsAnOperationTimeout() {
    QdrantKnowledgeIndex index = open(builder(qdrant).model("m", 2).timeout(Duration.ofMillis(200)));
    index.ensureCollection();
    qdrant.delayNext(1, Duration.ofSeconds(2));

    assertThatThrownBy(() -> index.search(v(1, 0), 1, 0, Map.of()))
        .isInstanceOf(OperationTimeoutException.class)
        .hasMessageContaining("exceeded its 200 ms deadline");
  }

  @Test
  void refusedRequestsAndPermissionsMapToNonRetriableErrors() {
    QdrantKnowledgeIndex index = twoDims();
    index.ensureCollection();

    qdrant.failNext(1, Status.Code.INVALID_ARGUMENT);
    assertThatThrownBy(() -> index.upsert(1, v(1, 0), Map.of()))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("refused by qdrant on upsert into " + index.collection());

    qdrant.failNext(1, Status.Code.PERMISSION_DENIED);
    assertThatThrownBy(index::count).isInstanceOf(AuthenticationException.class);
  }

  @Test
  void badVectorsAreRefusedBeforeAnythingIsSent() {
    QdrantKnowledgeIndex index = twoDims();

    assertThatThrownBy(() -> index.upsert(1, v(1, 0, 0), Map.of()))
        .hasMessage("vector must have length 2 (the index dimension), was 3");
    assertThatThrownBy(() -> index.search(v(0, 0), 1, 0, Map.of()))
        .hasMessage("query must not be all zeros (its cosine similarity is undefined)");

    assertThat(qdrant.calls()).isEmpty();
  }

  @Test
  void anInterruptedCallKeepsTheInterruptFlag() {
    QdrantKnowledgeIndex index = twoDims();
    index.ensureCollection();

    Thread.currentThread().interrupt();
    try {
      assertThatThrownBy(index::count).isInstanceOf(RetriableException.class).hasMessageContaining("interrupted");
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
    } finally {
      Thread.interrupted();
    }
  }

  @Test
  void theBuilderNamesWhatIsMissingOrWrong() {
    assertThatThrownBy(() -> QdrantKnowledgeIndex.builder().url("http://localhost:6334").build())
        .isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith("model must be set");
    assertThatThrownBy(() -> QdrantKnowledgeIndex.builder().model("m", 2).build())
        .hasMessage("url must be set (or grpcChannel)");
    assertThatThrownBy(() -> QdrantKnowledgeIndex.builder().model("m", 0))
        .hasMessage("dimension must be > 0, was 0");
    assertThatThrownBy(() -> QdrantKnowledgeIndex.builder().timeout(Duration.ZERO))
        .hasMessage("timeout must be > 0, was PT0S");
    assertThatThrownBy(() -> QdrantKnowledgeIndex.builder().url("ftp://host"))
        .hasMessage("url must start with http:// or https://, was \"ftp://…\"");
    assertThatThrownBy(() -> QdrantKnowledgeIndex.builder().collection("a/b").model("m", 2).url("http://h").build())
        .hasMessage("collection must be 1-100 letters, digits, '_' or '-', was \"a/b\"");
    Throwable secretInUrl = catchThrowable(() -> QdrantKnowledgeIndex.builder().url("https://user:" + KEY + "@h:6334"));
    assertThat(secretInUrl).isInstanceOf(InvalidInputException.class);
    assertThat(secretInUrl.getMessage()).doesNotContain(KEY).contains("use apiKey");
  }

  @Test
  void aUrlReachesAServerOnALoopbackPort() {
    try (FakeQdrantServer tcp = FakeQdrantServer.startOnLoopback(KEY);
        QdrantKnowledgeIndex index =
            QdrantKnowledgeIndex.builder().url(tcp.url()).apiKey(KEY).model("m", 2).build()) {
      index.upsert(5, v(1, 1), Map.of("language", "ru"));

      assertThat(ids(index.search(v(1, 1), 1, 0.9, Map.of("language", "ru")))).containsExactly(5L);
      assertThat(index.toString()).contains("127.0.0.1:" + tcp.port()).doesNotContain(KEY);
    }
  }
}
