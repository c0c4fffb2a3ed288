package dev.tgsupport.sample;

import dev.tgsupport.core.memory.InMemoryKnowledgeIndex;
import dev.tgsupport.core.model.KnowledgeDraft;
import dev.tgsupport.core.model.KnowledgeEntry;
import dev.tgsupport.core.model.KnowledgeHit;
import dev.tgsupport.core.model.KnowledgeStatus;
import dev.tgsupport.core.port.Embedder;
import dev.tgsupport.core.port.KnowledgeIndex;
import dev.tgsupport.core.port.KnowledgeRetriever;
import dev.tgsupport.core.text.Bm25KnowledgeRetriever;
import dev.tgsupport.core.text.HashingEmbedder;
import dev.tgsupport.core.text.Languages;
import dev.tgsupport.core.text.LexicalKnowledgeRetriever;
import dev.tgsupport.knowledge.Calibration;
import dev.tgsupport.knowledge.HybridKnowledgeRetriever;
import dev.tgsupport.knowledge.embed.LocalEmbedder;
import dev.tgsupport.storage.mybatis.MyBatisStorage;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code tgsupport eval knowledge}: how well knowledge retrieval finds and answers, on labelled queries. */
@Command(
    name = "knowledge",
    mixinStandardHelpOptions = true,
    versionProvider = TgSupportCli.Version.class,
    sortOptions = false,
    optionListHeading = "%nOptions:%n",
    usageHelpAutoWidth = true,
    header = "Evaluate knowledge retrieval (hybrid lexical + vector by default) on a knowledge file and labelled"
        + " queries.",
    description = {
      "Loads --kb (CSV or JSON, as 'tgsupport demo' reads it) as validated entries into an in-process index, asks"
          + " every query of --queries ('query,expected_question' CSV with a header; an empty expected_question"
          + " marks a query the knowledge base cannot answer) and compares the hits with the expected entry.",
      "--lexical picks the lexical side: with --lexical postgres the entries go into a new schema of"
          + " --database-url (or DATABASE_URL), dropped at the end, and PostgreSQL full-text search is that side.",
      "A query is answered when its best hit reaches the answer threshold: the calibration's for the hybrid"
          + " retriever (the shipped one for the lexical side), for --retriever lexical the retriever's recommended"
          + " threshold (" + LexicalKnowledgeRetriever.RECOMMENDED_THRESHOLD + " tfidf, "
          + Bm25KnowledgeRetriever.RECOMMENDED_THRESHOLD + " bm25, " + MyBatisStorage.RECOMMENDED_KNOWLEDGE_THRESHOLD
          + " postgres), a cosine of " + EvalKnowledgeCommand.VECTOR_THRESHOLD + " for --retriever vector"
          + " (uncalibrated).",
      "With --train, the hybrid retriever's calibration is first fitted on that file (never give it the"
          + " evaluation queries) and printed to stderr."
    },
    footerHeading = "%nOutput (stdout), one 'key: value' line each; progress goes to stderr:%n",
    footer = {
      "  recall_at_1            answerable queries whose expected entry came first / answerable queries",
      "  recall_at_5            ... among the first five",
      "  mrr                    mean reciprocal rank of the expected entry (0 when not in the first ten)",
      "  answered_precision     answered queries answered with the expected entry / answered queries",
      "  unanswerable_rejected  unanswerable queries not answered / unanswerable queries",
      "  queries                queries asked",
      "",
      "Exit codes: 0 done; 1 a file cannot be read or is malformed, or the database fails; 2 a usage error."
    })
final class EvalKnowledgeCommand implements Callable<Integer> {
  /** The cosine from which the vector-only retriever counts as answering; not calibrated, for comparison only. */
  static final double VECTOR_THRESHOLD = 0.6;

  private static final int MRR_DEPTH = 10;

  enum EmbedderKind {
    local,
    hashing
  }

  enum LexicalKind {
    tfidf,
    bm25,
    postgres
  }

  enum RetrieverKind {
    hybrid,
    lexical,
    vector
  }

  @ParentCommand private EvalCommand eval;

  @Option(names = "--kb", paramLabel = "FILE", required = true, description = "The knowledge base (.csv or .json).")
  private Path kb;

  @Option(names = "--queries", paramLabel = "FILE", required = true,
      description = "Labelled queries: 'query,expected_question' CSV.")
  private Path queries;

  @Option(names = "--embedder", paramLabel = "NAME",
      description = "local (bundled MiniLM, English) or hashing (letter n-grams, no model); default ${DEFAULT-VALUE}.")
  private EmbedderKind embedderKind = EmbedderKind.local;

