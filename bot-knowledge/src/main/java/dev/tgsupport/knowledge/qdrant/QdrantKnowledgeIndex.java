package dev.tgsupport.knowledge.qdrant;

import static dev.tgsupport.core.InvalidInputException.requireNonNull;
import static io.qdrant.client.ConditionFactory.matchKeyword;
import static io.qdrant.client.PointIdFactory.id;
import static io.qdrant.client.ValueFactory.value;
import static io.qdrant.client.VectorsFactory.vectors;
import static io.qdrant.client.WithPayloadSelectorFactory.include;

import com.google.common.util.concurrent.ListenableFuture;
import dev.tgsupport.core.ConflictException;
import dev.tgsupport.core.InvalidInputException;
import dev.tgsupport.core.NotFoundException;
import dev.tgsupport.core.ServerErrorException;
import dev.tgsupport.core.knowledge.Vectors;
import dev.tgsupport.core.port.KnowledgeIndex;
import io.grpc.ManagedChannel;
import io.qdrant.client.QdrantClient;
import io.qdrant.client.QdrantGrpcClient;
import io.qdrant.client.grpc.Collections.CollectionInfo;
import io.qdrant.client.grpc.Collections.Distance;
import io.qdrant.client.grpc.Collections.PayloadSchemaType;
import io.qdrant.client.grpc.Collections.VectorParams;
import io.qdrant.client.grpc.Common.Filter;
import io.qdrant.client.grpc.Common.PointId;
import io.qdrant.client.grpc.JsonWithInt.Value;
import io.qdrant.client.grpc.Points.DeletePoints;
import io.qdrant.client.grpc.Points.PointStruct;
import io.qdrant.client.grpc.Points.PointsIdsList;
import io.qdrant.client.grpc.Points.PointsSelector;
import io.qdrant.client.grpc.Points.RetrievedPoint;
import io.qdrant.client.grpc.Points.ScoredPoint;
import io.qdrant.client.grpc.Points.ScrollPoints;
import io.qdrant.client.grpc.Points.ScrollResponse;
import io.qdrant.client.grpc.Points.SearchPoints;
import io.qdrant.client.grpc.Points.UpsertPoints;
import io.qdrant.client.grpc.Points.WithPayloadSelector;
import io.qdrant.client.grpc.Points.WithVectorsSelector;
import io.qdrant.client.grpc.Points.WriteOrderingType;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link KnowledgeIndex} in a Qdrant collection, spoken to over gRPC with the official client.
 *
 * <p>The collection belongs to one embedding model: its name is the base name, the model name and the dimension
 * ({@code tgsupport_knowledge__all_minilm_l6_v2_q__384}), so switching models opens a new, empty collection and
 * vectors of two models never mix. The collection is created on first use (cosine distance, keyword payload indexes
 * on {@code status}, {@code language} and {@code tags}); {@link #ensureCollection()} and {@link #check()} do that
 * eagerly and tell whether it was created, that is whether the entries have to be indexed again. A collection
 * deleted behind our back is re-created once, with a warning that its entries need a re-index.
 *
 * <pre>{@code
 * try (QdrantKnowledgeIndex index = QdrantKnowledgeIndex.builder()
 *     .url("http://localhost:6334").apiKey(key)
 *     .model(embedder.modelName(), embedder.dimension())
 *     .build()) {
 *   if (index.check().created()) { reindexEverything(); }
 * }
 * }</pre>
 *
 * <p>Vectors and queries are checked with {@link Vectors} before anything is sent, with the same messages as the
 * in-memory index. Point ids are the entry ids; payloads are the given map plus {@code entry_id} and {@code model}.
 * {@link #fingerprints()} scrolls through the collection, so a process starting against a filled collection learns
 * which entries it already holds.
 * Writes wait until Qdrant has applied them, so a search right after an upsert sees it.
 *
 * <p>Every call has its own deadline ({@link Builder#timeout}, 5 s by default). Failures are unchecked exceptions
 * of the SDK: {@link dev.tgsupport.core.StorageUnavailableException} when Qdrant cannot be reached and
 * {@link dev.tgsupport.core.OperationTimeoutException} when it does not answer in time (both retriable),
 * {@link dev.tgsupport.core.AuthenticationException} for a missing or wrong API key and {@link InvalidInputException}
 * for a request Qdrant refuses (not retriable). The API key never appears in a log line, message or
 * {@link #toString()}.
 *
 * <p>Thread-safe; build one per process and model, and {@link #close()} it on shutdown.
 */
public final class QdrantKnowledgeIndex implements KnowledgeIndex, AutoCloseable {
  /** The payload key holding the entry id, next to the caller's pairs. */
  public static final String ENTRY_ID_KEY = "entry_id";
  /** The payload key holding the model name, next to the caller's pairs. */
  public static final String MODEL_KEY = "model";
  /** The payload fields that get a keyword index, because the knowledge stage filters on them. */
  public static final List<String> INDEXED_FIELDS = List.of("status", "language", "tags");

  private static final Logger log = LoggerFactory.getLogger(QdrantKnowledgeIndex.class);
  private static final int DEFAULT_PORT = 6334;
  /** Points per scroll call of {@link #fingerprints()}: payloads of one short key, so a page is a few tens of KB. */
  static final int SCROLL_PAGE = 1_000;
  private static final Comparator<VectorHit> BEST_FIRST =
      Comparator.comparingDouble(VectorHit::score).reversed().thenComparingLong(VectorHit::entryId);

  /**
   * What {@link #check()} found: the collection used, how many points it holds (Qdrant's count, approximate while
   * it optimises) and whether this index created it, in which case the entries have to be indexed again.
   */
  public record CollectionCheck(String collection, long points, boolean created) {}

  private final QdrantClient client;
  private final QdrantCalls calls;
  private final String endpoint;
  private final String collection;
  private final String modelName;
  private final int dimension;
  private final boolean hasApiKey;
  private volatile boolean ensured;
  private volatile boolean created;

  private QdrantKnowledgeIndex(Builder b, QdrantClient client, String endpoint) {
    this.client = client;
    this.endpoint = endpoint;
    this.collection = CollectionNames.of(b.collection, b.modelName, b.dimension);
    this.modelName = b.modelName;
    this.dimension = b.dimension;
    this.hasApiKey = b.apiKey != null;
    this.calls = new QdrantCalls(endpoint, b.timeout, b.apiKey);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The collection this index reads and writes, named after the base name, the model and the dimension. */
  public String collection() {
    return collection;
  }

  /** The vector length of this index. */
  public int dimension() {
    return dimension;
  }

  /**
   * Creates the collection when it is missing: cosine distance, this index's dimension, and keyword payload indexes
   * on {@link #INDEXED_FIELDS} (added to an existing collection that lacks them). Idempotent and safe against another
   * process doing the same at once.
   *
   * @return true when the collection was created now: it is empty and its entries have to be indexed again
   * @throws ConflictException when the existing collection holds vectors of another dimension
   */
  public boolean ensureCollection() {
    return ensure().created();
  }

  /**
   * Ensures the collection (see {@link #ensureCollection()}) and reports it, for a start-up check or a health
   * endpoint.
   */
  public CollectionCheck check() {
    CollectionCheck now = ensure();
    return new CollectionCheck(collection, now.points(), created);
  }

  /** Ensures the collection; the check tells whether this call created it. */
  private synchronized CollectionCheck ensure() {
    boolean createdNow = false;
    boolean exists = calls.run("check collection " + collection,
        () -> client.collectionExistsAsync(collection, calls.timeout()));
    if (!exists) {
      createdNow = create();
    }
    CollectionInfo info = calls.run("read collection " + collection,
        () -> client.getCollectionInfoAsync(collection, calls.timeout()));
    checkDimension(info);
    for (String field : INDEXED_FIELDS) {
      if (!info.getPayloadSchemaMap().containsKey(field)) {
        calls.run("index payload field " + field + " of " + collection,
            () -> client.createPayloadIndexAsync(collection, field, PayloadSchemaType.Keyword, null, true,
                WriteOrderingType.Weak, calls.timeout()));
      }
    }
    if (createdNow) {
      created = true;
    }
    ensured = true;
    return new CollectionCheck(collection, info.getPointsCount(), createdNow);
  }

  @Override
  public void upsert(long entryId, float[] vector, Map<String, String> payload) {
    requireNonNull(vector, "vector");
    requireNonNull(payload, "payload");
    Vectors.checkedNorm(vector, "vector", dimension);
    Map<String, Value> values = new HashMap<>();
    for (Map.Entry<String, String> e : payload.entrySet()) {
      InvalidInputException.check(
          e.getKey() != null && e.getValue() != null, "payload", "must hold no null key or value", payload);
      InvalidInputException.check(!e.getKey().equals(ENTRY_ID_KEY), "payload",
          "must not use the reserved key " + ENTRY_ID_KEY, e.getKey());
      // Callers may say which model made the vector, as long as it is this collection's model.
      InvalidInputException.check(!e.getKey().equals(MODEL_KEY) || e.getValue().equals(modelName), "payload.model",
          "must be this index's model " + modelName, e.getValue());
      values.put(e.getKey(), value(e.getValue()));
    }
    values.put(ENTRY_ID_KEY, value(entryId));
    values.put(MODEL_KEY, value(modelName));
    PointStruct point = PointStruct.newBuilder()
        .setId(id(entryId))
        .setVectors(vectors(vector.clone()))
        .putAllPayload(values)
        .build();
    UpsertPoints request = UpsertPoints.newBuilder()
        .setCollectionName(collection)
        .setWait(true)
        .addPoints(point)
        .build();
    withCollection("upsert into " + collection, () -> client.upsertAsync(request, calls.timeout()));
  }

  @Override
  public void delete(long entryId) {
    DeletePoints request = DeletePoints.newBuilder()
        .setCollectionName(collection)
        .setWait(true)
        .setPoints(PointsSelector.newBuilder().setPoints(PointsIdsList.newBuilder().addIds(id(entryId))))
        .build();
    withCollection("delete from " + collection, () -> client.deleteAsync(request, calls.timeout()));
  }

  /**
   * The best {@code limit} entries by cosine similarity, at least {@code minScore}, whose payload holds every pair of
   * {@code filter}; a limit of 0 finds nothing without asking Qdrant.
   */
  @Override
  public List<VectorHit> search(float[] query, int limit, double minScore, Map<String, String> filter) {
    requireNonNull(query, "query");
    requireNonNull(filter, "filter");
    InvalidInputException.check(limit >= 0, "limit", "must be >= 0", limit);
    InvalidInputException.check(!Double.isNaN(minScore), "minScore", "must be a number", minScore);
    Vectors.checkedNorm(query, "query", dimension);
    Filter.Builder must = Filter.newBuilder();
    for (Map.Entry<String, String> e : filter.entrySet()) {
      InvalidInputException.check(
          e.getKey() != null && e.getValue() != null, "filter", "must hold no null key or value", filter);
      must.addMust(matchKeyword(e.getKey(), e.getValue()));
    }
    if (limit == 0) {
      return List.of();
    }
    SearchPoints.Builder request = SearchPoints.newBuilder()
        .setCollectionName(collection)
        .setLimit(limit)
        .setWithPayload(WithPayloadSelector.newBuilder().setEnable(false));
    for (float x : query) {
      request.addVector(x);
    }
    if (!filter.isEmpty()) {
      request.setFilter(must);
    }
    if (minScore > -1.0) {
      request.setScoreThreshold((float) minScore);
    }
    SearchPoints built = request.build();
    List<ScoredPoint> points =
        withCollection("search in " + collection, () -> client.searchAsync(built, calls.timeout()));
    List<VectorHit> hits = new ArrayList<>(points.size());
    for (ScoredPoint p : points) {
      PointId pid = p.getId();
      if (!pid.hasNum()) {
        log.warn("qdrant collection {} holds a point with a non-numeric id {}; skipped", collection, pid.getUuid());
        continue;
      }
      hits.add(new VectorHit(pid.getNum(), Math.max(-1.0, Math.min(1.0, p.getScore()))));
    }
    hits.sort(BEST_FIRST);
    return List.copyOf(hits);
  }

  /** The exact number of points in the collection. */
  @Override
  public long count() {
    return withCollection("count " + collection, () -> client.countAsync(collection, null, true, calls.timeout()));
  }

  /**
   * Every point of the collection with its {@code fingerprint} payload value, read by scrolling through the
   * collection 1,000 points a call, without vectors and with that one payload key. Each page has its
   * own deadline ({@link Builder#timeout}); a failure fails the whole listing, mapped as the other calls are. A
   * missing collection is created, and lists nothing.
   */
  @Override
  public Optional<Map<Long, String>> fingerprints() {
    Map<Long, String> out = new HashMap<>();
    PointId offset = null;
    int skipped = 0;
    do {
      ScrollPoints.Builder request = ScrollPoints.newBuilder()
          .setCollectionName(collection)
          .setLimit(SCROLL_PAGE)
          .setWithPayload(include(List.of(FINGERPRINT_KEY)))
          .setWithVectors(WithVectorsSelector.newBuilder().setEnable(false));
      if (offset != null) {
        request.setOffset(offset);
      }
      ScrollPoints built = request.build();
      ScrollResponse page =
          withCollection("scroll " + collection, () -> client.scrollAsync(built, calls.timeout()));
      for (RetrievedPoint p : page.getResultList()) {
        if (!p.getId().hasNum()) {
          skipped++;
          continue;
        }
        Value fingerprint = p.getPayloadMap().get(FINGERPRINT_KEY);
        out.put(p.getId().getNum(), fingerprint != null && fingerprint.hasStringValue()
            ? fingerprint.getStringValue() : "");
      }
      PointId next = page.hasNextPageOffset() ? page.getNextPageOffset() : null;
      if (next != null && next.equals(offset)) {
        // A server that never moves on would keep us here for ever.
        throw new ServerErrorException("qdrant scroll " + collection + " at " + endpoint
            + " answered the page's own offset as the next one");
      }
      offset = next;
    } while (offset != null);
    if (skipped > 0) {
      log.warn("qdrant collection {} holds {} points with non-numeric ids; not listed", collection, skipped);
    }
    return Optional.of(out);
  }

  /** Closes the gRPC client; a channel given to {@link Builder#grpcChannel} stays open (its owner closes it). */
  @Override
  public void close() {
    client.close();
  }

  @Override
  public String toString() {
    return "QdrantKnowledgeIndex[" + endpoint + ", collection=" + collection + ", timeout="
        + calls.timeout().toMillis() + "ms, apiKey=" + (hasApiKey ? "***" : "none") + "]";
  }

  private boolean create() {
    try {
      calls.run("create collection " + collection, () -> client.createCollectionAsync(collection,
          VectorParams.newBuilder().setSize(dimension).setDistance(Distance.Cosine).build(), calls.timeout()));
      log.info("created qdrant collection {} at {} ({} dims, cosine); its knowledge entries need indexing",
          collection, endpoint, dimension);
      return true;
    } catch (ConflictException alreadyCreatedByAnotherProcess) {
      return false;
    }
  }

  private void checkDimension(CollectionInfo info) {
    var config = info.getConfig().getParams().getVectorsConfig();
    if (config.hasParams() && config.getParams().getSize() != dimension) {
      throw new ConflictException("qdrant collection " + collection + " at " + endpoint + " holds vectors of length "
          + config.getParams().getSize() + ", this index expects " + dimension);
    }
  }

  /** Runs a call on the collection, creating it first if needed, and once more after re-creating a lost one. */
  private <T> T withCollection(String operation, Supplier<ListenableFuture<T>> call) {
    if (!ensured) {
      ensureCollection();
    }
    try {
      return calls.run(operation, call);
    } catch (NotFoundException missing) {
      log.warn("qdrant collection {} at {} was missing on {}; re-creating it: its knowledge entries need a re-index",
          collection, endpoint, operation);
      ensureCollection();
      return calls.run(operation, call);
    }
  }

  /**
   * Configures a {@link QdrantKnowledgeIndex}. {@link #model} is required, and one of {@link #url} and
   * {@link #grpcChannel}.
   */
  public static final class Builder {
    private URI url;
    private ManagedChannel channel;
    private String apiKey;
    private String collection = "tgsupport_knowledge";
    private String modelName;
    private int dimension;
    private Duration timeout = Duration.ofSeconds(5);

    private Builder() {}

    /**
     * Qdrant's gRPC endpoint, {@code http://host:6334} or {@code https://host:6334} (TLS); the port defaults to
     * 6334. Credentials go to {@link #apiKey}, never into the URL.
     */
    public Builder url(String url) {
      requireNonNull(url, "url");
      URI uri;
      try {
        uri = new URI(url.trim());
      } catch (URISyntaxException e) {
        throw new InvalidInputException("url", "must be http(s)://host[:port], was not a URI");
      }
      if (uri.getRawUserInfo() != null || uri.getRawQuery() != null) {
        // Never echo it: this part of a URL is where people put secrets.
        throw new InvalidInputException("url", "must not carry credentials or a query; use apiKey(...)");
      }
      String scheme = uri.getScheme() == null ? "" : uri.getScheme();
      InvalidInputException.check(scheme.equals("http") || scheme.equals("https"), "url",
          "must start with http:// or https://", scheme.isEmpty() ? url : scheme + "://…");
      InvalidInputException.check(uri.getHost() != null, "url", "must name a host", url);
      this.url = uri;
      this.channel = null;
      return this;
    }

    /**
     * A channel to use instead of {@link #url}, for tests, fakes or custom transports. The caller keeps owning it:
     * {@link QdrantKnowledgeIndex#close()} does not shut it down. No server-version check is made on it.
     */
    public Builder grpcChannel(ManagedChannel channel) {
      this.channel = requireNonNull(channel, "grpcChannel");
      this.url = null;
      return this;
    }

    /** The API key sent as Qdrant's {@code api-key} header; optional. Never logged. */
    public Builder apiKey(String apiKey) {
      if (apiKey != null && apiKey.isBlank()) {
        throw new InvalidInputException("apiKey", "must not be blank when given");
      }
      this.apiKey = apiKey;
      return this;
    }

    /** The base name of the collection; the model and dimension are appended. Default {@code tgsupport_knowledge}. */
    public Builder collection(String baseName) {
      this.collection = baseName;
      return this;
    }

    /** The embedding model whose vectors this index holds: {@code embedder.modelName(), embedder.dimension()}. */
    public Builder model(String modelName, int dimension) {
      InvalidInputException.requireNonBlank(modelName, "modelName");
      InvalidInputException.check(dimension > 0, "dimension", "must be > 0", dimension);
      this.modelName = modelName;
      this.dimension = dimension;
      return this;
    }

    /** The deadline of each call to Qdrant; default 5 s. */
    public Builder timeout(Duration timeout) {
      requireNonNull(timeout, "timeout");
      InvalidInputException.check(!timeout.isNegative() && !timeout.isZero(), "timeout", "must be > 0", timeout);
      this.timeout = timeout;
      return this;
    }

    /**
     * Builds the index; nothing is sent to Qdrant until the first call.
     *
     * @throws InvalidInputException naming the missing or bad field
     */
    public QdrantKnowledgeIndex build() {
      if (modelName == null) {
        throw new InvalidInputException("model", "must be set: model(embedder.modelName(), embedder.dimension())");
      }
      if (url == null && channel == null) {
        throw new InvalidInputException("url", "must be set (or grpcChannel)");
      }
      CollectionNames.of(collection, modelName, dimension);
      QdrantGrpcClient.Builder grpc;
      String endpoint;
      if (channel != null) {
        grpc = QdrantGrpcClient.newBuilder(channel, false, false);
        endpoint = channel.authority();
      } else {
        int port = url.getPort() == -1 ? DEFAULT_PORT : url.getPort();
        grpc = QdrantGrpcClient.newBuilder(url.getHost(), port, url.getScheme().equals("https"));
        endpoint = url.getHost() + ":" + port;
      }
      grpc.withTimeout(timeout);
      if (apiKey != null) {
        grpc.withApiKey(apiKey);
      }
      return new QdrantKnowledgeIndex(this, new QdrantClient(grpc.build()), endpoint);
    }

    @Override
    public String toString() {
      return "QdrantKnowledgeIndex.Builder[url=" + url + ", collection=" + collection + ", model=" + modelName
          + ", apiKey=" + (apiKey == null ? "none" : "***") + "]";
    }
  }
}
