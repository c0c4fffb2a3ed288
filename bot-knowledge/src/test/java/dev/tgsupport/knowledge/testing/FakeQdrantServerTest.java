package dev.tgsupport.knowledge.testing;

import static io.qdrant.client.ConditionFactory.matchKeyword;
import static io.qdrant.client.PointIdFactory.id;
import static io.qdrant.client.ValueFactory.value;
import static io.qdrant.client.VectorsFactory.vectors;
import static io.qdrant.client.WithPayloadSelectorFactory.enable;
import static io.qdrant.client.WithPayloadSelectorFactory.exclude;
import static io.qdrant.client.WithPayloadSelectorFactory.include;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.within;

import io.grpc.Status;
import io.qdrant.client.QdrantClient;
import io.qdrant.client.QdrantGrpcClient;
import io.qdrant.client.grpc.Collections.CollectionInfo;
import io.qdrant.client.grpc.Collections.Distance;
import io.qdrant.client.grpc.Collections.VectorParams;
import io.qdrant.client.grpc.Common.Filter;
import io.qdrant.client.grpc.Points.PointStruct;
import io.qdrant.client.grpc.Points.RetrievedPoint;
import io.qdrant.client.grpc.Points.ScoredPoint;
import io.qdrant.client.grpc.Points.ScrollPoints;
import io.qdrant.client.grpc.Points.ScrollResponse;
import io.qdrant.client.grpc.Points.SearchPoints;
import io.qdrant.client.grpc.Points.UpdateResult;
import io.qdrant.client.grpc.Points.UpdateStatus;
import io.qdrant.client.grpc.Points.UpsertPoints;
import io.qdrant.client.grpc.Points.WithVectorsSelector;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The fake answers the official client the way Qdrant does. */
class FakeQdrantServerTest {
  private final FakeQdrantServer qdrant = FakeQdrantServer.startInProcess();
  private final QdrantClient client =
      new QdrantClient(QdrantGrpcClient.newBuilder(qdrant.newChannel(), false, false).build());

  @AfterEach
  void close() {
    client.close();
    qdrant.close();
  }

  private void create(String name, int size) throws Exception {
    client.createCollectionAsync(name,
        VectorParams.newBuilder().setSize(size).setDistance(Distance.Cosine).build()).get();
  }

  private static PointStruct point(long id, Map<String, io.qdrant.client.grpc.JsonWithInt.Value> payload,
      float... vector) {
    return PointStruct.newBuilder().setId(id(id)).setVectors(vectors(vector)).putAllPayload(payload).build();
  }

  private static Status.Code code(Future<?> call) {
    Throwable e = catchThrowable(call::get);
    assertThat(e).isInstanceOf(ExecutionException.class);
    return Status.fromThrowable(e.getCause()).getCode();
  }

  @Test
  void createsListsDescribesAndDeletesCollections() throws Exception {
    create("a", 3);

    assertThat(client.collectionExistsAsync("a").get()).isTrue();
    assertThat(client.collectionExistsAsync("b").get()).isFalse();
    assertThat(client.listCollectionsAsync().get()).containsExactly("a");
    CollectionInfo info = client.getCollectionInfoAsync("a").get();
    assertThat(info.getConfig().getParams().getVectorsConfig().getParams().getSize()).isEqualTo(3);
    assertThat(info.getPointsCount()).isZero();
    assertThat(code(client.createCollectionAsync("a",
        VectorParams.newBuilder().setSize(3).setDistance(Distance.Cosine).build())))
        .isEqualTo(Status.Code.ALREADY_EXISTS);

    client.deleteCollectionAsync("a").get();
    assertThat(qdrant.collections()).isEmpty();
    assertThat(code(client.getCollectionInfoAsync("a"))).isEqualTo(Status.Code.NOT_FOUND);
  }

  @Test
  void refusesWhatQdrantRefuses() throws Exception {
    assertThat(code(client.upsertAsync("missing", List.of(point(1, Map.of(), 1, 0))))).isEqualTo(Status.Code.NOT_FOUND);
    create("c", 2);

    assertThat(code(client.upsertAsync("c", List.of(point(1, Map.of(), 1, 0, 0)))))
        .isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(code(client.searchAsync(SearchPoints.newBuilder().setCollectionName("c")
        .addAllVector(List.of(1f, 0f, 0f)).setLimit(1).build()))).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(qdrant.pointCount("c")).isZero();
  }

