package dev.tgsupport.sample;

import dev.tgsupport.core.port.Embedder;
import dev.tgsupport.knowledge.embed.CachingEmbedder;
import dev.tgsupport.knowledge.embed.LocalEmbedder;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code tgsupport bench embed}: the bundled embedding model one text at a time, in batches, and behind a cache. */
@Command(
    name = "embed",
    mixinStandardHelpOptions = true,
    versionProvider = TgSupportCli.Version.class,
    sortOptions = false,
    optionListHeading = "%nOptions:%n",
    usageHelpAutoWidth = true,
    header = "Measure the bundled embedding model (LocalEmbedder, MiniLM): single calls, batches and the cache.",
    description = {
      "Loads the bundled model with T worker threads and generates N distinct English support questions from"
          + " templates. After a warm-up on other questions (not counted), it embeds the N questions three ways in"
          + " the same run: one embed() call per question; embedAll() in batches of B (spread over the T"
          + " threads); and through a CachingEmbedder, first filled with the N questions (not counted), then asked"
          + " for each of them again with one embed() call each.",
      "",
      "A batch only beats single calls by spreading over the threads: expect at most about T times, and no more"
          + " than the machine's cores."
    },
    footerHeading = "%nOutput (stdout), one 'key: value' line each; progress goes to stderr on a terminal:%n",
    footer = {
      "  texts, batch_size, threads  what was run",
      "  single_texts_per_s          questions a second, one embed() call each",
      "  batched_texts_per_s         questions a second, embedAll() in batches",
      "  batch_speedup               batched_texts_per_s / single_texts_per_s",
      "  cached_texts_per_s          questions a second, one embed() call each,",
      "                              all answered by the cache",
      "  cache_speedup               cached_texts_per_s / single_texts_per_s",
      "",
      "Exit codes: 0 done; 1 the model could not be loaded; 2 a usage error."
    })
final class BenchEmbedCommand implements Callable<Integer> {
  private static final String PROGRAM = "tgsupport bench embed";
  private static final int WARM_UP_SINGLE = 32;

  @ParentCommand private BenchCommand bench;

  @Option(names = "--texts", paramLabel = "N", description = "Questions to embed each way (default ${DEFAULT-VALUE}).")
  private int texts = 2000;

  @Option(
      names = "--batch-size",
      paramLabel = "B",
      description = "Questions per embedAll() call (default ${DEFAULT-VALUE}).")
  private int batchSize = 64;

  @Option(
      names = "--threads",
      paramLabel = "T",
      description = "The model's worker threads (default: the available processors, ${DEFAULT-VALUE} here).")
  private int threads = Runtime.getRuntime().availableProcessors();

  /** What one run measured. */
  record Result(int texts, int batchSize, int threads, double singlePerS, double batchedPerS, double cachedPerS) {
    double batchSpeedup() {
      return batchedPerS / singlePerS;
    }

    double cacheSpeedup() {
      return cachedPerS / singlePerS;
    }
  }

  @Override
  public Integer call() {
    Io io = bench.io();
    PrintWriter err = io.err();
    try {
      check(texts >= 1 && texts <= 1_000_000, "--texts must be in 1..1000000, was " + texts);
      check(batchSize >= 1 && batchSize <= 10_000, "--batch-size must be in 1..10000, was " + batchSize);
      check(threads >= 1 && threads <= 256, "--threads must be in 1..256, was " + threads);
    } catch (UsageFailure e) {
      err.println(PROGRAM + ": " + e.getMessage());
      err.flush();
      return UsageFailure.EXIT_CODE;
    }
    PrintWriter progress = io.interactive() ? err : null;
    Result r;
    try (LocalEmbedder model = load(threads)) {
      r = run(model, texts, batchSize, threads, progress);
    }
    PrintWriter out = io.out();
    for (String line : lines(r)) {
      out.println(line);
    }
    out.flush();
    return 0;
  }

  private static LocalEmbedder load(int threads) {
    try {
      return LocalEmbedder.create(threads);
    } catch (RuntimeException | LinkageError e) {
      throw new TgSupportCli.CliFailure("cannot load the bundled embedding model: " + e);
    }
  }

  /**
   * Measures {@code model} on {@code n} generated questions: single calls, batches, then a cache's second pass.
   *
   * @param progress where to say what is happening, or null for silence
   */
  static Result run(Embedder model, int n, int batchSize, int threads, PrintWriter progress) {
    List<String> questions = questions(0, n);
    say(progress, "bench: warming up the model on " + (WARM_UP_SINGLE + 2 * batchSize) + " other questions");
    List<String> warmUp = questions(n, WARM_UP_SINGLE + 2 * batchSize);
    Sink sink = new Sink(model.dimension());
    for (String q : warmUp.subList(0, WARM_UP_SINGLE)) {
      sink.take(model.embed(q));
    }
    sink.takeAll(model.embedAll(warmUp.subList(WARM_UP_SINGLE, WARM_UP_SINGLE + batchSize)));
    sink.takeAll(model.embedAll(warmUp.subList(WARM_UP_SINGLE + batchSize, warmUp.size())));

    say(progress, "bench: " + n + " questions, one embed() call each");
    long start = System.nanoTime();
    for (String q : questions) {
      sink.take(model.embed(q));
    }
    double single = perSecond(n, System.nanoTime() - start);

    say(progress, "bench: " + n + " questions, embedAll() in batches of " + batchSize);
    start = System.nanoTime();
    for (int from = 0; from < n; from += batchSize) {
      sink.takeAll(model.embedAll(questions.subList(from, Math.min(n, from + batchSize))));
    }
    double batched = perSecond(n, System.nanoTime() - start);

    say(progress, "bench: filling a cache with the " + n + " questions, then asking it for each again");
    CachingEmbedder cache = CachingEmbedder.of(model, Math.max(n, CachingEmbedder.DEFAULT_MAX_ENTRIES));
    for (int from = 0; from < n; from += batchSize) {
      sink.takeAll(cache.embedAll(questions.subList(from, Math.min(n, from + batchSize))));
    }
    long missesBefore = cache.misses();
    start = System.nanoTime();
    for (String q : questions) {
      sink.take(cache.embed(q));
    }
    double cached = perSecond(n, System.nanoTime() - start);
    if (cache.misses() != missesBefore) {
      throw new IllegalStateException("the cache missed " + (cache.misses() - missesBefore) + " of " + n
          + " questions it had just been given");
    }
    return new Result(n, batchSize, threads, single, batched, cached);
  }

