package dev.tgsupport.sample;

import dev.tgsupport.knowledge.embed.LocalEmbedder;
import dev.tgsupport.knowledge.hnsw.HnswKnowledgeIndex;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

/** {@code tgsupport bench search}: the in-process HNSW index against LangChain4j's exact in-memory store. */
@Command(
    name = "search",
    mixinStandardHelpOptions = true,
    versionProvider = TgSupportCli.Version.class,
    sortOptions = false,
    optionListHeading = "%nOptions:%n",
    usageHelpAutoWidth = true,
    header = "Time vector search: the SDK's HNSW index (Lucene) against LangChain4j's InMemoryEmbeddingStore.",
    description = {
      "Builds the same N seeded vectors into the SDK's in-memory HnswKnowledgeIndex (loaded, then optimized to one"
          + " segment: build_seconds) and into LangChain4j's InMemoryEmbeddingStore, which compares every query"
          + " with every vector. Warms both up (" + BenchSearch.SDK_WARMUP + " searches of the index, "
          + BenchSearch.BASELINE_WARMUP + " of the store, each of which visits every vector), then times Q queries"
          + " of the top 10 on each, one after the other, on one thread. The store's answers are exact, so they are"
          + " the truth for recall_at_10.",
      "",
      "The vectors: with --distribution clustered (the default), a mixture of Gaussian clusters, the way sentence"
          + " embeddings group by topic: round(sqrt(N)) centres in random directions, each vector its centre plus"
          + " Gaussian noise as long as the centre, so vectors of a cluster have a cosine of about 0.5 and of two"
          + " clusters about 0. With --distribution uniform, directions uniform on the sphere: no structure at all,"
          + " the worst case for any approximate index and unlike any embedding. Queries are new vectors of the"
          + " same distribution.",
      "",
      "With --texts FILE (repeatable), real sentence embeddings instead: the files' distinct texts, each file either"
          + " one text a line or a JSON object in the CLINC150 format (arrays of [text, label]; the texts are"
          + " used, the labels ignored). Q of them, drawn with the seed, are held out as the queries and not indexed;"
          + " the others are the entries. All are embedded with the bundled model (LocalEmbedder, MiniLM, 384"
          + " dimensions), in batches; stderr says how long that took, and it is not part of build_seconds. With"
          + " --texts, --entries, --dimension and --distribution are refused (usage error): the texts decide them."
    },
    footerHeading = "%nOutput (stdout), one 'key: value' line each; progress goes to stderr:%n",
    footer = {
      "  entries, queries, dimension  what was run",
      "  build_seconds                loading the SDK index and optimizing it",
      "  sdk_p50_ms, sdk_p99_ms       one search of the SDK index, top 10",
      "  baseline_p50_ms,             one search of InMemoryEmbeddingStore,",
      "  baseline_p99_ms              top 10",
      "  ratio                        baseline_p99_ms / sdk_p99_ms",
      "  recall_at_10                 of the SDK's top 10, the share that is",
      "                               in the exact top 10",
      "",
      "Exit codes: 0 done; 1 the run failed (one line); 2 a usage error."
    })
final class BenchSearchCommand implements Callable<Integer> {
  private static final String PROGRAM = "tgsupport bench search";
  /** Both the SDK index and the store hold every vector: keep the two within a default heap. */
  private static final long MAX_COMPONENTS = 200_000_000L;

  @ParentCommand private BenchCommand bench;

  @Spec private CommandLine.Model.CommandSpec spec;

  @Option(names = "--entries", paramLabel = "N", description = "Vectors to index (default ${DEFAULT-VALUE}).")
  private int entries = 100_000;

  @Option(names = "--queries", paramLabel = "Q", description = "Queries to time on each (default ${DEFAULT-VALUE}).")
  private int queries = 1_000;

  @Option(names = "--dimension", paramLabel = "D", description = "Vector length (default ${DEFAULT-VALUE}, as"
      + " the bundled MiniLM model's).")
  private int dimension = 384;

