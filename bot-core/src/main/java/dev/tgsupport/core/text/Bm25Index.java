package dev.tgsupport.core.text;

import static dev.tgsupport.core.text.Bm25KnowledgeRetriever.ANSWER_WEIGHT;
import static dev.tgsupport.core.text.Bm25KnowledgeRetriever.B;
import static dev.tgsupport.core.text.Bm25KnowledgeRetriever.K1;
import static dev.tgsupport.core.text.Bm25KnowledgeRetriever.QUESTION_WEIGHT;
import static dev.tgsupport.core.text.Bm25KnowledgeRetriever.TAGS_WEIGHT;

import dev.tgsupport.core.model.KnowledgeEntry;
import dev.tgsupport.core.model.KnowledgeHit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * An immutable BM25F index over analysed knowledge entries; {@link Bm25KnowledgeRetriever} documents the scoring
 * and swaps in a new index after changes.
 */
final class Bm25Index {
  static final double CORRECTED_WEIGHT = 0.8;
  /** Shorter stems are too easily one typo away from an unrelated word ("card", "cart"). */
  static final int MIN_CORRECTABLE = 5;
  static final int MAX_CORRECTABLE = 30;

  /** An entry's stem counts per field; independent of the other entries, so it survives rebuilds. */
  record Doc(KnowledgeEntry entry, Map<String, Integer> question, Map<String, Integer> tags,
      Map<String, Integer> answer) {

    static Doc of(KnowledgeEntry e, TextNormalizer n) {
      return new Doc(e, Terms.of(n, e.question()).stems(), Terms.of(n, String.join(" ", e.tags())).stems(),
          Terms.of(n, e.answer()).stems());
    }
  }

  /** One term's entries and their saturated pseudo-frequencies {@code f (k1 + 1) / (k1 + f)}. */
  private record Posting(double idf, int[] docs, double[] saturated) {}

  private static final Bm25Index EMPTY = build(List.of());

  private final KnowledgeEntry[] entries;
  private final Map<String, Posting> postings;
  /** Question and tag stems of a correctable length, by length, for typo correction. */
  private final Map<Integer, List<String>> correctable;
  /** The self-score weight of a query term: the saturation of one occurrence in every field. */
  private final double selfSaturation;
  private final double unseenIdf;
  private final TextNormalizer normalizer = TextNormalizer.create();

  private Bm25Index(KnowledgeEntry[] entries, Map<String, Posting> postings, Map<Integer, List<String>> correctable) {
    this.entries = entries;
    this.postings = postings;
    this.correctable = correctable;
    this.selfSaturation = saturate(QUESTION_WEIGHT + TAGS_WEIGHT + ANSWER_WEIGHT);
    this.unseenIdf = idf(entries.length, 0);
  }

  static Bm25Index empty() {
    return EMPTY;
  }

  static Bm25Index build(Collection<Doc> collection) {
    Doc[] docs = collection.toArray(new Doc[0]);
    Arrays.sort(docs, Comparator.comparingLong(d -> d.entry.id()));
    int n = docs.length;
    KnowledgeEntry[] entries = new KnowledgeEntry[n];
    double questionLength = 0;
    double tagsLength = 0;
    double answerLength = 0;
    for (int i = 0; i < n; i++) {
      entries[i] = docs[i].entry;
      questionLength += length(docs[i].question);
      tagsLength += length(docs[i].tags);
      answerLength += length(docs[i].answer);
    }
    double avgQuestion = n == 0 ? 1 : Math.max(1e-9, questionLength / n);
    double avgTags = n == 0 ? 1 : Math.max(1e-9, tagsLength / n);
    double avgAnswer = n == 0 ? 1 : Math.max(1e-9, answerLength / n);

    Map<String, List<double[]>> building = new HashMap<>();
    Set<String> correctableStems = new TreeSet<>();
    for (int i = 0; i < n; i++) {
      Doc d = docs[i];
      Map<String, Double> pseudo = new HashMap<>();
      addField(pseudo, d.question, QUESTION_WEIGHT, avgQuestion);
      addField(pseudo, d.tags, TAGS_WEIGHT, avgTags);
      addField(pseudo, d.answer, ANSWER_WEIGHT, avgAnswer);
      for (Map.Entry<String, Double> e : pseudo.entrySet()) {
        building.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(new double[] {i, saturate(e.getValue())});
      }
      for (Map<String, Integer> field : List.of(d.question, d.tags)) {
        for (String t : field.keySet()) {
          // A four-letter stem may be the target of a five-letter typo with one letter too many.
          if (t.length() >= MIN_CORRECTABLE - 1 && t.length() <= MAX_CORRECTABLE + 1) {
            correctableStems.add(t);
          }
        }
      }
    }
    Map<String, Posting> postings = new HashMap<>(building.size() * 2);
    building.forEach((term, rows) -> {
      int[] ids = new int[rows.size()];
      double[] saturated = new double[rows.size()];
      for (int k = 0; k < rows.size(); k++) {
        ids[k] = (int) rows.get(k)[0];
        saturated[k] = rows.get(k)[1];
      }
      postings.put(term, new Posting(idf(n, rows.size()), ids, saturated));
    });
    Map<Integer, List<String>> correctable = new HashMap<>();
    for (String t : correctableStems) {
      correctable.computeIfAbsent(t.length(), k -> new ArrayList<>()).add(t);
    }
    return new Bm25Index(entries, postings, correctable);
  }