  @Option(names = "--retriever", paramLabel = "NAME",
      description = "hybrid, lexical or vector; default ${DEFAULT-VALUE}.")
  private RetrieverKind retrieverKind = RetrieverKind.hybrid;

  @Option(names = "--lexical", paramLabel = "NAME",
      description = "The lexical side, alone or in the hybrid: tfidf (stems, letter grams, typos), bm25 (Okapi BM25F"
          + " over stems) or postgres (PostgreSQL full-text search; needs --database-url); default"
          + " bm25, the one 'run' and the demo use.")
  private LexicalKind lexicalOption;
  private LexicalKind lexicalKind = LexicalKind.bm25;

  @Option(names = "--database-url", paramLabel = "URL",
      description = "With --lexical postgres: the PostgreSQL database; default: the DATABASE_URL environment"
          + " variable. The knowledge base goes into a new schema, dropped at the end.")
  private String databaseUrl;

  @Option(names = "--train", paramLabel = "FILE",
      description = "Fit the hybrid calibration on these labelled queries first (same format as --queries).")
  private Path train;

  @Option(names = "--embed-answers", description = "Embed each entry's question and answer, not the question only.")
  private boolean embedAnswers;

  /** A labelled query and the line it is on. */
  record LabelledQuery(int line, String query, String expectedQuestion) {}

  @Override
  public Integer call() {
    Io io = eval.io();
    PrintWriter err = io.err();
    lexicalKind = lexicalOption != null ? lexicalOption : LexicalKind.bm25;
    if (train != null && retrieverKind != RetrieverKind.hybrid) {
      err.println("tgsupport eval knowledge: --train fits the hybrid retriever; it does not go with --retriever "
          + retrieverKind);
      return UsageFailure.EXIT_CODE;
    }
    if (databaseUrl != null && lexicalKind != LexicalKind.postgres) {
      err.println("tgsupport eval knowledge: --database-url goes with --lexical postgres only");
      return UsageFailure.EXIT_CODE;
    }
    if (retrieverKind == RetrieverKind.vector && lexicalOption != null) {
      err.println("tgsupport eval knowledge: --lexical does not go with --retriever vector");
      return UsageFailure.EXIT_CODE;
    }
    List<KnowledgeDraft> drafts = loadKb(kb);
    DatabaseUrlOption url = null;
    if (lexicalKind == LexicalKind.postgres) {
      try {
        url = DatabaseUrlOption.resolve(databaseUrl);
      } catch (UsageFailure e) {
        err.println("tgsupport eval knowledge: " + e.getMessage());
        return UsageFailure.EXIT_CODE;
      }
    }
    long started = System.nanoTime();
    try (EvalPostgres pg = url == null ? null : EvalPostgres.load(url, drafts)) {
      postgres = pg;
      return evaluate(err, pg == null ? entries(drafts) : pg.entries(), io, started);
    } finally {
      postgres = null;
    }
  }

  /** Set while a {@code --lexical postgres} run has its schema. */
  private EvalPostgres postgres;

  private Integer evaluate(PrintWriter err, List<KnowledgeEntry> entries, Io io, long started) {
    List<LabelledQuery> evalQueries = loadQueries(queries, entries);
    List<LabelledQuery> trainQueries = train == null ? List.of() : loadQueries(train, entries);
    Embedder embedder = retrieverKind == RetrieverKind.lexical ? null : embedder();
    try {
      KnowledgeRetriever retriever;
      double threshold;
      switch (retrieverKind) {
        case lexical -> {
          retriever = lexical(entries);
          threshold = switch (lexicalKind) {
            case bm25 -> Bm25KnowledgeRetriever.RECOMMENDED_THRESHOLD;
            case postgres -> MyBatisStorage.RECOMMENDED_KNOWLEDGE_THRESHOLD;
            default -> LexicalKnowledgeRetriever.RECOMMENDED_THRESHOLD;
          };
        }
        case vector -> {
          retriever = new VectorOnly(embedder, entries);
          threshold = VECTOR_THRESHOLD;
        }
        default -> {
          HybridKnowledgeRetriever hybrid = hybrid(embedder, Calibration.defaults(lexicalKind.name()), entries);
          if (!trainQueries.isEmpty()) {
            List<Calibration.Example> examples = new ArrayList<>(trainQueries.size());
            for (LabelledQuery q : trainQueries) {
              examples.add(new Calibration.Example(q.query(), q.expectedQuestion()));
            }
            Calibration fitted = Calibration.fit(hybrid, examples);
            err.println("eval: fitted on " + trainQueries.size() + " queries of " + train + ": " + fitted);
            hybrid = hybrid(embedder, fitted, entries);
          }
          retriever = hybrid;
          threshold = hybrid.calibration().answerThreshold();
        }
      }
      err.printf(Locale.ROOT, "eval: %d entries indexed (%s, lexical %s, %s) in %d ms; answer threshold %.2f%n",
          entries.size(), retrieverKind, lexicalKind,
          retrieverKind == RetrieverKind.lexical ? "no embedder" : embedder.modelName(),
          (System.nanoTime() - started) / 1_000_000, threshold);
      err.flush();
      Metrics all = new Metrics();
      Map<String, Metrics> byLanguage = new TreeMap<>();
      long asked = System.nanoTime();
      for (LabelledQuery q : evalQueries) {
        List<KnowledgeHit> hits = retriever.retrieve(q.query(), MRR_DEPTH);
        all.add(q, hits, threshold);
        byLanguage.computeIfAbsent(Languages.detect(q.query()), l -> new Metrics()).add(q, hits, threshold);
      }
      long perQueryUs = evalQueries.isEmpty() ? 0 : (System.nanoTime() - asked) / 1000 / evalQueries.size();
      for (Map.Entry<String, Metrics> e : byLanguage.entrySet()) {
        err.println("eval: " + e.getKey() + ": " + String.join(", ", e.getValue().lines()));
      }
      err.println("eval: " + perQueryUs + " us per query");
      err.flush();
      PrintWriter out = io.out();
      for (String line : all.lines()) {
        out.println(line);
      }
      out.flush();
      return 0;
    } finally {
      if (embedder instanceof AutoCloseable c) {
        try {
          c.close();
        } catch (Exception e) {
          err.println("eval: closing the embedder failed: " + e.getMessage());
        }
      }
    }
  }