  /** The {@code key: value} lines of stdout. */
  static List<String> lines(Result r) {
    return List.of(
        "texts: " + r.texts(),
        "batch_size: " + r.batchSize(),
        "threads: " + r.threads(),
        String.format(Locale.ROOT, "single_texts_per_s: %.1f", r.singlePerS()),
        String.format(Locale.ROOT, "batched_texts_per_s: %.1f", r.batchedPerS()),
        String.format(Locale.ROOT, "batch_speedup: %.2f", r.batchSpeedup()),
        String.format(Locale.ROOT, "cached_texts_per_s: %.1f", r.cachedPerS()),
        String.format(Locale.ROOT, "cache_speedup: %.2f", r.cacheSpeedup()));
  }

  private static final String[] TEMPLATES = {
    "How do I %s in the %s %s?",
    "I can't %s in the %s %s, what should I do?",
    "Why does the %s %s fail when I try to %s?",
    "Is it possible to %s from the %s %s?",
    "After the last update I am unable to %s in the %s %s.",
    "Where can I %s for my %s %s?",
    "The %s %s shows an error every time I %s, can you help?",
    "Can you explain how to %s using the %s %s?",
    "My colleague says we cannot %s in the %s %s anymore, is that true?",
    "What is the fastest way to %s with the %s %s?",
    "Since this morning the %s %s does not let me %s.",
    "Could you tell me whether I need admin rights to %s in the %s %s?",
  };
  private static final String[] ACTIONS = {
    "reset my password", "change the billing address", "export invoices to CSV", "cancel my subscription",
    "add a new team member", "enable two-factor authentication", "download the monthly report",
    "update my payment card", "restore a deleted project", "change the notification settings",
    "connect the Telegram bot", "get a refund for a double charge", "change the language of the interface",
    "merge two customer accounts", "set up a webhook", "increase the storage limit", "transfer ownership",
    "see the delivery status of my order", "upload a large file", "turn off email reminders",
  };
  private static final String[] PRODUCTS = {
    "mobile", "web", "desktop", "admin", "partner", "beta", "corporate", "free", "trial", "Android",
  };
  private static final String[] PLACES = {
    "app", "dashboard", "portal", "account page", "workspace", "console", "client", "settings screen",
  };

  /**
   * {@code count} distinct support questions, starting at {@code offset} in a fixed sequence. The first 19,200
   * combine template, action, product and place; later ones add a ticket number.
   */
  static List<String> questions(int offset, int count) {
    int combinations = TEMPLATES.length * ACTIONS.length * PRODUCTS.length * PLACES.length;
    List<String> out = new ArrayList<>(count);
    for (int i = offset; i < offset + count; i++) {
      int k = i % combinations;
      String template = TEMPLATES[k % TEMPLATES.length];
      k /= TEMPLATES.length;
      String action = ACTIONS[k % ACTIONS.length];
      k /= ACTIONS.length;
      String product = PRODUCTS[k % PRODUCTS.length];
      k /= PRODUCTS.length;
      String place = PLACES[k % PLACES.length];
      String q = template.startsWith("Why") || template.startsWith("The") || template.startsWith("Since")
          ? String.format(Locale.ROOT, template, product, place, action)
          : String.format(Locale.ROOT, template, action, product, place);
      out.add(i < combinations ? q : q + " (ticket " + (i / combinations) + ")");
    }
    return out;
  }

  private static double perSecond(int n, long nanos) {
    return n * 1e9 / Math.max(1, nanos);
  }

  private static void check(boolean ok, String problem) {
    if (!ok) {
      throw new UsageFailure(problem);
    }
  }

  private static void say(PrintWriter progress, String line) {
    if (progress != null) {
      progress.println(line);
      progress.flush();
    }
  }

  /** Uses every vector, so no call can be optimised away, and checks its length on the way. */
  private static final class Sink {
    private final int dimension;
    private double sum;

    Sink(int dimension) {
      this.dimension = dimension;
    }

    void take(float[] v) {
      if (v.length != dimension) {
        throw new IllegalStateException("a vector of " + v.length + " dimensions, expected " + dimension);
      }
      sum += v[0];
    }

    void takeAll(List<float[]> vs) {
      vs.forEach(this::take);
    }

    @Override
    public String toString() {
      return "Sink[" + sum + "]";
    }
  }
}
