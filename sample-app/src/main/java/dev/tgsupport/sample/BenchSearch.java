package dev.tgsupport.sample;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.store.embedding.EmbeddingMatch;
import dev.langchain4j.store.embedding.EmbeddingSearchRequest;
import dev.langchain4j.store.embedding.inmemory.InMemoryEmbeddingStore;
import dev.tgsupport.core.port.KnowledgeIndex.VectorHit;
import dev.tgsupport.knowledge.embed.LocalEmbedder;
import dev.tgsupport.knowledge.hnsw.HnswKnowledgeIndex;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Collectors;

/**
 * {@code bench search}: the same vectors in our {@link HnswKnowledgeIndex} and in LangChain4j's exact {@link
 * InMemoryEmbeddingStore}, the same queries (top 10) timed on each one after the other, on one thread; the exact
 * store's answers are the truth that recall is measured against.
 */
final class BenchSearch {
  static final int TOP = 10;
  /** Searches of the HNSW index before timing: enough for the JIT to compile the graph walk. */
  static final int SDK_WARMUP = 1_000;
  /** Searches of the exact store before timing: each one already runs its loop over every entry. */
  static final int BASELINE_WARMUP = 10;

  /** How the vectors are spread. */
  enum Distribution {
    /**
     * A mixture of Gaussian clusters, as sentence embeddings group by topic: √N centres in random directions, each
     * vector its centre plus Gaussian noise as long as the centre (cosine about 0.5 within a cluster, about 0
     * across).
     */
    CLUSTERED,
    /** Uniform on the sphere: the worst case for any ANN index, unlike any embedding. */
    UNIFORM;

    String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * What to run.
   *
   * @param texts files of texts to embed and index instead of synthetic vectors; empty for synthetic ones, which
   *     {@code entries}, {@code dimension} and {@code distribution} describe. With texts, those three are unused:
   *     the texts decide the entries, the bundled model the dimension; {@code seed} draws the held-out queries
   */
  record Settings(int entries, int queries, int dimension, long seed, Distribution distribution, int maxConnections,
      int beamWidth, int candidates, List<Path> texts) {
    Settings {
      texts = List.copyOf(texts);
    }
  }

  /** The vectors of one run: indexed, searched before timing, and timed. */
  record Workload(float[][] entries, float[][] warmup, float[][] queries, int dimension) {}

  /** What came out; {@link #lines()} is the command's output. */
  record Result(int entries, int queries, int dimension, double buildSeconds, double sdkP50Ms, double sdkP99Ms,
      double baselineP50Ms, double baselineP99Ms, double recallAt10) {

    List<String> lines() {
      return List.of(
          "entries: " + entries,
          "queries: " + queries,
          "dimension: " + dimension,
          String.format(Locale.ROOT, "build_seconds: %.2f", buildSeconds),
          String.format(Locale.ROOT, "sdk_p50_ms: %.3f", sdkP50Ms),
          String.format(Locale.ROOT, "sdk_p99_ms: %.3f", sdkP99Ms),
          String.format(Locale.ROOT, "baseline_p50_ms: %.3f", baselineP50Ms),
          String.format(Locale.ROOT, "baseline_p99_ms: %.3f", baselineP99Ms),
          String.format(Locale.ROOT, "ratio: %.1f", baselineP99Ms / sdkP99Ms),
          String.format(Locale.ROOT, "recall_at_10: %.4f", recallAt10));
    }
  }

  /**
   * The time a search spent on a processor, next to the wall-clock time the output reports: on a machine shared with
   * other busy processes the difference is time spent waiting for a processor, not searching.
   */
  private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

  private BenchSearch() {}

  /** Runs on synthetic vectors, or on embedded texts when {@link Settings#texts()} names files. */
  static Result run(Settings s, PrintWriter progress) {
    return run(s, s.texts().isEmpty() ? synthetic(s, progress) : embedded(s, progress), progress);
  }

