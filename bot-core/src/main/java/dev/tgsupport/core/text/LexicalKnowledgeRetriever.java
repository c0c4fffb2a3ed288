package dev.tgsupport.core.text;

import dev.tgsupport.core.model.KnowledgeEntry;
import dev.tgsupport.core.model.KnowledgeHit;
import dev.tgsupport.core.port.KnowledgeRetriever;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * The default {@link KnowledgeRetriever}: an in-memory lexical index of the validated knowledge entries, for
 * Russian and English, with no model and no server.
 *
 * <pre>{@code
 * LexicalKnowledgeRetriever retriever = LexicalKnowledgeRetriever.of(store.list(KnowledgeStatus.VALIDATED));
 * List<KnowledgeHit> hits = retriever.retrieve("забыл пароль, как восстановить?", 3);
 * if (!hits.isEmpty() && hits.get(0).score() >= LexicalKnowledgeRetriever.RECOMMENDED_THRESHOLD) {
 *   reply(hits.get(0).entry().answer());
 * }
 * }</pre>
 *
 * <p><b>Scoring.</b> A query's score against an entry is {@code 0.6 × words + 0.4 × letters}, in [0, 1]:
 *
 * <ul>
 *   <li><i>words</i>: TF-IDF cosine over word stems (stop words dropped, see {@link TextNormalizer#stems}, and a
 *       few support verbs folded together: "change"/"update", "сменить"/"поменять", "turn off"/"disable"),
 *       {@code 0.75 ×} the cosine to the entry's question plus {@code 0.25 ×} the cosine to the question joined
 *       with its tags (weight 0.5) and answer (weight 0.3). Document frequencies come from the indexed entries, so
 *       words many entries share ("account", "аккаунт") count less than words that single one out. A query stem
 *       of five letters or more that no question or tag has is matched to one that is one typo away
 *       ("pasword", "пороль"), at 0.8 of its weight. Stems of the query that match nothing still count in its
 *       norm, so a query about something else scores low even when it shares a word.
 *   <li><i>letters</i>: TF-IDF cosine over the character 3-grams of the words of the query and of the question,
 *       which catches typos and word forms the stemmer leaves apart ("удалить" and "удаление").
 * </ul>
 *
 * <p><b>Calibration.</b> Both parts are cosines, so the score does not grow with the length of the query or of the
 * entry and is comparable across queries. The query identical to an entry's question scores at least 0.9 (both
 * cosines to the question are 1; only the tags and answer can pull the second word cosine down). On a bilingual
 * FAQ of 31 entries for a task-tracking SaaS (this module's tests), 39 paraphrases in other wording, other word
 * forms and with typos found their entry first with scores from 0.33 (median 0.72), while 19 plausible questions
 * about the same product that the FAQ does not answer scored at most 0.26; {@link #RECOMMENDED_THRESHOLD} sits
 * between the two. Lexical matching has limits either way: wholly different wording ("my card was rejected" and
 * "Why was my payment declined?") scores near zero, and a question that shares its one topic word with an entry
 * can pass ("Is my data encrypted?" scores 0.33 against "How can I export my data?"). Add common phrasings as
 * entries, raise the threshold, or use an embedding-based retriever when that matters.
 *
 * <p><b>Lifecycle.</b> Only validated entries are indexed: {@link #reindex} and {@link #entryChanged} ignore the
 * others, and {@code entryChanged} with a draft or archived entry removes it. Changes are cheap; the index is
 * rebuilt once, by the first {@link #retrieve} after them.
 *
 * <p>Thread-safe: retrieval reads an immutable snapshot without locking, and changes are serialised. With 1,000
 * entries a query takes well under a millisecond.
 */
public final class LexicalKnowledgeRetriever implements KnowledgeRetriever {
  /**
   * The score from which a hit is a good enough answer to send without a human: {@value}. On the bilingual FAQ of
   * the class documentation it lies between the lowest paraphrase (0.33) and the highest unrelated question (0.26).
   * Raise it to answer less often but more surely.
   */
  public static final double RECOMMENDED_THRESHOLD = 0.3;

  private final TextNormalizer normalizer = TextNormalizer.create();
  private final ValidatedEntries<LexicalIndex.Doc, LexicalIndex> entries =
      new ValidatedEntries<>(e -> LexicalIndex.Doc.of(e, normalizer), LexicalIndex::build, LexicalIndex.empty());

  private LexicalKnowledgeRetriever() {}

  /** An empty retriever; fill it with {@link #reindex} or {@link #entryChanged}. */
  public static LexicalKnowledgeRetriever create() {
    return new LexicalKnowledgeRetriever();
  }

  /** A retriever indexing the validated ones of {@code entries}. */
  public static LexicalKnowledgeRetriever of(Collection<KnowledgeEntry> entries) {
    LexicalKnowledgeRetriever r = new LexicalKnowledgeRetriever();
    r.reindex(entries);
    return r;
  }

  /**
   * The validated entries that share words or letters with {@code query}, best first (equal scores by entry id),
   * at most {@code limit}, each with a score in (0, 1]. A query without letters or digits finds nothing.
   *
   * @throws IllegalArgumentException when {@code limit < 1}
   */
  @Override
  public List<KnowledgeHit> retrieve(String query, int limit) {
    Objects.requireNonNull(query, "query");
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be > 0, was " + limit);
    }
    return entries.index().search(query, limit);
  }

  /** Replaces the whole index with the validated ones of {@code validated}. */
  @Override
  public void reindex(Collection<KnowledgeEntry> validated) {
    Objects.requireNonNull(validated, "validated");
    entries.reindex(validated);
  }

  /** Indexes a validated entry (replacing its older version) or removes a draft or archived one. */
  @Override
  public void entryChanged(KnowledgeEntry entry) {
    Objects.requireNonNull(entry, "entry");
    entries.changed(entry);
  }

  /** How many entries are indexed. */
  public int size() {
    return entries.size();
  }

  @Override
  public String toString() {
    return "LexicalKnowledgeRetriever{entries=" + size() + "}";
  }
}
