package dev.tgsupport.knowledge;

import static dev.tgsupport.core.InvalidInputException.check;
import static dev.tgsupport.core.InvalidInputException.requireNonNull;

import dev.tgsupport.core.RetriableException;
import dev.tgsupport.core.model.KnowledgeEntry;
import dev.tgsupport.core.model.KnowledgeHit;
import dev.tgsupport.core.model.KnowledgeStatus;
import dev.tgsupport.core.port.Embedder;
import dev.tgsupport.core.port.KnowledgeIndex;
import dev.tgsupport.core.port.KnowledgeRetriever;
import dev.tgsupport.core.text.Bm25KnowledgeRetriever;
import dev.tgsupport.core.text.Languages;
import dev.tgsupport.core.text.LexicalKnowledgeRetriever;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lexical and vector retrieval together: the lexical side (stems, letter grams, typos; Russian and English) and the
 * vector side (an {@link Embedder} over a {@link KnowledgeIndex}) each bring their top candidates, reciprocal rank
 * fusion orders them, and a {@link Calibration} turns what both sides said about each candidate into the
 * probability that it answers the query, which becomes the hit's score.
 *
 * <pre>{@code
 * LocalEmbedder embedder = LocalEmbedder.create();
 * HybridKnowledgeRetriever retriever = HybridKnowledgeRetriever.builder()
 *     .embedder(embedder)
 *     .index(InMemoryKnowledgeIndex.create(embedder.dimension()))   // or a Qdrant index
 *     .build();
 * Calibration c = retriever.calibration();
 * Pipeline pipeline = Pipeline.builder()
 *     .knowledgeRetriever(retriever)
 *     .knowledgeThreshold(c.answerThreshold())
 *     .rephraseThreshold(c.rephraseThreshold())
 *     .build();
 * }</pre>
 *
 * <p><b>Languages.</b> The bundled embedder understands English only: a Russian paraphrase scores about as close as an
 * unrelated sentence. For a query in a language outside {@link Builder#embedderLanguages} the vector side takes no
 * part in the order and its cosine only the weight the calibration gave it for such queries, so it cannot outvote
 * the lexical side.
 *
 * <p><b>Lifecycle.</b> {@link #entryChanged} embeds a validated entry's question and upserts it with the payload
 * {@code status, language, tags} (joined with {@code ,}), {@code model} and {@code fingerprint} (a hash of the text
 * embedded, the model and the rest of the payload); a draft or archived entry is deleted from the index.
 * {@link #reindex} first asks the index for its points' fingerprints ({@link KnowledgeIndex#fingerprints()}): an
 * entry whose point has the current fingerprint is not embedded again, the others are embedded in batches and
 * upserted, and the points of entries that are not among the validated ones (archived while the bot was down) are
 * deleted. So a restart against an index that persists (Qdrant) embeds only what changed. {@link #reindexFrom}
 * lists the index before it reads storage, so that with several bots on one collection a point another bot added
 * meanwhile for an entry it just validated is not taken for a stale one. An index that cannot list
 * its points, or fails to, gets every entry embedded again, and the deletion of the entries this retriever knew.
 * Only the validated entries this retriever was told about are ever returned: the index may hold stale points
 * (written by another process, or not yet deleted), and those are dropped.
 *
 * <p><b>Failures.</b> When the embedder or the index fails with a {@link RetriableException} while indexing, the
 * entry is remembered as pending ({@link #pendingReindex()}), the failure is logged, and the caller's storage
 * write goes on: pending entries are retried by {@link #retryPending()}, by the next change, and by queries (at
 * most once per {@link Builder#retryInterval}). When the vector side is down at query time, {@link #retrieve} throws
 * {@link KnowledgeRetriever.UnavailableException}, and the knowledge stage opens a ticket instead of guessing.
 *
 * <p>Thread-safe: queries run in parallel; changes are serialised.
 */
public final class HybridKnowledgeRetriever implements KnowledgeRetriever {
  private static final Logger log = LoggerFactory.getLogger(HybridKnowledgeRetriever.class);

  private final KnowledgeRetriever lexical;
  private final Embedder embedder;
  private final KnowledgeIndex index;
  private final Set<String> embedderLanguages;
  private final int candidates;
  private final int rrfK;
  private final Calibration calibration;
  private final int batchSize;
  private final boolean embedAnswers;
  private final long retryIntervalNanos;
  private final Map<String, String> filter;

  /** The validated entries, by id, as last told. */
  private final Map<Long, KnowledgeEntry> known = new ConcurrentHashMap<>();
  private final ReentrantLock writes = new ReentrantLock();
  /** Index updates still to do, in the order they came: the entry to upsert, or empty to delete. Guarded by writes. */
  private final Map<Long, Optional<KnowledgeEntry>> pending = new LinkedHashMap<>();
  private volatile int pendingCount;
  private volatile long lastRetryNanos = System.nanoTime();

  private HybridKnowledgeRetriever(Builder b) {
    this.lexical = b.lexical != null ? b.lexical : LexicalKnowledgeRetriever.create();
    this.embedder = b.embedder;
    this.index = b.index;
    this.embedderLanguages = Set.copyOf(b.embedderLanguages);
    this.candidates = b.candidates;
    this.rrfK = b.rrfK;
    this.calibration = b.calibration != null ? b.calibration
        : this.lexical instanceof Bm25KnowledgeRetriever ? Calibration.bm25Defaults() : Calibration.defaults();
    this.batchSize = b.batchSize;
    this.embedAnswers = b.embedAnswers;
    this.retryIntervalNanos = b.retryInterval.toNanos();
    this.filter = Map.of("status", KnowledgeStatus.VALIDATED.wireName(), "model", embedder.modelName());
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The calibration in use: pass its thresholds to the pipeline. */
  public Calibration calibration() {
    return calibration;
  }

  /**
   * The validated entries that answer {@code query}, in fused order, each scored with its calibrated confidence.
   *
   * @throws KnowledgeRetriever.UnavailableException when the embedder or the index is down
   * @throws dev.tgsupport.core.InvalidInputException when {@code limit < 1}
   */
  @Override
  public List<KnowledgeHit> retrieve(String query, int limit) {
    requireNonNull(query, "query");
    check(limit >= 1, "limit", "must be > 0", limit);
    retryPendingNowAndThen();
    List<Candidate> cs = candidates(query);
    List<KnowledgeHit> hits = new ArrayList<>(Math.min(limit, cs.size()));
    for (Candidate c : cs.subList(0, Math.min(limit, cs.size()))) {
      hits.add(new KnowledgeHit(c.entry(), calibration.confidence(c)));
    }
    return hits;
  }

  /** Both sides' candidates for {@code query}, known validated entries only, in fused order. */
  List<Candidate> candidates(String query) {
    String language = Languages.detect(query);
    boolean understood = embedderLanguages.contains(language);
    List<KnowledgeHit> lexicalHits = lexical.retrieve(query, candidates);
    List<KnowledgeIndex.VectorHit> vectorHits = searchVectors(query);

    Map<Long, double[]> lexicalSide = new HashMap<>();
    int rank = 0;
    for (KnowledgeHit h : lexicalHits) {
      if (known.containsKey(h.entry().id()) && !lexicalSide.containsKey(h.entry().id())) {
        lexicalSide.put(h.entry().id(), new double[] {h.score(), rank++});
      }
    }
    Map<Long, double[]> vectorSide = new HashMap<>();
    rank = 0;
    for (KnowledgeIndex.VectorHit h : vectorHits) {
      if (known.containsKey(h.entryId()) && !vectorSide.containsKey(h.entryId())) {
        vectorSide.put(h.entryId(), new double[] {Math.max(0.0, h.score()), rank++});
      }
    }
    // A model that does not understand the language ranks at random: it gets no say in the order.
    double vectorWeight = understood ? 1.0 : 0.0;
    List<Candidate> out = new ArrayList<>();
    Set<Long> ids = new LinkedHashSet<>(lexicalSide.keySet());
    ids.addAll(vectorSide.keySet());
    for (long id : ids) {
      KnowledgeEntry entry = known.get(id);
      if (entry == null) {
        continue; // archived between the two reads
      }
      double[] lex = lexicalSide.get(id);
      double[] vec = vectorSide.get(id);
      double rrf = (lex == null ? 0 : 1.0 / (rrfK + lex[1] + 1))
          + (vec == null ? 0 : vectorWeight / (rrfK + vec[1] + 1));
      out.add(new Candidate(entry, lex == null ? 0 : lex[0], lex == null ? -1 : (int) lex[1],
          vec == null ? 0 : vec[0], vec == null ? -1 : (int) vec[1], understood, rrf));
    }
    // Equal fused scores (each side put the other's favourite second) go to the side that understands the query
    // best: the vector side for the embedder's languages, the lexical side for the others.
    Comparator<Candidate> lexicalFirst = Comparator.comparingDouble(Candidate::lexicalScore).reversed()
        .thenComparing(Comparator.comparingDouble(Candidate::cosine).reversed());
    Comparator<Candidate> vectorFirst = Comparator.comparingDouble(Candidate::cosine).reversed()
        .thenComparing(Comparator.comparingDouble(Candidate::lexicalScore).reversed());
    out.sort(Comparator.comparingDouble(Candidate::rrf).reversed()
        .thenComparing(understood ? vectorFirst : lexicalFirst)
        .thenComparingLong(c -> c.entry().id()));
    return out;
  }

  private List<KnowledgeIndex.VectorHit> searchVectors(String query) {
    try {
      return index.search(embedder.embed(query), candidates, -1.0, filter);
    } catch (RetriableException e) {
      throw new UnavailableException("vector search failed: " + e.getMessage(), e);
    }
  }

  /**
   * Replaces everything indexed with the validated ones of {@code validated}, embedding only the entries whose point
   * in the index is missing or out of date; never fails for a retriable outage.
   */
  @Override
  public void reindex(Collection<KnowledgeEntry> validated) {
    requireNonNull(validated, "validated");
    reindex(() -> validated, true);
  }

  /**
   * Like {@link #reindex}, but reads the index's fingerprints before {@code storage}: see {@link
   * KnowledgeRetriever#reindexFrom}. Returns how many entries {@code storage} gave.
   */
  @Override
  public int reindexFrom(Supplier<? extends Collection<KnowledgeEntry>> storage) {
    requireNonNull(storage, "storage");
    return reindex(storage, true);
  }

  /**
   * Like {@link #reindex}, but embeds every validated entry again even where the index holds its fingerprint: for an
   * embedding model whose weights changed under the same name. Points of entries no longer validated are deleted as
   * by {@code reindex}.
   */
  public void rebuild(Collection<KnowledgeEntry> validated) {
    requireNonNull(validated, "validated");
    reindex(() -> validated, false);
  }

  /** {@link #rebuild} of the entries {@code storage} reads, after the index was listed; returns how many it read. */
  public int rebuildFrom(Supplier<? extends Collection<KnowledgeEntry>> storage) {
    requireNonNull(storage, "storage");
    return reindex(storage, false);
  }

  private int reindex(Supplier<? extends Collection<KnowledgeEntry>> storage, boolean skipUnchanged) {
    writes.lock();
    try {
      // The index first, storage second: a point whose entry storage then does not list is stale for certain.
      Optional<Map<Long, String>> stored = storedFingerprints();
      Collection<KnowledgeEntry> validated = requireNonNull(storage.get(), "validated");
      lexical.reindex(validated);
      Map<Long, KnowledgeEntry> fresh = new LinkedHashMap<>();
      for (KnowledgeEntry e : validated) {
        if (e.isValidated()) {
          fresh.put(e.id(), e);
        }
      }
      if (stored.isEmpty()) {
        log.debug("the knowledge index does not list its points; embedding all {} validated entries", fresh.size());
      }
      for (Map.Entry<Long, Optional<KnowledgeEntry>> p : new ArrayList<>(pending.entrySet())) {
        if (!fresh.containsKey(p.getKey())) {
          pending.put(p.getKey(), Optional.empty());
        }
      }
      for (Long id : known.keySet()) {
        if (!fresh.containsKey(id)) {
          pending.put(id, Optional.empty());
        }
      }
      int stale = 0;
      for (Long id : stored.orElse(Map.of()).keySet()) {
        if (!fresh.containsKey(id) && !pending.containsKey(id)) {
          pending.put(id, Optional.empty());
          stale++;
        }
      }
      known.keySet().retainAll(fresh.keySet());
      known.putAll(fresh);
      int unchanged = 0;
      for (KnowledgeEntry e : fresh.values()) {
        pending.remove(e.id());
        String current = stored.isEmpty() ? null : stored.get().get(e.id());
        if (skipUnchanged && current != null && current.equals(payload(e).get(KnowledgeIndex.FINGERPRINT_KEY))) {
          unchanged++;
        } else {
          pending.put(e.id(), Optional.of(e));
        }
      }
      if (stored.isPresent()) {
        log.info("knowledge re-index: {} validated entries, {} already in the index, {} to embed, {} stale points "
            + "to delete", fresh.size(), unchanged, fresh.size() - unchanged, stale);
      }
      flushLocked();
      return validated.size();
    } finally {
      writes.unlock();
    }
  }

  /** The index's fingerprints; empty, after saying why, when it cannot list them now. */
  private Optional<Map<Long, String>> storedFingerprints() {
    try {
      return index.fingerprints();
    } catch (RetriableException e) {
      log.warn("could not list the knowledge index's points, embedding every validated entry again: {}",
          e.getMessage());
      return Optional.empty();
    }
  }

  /**
   * Indexes a validated entry (replacing its older vector) or deletes a draft or archived one from the index. A
   * retriable failure of the embedder or the index leaves the entry pending instead of failing.
   */
  @Override
  public void entryChanged(KnowledgeEntry entry) {
    requireNonNull(entry, "entry");
    lexical.entryChanged(entry);
    writes.lock();
    try {
      if (entry.isValidated()) {
        known.put(entry.id(), entry);
      } else {
        known.remove(entry.id());
      }
      pending.remove(entry.id());
      pending.put(entry.id(), entry.isValidated() ? Optional.of(entry) : Optional.empty());
      flushLocked();
    } finally {
      writes.unlock();
    }
  }

  /** How many entries wait for the index to be updated after a failure. */
  public int pendingReindex() {
    return pendingCount;
  }

  /**
   * Tries the pending index updates again now; returns how many are still pending (0 when the index caught up).
   */
  public int retryPending() {
    writes.lock();
    try {
      flushLocked();
      return pending.size();
    } finally {
      writes.unlock();
    }
  }

  private void retryPendingNowAndThen() {
    if (pendingCount == 0 || System.nanoTime() - lastRetryNanos < retryIntervalNanos || !writes.tryLock()) {
      return;
    }
    try {
      flushLocked();
    } finally {
      writes.unlock();
    }
  }

  /** Applies pending updates in order, upserts in batches; stops at the first retriable failure. */
  private void flushLocked() {
    lastRetryNanos = System.nanoTime();
    try {
      while (!pending.isEmpty()) {
        Map.Entry<Long, Optional<KnowledgeEntry>> first = pending.entrySet().iterator().next();
        if (first.getValue().isEmpty()) {
          index.delete(first.getKey());
          pending.remove(first.getKey());
          continue;
        }
        List<KnowledgeEntry> batch = new ArrayList<>(batchSize);
        for (Optional<KnowledgeEntry> p : pending.values()) {
          if (p.isEmpty() || batch.size() == batchSize) {
            break;
          }
          batch.add(p.get());
        }
        List<String> texts = new ArrayList<>(batch.size());
        for (KnowledgeEntry e : batch) {
          texts.add(indexedText(e));
        }
        List<float[]> vectors = embedder.embedAll(texts);
        for (int i = 0; i < batch.size(); i++) {
          KnowledgeEntry e = batch.get(i);
          index.upsert(e.id(), vectors.get(i), payload(e));
          pending.remove(e.id());
        }
      }
    } catch (RetriableException e) {
      log.warn("knowledge index update failed; {} entries pending re-index, retried later: {}", pending.size(),
          e.getMessage());
    } finally {
      pendingCount = pending.size();
    }
  }

  private String indexedText(KnowledgeEntry e) {
    return embedAnswers ? e.question() + "\n" + e.answer() : e.question();
  }

  private Map<String, String> payload(KnowledgeEntry e) {
    String language = e.language() != null && !e.language().isBlank() ? e.language() : Languages.detect(e.question());
    Map<String, String> payload = new HashMap<>(Map.of(
        "status", e.status().wireName(),
        "language", language.toLowerCase(Locale.ROOT),
        "tags", String.join(",", e.tags()),
        "model", embedder.modelName()));
    payload.put(KnowledgeIndex.FINGERPRINT_KEY, fingerprint(indexedText(e), payload));
    return Map.copyOf(payload);
  }

  /**
   * The first 16 hex digits of the SHA-256 of the text embedded and the payload (the model included): equal
   * fingerprints mean the stored point is the one an upsert would write now. The payload is in it too so that a
   * change of tags or language while the bot was down still reaches the index; it costs one embedding.
   */
  static String fingerprint(String text, Map<String, String> payload) {
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
    hashPart(sha, text);
    for (Map.Entry<String, String> p : new TreeMap<>(payload).entrySet()) {
      hashPart(sha, p.getKey());
      hashPart(sha, p.getValue());
    }
    return HexFormat.of().formatHex(sha.digest(), 0, 8);
  }

  /** Length first, so that no two different inputs run together into the same bytes. */
  private static void hashPart(MessageDigest sha, String part) {
    byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
    sha.update(ByteBuffer.allocate(4).putInt(bytes.length).array());
    sha.update(bytes);
  }

  @Override
  public String toString() {
    return "HybridKnowledgeRetriever{model=" + embedder.modelName() + ", entries=" + known.size() + ", pending="
        + pendingCount + "}";
  }

  /** Configures a {@link HybridKnowledgeRetriever}; {@link #embedder} and {@link #index} are required. */
  public static final class Builder {
    private KnowledgeRetriever lexical;
    private Embedder embedder;
    private KnowledgeIndex index;
    private Set<String> embedderLanguages = Set.of(Languages.ENGLISH);
    private int candidates = 20;
    private int rrfK = 60;
    private Calibration calibration;
    private int batchSize = 32;
    private boolean embedAnswers;
    private Duration retryInterval = Duration.ofSeconds(30);

    private Builder() {}

    /**
     * The lexical side; default: a fresh {@link LexicalKnowledgeRetriever}, kept current by this retriever. Give
     * the PostgreSQL full-text retriever to search storage directly.
     */
    public Builder lexical(KnowledgeRetriever lexical) {
      this.lexical = requireNonNull(lexical, "lexical");
      return this;
    }

    public Builder embedder(Embedder embedder) {
      this.embedder = requireNonNull(embedder, "embedder");
      return this;
    }

    /** The vector index; its vectors must come from {@link #embedder} (the payload names the model). */
    public Builder index(KnowledgeIndex index) {
      this.index = requireNonNull(index, "index");
      return this;
    }

    /** The languages ({@code "en"}, {@code "ru"}) the embedder understands; default {@code {"en"}}. */
    public Builder embedderLanguages(Set<String> languages) {
      requireNonNull(languages, "embedderLanguages");
      for (String l : languages) {
        check(l != null && !l.isBlank(), "embedderLanguages", "must not contain a blank language", languages);
      }
      this.embedderLanguages = Set.copyOf(languages);
      return this;
    }

    /** How many candidates each side brings; 1..1000, default 20. */
    public Builder candidates(int candidates) {
      check(candidates >= 1 && candidates <= 1000, "candidates", "must be in 1..1000", candidates);
      this.candidates = candidates;
      return this;
    }

    /** The {@code k} of reciprocal rank fusion ({@code 1 / (k + rank)}); > 0, default 60. */
    public Builder rrfK(int k) {
      check(k > 0, "rrfK", "must be > 0", k);
      this.rrfK = k;
      return this;
    }

    /**
     * Default: the shipped calibration for the lexical side, fitted for the bundled MiniLM embedder:
     * {@link Calibration#bm25Defaults()} when {@link #lexical} is a {@code Bm25KnowledgeRetriever},
     * {@link Calibration#defaults()} otherwise. With PostgreSQL full-text search as the lexical side give
     * {@link Calibration#postgresDefaults()} here; with any other, fit one with {@link Calibration#fit}.
     */
    public Builder calibration(Calibration calibration) {
      this.calibration = requireNonNull(calibration, "calibration");
      return this;
    }

    /** How many entries {@link #reindex} embeds per {@link Embedder#embedAll} call; 1..10000, default 32. */
    public Builder batchSize(int batchSize) {
      check(batchSize >= 1 && batchSize <= 10_000, "batchSize", "must be in 1..10000", batchSize);
      this.batchSize = batchSize;
      return this;
    }

    /**
     * Whether an entry's vector comes from its question and answer together rather than from its question alone;
     * default false (on the shipped evaluation the question alone ranks better: users ask questions, and a long
     * answer dilutes the vector).
     */
    public Builder embedAnswers(boolean embedAnswers) {
      this.embedAnswers = embedAnswers;
      return this;
    }

    /** The least time between two retries of pending index updates that queries trigger; default 30 s. */
    public Builder retryInterval(Duration interval) {
      requireNonNull(interval, "retryInterval");
      check(!interval.isNegative(), "retryInterval", "must not be negative", interval);
      this.retryInterval = interval;
      return this;
    }

    /** @throws dev.tgsupport.core.InvalidInputException naming {@code embedder} or {@code index} when missing */
    public HybridKnowledgeRetriever build() {
      requireNonNull(embedder, "embedder");
      requireNonNull(index, "index");
      return new HybridKnowledgeRetriever(this);
    }
  }
}