  private HybridKnowledgeRetriever hybrid(Embedder embedder, Calibration calibration, List<KnowledgeEntry> entries) {
    HybridKnowledgeRetriever r = HybridKnowledgeRetriever.builder()
        .embedder(embedder)
        .index(InMemoryKnowledgeIndex.create(embedder.dimension()))
        .lexical(lexical(List.of()))
        .calibration(calibration)
        .embedAnswers(embedAnswers)
        .build();
    r.reindex(entries);
    return r;
  }

  private KnowledgeRetriever lexical(List<KnowledgeEntry> entries) {
    return switch (lexicalKind) {
      case bm25 -> Bm25KnowledgeRetriever.of(entries);
      // Storage is its index: reindex and entryChanged do nothing, and every query reads the schema.
      case postgres -> postgres.retriever();
      default -> LexicalKnowledgeRetriever.of(entries);
    };
  }

  private Embedder embedder() {
    return embedderKind == EmbedderKind.hashing ? HashingEmbedder.create() : LocalEmbedder.create();
  }

  /** The counts behind the output lines. */
  static final class Metrics {
    private int queries;
    private int answerable;
    private int top1;
    private int top5;
    private double reciprocalRanks;
    private int answered;
    private int answeredRight;
    private int unanswerable;
    private int rejected;

    void add(LabelledQuery q, List<KnowledgeHit> hits, double threshold) {
      queries++;
      boolean answers = !hits.isEmpty() && hits.get(0).score() >= threshold;
      if (q.expectedQuestion() == null) {
        unanswerable++;
        rejected += answers ? 0 : 1;
        answered += answers ? 1 : 0;
        return;
      }
      answerable++;
      int rank = -1;
      for (int i = 0; i < hits.size(); i++) {
        if (hits.get(i).entry().question().strip().equals(q.expectedQuestion())) {
          rank = i;
          break;
        }
      }
      top1 += rank == 0 ? 1 : 0;
      top5 += rank >= 0 && rank < 5 ? 1 : 0;
      reciprocalRanks += rank >= 0 ? 1.0 / (rank + 1) : 0;
      if (answers) {
        answered++;
        answeredRight += rank == 0 ? 1 : 0;
      }
    }

    List<String> lines() {
      return List.of(
          String.format(Locale.ROOT, "recall_at_1: %.4f", share(top1, answerable)),
          String.format(Locale.ROOT, "recall_at_5: %.4f", share(top5, answerable)),
          String.format(Locale.ROOT, "mrr: %.4f", answerable == 0 ? 0 : reciprocalRanks / answerable),
          String.format(Locale.ROOT, "answered_precision: %.4f", share(answeredRight, answered)),
          String.format(Locale.ROOT, "unanswerable_rejected: %.4f", share(rejected, unanswerable)),
          "queries: " + queries);
    }

    private static double share(int part, int whole) {
      return whole == 0 ? 0 : (double) part / whole;
    }
  }

  private static List<KnowledgeDraft> loadKb(Path file) {
    List<KnowledgeDraft> drafts;
    try {
      drafts = KnowledgeFile.load(file);
    } catch (KnowledgeFileException e) {
      throw new TgSupportCli.CliFailure(e.getMessage());
    }
    if (drafts.isEmpty()) {
      throw new TgSupportCli.CliFailure(file + ": no entries");
    }
    return drafts;
  }

