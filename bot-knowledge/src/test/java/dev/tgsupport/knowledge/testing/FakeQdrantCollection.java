package dev.tgsupport.knowledge.testing;

import io.grpc.Status;
import io.qdrant.client.grpc.Collections.CollectionConfig;
import io.qdrant.client.grpc.Collections.CollectionInfo;
import io.qdrant.client.grpc.Collections.CollectionParams;
import io.qdrant.client.grpc.Collections.CollectionStatus;
import io.qdrant.client.grpc.Collections.Distance;
import io.qdrant.client.grpc.Collections.PayloadSchemaInfo;
import io.qdrant.client.grpc.Collections.PayloadSchemaType;
import io.qdrant.client.grpc.Collections.VectorParams;
import io.qdrant.client.grpc.Collections.VectorsConfig;
import io.qdrant.client.grpc.Common.Condition;
import io.qdrant.client.grpc.Common.FieldCondition;
import io.qdrant.client.grpc.Common.Filter;
import io.qdrant.client.grpc.Common.Match;
import io.qdrant.client.grpc.Common.PointId;
import io.qdrant.client.grpc.JsonWithInt.Value;
import io.qdrant.client.grpc.Points.PointStruct;
import io.qdrant.client.grpc.Points.RetrievedPoint;
import io.qdrant.client.grpc.Points.ScoredPoint;
import io.qdrant.client.grpc.Points.ScrollPoints;
import io.qdrant.client.grpc.Points.ScrollResponse;
import io.qdrant.client.grpc.Points.SearchPoints;
import io.qdrant.client.grpc.Points.WithPayloadSelector;
import io.qdrant.client.grpc.Points.Vector;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One collection of the fake: a dense unnamed vector per point, searched exactly, guarded by its own monitor. */
final class FakeQdrantCollection {
  private record Stored(float[] vector, Map<String, Value> payload) {}

  private final String name;
  private final int size;
  private final Distance distance;
  private final Map<PointId, Stored> points = new LinkedHashMap<>();
  private final Map<String, PayloadSchemaType> indexes = new LinkedHashMap<>();

  FakeQdrantCollection(String name, int size, Distance distance) {
    this.name = name;
    this.size = size;
    this.distance = distance;
  }

  /** Checks the whole batch first, as Qdrant does, and returns the write to apply now or later. */
  synchronized Runnable prepareUpsert(List<PointStruct> batch) {
    List<float[]> vectors = new ArrayList<>(batch.size());
    for (PointStruct p : batch) {
      if (!p.hasId()) {
        throw Status.INVALID_ARGUMENT.withDescription("Wrong input: point id is missing").asRuntimeException();
      }
      if (!p.hasVectors() || !p.getVectors().hasVector()) {
        throw Status.INVALID_ARGUMENT
            .withDescription("Wrong input: the fake stores one unnamed dense vector per point")
            .asRuntimeException();
      }
      vectors.add(stored(dense(p.getVectors().getVector())));
    }
    return () -> {
      synchronized (this) {
        for (int i = 0; i < batch.size(); i++) {
          PointStruct p = batch.get(i);
          points.put(p.getId(), new Stored(vectors.get(i), Map.copyOf(p.getPayloadMap())));
        }
      }
    };
  }

  synchronized void delete(List<PointId> ids) {
    ids.forEach(points::remove);
  }

  synchronized void delete(Filter filter) {
    points.entrySet().removeIf(e -> matches(e.getKey(), e.getValue().payload(), filter));
  }

  synchronized List<ScoredPoint> search(SearchPoints request) {
    if (request.hasVectorName() && !request.getVectorName().isEmpty()) {
      throw Status.INVALID_ARGUMENT
          .withDescription("Wrong input: Not existing vector name error: " + request.getVectorName())
          .asRuntimeException();
    }
    float[] query = stored(toArray(request.getVectorList()));
    boolean withPayload = request.hasWithPayload() && request.getWithPayload().getEnable();
    List<ScoredPoint> hits = new ArrayList<>();
    for (Map.Entry<PointId, Stored> e : points.entrySet()) {
      Stored p = e.getValue();
      if (request.hasFilter() && !matches(e.getKey(), p.payload(), request.getFilter())) {
        continue;
      }
      float score = score(query, p.vector());
      if (request.hasScoreThreshold() && score < request.getScoreThreshold()) {
        continue;
      }
      ScoredPoint.Builder hit = ScoredPoint.newBuilder().setId(e.getKey()).setScore(score);
      if (withPayload) {
        hit.putAllPayload(p.payload());
      }
      hits.add(hit.build());
    }
    hits.sort(Comparator.comparingDouble(ScoredPoint::getScore).reversed()
        .thenComparing(h -> h.getId().toString()));
    int from = (int) Math.min(hits.size(), request.hasOffset() ? request.getOffset() : 0);
    int to = (int) Math.min(hits.size(), from + request.getLimit());
    return List.copyOf(hits.subList(from, to));
  }

