package dev.tgsupport.core.text;

import dev.tgsupport.core.InvalidInputException;
import dev.tgsupport.core.model.KnowledgeEntry;
import dev.tgsupport.core.model.KnowledgeHit;
import dev.tgsupport.core.port.KnowledgeRetriever;
import java.util.Collection;
import java.util.List;

/**
 * An in-process Okapi BM25 {@link KnowledgeRetriever} over the validated knowledge entries, for Russian and English,
 * with no model and no server: the lexical side for {@code HybridKnowledgeRetriever} when the storage is not
 * PostgreSQL, and an alternative to {@link LexicalKnowledgeRetriever}.
 *
 * <pre>{@code
 * Bm25KnowledgeRetriever retriever = Bm25KnowledgeRetriever.of(store.list(KnowledgeStatus.VALIDATED));
 * List<KnowledgeHit> hits = retriever.retrieve("забыл пароль, как восстановить?", 3);
 * }</pre>
 *
 * <p><b>Terms.</b> The same analysis as {@link LexicalKnowledgeRetriever}: Russian and English stems without stop
 * words, with the support-domain thesaurus folding "change"/"update", "сменить"/"поменять", "turn off"/"disable".
 * A query stem of five letters or more that no question or tag has is matched to one that is one typo away
 * ("pasword", "пороль"), at 0.8 of its weight.
 *
 * <p><b>Scoring.</b> BM25F with {@code k1 = }{@value #K1} and {@code b = }{@value #B}: an entry's pseudo-frequency
 * of a term is the sum over its fields of {@code weight × tf / (1 − b + b × length / average length)}, with weights
 * question {@value #QUESTION_WEIGHT}, tags {@value #TAGS_WEIGHT} and answer {@value #ANSWER_WEIGHT}; the term
 * contributes {@code idf × f × (k1 + 1) / (k1 + f)} with {@code idf = ln(1 + (N − df + 0.5) / (df + 0.5))} over the
 * N indexed entries.
 *
 * <p><b>Scores in [0, 1].</b> Raw BM25 grows with the number and rarity of the query's terms, so it is divided by
 * the query's <i>self-score</i>: what the query would score against an entry of average length that has each of
 * its terms once in every field. The ratio (capped at 1) no longer depends on how long or rare the query is, only
 * on how much of it the entry covers: an entry whose question is the query scores about 0.85–1, and query stems
 * the index has never seen count in the self-score at the highest idf, so a query about something else scores low
 * even when it shares a word. Calibrate on labelled queries rather than reuse {@link
 * LexicalKnowledgeRetriever#RECOMMENDED_THRESHOLD}: the two scales differ.
 *
 * <p><b>Lifecycle.</b> Only validated entries are indexed: {@link #reindex} and {@link #entryChanged} ignore the
 * others, and {@code entryChanged} with a draft or archived entry removes it. Changes are cheap; the index is
 * rebuilt once, by the first {@link #retrieve} after them.
 *
 * <p>Thread-safe: retrieval reads an immutable snapshot without locking, and changes are serialised.
 */
public final class Bm25KnowledgeRetriever implements KnowledgeRetriever {
  /**
   * The score from which BM25 alone is a good enough answer to send without a human: {@value}. On the shipped
   * training queries ({@code examples/knowledge/train-queries.csv}) the top hits from it on were right 90% of the
   * time and 19 of the 20 unanswerable queries stayed below. With {@code HybridKnowledgeRetriever} use its
   * calibration's thresholds instead.
   */
  public static final double RECOMMENDED_THRESHOLD = 0.3;

  /** Term-frequency saturation. */
  public static final double K1 = 1.2;
  /** Length normalisation. */
  public static final double B = 0.75;
  /** Field weight of the question: users ask questions, and the question is what an entry is about. */
  public static final double QUESTION_WEIGHT = 3.0;
  /** Field weight of the tags: few words, shared by many entries ("account", "billing"). */
  public static final double TAGS_WEIGHT = 1.0;
  /**
   * Field weight of the answer: long, and full of words the question does not need ("valid for 1 hour" made "Can I
   * set working hours?" find the password reset at 1.0).
   */
  public static final double ANSWER_WEIGHT = 0.5;

  private final TextNormalizer normalizer = TextNormalizer.create();
  private final ValidatedEntries<Bm25Index.Doc, Bm25Index> entries =
      new ValidatedEntries<>(e -> Bm25Index.Doc.of(e, normalizer), Bm25Index::build, Bm25Index.empty());

  private Bm25KnowledgeRetriever() {}

  /** An empty retriever; fill it with {@link #reindex} or {@link #entryChanged}. */
  public static Bm25KnowledgeRetriever create() {
    return new Bm25KnowledgeRetriever();
  }

  /** A retriever indexing the validated ones of {@code entries}. */
  public static Bm25KnowledgeRetriever of(Collection<KnowledgeEntry> entries) {
    Bm25KnowledgeRetriever r = new Bm25KnowledgeRetriever();
    r.reindex(entries);
    return r;
  }

  /**
   * The validated entries that share a term with {@code query}, best first (equal scores by entry id), at most
   * {@code limit}, each with a score in (0, 1]. A query without letters or digits finds nothing.
   *
   * @throws InvalidInputException naming {@code query} when it is null, or {@code limit} when it is below 1
   */
  @Override
  public List<KnowledgeHit> retrieve(String query, int limit) {
    InvalidInputException.requireNonNull(query, "query");
    InvalidInputException.check(limit >= 1, "limit", "must be > 0", limit);
    return entries.index().search(query, limit);
  }

  /** Replaces the whole index with the validated ones of {@code validated}. */
  @Override
  public void reindex(Collection<KnowledgeEntry> validated) {
    InvalidInputException.requireNonNull(validated, "validated");
    entries.reindex(validated);
  }

  /** Indexes a validated entry (replacing its older version) or removes a draft or archived one. */
  @Override
  public void entryChanged(KnowledgeEntry entry) {
    InvalidInputException.requireNonNull(entry, "entry");
    entries.changed(entry);
  }

  /** How many entries are indexed. */
  public int size() {
    return entries.size();
  }

  @Override
  public String toString() {
    return "Bm25KnowledgeRetriever{entries=" + size() + "}";
  }
}