  private static Workload synthetic(Settings s, PrintWriter progress) {
    VectorSource vectors = new VectorSource(s);
    float[][] entries = vectors.next(s.entries());
    float[][] warmup = vectors.next(SDK_WARMUP);
    float[][] queries = vectors.next(s.queries());
    say(progress, "bench: " + s.entries() + " " + s.distribution().label() + " vectors"
        + (s.distribution() == Distribution.CLUSTERED ? " (" + vectors.clusters() + " clusters)" : "")
        + " of dimension " + s.dimension() + ", " + s.queries() + " queries of the top " + TOP + ", seed " + s.seed());
    return new Workload(entries, warmup, queries, s.dimension());
  }

  private static Workload embedded(Settings s, PrintWriter progress) {
    BenchSearchTexts.Texts texts = BenchSearchTexts.read(s.texts());
    BenchSearchTexts.Split split = BenchSearchTexts.split(texts.distinct(), s.queries(), s.seed());
    say(progress, "bench: " + texts.distinct().size() + " distinct texts (of " + texts.read() + " read) from "
        + s.texts().stream().map(Path::toString).collect(Collectors.joining(", ")) + "; " + s.queries()
        + " held out as queries of the top " + TOP + ", seed " + s.seed() + "; " + split.entries().size()
        + " indexed");
    try (LocalEmbedder model = loadModel()) {
      say(progress, "bench: embedding them with " + model + " in batches of " + BenchSearchTexts.EMBED_BATCH);
      return BenchSearchTexts.workload(split, model, progress);
    }
  }

  private static LocalEmbedder loadModel() {
    try {
      return LocalEmbedder.create();
    } catch (RuntimeException | LinkageError e) {
      throw new TgSupportCli.CliFailure("cannot load the bundled embedding model: " + e);
    }
  }

  private static Result run(Settings s, Workload w, PrintWriter progress) {
    float[][] entries = w.entries();
    float[][] warmup = w.warmup();
    float[][] queries = w.queries();

    InMemoryEmbeddingStore<TextSegment> baseline = new InMemoryEmbeddingStore<>();
    for (int i = 0; i < entries.length; i++) {
      baseline.add(Long.toString(i), Embedding.from(entries[i]));
    }

    try (HnswKnowledgeIndex sdk = HnswKnowledgeIndex.builder(w.dimension()).maxConnections(s.maxConnections())
        .beamWidth(s.beamWidth()).searchCandidates(s.candidates()).build()) {
      say(progress, "bench: building " + sdk);
      long started = System.nanoTime();
      for (int i = 0; i < entries.length; i++) {
        sdk.upsert(i, entries[i], Map.of());
      }
      long loaded = System.nanoTime();
      sdk.optimize();
      double buildSeconds = (System.nanoTime() - started) / 1e9;
      say(progress, String.format(Locale.ROOT, "bench: built in %.1f s (%.1f s to load, %.1f s to optimize)",
          buildSeconds, (loaded - started) / 1e9, (System.nanoTime() - loaded) / 1e9));

      for (float[] q : warmup) {
        sdk.search(q, TOP, -1.0, Map.of());
      }
      // Other processes' load shows in the tail latencies: say how busy the machine was.
      say(progress, String.format(Locale.ROOT, "bench: timing; load average %.2f on %d processors",
          ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
          Runtime.getRuntime().availableProcessors()));
      long[] sdkNanos = new long[queries.length];
      long[] sdkCpuNanos = new long[queries.length];
      long[][] sdkIds = new long[queries.length][];
      for (int q = 0; q < queries.length; q++) {
        long cpu0 = CPU.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        List<VectorHit> hits = sdk.search(queries[q], TOP, -1.0, Map.of());
        sdkNanos[q] = System.nanoTime() - t0;
        sdkCpuNanos[q] = CPU.getCurrentThreadCpuTime() - cpu0;
        sdkIds[q] = hits.stream().mapToLong(VectorHit::entryId).toArray();
      }
      say(progress, String.format(Locale.ROOT, "bench: sdk p50 %.3f ms, p99 %.3f ms; on CPU p50 %.3f ms, p99 %.3f ms",
          percentileMs(sdkNanos, 0.50), percentileMs(sdkNanos, 0.99), percentileMs(sdkCpuNanos, 0.50),
          percentileMs(sdkCpuNanos, 0.99)));

      for (int q = 0; q < Math.min(BASELINE_WARMUP, warmup.length); q++) {
        baseline.search(request(warmup[q]));
      }
      long[] baselineNanos = new long[queries.length];
      long[] baselineCpuNanos = new long[queries.length];
      int found = 0;
      int wanted = 0;
      for (int q = 0; q < queries.length; q++) {
        EmbeddingSearchRequest request = request(queries[q]);
        long cpu0 = CPU.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        List<EmbeddingMatch<TextSegment>> matches = baseline.search(request).matches();
        baselineNanos[q] = System.nanoTime() - t0;
        baselineCpuNanos[q] = CPU.getCurrentThreadCpuTime() - cpu0;
        Set<Long> exact = new HashSet<>();
        for (EmbeddingMatch<TextSegment> m : matches) {
          exact.add(Long.parseLong(m.embeddingId()));
        }
        wanted += exact.size();
        for (long id : sdkIds[q]) {
          if (exact.contains(id)) {
            found++;
          }
        }
      }
      say(progress, String.format(Locale.ROOT, "bench: baseline p50 %.3f ms, p99 %.3f ms; on CPU p50 %.3f ms, p99"
          + " %.3f ms", percentileMs(baselineNanos, 0.50), percentileMs(baselineNanos, 0.99),
          percentileMs(baselineCpuNanos, 0.50), percentileMs(baselineCpuNanos, 0.99)));
      return new Result(entries.length, queries.length, w.dimension(), buildSeconds, percentileMs(sdkNanos, 0.50),
          percentileMs(sdkNanos, 0.99), percentileMs(baselineNanos, 0.50), percentileMs(baselineNanos, 0.99),
          wanted == 0 ? 0 : (double) found / wanted);
    }
  }