  /**
   * As Qdrant scrolls: points in id order (numeric ids ascending as unsigned 64-bit numbers, then UUIDs), from
   * {@code offset} inclusive, {@code limit} of them (10 when unset), matching the filter, and the id of the next one
   * as {@code next_page_offset}. Payloads come whole unless the selector disables, includes or excludes keys; vectors
   * and {@code order_by} are not supported.
   */
  synchronized ScrollResponse scroll(ScrollPoints request) {
    if (request.hasLimit() && request.getLimit() < 1) {
      throw Status.INVALID_ARGUMENT.withDescription(
          "Validation error in body: [limit: value " + request.getLimit() + " invalid, must be 1 or more]")
          .asRuntimeException();
    }
    if (request.hasWithVectors() && (request.getWithVectors().getEnable()
        || request.getWithVectors().hasInclude())) {
      throw Status.UNIMPLEMENTED.withDescription("the fake scrolls without vectors").asRuntimeException();
    }
    if (request.hasOrderBy()) {
      throw Status.UNIMPLEMENTED.withDescription("the fake scrolls in id order only").asRuntimeException();
    }
    int limit = request.hasLimit() ? request.getLimit() : 10;
    List<PointId> ids = new ArrayList<>(points.keySet());
    ids.sort(ID_ORDER);
    ScrollResponse.Builder page = ScrollResponse.newBuilder();
    int taken = 0;
    for (PointId id : ids) {
      if (request.hasOffset() && ID_ORDER.compare(id, request.getOffset()) < 0) {
        continue;
      }
      Map<String, Value> payload = points.get(id).payload();
      if (request.hasFilter() && !matches(id, payload, request.getFilter())) {
        continue;
      }
      if (taken == limit) {
        page.setNextPageOffset(id);
        break;
      }
      page.addResult(RetrievedPoint.newBuilder().setId(id)
          .putAllPayload(selected(payload, request.hasWithPayload() ? request.getWithPayload() : null)));
      taken++;
    }
    return page.build();
  }

  /** Numeric ids first, ascending as Qdrant's unsigned ids, then UUIDs as strings. */
  private static final Comparator<PointId> ID_ORDER = (a, b) -> {
    if (a.hasNum() != b.hasNum()) {
      return a.hasNum() ? -1 : 1;
    }
    return a.hasNum() ? Long.compareUnsigned(a.getNum(), b.getNum()) : a.getUuid().compareTo(b.getUuid());
  };

  /** Scroll's default is the whole payload. */
  private static Map<String, Value> selected(Map<String, Value> payload, WithPayloadSelector selector) {
    if (selector == null) {
      return payload;
    }
    switch (selector.getSelectorOptionsCase()) {
      case ENABLE:
        return selector.getEnable() ? payload : Map.of();
      case INCLUDE: {
        Map<String, Value> out = new LinkedHashMap<>();
        for (String key : selector.getInclude().getFieldsList()) {
          if (payload.containsKey(key)) {
            out.put(key, payload.get(key));
          }
        }
        return out;
      }
      case EXCLUDE: {
        Map<String, Value> out = new LinkedHashMap<>(payload);
        selector.getExclude().getFieldsList().forEach(out::remove);
        return out;
      }
      default:
        return payload;
    }
  }

  synchronized long count(Filter filter) {
    if (filter == null) {
      return points.size();
    }
    return points.entrySet().stream().filter(e -> matches(e.getKey(), e.getValue().payload(), filter)).count();
  }

  synchronized List<RetrievedPoint> get(List<PointId> ids, boolean withPayload) {
    List<RetrievedPoint> out = new ArrayList<>();
    for (PointId id : ids) {
      Stored p = points.get(id);
      if (p != null) {
        RetrievedPoint.Builder r = RetrievedPoint.newBuilder().setId(id);
        if (withPayload) {
          r.putAllPayload(p.payload());
        }
        out.add(r.build());
      }
    }
    return out;
  }

  synchronized void index(String field, PayloadSchemaType type) {
    indexes.put(field, type);
  }

  synchronized Map<String, PayloadSchemaType> indexes() {
    return Map.copyOf(indexes);
  }

  synchronized Map<String, Value> payload(PointId id) {
    Stored p = points.get(id);
    return p == null ? null : p.payload();
  }

  synchronized CollectionInfo info() {
    CollectionInfo.Builder info = CollectionInfo.newBuilder()
        .setStatus(CollectionStatus.Green)
        .setSegmentsCount(1)
        .setPointsCount(points.size())
        .setIndexedVectorsCount(0)
        .setConfig(CollectionConfig.newBuilder().setParams(CollectionParams.newBuilder()
            .setShardNumber(1)
            .setVectorsConfig(VectorsConfig.newBuilder()
                .setParams(VectorParams.newBuilder().setSize(size).setDistance(distance)))));
    indexes.forEach((field, type) -> info.putPayloadSchema(field, PayloadSchemaInfo.newBuilder()
        .setDataType(type).setPoints(count(Filter.newBuilder().addMust(Condition.newBuilder()
            .setField(FieldCondition.newBuilder().setKey(field))).build())).build()));
    return info.build();
  }