  private static int length(Map<String, Integer> counts) {
    int sum = 0;
    for (int c : counts.values()) {
      sum += c;
    }
    return sum;
  }

  private static void addField(Map<String, Double> pseudo, Map<String, Integer> field, double weight, double avg) {
    double norm = 1.0 - B + B * length(field) / avg;
    field.forEach((t, tf) -> pseudo.merge(t, weight * tf / norm, Double::sum));
  }

  private static double saturate(double f) {
    return f * (K1 + 1.0) / (K1 + f);
  }

  /** The non-negative BM25 idf (Lucene's), so a term in every entry still counts a little. */
  static double idf(int n, int df) {
    return Math.log(1.0 + (n - df + 0.5) / (df + 0.5));
  }

  List<KnowledgeHit> search(String query, int limit) {
    int n = entries.length;
    Map<String, Integer> stems = Terms.of(normalizer, query).stems();
    if (n == 0 || stems.isEmpty()) {
      return List.of();
    }
    double[] raw = new double[n];
    double self = 0;
    for (Map.Entry<String, Integer> e : stems.entrySet()) {
      int count = e.getValue();
      Posting p = postings.get(e.getKey());
      double factor = 1.0;
      if (p == null) {
        String corrected = correct(e.getKey());
        p = corrected == null ? null : postings.get(corrected);
        factor = CORRECTED_WEIGHT;
      }
      if (p == null) {
        self += count * unseenIdf * selfSaturation;
        continue;
      }
      self += count * p.idf * selfSaturation;
      double w = count * p.idf * factor;
      for (int k = 0; k < p.docs.length; k++) {
        raw[p.docs[k]] += w * p.saturated[k];
      }
    }
    List<KnowledgeHit> hits = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      double score = Math.min(1.0, raw[i] / self);
      if (score > 1e-9) {
        hits.add(new KnowledgeHit(entries[i], score));
      }
    }
    hits.sort(Comparator.comparingDouble(KnowledgeHit::score).reversed().thenComparingLong(h -> h.entry().id()));
    return List.copyOf(hits.size() > limit ? hits.subList(0, limit) : hits);
  }

  /**
   * The question or tag stem one typo away from {@code stem}: the rarest when several are, then the first
   * alphabetically. Null when none is or the stem is too short to guess.
   */
  private String correct(String stem) {
    if (stem.length() < MIN_CORRECTABLE || stem.length() > MAX_CORRECTABLE) {
      return null;
    }
    String best = null;
    double bestIdf = -1;
    for (int len = stem.length() - 1; len <= stem.length() + 1; len++) {
      for (String candidate : correctable.getOrDefault(len, List.of())) {
        if (Edits.withinOne(stem, candidate)) {
          double idf = postings.get(candidate).idf;
          if (idf > bestIdf) {
            best = candidate;
            bestIdf = idf;
          }
        }
      }
    }
    return best;
  }
}