  @Option(names = "--seed", paramLabel = "S", description = "Seed of the vectors, or of the held-out"
      + " queries with --texts (default ${DEFAULT-VALUE}).")
  private long seed = 42;

  @Option(names = "--distribution", paramLabel = "KIND", description = "clustered or uniform (default"
      + " ${DEFAULT-VALUE}); see above.")
  private String distribution = "clustered";

  @Option(names = "--texts", paramLabel = "FILE", description = "Embed and index the texts of FILE (repeat for"
      + " several) instead of synthetic vectors; see above.")
  private List<Path> texts = new ArrayList<>();

  @Option(names = "--max-connections", paramLabel = "M", description = "HNSW's M: the neighbours each vector keeps"
      + " (default ${DEFAULT-VALUE}, the index's default).")
  private int maxConnections = HnswKnowledgeIndex.Options.DEFAULT_MAX_CONNECTIONS;

  @Option(names = "--beam-width", paramLabel = "EF", description = "HNSW's ef_construction (default"
      + " ${DEFAULT-VALUE}, the index's default).")
  private int beamWidth = HnswKnowledgeIndex.Options.DEFAULT_BEAM_WIDTH;

  @Option(names = "--candidates", paramLabel = "EF", description = "HNSW's ef_search: candidates a search keeps"
      + " (default ${DEFAULT-VALUE}, the index's default).")
  private int candidates = HnswKnowledgeIndex.Options.DEFAULT_SEARCH_CANDIDATES;

  @Override
  public Integer call() {
    Io io = bench.io();
    PrintWriter err = io.err();
    BenchSearch.Result r;
    try {
      // Too few texts for the queries shows only once they are read: a usage error too.
      r = BenchSearch.run(settings(), err);
    } catch (UsageFailure e) {
      err.println(PROGRAM + ": " + e.getMessage());
      err.flush();
      return UsageFailure.EXIT_CODE;
    }
    PrintWriter out = io.out();
    for (String line : r.lines()) {
      out.println(line);
    }
    out.flush();
    return 0;
  }

  private BenchSearch.Settings settings() {
    check(queries >= 1 && queries <= 1_000_000, "--queries must be in 1..1000000, was " + queries);
    check(maxConnections >= 1 && maxConnections <= 512, "--max-connections must be in 1..512, was " + maxConnections);
    check(beamWidth >= 1 && beamWidth <= 3200, "--beam-width must be in 1..3200, was " + beamWidth);
    check(candidates >= 1 && candidates <= 10_000, "--candidates must be in 1..10000, was " + candidates);
    if (!texts.isEmpty()) {
      ParseResult given = spec.commandLine().getParseResult();
      for (String option : List.of("--entries", "--dimension", "--distribution")) {
        check(!given.hasMatchedOption(option), option + " cannot be used with --texts: the texts decide it");
      }
      // The texts, once read, decide the entries; the bundled model decides the dimension.
      return new BenchSearch.Settings(0, queries, LocalEmbedder.DIMENSION, seed, null, maxConnections, beamWidth,
          candidates, texts);
    }
    check(entries >= BenchSearch.TOP && entries <= 10_000_000, "--entries must be in 10..10000000, was " + entries);
    check(dimension >= 2 && dimension <= HnswKnowledgeIndex.MAX_DIMENSION,
        "--dimension must be in 2.." + HnswKnowledgeIndex.MAX_DIMENSION + ", was " + dimension);
    check((long) entries * dimension <= MAX_COMPONENTS, "--entries x --dimension must be at most " + MAX_COMPONENTS
        + " (every vector is held twice in memory), was " + (long) entries * dimension);
    BenchSearch.Distribution kind;
    try {
      kind = BenchSearch.Distribution.valueOf(distribution.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new UsageFailure("--distribution must be clustered or uniform, was '" + distribution + "'");
    }
    return new BenchSearch.Settings(entries, queries, dimension, seed, kind, maxConnections, beamWidth, candidates,
        List.of());
  }

  private static void check(boolean ok, String problem) {
    if (!ok) {
      throw new UsageFailure(problem);
    }
  }
}