  @Test
  void searchesByCosineWithFiltersOnKeywordsAndListsThresholdsAndLimits() throws Exception {
    create("c", 2);
    client.upsertAsync("c", List.of(
        point(1, Map.of("status", value("validated"), "tags", value(List.of(value("billing"), value("vip")))), 1, 0),
        point(2, Map.of("status", value("validated")), 1, 1),
        point(3, Map.of("status", value("draft"), "tags", value(List.of(value("billing")))), 0, 1))).get();

    List<ScoredPoint> all = client.searchAsync(SearchPoints.newBuilder().setCollectionName("c")
        .addAllVector(List.of(2f, 0f)).setLimit(10).build()).get();
    assertThat(all).extracting(p -> p.getId().getNum()).containsExactly(1L, 2L, 3L);
    assertThat(all.get(1).getScore()).isCloseTo((float) Math.sqrt(0.5), within(1e-6f));

    List<ScoredPoint> billing = client.searchAsync(SearchPoints.newBuilder().setCollectionName("c")
        .addAllVector(List.of(2f, 0f)).setLimit(10)
        .setFilter(Filter.newBuilder().addMust(matchKeyword("tags", "billing"))).build()).get();
    assertThat(billing).extracting(p -> p.getId().getNum()).containsExactly(1L, 3L);

    List<ScoredPoint> strong = client.searchAsync(SearchPoints.newBuilder().setCollectionName("c")
        .addAllVector(List.of(2f, 0f)).setLimit(1).setScoreThreshold(0.5f)
        .setFilter(Filter.newBuilder().addMust(matchKeyword("status", "validated"))).build()).get();
    assertThat(strong).extracting(p -> p.getId().getNum()).containsExactly(1L);
    assertThat(client.countAsync("c", Filter.newBuilder().addMust(matchKeyword("status", "draft")).build(), true)
        .get()).isEqualTo(1);
  }

  private static List<Long> ids(ScrollResponse page) {
    return page.getResultList().stream().map(p -> p.getId().getNum()).toList();
  }

  @Test
  void scrollsInIdOrderFromAnInclusiveOffsetAndNamesTheNextPage() throws Exception {
    create("c", 2);
    List<PointStruct> points = new java.util.ArrayList<>();
    for (long id : new long[] {40, 3, -1, 17, 5, 1L << 53, 8}) {
      points.add(point(id, Map.of("n", value(id), "odd", value(id % 2 != 0)), 1, 0));
    }
    client.upsertAsync("c", points).get();

    ScrollResponse first = client.scrollAsync(ScrollPoints.newBuilder().setCollectionName("c").setLimit(3).build())
        .get();
    assertThat(ids(first)).containsExactly(3L, 5L, 8L);
    assertThat(first.getNextPageOffset()).isEqualTo(id(17));
    ScrollResponse second = client.scrollAsync(ScrollPoints.newBuilder().setCollectionName("c").setLimit(3)
        .setOffset(first.getNextPageOffset()).build()).get();
    // Ids are unsigned in Qdrant: -1 is the largest.
    assertThat(ids(second)).containsExactly(17L, 40L, 1L << 53);
    ScrollResponse last = client.scrollAsync(ScrollPoints.newBuilder().setCollectionName("c").setLimit(3)
        .setOffset(second.getNextPageOffset()).build()).get();
    assertThat(ids(last)).containsExactly(-1L);
    assertThat(last.hasNextPageOffset()).isFalse();

    // The offset need not be a stored id; the default page is 10 points.
    assertThat(ids(client.scrollAsync(ScrollPoints.newBuilder().setCollectionName("c").setOffset(id(6)).build())
        .get())).containsExactly(8L, 17L, 40L, 1L << 53, -1L);
    ScrollResponse odd = client.scrollAsync(ScrollPoints.newBuilder().setCollectionName("c").setLimit(2)
        .setFilter(Filter.newBuilder().addMust(io.qdrant.client.ConditionFactory.match("odd", true))).build()).get();
    assertThat(ids(odd)).containsExactly(3L, 5L);
    assertThat(odd.getNextPageOffset()).isEqualTo(id(17));
  }