  private static EmbeddingSearchRequest request(float[] query) {
    return EmbeddingSearchRequest.builder().queryEmbedding(Embedding.from(query)).maxResults(TOP).minScore(0.0)
        .build();
  }

  /** The nearest-rank percentile {@code q} of {@code nanos}, in milliseconds. */
  static double percentileMs(long[] nanos, double q) {
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    int rank = (int) Math.ceil(q * sorted.length);
    return sorted[Math.max(0, rank - 1)] / 1e6;
  }

  private static void say(PrintWriter progress, String line) {
    progress.println(line);
    progress.flush();
  }

  /** The seeded vectors of one run: entries, warm-up queries and queries all drawn from one distribution. */
  private static final class VectorSource {
    private final SplittableRandom random;
    private final int dimension;
    private final float[][] centres;

    VectorSource(Settings s) {
      this.random = new SplittableRandom(s.seed());
      this.dimension = s.dimension();
      int clusters = s.distribution() == Distribution.CLUSTERED ? Math.max(1, (int) Math.round(Math.sqrt(s.entries())))
          : 0;
      this.centres = new float[clusters][];
      for (int c = 0; c < clusters; c++) {
        centres[c] = gaussian();
      }
    }

    int clusters() {
      return centres.length;
    }

    float[][] next(int n) {
      float[][] out = new float[n][];
      for (int i = 0; i < n; i++) {
        float[] v = gaussian();
        if (centres.length > 0) {
          float[] centre = centres[random.nextInt(centres.length)];
          for (int j = 0; j < dimension; j++) {
            v[j] += centre[j];
          }
        }
        out[i] = v;
      }
      return out;
    }

    /** A random direction of length about 1. */
    private float[] gaussian() {
      float[] out = new float[dimension];
      double scale = 1 / Math.sqrt(dimension);
      for (int j = 0; j < dimension; j++) {
        out[j] = (float) (random.nextGaussian() * scale);
      }
      return out;
    }
  }
}
