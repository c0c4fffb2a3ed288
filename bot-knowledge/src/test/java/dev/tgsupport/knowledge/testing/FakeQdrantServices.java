package dev.tgsupport.knowledge.testing;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import io.qdrant.client.grpc.Collections.CollectionDescription;
import io.qdrant.client.grpc.Collections.CollectionExists;
import io.qdrant.client.grpc.Collections.CollectionExistsRequest;
import io.qdrant.client.grpc.Collections.CollectionExistsResponse;
import io.qdrant.client.grpc.Collections.CollectionOperationResponse;
import io.qdrant.client.grpc.Collections.CreateCollection;
import io.qdrant.client.grpc.Collections.DeleteCollection;
import io.qdrant.client.grpc.Collections.Distance;
import io.qdrant.client.grpc.Collections.GetCollectionInfoRequest;
import io.qdrant.client.grpc.Collections.GetCollectionInfoResponse;
import io.qdrant.client.grpc.Collections.ListCollectionsRequest;
import io.qdrant.client.grpc.Collections.ListCollectionsResponse;
import io.qdrant.client.grpc.Collections.PayloadSchemaType;
import io.qdrant.client.grpc.Collections.VectorParams;
import io.qdrant.client.grpc.CollectionsGrpc;
import io.qdrant.client.grpc.Points.CountPoints;
import io.qdrant.client.grpc.Points.CountResponse;
import io.qdrant.client.grpc.Points.CountResult;
import io.qdrant.client.grpc.Points.CreateFieldIndexCollection;
import io.qdrant.client.grpc.Points.DeletePoints;
import io.qdrant.client.grpc.Points.FieldType;
import io.qdrant.client.grpc.Points.GetPoints;
import io.qdrant.client.grpc.Points.GetResponse;
import io.qdrant.client.grpc.Points.PointsOperationResponse;
import io.qdrant.client.grpc.Points.ScrollPoints;
import io.qdrant.client.grpc.Points.ScrollResponse;
import io.qdrant.client.grpc.Points.SearchPoints;
import io.qdrant.client.grpc.Points.SearchResponse;
import io.qdrant.client.grpc.Points.UpdateResult;
import io.qdrant.client.grpc.Points.UpdateStatus;
import io.qdrant.client.grpc.Points.UpsertPoints;
import io.qdrant.client.grpc.PointsGrpc;
import io.qdrant.client.grpc.QdrantGrpc;
import io.qdrant.client.grpc.QdrantOuterClass.HealthCheckReply;
import io.qdrant.client.grpc.QdrantOuterClass.HealthCheckRequest;
import java.time.Duration;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/** The gRPC services of the fake, over the collections map the server keeps across restarts. */
final class FakeQdrantServices {
  static final String VERSION = "1.18.0";

  /** How long a write sent without {@code wait=true} stays invisible, as while Qdrant applies it in the background. */
  static final Duration UNAWAITED_WRITE_DELAY = Duration.ofMillis(150);

  private final ConcurrentMap<String, FakeQdrantCollection> collections;
  private final ScheduledExecutorService background;
  private final AtomicLong operationIds = new AtomicLong();

  FakeQdrantServices(ConcurrentMap<String, FakeQdrantCollection> collections, ScheduledExecutorService background) {
    this.collections = collections;
    this.background = background;
  }

  /** Applies a write now when the client waits for it; otherwise later, answering only "acknowledged". */
  private PointsOperationResponse write(boolean wait, Runnable apply) {
    if (wait) {
      apply.run();
      return response(UpdateStatus.Completed);
    }
    background.schedule(apply, UNAWAITED_WRITE_DELAY.toMillis(), TimeUnit.MILLISECONDS);
    return response(UpdateStatus.Acknowledged);
  }

  /** Answers, or turns a thrown status into the error Qdrant would send. */
  private static <T> void reply(StreamObserver<T> out, Supplier<T> body) {
    T value;
    try {
      value = body.get();
    } catch (StatusRuntimeException e) {
      out.onError(e);
      return;
    }
    out.onNext(value);
    out.onCompleted();
  }

  private FakeQdrantCollection existing(String name) {
    FakeQdrantCollection c = collections.get(name);
    if (c == null) {
      throw Status.NOT_FOUND.withDescription("Not found: Collection `" + name + "` doesn't exist!")
          .asRuntimeException();
    }
    return c;
  }

  private PointsOperationResponse response(UpdateStatus status) {
    return PointsOperationResponse.newBuilder()
        .setResult(UpdateResult.newBuilder()
            .setOperationId(operationIds.incrementAndGet())
            .setStatus(status))
        .build();
  }

  final class Collections extends CollectionsGrpc.CollectionsImplBase {
    @Override
    public void create(CreateCollection request, StreamObserver<CollectionOperationResponse> out) {
      reply(out, () -> {
        String name = request.getCollectionName();
        if (name.isEmpty() || name.contains("/")) {
          throw Status.INVALID_ARGUMENT.withDescription("Wrong input: Collection name is invalid: " + name)
              .asRuntimeException();
        }
        if (!request.hasVectorsConfig() || !request.getVectorsConfig().hasParams()) {
          throw Status.INVALID_ARGUMENT
              .withDescription("Wrong input: the fake supports one unnamed vector per collection")
              .asRuntimeException();
        }
        VectorParams params = request.getVectorsConfig().getParams();
        if (params.getSize() < 1 || params.getSize() > 65536) {
          throw Status.INVALID_ARGUMENT
              .withDescription("Validation error in body: [vectors.size: value " + params.getSize() + " invalid]")
              .asRuntimeException();
        }
        if (params.getDistance() != Distance.Cosine && params.getDistance() != Distance.Dot) {
          throw Status.UNIMPLEMENTED.withDescription("the fake supports Cosine and Dot distances")
              .asRuntimeException();
        }
        FakeQdrantCollection made = new FakeQdrantCollection(name, (int) params.getSize(), params.getDistance());
        if (collections.putIfAbsent(name, made) != null) {
          throw Status.ALREADY_EXISTS.withDescription("Wrong input: Collection `" + name + "` already exists!")
              .asRuntimeException();
        }
        return CollectionOperationResponse.newBuilder().setResult(true).build();
      });
    }