  /** The drafts as validated entries with ids 1, 2, ... for the in-process indexes. */
  private static List<KnowledgeEntry> entries(List<KnowledgeDraft> drafts) {
    Instant now = Instant.parse("2026-01-01T00:00:00Z");
    List<KnowledgeEntry> out = new ArrayList<>(drafts.size());
    long id = 1;
    for (KnowledgeDraft d : drafts) {
      out.add(new KnowledgeEntry(id++, d.question(), d.answer(), d.tags(), d.source(), KnowledgeStatus.VALIDATED,
          d.language(), "import", now, now));
    }
    return out;
  }

  /** Reads labelled queries; every problem names the file and the line. */
  static List<LabelledQuery> loadQueries(Path file, Collection<KnowledgeEntry> entries) {
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(file)))
          .toString();
    } catch (NoSuchFileException e) {
      throw new TgSupportCli.CliFailure(file + ": no such file");
    } catch (CharacterCodingException e) {
      throw new TgSupportCli.CliFailure(file + ": not UTF-8 text");
    } catch (IOException e) {
      throw new TgSupportCli.CliFailure(file + ": cannot read: " + e.getMessage());
    }
    if (!text.isEmpty() && text.charAt(0) == '\uFEFF') {
      text = text.substring(1);
    }
    List<Csv.Row> rows;
    try {
      rows = Csv.parse(text);
    } catch (Csv.CsvException e) {
      throw new TgSupportCli.CliFailure(file + ": line " + e.line + ": " + e.getMessage());
    }
    if (rows.isEmpty()) {
      throw new TgSupportCli.CliFailure(file + ": empty; expected a 'query,expected_question' header and queries");
    }
    Csv.Row header = rows.get(0);
    if (!header.fields().equals(List.of("query", "expected_question"))) {
      throw new TgSupportCli.CliFailure(file + ": line " + header.line()
          + ": the header must be 'query,expected_question', was '" + String.join(",", header.fields()) + "'");
    }
    Map<String, KnowledgeEntry> byQuestion = new HashMap<>();
    for (KnowledgeEntry e : entries) {
      byQuestion.put(e.question().strip(), e);
    }
    List<LabelledQuery> out = new ArrayList<>(rows.size() - 1);
    for (Csv.Row row : rows.subList(1, rows.size())) {
      List<String> f = row.fields();
      if (f.size() != 2) {
        throw new TgSupportCli.CliFailure(file + ": line " + row.line() + ": expected 2 fields (query,"
            + "expected_question), found " + f.size());
      }
      String query = f.get(0).strip();
      if (query.isEmpty()) {
        throw new TgSupportCli.CliFailure(file + ": line " + row.line() + ": the query is empty");
      }
      String expected = f.get(1).strip();
      if (!expected.isEmpty() && !byQuestion.containsKey(expected)) {
        throw new TgSupportCli.CliFailure(file + ": line " + row.line() + ": expected_question '" + expected
            + "' is not a question of the knowledge base");
      }
      out.add(new LabelledQuery(row.line(), query, expected.isEmpty() ? null : expected));
    }
    if (out.isEmpty()) {
      throw new TgSupportCli.CliFailure(file + ": no queries after the header");
    }
    return out;
  }

  /** Vector search alone, scored by cosine: the comparison the hybrid retriever has to beat. */
  private static final class VectorOnly implements KnowledgeRetriever {
    private final Embedder embedder;
    private final KnowledgeIndex index;
    private final Map<Long, KnowledgeEntry> byId = new HashMap<>();

    VectorOnly(Embedder embedder, List<KnowledgeEntry> entries) {
      this.embedder = embedder;
      this.index = InMemoryKnowledgeIndex.create(embedder.dimension());
      List<String> texts = new ArrayList<>(entries.size());
      for (KnowledgeEntry e : entries) {
        texts.add(e.question());
        byId.put(e.id(), e);
      }
      List<float[]> vectors = embedder.embedAll(texts);
      for (int i = 0; i < entries.size(); i++) {
        index.upsert(entries.get(i).id(), vectors.get(i), Map.of());
      }
    }

    @Override
    public List<KnowledgeHit> retrieve(String query, int limit) {
      List<KnowledgeHit> out = new ArrayList<>();
      for (KnowledgeIndex.VectorHit h : index.search(embedder.embed(query), limit, -1.0, Map.of())) {
        out.add(new KnowledgeHit(byId.get(h.entryId()), Math.max(0.0, h.score())));
      }
      return out;
    }
  }
}
