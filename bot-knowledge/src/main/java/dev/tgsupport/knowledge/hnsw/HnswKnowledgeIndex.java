package dev.tgsupport.knowledge.hnsw;

import static dev.tgsupport.core.InvalidInputException.check;
import static dev.tgsupport.core.InvalidInputException.requireNonNull;

import dev.tgsupport.core.InvalidInputException;
import dev.tgsupport.core.StorageUnavailableException;
import dev.tgsupport.core.knowledge.Vectors;
import dev.tgsupport.core.port.KnowledgeIndex;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.lucene912.Lucene912Codec;
import org.apache.lucene.document.BinaryDocValuesField;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.BinaryDocValues;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.FieldInfo;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.AlreadyClosedException;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.IOUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An in-process approximate nearest-neighbour {@link KnowledgeIndex}: Lucene's HNSW graph, in memory ({@link
 * #create(int)}) or in a directory that survives restarts ({@link #open(Path, int)}). For tens of thousands of
 * entries and more, where the exact {@code InMemoryKnowledgeIndex} gets slow, without running a vector database.
 *
 * <p>Results are those of exact search with high probability, not always: the graph is searched with {@code
 * searchCandidates} candidates (at least the limit); more candidates find more of the true nearest entries and take
 * longer. {@code maxConnections} and {@code beamWidth} trade build time and memory for the same. With a filter that
 * few entries pass, Lucene compares the query with each of them exactly. Scores are cosine similarities in [-1, 1],
 * best first, ties broken by the smaller entry id. Vectors and queries are checked as every index checks them (see
 * {@link Vectors}): the same {@link InvalidInputException}s as the in-memory index.
 *
 * <p><b>Bulk loads.</b> Every write becomes visible to the next search or {@link #count()}, which opens a new reader
 * when something changed; writes in a row cost no refresh. Lucene keeps an index as several segments, each with its
 * own graph, and a search visits every one of them, so latency grows with their number: after loading many entries,
 * call {@link #optimize()} once to merge them into one.
 *
 * <p><b>Durability.</b> An index on disk is committed by {@link #commit()}, {@link #optimize()} and {@link #close()};
 * writes after the last commit are lost if the process dies. Rebuild it from the knowledge entries when in doubt.
 * One process at a time may open a directory.
 *
 * <p>Thread-safe: searches run in parallel; writes are serialized. Create one per index and {@link #close()} it on
 * shutdown; every method but {@code close} then throws {@link IllegalStateException}. Storage failures raise {@link
 * StorageUnavailableException}.
 */
public final class HnswKnowledgeIndex implements KnowledgeIndex, AutoCloseable {
  /** The largest dimension the index takes (Lucene's own limit is 1,024; OpenAI embeddings have 1,536 or more). */
  public static final int MAX_DIMENSION = WideHnswVectorsFormat.MAX_DIMENSION;

  private static final Logger log = LoggerFactory.getLogger(HnswKnowledgeIndex.class);

  private static final String ID = "id";
  private static final String ID_VALUE = "id_value";
  private static final String PAYLOAD = "payload";
  private static final String FINGERPRINT_VALUE = "fingerprint_value";
  private static final String VECTOR = "vector";
  private static final double RAM_BUFFER_MB = 256;

  private static final Comparator<VectorHit> BEST_FIRST =
      Comparator.comparingDouble(VectorHit::score).reversed().thenComparingLong(VectorHit::entryId);

  private final Options options;
  private final Path path;
  private final Directory directory;
  private final IndexWriter writer;
  private final SearcherManager searchers;
  private final ReentrantLock writeLock = new ReentrantLock();
  private final Object refreshLock = new Object();
  // Bumped after every write; a search refreshes its reader when the last refresh saw an older generation.
  private final AtomicLong writeGeneration = new AtomicLong();
  private volatile long refreshedGeneration;
  private volatile boolean closed;

  private HnswKnowledgeIndex(Options options, Path path) throws IOException {
    this.options = options;
    this.path = path;
    this.directory = path == null ? new ByteBuffersDirectory() : FSDirectory.open(path);
    IndexWriter w = null;
    try {
      w = new IndexWriter(directory, writerConfig(options));
      this.writer = w;
      this.searchers = new SearcherManager(writer, null);
    } catch (IOException | RuntimeException e) {
      if (w != null) {
        w.rollback();
      }
      directory.close();
      throw e;
    }
  }

  /** An empty index in memory for vectors of length {@code dimension}, with the default {@link Options}. */
  public static HnswKnowledgeIndex create(int dimension) {
    return builder(dimension).build();
  }

  /**
   * The index in {@code directory} for vectors of length {@code dimension}, created empty when the directory holds
   * none, with the default {@link Options}.
   *
   * @throws InvalidInputException naming {@code dimension} when the stored vectors have another length
   */
  public static HnswKnowledgeIndex open(Path directory, int dimension) {
    return builder(dimension).directory(directory).build();
  }

  /** Configures an index for vectors of length {@code dimension} (1 to {@value #MAX_DIMENSION}). */
  public static Builder builder(int dimension) {
    return new Builder(dimension);
  }

  /** The options the index was built with. */
  public Options options() {
    return options;
  }

  @Override
  public void upsert(long entryId, float[] vector, Map<String, String> payload) {
    requireNonNull(vector, "vector");
    requireNonNull(payload, "payload");
    Document doc = new Document();
    doc.add(new StringField(ID, Long.toString(entryId), Field.Store.NO));
    doc.add(new NumericDocValuesField(ID_VALUE, entryId));
    for (Map.Entry<String, String> e : payload.entrySet()) {
      check(e.getKey() != null && e.getValue() != null, "payload", "must hold no null key or value", payload);
      doc.add(new StringField(PAYLOAD, payloadTerm(e.getKey(), e.getValue()), Field.Store.NO));
    }
    String fingerprint = payload.get(FINGERPRINT_KEY);
    if (fingerprint != null) {
      // Payload terms cannot be read back per document; fingerprints() needs this one.
      doc.add(new BinaryDocValuesField(FINGERPRINT_VALUE, new BytesRef(fingerprint)));
    }
    float[] unit = Vectors.unit(vector, "vector", options.dimension());
    doc.add(new KnnFloatVectorField(VECTOR, unit, VectorSimilarityFunction.DOT_PRODUCT));
    write("upsert", () -> writer.updateDocument(idTerm(entryId), doc));
  }

  @Override
  public void delete(long entryId) {
    write("delete", () -> writer.deleteDocuments(idTerm(entryId)));
  }

  /**
   * The best {@code limit} entries by cosine similarity with {@code query}, at least {@code minScore}, whose payload
   * holds every pair of {@code filter} (an empty filter matches all); approximate, see the class description.
   */
  @Override
  public List<VectorHit> search(float[] query, int limit, double minScore, Map<String, String> filter) {
    requireNonNull(query, "query");
    requireNonNull(filter, "filter");
    check(limit >= 0, "limit", "must be >= 0", limit);
    check(!Double.isNaN(minScore), "minScore", "must be a number", minScore);
    float[] unit = Vectors.unit(query, "query", options.dimension());
    Query payloadFilter = filterQuery(filter);
    ensureOpen();
    if (limit == 0) {
      return List.of();
    }
    int candidates = Math.max(limit, options.searchCandidates());
    return read("search", searcher -> {
      TopDocs top = searcher.search(new KnnFloatVectorQuery(VECTOR, unit, candidates, payloadFilter), candidates);
      List<LeafReaderContext> leaves = searcher.getIndexReader().leaves();
      List<VectorHit> hits = new ArrayList<>(top.scoreDocs.length);
      for (ScoreDoc sd : top.scoreDocs) {
        // Lucene scores a dot product of unit vectors as (1 + cos) / 2.
        double score = Math.max(-1.0, Math.min(1.0, 2.0 * sd.score - 1.0));
        if (score >= minScore) {
          hits.add(new VectorHit(entryId(leaves, sd.doc), score));
        }
      }
      hits.sort(BEST_FIRST);
      return List.copyOf(hits.subList(0, Math.min(limit, hits.size())));
    });
  }

  /** The number of entries, exact: every write so far counted. */
  @Override
  public long count() {
    return read("count", searcher -> (long) searcher.getIndexReader().numDocs());
  }

  /**
   * Every entry with its fingerprint, read from the index's doc values: in a directory, what previous processes
   * wrote too. A point written before fingerprints were kept lists as {@code ""}.
   */
  @Override
  public Optional<Map<Long, String>> fingerprints() {
    return Optional.of(read("list fingerprints", searcher -> {
      Map<Long, String> out = new HashMap<>();
      for (LeafReaderContext leaf : searcher.getIndexReader().leaves()) {
        Bits live = leaf.reader().getLiveDocs();
        NumericDocValues ids = leaf.reader().getNumericDocValues(ID_VALUE);
        BinaryDocValues fingerprints = leaf.reader().getBinaryDocValues(FINGERPRINT_VALUE);
        for (int doc = 0; ids != null && doc < leaf.reader().maxDoc(); doc++) {
          if ((live != null && !live.get(doc)) || !ids.advanceExact(doc)) {
            continue;
          }
          boolean has = fingerprints != null && fingerprints.advanceExact(doc);
          out.put(ids.longValue(), has ? fingerprints.binaryValue().utf8ToString() : "");
        }
      }
      return Map.copyOf(out);
    }));
  }

  /**
   * Merges the index into one segment, so a search walks one graph instead of several: call it after a bulk load.
   * The merged graph starts from the largest segment's and takes in the others' vectors one by one, so it can take
   * as long as loading them did. Commits an index on disk. Searches go on meanwhile; writes wait.
   */
  public void optimize() {
    write("optimize", () -> {
      long started = System.nanoTime();
      writer.forceMerge(1);
      writer.commit();
      log.info("HNSW index optimized: {} entries in one segment in {} ms", writer.getDocStats().numDocs,
          (System.nanoTime() - started) / 1_000_000);
    });
  }

  /** Makes every write so far durable (on disk; in memory it does nothing useful). */
  public void commit() {
    write("commit", writer::commit);
  }

  /** Commits an index on disk and releases its files and memory. Idempotent. */
  @Override
  public void close() {
    writeLock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      try {
        // The writer commits as it closes.
        IOUtils.close(searchers, writer, directory);
      } catch (IOException e) {
        throw new StorageUnavailableException("closing the HNSW index " + where() + " failed: " + e, e);
      }
    } finally {
      writeLock.unlock();
    }
  }

  @Override
  public String toString() {
    return "HnswKnowledgeIndex[" + where() + ", " + options + "]";
  }

  private String where() {
    return path == null ? "in memory" : "at " + path;
  }

  private interface Write {
    void run() throws IOException;
  }

  private interface Read<T> {
    T apply(IndexSearcher searcher) throws IOException;
  }

  private void write(String operation, Write write) {
    writeLock.lock();
    try {
      ensureOpen();
      write.run();
      writeGeneration.incrementAndGet();
    } catch (IOException e) {
      throw new StorageUnavailableException(operation + " on the HNSW index " + where() + " failed: " + e, e);
    } catch (AlreadyClosedException e) {
      throw closedError(e);
    } finally {
      writeLock.unlock();
    }
  }

  private <T> T read(String operation, Read<T> read) {
    ensureOpen();
    try {
      refreshIfStale();
      IndexSearcher searcher = searchers.acquire();
      try {
        return read.apply(searcher);
      } finally {
        searchers.release(searcher);
      }
    } catch (IOException e) {
      throw new StorageUnavailableException(operation + " on the HNSW index " + where() + " failed: " + e, e);
    } catch (AlreadyClosedException e) {
      throw closedError(e);
    }
  }

  /** Opens a reader that sees every write completed before this call, unless the current one already does. */
  private void refreshIfStale() throws IOException {
    long wanted = writeGeneration.get();
    if (refreshedGeneration >= wanted) {
      return;
    }
    synchronized (refreshLock) {
      if (refreshedGeneration < wanted) {
        searchers.maybeRefreshBlocking();
        refreshedGeneration = wanted;
      }
    }
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("the HNSW index " + where() + " is closed");
    }
  }

  private IllegalStateException closedError(AlreadyClosedException e) {
    return new IllegalStateException("the HNSW index " + where() + " is closed", e);
  }

  private static long entryId(List<LeafReaderContext> leaves, int doc) throws IOException {
    LeafReaderContext leaf = leaves.get(ReaderUtil.subIndex(doc, leaves));
    NumericDocValues ids = leaf.reader().getNumericDocValues(ID_VALUE);
    if (ids == null || !ids.advanceExact(doc - leaf.docBase)) {
      throw new IllegalStateException("document " + doc + " of the HNSW index has no entry id");
    }
    return ids.longValue();
  }

  private static Term idTerm(long entryId) {
    return new Term(ID, Long.toString(entryId));
  }

  /** One term per pair, the key's length first so that no two pairs share a term whatever characters they hold. */
  private static String payloadTerm(String key, String value) {
    return key.length() + ":" + key + "=" + value;
  }

  private static Query filterQuery(Map<String, String> filter) {
    if (filter.isEmpty()) {
      return null;
    }
    BooleanQuery.Builder all = new BooleanQuery.Builder();
    for (Map.Entry<String, String> e : filter.entrySet()) {
      check(e.getKey() != null && e.getValue() != null, "filter", "must hold no null key or value", filter);
      all.add(new TermQuery(new Term(PAYLOAD, payloadTerm(e.getKey(), e.getValue()))), BooleanClause.Occur.FILTER);
    }
    return all.build();
  }

  private static IndexWriterConfig writerConfig(Options options) {
    KnnVectorsFormat format = new WideHnswVectorsFormat(options.maxConnections(), options.beamWidth());
    return new IndexWriterConfig()
        .setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND)
        // Few, large segments: each one is a graph every search has to walk.
        .setRAMBufferSizeMB(RAM_BUFFER_MB)
        .setCodec(new Lucene912Codec() {
          @Override
          public KnnVectorsFormat getKnnVectorsFormatForField(String field) {
            return format;
          }
        });
  }

  /** The vector length already stored in the index, or 0 when it holds no vector yet. */
  private int storedDimension() throws IOException {
    try (DirectoryReader reader = DirectoryReader.open(writer)) {
      for (LeafReaderContext leaf : reader.leaves()) {
        FieldInfo info = leaf.reader().getFieldInfos().fieldInfo(VECTOR);
        if (info != null && info.getVectorDimension() > 0) {
          return info.getVectorDimension();
        }
      }
    }
    return 0;
  }

  /**
   * How the graph is built and searched.
   *
   * @param dimension the length of every vector, 1 to {@value HnswKnowledgeIndex#MAX_DIMENSION}
   * @param maxConnections HNSW's {@code M}: the neighbours each node keeps (1 to 512). More finds more true
   *     neighbours and costs memory and build time
   * @param beamWidth HNSW's {@code ef_construction}: candidates weighed while inserting (1 to 3200). More builds a
   *     better graph, more slowly
   * @param searchCandidates HNSW's {@code ef_search}: candidates a search keeps (1 to 10000; a search keeps at least
   *     its limit). More finds more true neighbours, more slowly
   */
  public record Options(int dimension, int maxConnections, int beamWidth, int searchCandidates) {
    public static final int DEFAULT_MAX_CONNECTIONS = 16;
    public static final int DEFAULT_BEAM_WIDTH = 100;
    public static final int DEFAULT_SEARCH_CANDIDATES = 100;

    /** Checks every field, naming the first out of range. */
    public Options {
      check(dimension >= 1 && dimension <= MAX_DIMENSION, "dimension", "must be in 1.." + MAX_DIMENSION, dimension);
      check(maxConnections >= 1 && maxConnections <= 512, "maxConnections", "must be in 1..512", maxConnections);
      check(beamWidth >= 1 && beamWidth <= 3200, "beamWidth", "must be in 1..3200", beamWidth);
      check(searchCandidates >= 1 && searchCandidates <= 10_000, "searchCandidates", "must be in 1..10000",
          searchCandidates);
    }
  }

  /** Configuration of an {@link HnswKnowledgeIndex}; defaults are in {@link Options}. Not thread-safe. */
  public static final class Builder {
    private final int dimension;
    private int maxConnections = Options.DEFAULT_MAX_CONNECTIONS;
    private int beamWidth = Options.DEFAULT_BEAM_WIDTH;
    private int searchCandidates = Options.DEFAULT_SEARCH_CANDIDATES;
    private Path directory;

    private Builder(int dimension) {
      this.dimension = dimension;
    }

    /** Keep the index in {@code directory} (created if missing) rather than in memory. */
    public Builder directory(Path directory) {
      this.directory = requireNonNull(directory, "directory");
      return this;
    }

    /** HNSW's {@code M}; see {@link Options#maxConnections()}. */
    public Builder maxConnections(int maxConnections) {
      this.maxConnections = maxConnections;
      return this;
    }

    /** HNSW's {@code ef_construction}; see {@link Options#beamWidth()}. */
    public Builder beamWidth(int beamWidth) {
      this.beamWidth = beamWidth;
      return this;
    }

    /** HNSW's {@code ef_search}; see {@link Options#searchCandidates()}. */
    public Builder searchCandidates(int searchCandidates) {
      this.searchCandidates = searchCandidates;
      return this;
    }

    /**
     * Opens the index.
     *
     * @throws InvalidInputException naming the option out of range, or {@code dimension} when the directory holds
     *     vectors of another length
     * @throws StorageUnavailableException when the directory cannot be opened (unreadable, or locked by another
     *     process)
     */
    public HnswKnowledgeIndex build() {
      Options options = new Options(dimension, maxConnections, beamWidth, searchCandidates);
      HnswKnowledgeIndex index;
      try {
        if (directory != null) {
          Files.createDirectories(directory);
        }
        index = new HnswKnowledgeIndex(options, directory);
      } catch (IOException | UncheckedIOException e) {
        throw new StorageUnavailableException("cannot open the HNSW index "
            + (directory == null ? "in memory" : "at " + directory) + ": " + e, e);
      }
      if (directory != null) {
        checkStoredDimension(index);
        log.info("HNSW index opened at {}: {} entries, {}", directory, index.count(), options);
      }
      return index;
    }

    private static void checkStoredDimension(HnswKnowledgeIndex index) {
      int stored;
      try {
        stored = index.storedDimension();
      } catch (IOException e) {
        index.close();
        throw new StorageUnavailableException("cannot read the HNSW index " + index.where() + ": " + e, e);
      }
      if (stored != 0 && stored != index.options.dimension()) {
        index.close();
        throw new InvalidInputException("dimension", "must be " + stored + ", the length of the vectors stored "
            + index.where() + ", was " + index.options.dimension());
      }
    }
  }
}