  @Test
  void scrollReturnsThePayloadItIsAskedForAndNoVectors() throws Exception {
    create("c", 2);
    client.upsertAsync("c", List.of(point(1, Map.of("a", value("x"), "b", value("y")), 1, 0))).get();
    ScrollPoints.Builder scroll = ScrollPoints.newBuilder().setCollectionName("c")
        .setWithVectors(WithVectorsSelector.newBuilder().setEnable(false));

    RetrievedPoint whole = client.scrollAsync(scroll.build()).get().getResult(0);
    assertThat(whole.getPayloadMap()).containsOnlyKeys("a", "b");
    assertThat(whole.hasVectors()).isFalse();
    assertThat(client.scrollAsync(scroll.setWithPayload(include(List.of("b", "c"))).build()).get().getResult(0)
        .getPayloadMap()).isEqualTo(Map.of("b", value("y")));
    assertThat(client.scrollAsync(scroll.setWithPayload(exclude(List.of("b"))).build()).get().getResult(0)
        .getPayloadMap()).isEqualTo(Map.of("a", value("x")));
    assertThat(client.scrollAsync(scroll.setWithPayload(enable(false)).build()).get().getResult(0)
        .getPayloadMap()).isEmpty();
    assertThat(code(client.scrollAsync(ScrollPoints.newBuilder().setCollectionName("c").setLimit(0).build())))
        .isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(code(client.scrollAsync(ScrollPoints.newBuilder().setCollectionName("missing").build())))
        .isEqualTo(Status.Code.NOT_FOUND);
  }

  @Test
  void aWriteNotWaitedForIsOnlyAcknowledgedAndAppliedLater() throws Exception {
    create("c", 2);
    UpdateResult result = client.upsertAsync(UpsertPoints.newBuilder().setCollectionName("c").setWait(false)
        .addPoints(point(1, Map.of(), 1, 0)).build()).get();

    assertThat(result.getStatus()).isEqualTo(UpdateStatus.Acknowledged);
    assertThat(client.countAsync("c").get()).isZero();
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (client.countAsync("c").get() == 0 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(client.countAsync("c").get()).isEqualTo(1);
    assertThat(client.upsertAsync(UpsertPoints.newBuilder().setCollectionName("c").setWait(true)
        .addPoints(point(2, Map.of(), 0, 1)).build()).get().getStatus()).isEqualTo(UpdateStatus.Completed);
    assertThat(client.countAsync("c").get()).isEqualTo(2);
  }

  @Test
  void injectsFailuresDelaysAndOutagesAndCountsCalls() throws Exception {
    create("c", 2);
    qdrant.failNext(2, Status.Code.UNAVAILABLE);
    assertThat(code(client.countAsync("c"))).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(code(client.countAsync("c"))).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(client.countAsync("c").get()).isZero();

    qdrant.delayNext(1, Duration.ofSeconds(2));
    assertThat(code(client.countAsync("c", Duration.ofMillis(100)))).isEqualTo(Status.Code.DEADLINE_EXCEEDED);

    qdrant.stop();
    assertThat(code(client.countAsync("c"))).isEqualTo(Status.Code.UNAVAILABLE);
    qdrant.restart();
    assertThat(client.collectionExistsAsync("c").get()).isTrue();

    assertThat(qdrant.calls("Points/Count")).isEqualTo(4);
    assertThat(qdrant.calls("Collections/Create")).isEqualTo(1);
  }

  @Test
  void requiresTheApiKeyWhenGivenOne() throws Exception {
    try (FakeQdrantServer secured = FakeQdrantServer.startInProcess("k-1");
        QdrantClient anonymous = new QdrantClient(QdrantGrpcClient.newBuilder(secured.newChannel(), false, false)
            .build());
        QdrantClient wrong = new QdrantClient(QdrantGrpcClient.newBuilder(secured.newChannel(), false, false)
            .withApiKey("k-2").build());
        QdrantClient right = new QdrantClient(QdrantGrpcClient.newBuilder(secured.newChannel(), false, false)
            .withApiKey("k-1").build())) {
      assertThat(code(anonymous.listCollectionsAsync())).isEqualTo(Status.Code.UNAUTHENTICATED);
      assertThat(code(wrong.listCollectionsAsync())).isEqualTo(Status.Code.UNAUTHENTICATED);
      assertThat(right.listCollectionsAsync().get()).isEmpty();
      assertThat(secured.toString()).doesNotContain("k-1");
    }
  }
}