  /** As Qdrant does for cosine collections: vectors are normalised once, on the way in. */
  private float[] stored(float[] v) {
    if (v.length != size) {
      throw Status.INVALID_ARGUMENT
          .withDescription("Wrong input: Vector dimension error: expected dim: " + size + ", got " + v.length)
          .asRuntimeException();
    }
    if (distance != Distance.Cosine) {
      return v;
    }
    double norm = 0;
    for (float x : v) {
      norm += (double) x * x;
    }
    if (norm == 0) {
      return v;
    }
    float[] unit = new float[v.length];
    double n = Math.sqrt(norm);
    for (int i = 0; i < v.length; i++) {
      unit[i] = (float) (v[i] / n);
    }
    return unit;
  }

  private static float score(float[] a, float[] b) {
    double dot = 0;
    for (int i = 0; i < a.length; i++) {
      dot += (double) a[i] * b[i];
    }
    return (float) dot;
  }

  @SuppressWarnings("deprecation")
  private static float[] dense(Vector v) {
    if (v.hasDense()) {
      return toArray(v.getDense().getDataList());
    }
    if (v.getDataCount() > 0 && !v.hasIndices() && !v.hasVectorsCount()) {
      return toArray(v.getDataList());
    }
    throw Status.INVALID_ARGUMENT.withDescription("Wrong input: the fake stores dense vectors only")
        .asRuntimeException();
  }

  private static float[] toArray(List<Float> xs) {
    float[] out = new float[xs.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = xs.get(i);
    }
    return out;
  }

  private static boolean matches(PointId id, Map<String, Value> payload, Filter filter) {
    for (Condition c : filter.getMustList()) {
      if (!matches(id, payload, c)) {
        return false;
      }
    }
    for (Condition c : filter.getMustNotList()) {
      if (matches(id, payload, c)) {
        return false;
      }
    }
    if (filter.getShouldCount() > 0 && filter.getShouldList().stream().noneMatch(c -> matches(id, payload, c))) {
      return false;
    }
    if (filter.hasMinShould()) {
      long matching = filter.getMinShould().getConditionsList().stream().filter(c -> matches(id, payload, c)).count();
      return matching >= filter.getMinShould().getMinCount();
    }
    return true;
  }

  private static boolean matches(PointId id, Map<String, Value> payload, Condition c) {
    switch (c.getConditionOneOfCase()) {
      case FIELD:
        return matches(payload.get(c.getField().getKey()), c.getField());
      case FILTER:
        return matches(id, payload, c.getFilter());
      case HAS_ID:
        return id != null && c.getHasId().getHasIdList().contains(id);
      case IS_EMPTY:
        Value v = payload.get(c.getIsEmpty().getKey());
        return v == null || v.hasNullValue() || (v.hasListValue() && v.getListValue().getValuesCount() == 0);
      default:
        throw Status.UNIMPLEMENTED.withDescription("the fake does not support " + c.getConditionOneOfCase()
            + " conditions").asRuntimeException();
    }
  }

  /** A field with no match clause is an existence check (what info() uses to count indexed points). */
  private static boolean matches(Value value, FieldCondition condition) {
    if (value == null) {
      return false;
    }
    if (value.hasListValue()) {
      return value.getListValue().getValuesList().stream().anyMatch(x -> matches(x, condition));
    }
    if (!condition.hasMatch()) {
      return !value.hasNullValue();
    }
    Match m = condition.getMatch();
    switch (m.getMatchValueCase()) {
      case KEYWORD:
        return value.hasStringValue() && value.getStringValue().equals(m.getKeyword());
      case KEYWORDS:
        return value.hasStringValue() && m.getKeywords().getStringsList().contains(value.getStringValue());
      case INTEGER:
        return value.hasIntegerValue() && value.getIntegerValue() == m.getInteger();
      case INTEGERS:
        return value.hasIntegerValue() && m.getIntegers().getIntegersList().contains(value.getIntegerValue());
      case BOOLEAN:
        return value.hasBoolValue() && value.getBoolValue() == m.getBoolean();
      case TEXT:
        return value.hasStringValue() && value.getStringValue().contains(m.getText());
      default:
        throw Status.UNIMPLEMENTED.withDescription("the fake does not support " + m.getMatchValueCase()
            + " matches").asRuntimeException();
    }
  }

  @Override
  public String toString() {
    return "FakeQdrantCollection[" + name + ", " + size + " dims, " + distance + "]";
  }
}