    @Override
    public void get(GetCollectionInfoRequest request, StreamObserver<GetCollectionInfoResponse> out) {
      reply(out, () -> GetCollectionInfoResponse.newBuilder()
          .setResult(existing(request.getCollectionName()).info())
          .build());
    }

    @Override
    public void list(ListCollectionsRequest request, StreamObserver<ListCollectionsResponse> out) {
      reply(out, () -> {
        ListCollectionsResponse.Builder list = ListCollectionsResponse.newBuilder();
        collections.keySet().stream().sorted()
            .forEach(n -> list.addCollections(CollectionDescription.newBuilder().setName(n)));
        return list.build();
      });
    }

    @Override
    public void delete(DeleteCollection request, StreamObserver<CollectionOperationResponse> out) {
      reply(out, () -> CollectionOperationResponse.newBuilder()
          .setResult(collections.remove(request.getCollectionName()) != null)
          .build());
    }

    @Override
    public void collectionExists(CollectionExistsRequest request, StreamObserver<CollectionExistsResponse> out) {
      reply(out, () -> CollectionExistsResponse.newBuilder()
          .setResult(CollectionExists.newBuilder().setExists(collections.containsKey(request.getCollectionName())))
          .build());
    }
  }

  final class Points extends PointsGrpc.PointsImplBase {
    @Override
    public void upsert(UpsertPoints request, StreamObserver<PointsOperationResponse> out) {
      reply(out, () -> write(request.getWait(),
          existing(request.getCollectionName()).prepareUpsert(request.getPointsList())));
    }

    @Override
    public void delete(DeletePoints request, StreamObserver<PointsOperationResponse> out) {
      reply(out, () -> {
        FakeQdrantCollection c = existing(request.getCollectionName());
        if (request.getPoints().hasPoints()) {
          return write(request.getWait(), () -> c.delete(request.getPoints().getPoints().getIdsList()));
        } else if (request.getPoints().hasFilter()) {
          return write(request.getWait(), () -> c.delete(request.getPoints().getFilter()));
        }
        throw Status.INVALID_ARGUMENT.withDescription("Wrong input: no points selector").asRuntimeException();
      });
    }

    @Override
    public void search(SearchPoints request, StreamObserver<SearchResponse> out) {
      reply(out, () -> SearchResponse.newBuilder()
          .addAllResult(existing(request.getCollectionName()).search(request))
          .build());
    }

    @Override
    public void count(CountPoints request, StreamObserver<CountResponse> out) {
      reply(out, () -> CountResponse.newBuilder()
          .setResult(CountResult.newBuilder().setCount(existing(request.getCollectionName())
              .count(request.hasFilter() ? request.getFilter() : null)))
          .build());
    }

    @Override
    public void get(GetPoints request, StreamObserver<GetResponse> out) {
      reply(out, () -> GetResponse.newBuilder()
          .addAllResult(existing(request.getCollectionName()).get(request.getIdsList(),
              request.hasWithPayload() && request.getWithPayload().getEnable()))
          .build());
    }

    @Override
    public void scroll(ScrollPoints request, StreamObserver<ScrollResponse> out) {
      reply(out, () -> existing(request.getCollectionName()).scroll(request));
    }

    @Override
    public void createFieldIndex(CreateFieldIndexCollection request, StreamObserver<PointsOperationResponse> out) {
      reply(out, () -> {
        FakeQdrantCollection c = existing(request.getCollectionName());
        if (request.getFieldName().isEmpty()) {
          throw Status.INVALID_ARGUMENT.withDescription("Wrong input: field_name is empty").asRuntimeException();
        }
        c.index(request.getFieldName(), schemaType(request.hasFieldType() ? request.getFieldType()
            : FieldType.FieldTypeKeyword));
        return response(UpdateStatus.Completed);
      });
    }
  }

  static final class Health extends QdrantGrpc.QdrantImplBase {
    @Override
    public void healthCheck(HealthCheckRequest request, StreamObserver<HealthCheckReply> out) {
      reply(out, () -> HealthCheckReply.newBuilder().setTitle("fake qdrant").setVersion(VERSION).build());
    }
  }

  private static PayloadSchemaType schemaType(FieldType type) {
    switch (type) {
      case FieldTypeKeyword:
        return PayloadSchemaType.Keyword;
      case FieldTypeInteger:
        return PayloadSchemaType.Integer;
      case FieldTypeFloat:
        return PayloadSchemaType.Float;
      case FieldTypeGeo:
        return PayloadSchemaType.Geo;
      case FieldTypeText:
        return PayloadSchemaType.Text;
      case FieldTypeBool:
        return PayloadSchemaType.Bool;
      case FieldTypeDatetime:
        return PayloadSchemaType.Datetime;
      case FieldTypeUuid:
        return PayloadSchemaType.Uuid;
      default:
        throw Status.INVALID_ARGUMENT.withDescription("Wrong input: unknown field type " + type)
            .asRuntimeException();
    }
  }
}
