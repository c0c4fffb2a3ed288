package dev.tgsupport.core.text;

import dev.tgsupport.core.model.KnowledgeEntry;
import dev.tgsupport.core.model.KnowledgeHit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An immutable inverted index over analysed knowledge entries; {@link LexicalKnowledgeRetriever} swaps in a new one
 * after changes. The retriever documents the scoring; the weights live here. They were checked on a bilingual FAQ
 * over a grid (word share 0.5–0.8, question share 0.4–0.75, tag and answer weights 0.2–1): results barely moved,
 * so these are middle-of-the-road values rather than a fit to one data set.
 */
final class LexicalIndex {
  static final double WORD_SHARE = 0.6;
  static final double QUESTION_SHARE = 0.75;
  static final double TAGS_WEIGHT = 0.5;
  static final double ANSWER_WEIGHT = 0.3;
  static final double CORRECTED_WEIGHT = 0.8;
  /** Shorter stems are too easily one typo away from an unrelated word ("card", "cart"). */
  static final int MIN_CORRECTABLE = 5;
  /** Longer ones are not words; their deletion variants would cost quadratic time. */
  static final int MAX_CORRECTABLE = 30;

  /** An entry reduced to what scoring needs; independent of the other entries, so it survives rebuilds. */
  record Doc(KnowledgeEntry entry, Map<String, Integer> question, Map<String, Integer> tags,
      Map<String, Integer> answer, Map<String, Integer> grams) {

    static Doc of(KnowledgeEntry e, TextNormalizer n) {
      Terms.Features q = Terms.of(n, e.question());
      return new Doc(e, q.stems(), Terms.of(n, String.join(" ", e.tags())).stems(),
          Terms.of(n, e.answer()).stems(), q.grams());
    }
  }

  private static final LexicalIndex EMPTY = build(List.of());

  private final KnowledgeEntry[] entries;
  private final Postings words;
  private final Postings grams;
  /** A question or tag stem, and each of its one-letter deletions → the ids of those stems. */
  private final Map<String, int[]> deletions;
  private final TextNormalizer normalizer = TextNormalizer.create();

  /**
   * Per term: the entries that have it, with two weights each. For words, {@code first} is the weight in the
   * question vector and {@code second} the weight in the question+tags+answer vector; grams use only
   * {@code first}.
   */
  private record Row(int doc, float first, float second) {}

  private static final class Postings {
    final Map<String, Integer> ids = new HashMap<>();
    final List<String> names = new ArrayList<>();
    final List<List<Row>> building = new ArrayList<>();
    double[] idf;
    double unseenIdf;
    int[][] docs;
    float[][] first;
    float[][] second;

    void add(String term, int doc, double first, double second) {
      Integer id = ids.get(term);
      if (id == null) {
        id = names.size();
        ids.put(term, id);
        names.add(term);
        building.add(new ArrayList<>());
      }
      building.get(id).add(new Row(doc, (float) first, (float) second));
    }

    void freeze(Map<String, Integer> df, int n) {
      int terms = names.size();
      idf = new double[terms];
      docs = new int[terms][];
      first = new float[terms][];
      second = new float[terms][];
      for (int t = 0; t < terms; t++) {
        idf[t] = TfIdf.idf(n, df.get(names.get(t)));
        List<Row> rows = building.get(t);
        docs[t] = new int[rows.size()];
        first[t] = new float[rows.size()];
        second[t] = new float[rows.size()];
        for (int k = 0; k < rows.size(); k++) {
          docs[t][k] = rows.get(k).doc;
          first[t][k] = rows.get(k).first;
          second[t][k] = rows.get(k).second;
        }
      }
      unseenIdf = TfIdf.idf(n, 0);
      building.clear();
    }
  }

  private LexicalIndex(KnowledgeEntry[] entries, Postings words, Postings grams, Map<String, int[]> deletions) {
    this.entries = entries;
    this.words = words;
    this.grams = grams;
    this.deletions = deletions;
  }

  static LexicalIndex empty() {
    return EMPTY;
  }

  static LexicalIndex build(Collection<Doc> collection) {
    Doc[] docs = collection.toArray(new Doc[0]);
    Arrays.sort(docs, Comparator.comparingLong(d -> d.entry.id()));
    int n = docs.length;
    KnowledgeEntry[] entries = new KnowledgeEntry[n];
    // Word frequencies count the whole entry, so words every answer uses weigh little in questions too.
    Map<String, Integer> wordDf = new HashMap<>();
    Map<String, Integer> gramDf = new HashMap<>();
    for (int i = 0; i < n; i++) {
      entries[i] = docs[i].entry;
      Set<String> seen = new HashSet<>(docs[i].question.keySet());
      seen.addAll(docs[i].tags.keySet());
      seen.addAll(docs[i].answer.keySet());
      seen.forEach(t -> wordDf.merge(t, 1, Integer::sum));
      docs[i].grams.keySet().forEach(g -> gramDf.merge(g, 1, Integer::sum));
    }

    Postings words = new Postings();
    Postings grams = new Postings();
    for (int i = 0; i < n; i++) {
      Map<String, Double> question = weigh(docs[i].question, wordDf, n);
      Map<String, Double> full = new HashMap<>(question);
      weigh(docs[i].tags, wordDf, n).forEach((t, x) -> full.merge(t, TAGS_WEIGHT * x, Double::sum));
      weigh(docs[i].answer, wordDf, n).forEach((t, x) -> full.merge(t, ANSWER_WEIGHT * x, Double::sum));
      TfIdf.scaleToUnit(full, 1.0);
      for (Map.Entry<String, Double> e : full.entrySet()) {
        words.add(e.getKey(), i, question.getOrDefault(e.getKey(), 0.0), e.getValue());
      }
      for (Map.Entry<String, Double> e : weigh(docs[i].grams, gramDf, n).entrySet()) {
        grams.add(e.getKey(), i, e.getValue(), 0);
      }
    }
    words.freeze(wordDf, n);
    grams.freeze(gramDf, n);

    Map<String, List<Integer>> byVariant = new HashMap<>();
    for (Doc d : docs) {
      for (Map<String, Integer> field : List.of(d.question, d.tags)) {
        for (String t : field.keySet()) {
          // A four-letter stem may be the target of a five-letter typo with one letter too many.
          if (t.length() >= MIN_CORRECTABLE - 1 && t.length() <= MAX_CORRECTABLE + 1) {
            int id = words.ids.get(t);
            for (String v : variants(t)) {
              List<Integer> ids = byVariant.computeIfAbsent(v, k -> new ArrayList<>(1));
              if (!ids.contains(id)) {
                ids.add(id);
              }
            }
          }
        }
      }
    }
    Map<String, int[]> deletions = new HashMap<>(byVariant.size() * 2);
    byVariant.forEach((k, v) -> deletions.put(k, v.stream().mapToInt(Integer::intValue).toArray()));
    return new LexicalIndex(entries, words, grams, deletions);
  }

  /** Unit TF-IDF vector of one field, with the collection's document frequencies. */
  private static Map<String, Double> weigh(Map<String, Integer> counts, Map<String, Integer> df, int n) {
    Map<String, Double> v = new HashMap<>(counts.size() * 2);
    counts.forEach((t, tf) -> v.put(t, (1.0 + Math.log(tf)) * TfIdf.idf(n, df.getOrDefault(t, 0))));
    return TfIdf.scaleToUnit(v, 1.0);
  }

  /** The word itself and every way of deleting one letter from it. */
  private static List<String> variants(String w) {
    List<String> out = new ArrayList<>(w.length() + 1);
    out.add(w);
    for (int i = 0; i < w.length(); i++) {
      out.add(w.substring(0, i) + w.substring(i + 1));
    }
    return out;
  }

  List<KnowledgeHit> search(String query, int limit) {
    int n = entries.length;
    Terms.Features features = Terms.of(normalizer, query);
    if (n == 0 || features.isEmpty()) {
      return List.of();
    }
    double[] question = new double[n];
    double[] full = new double[n];
    double[] gram = new double[n];

    // Query weights by term id. Unknown terms have no postings but still count in the norm.
    Map<Integer, Double> q = new HashMap<>();
    double unknown = 0;
    for (Map.Entry<String, Integer> e : features.stems().entrySet()) {
      double tf = 1.0 + Math.log(e.getValue());
      Integer id = words.ids.get(e.getKey());
      double factor = 1.0;
      if (id == null) {
        id = correct(e.getKey());
        factor = CORRECTED_WEIGHT;
      }
      if (id == null) {
        unknown += square(tf * words.unseenIdf);
      } else {
        q.merge(id, tf * words.idf[id] * factor, Double::sum);
      }
    }
    accumulate(words, q, unknown, question, full);

    Map<Integer, Double> g = new HashMap<>();
    double unknownGrams = 0;
    for (Map.Entry<String, Integer> e : features.grams().entrySet()) {
      double tf = 1.0 + Math.log(e.getValue());
      Integer id = grams.ids.get(e.getKey());
      if (id == null) {
        unknownGrams += square(tf * grams.unseenIdf);
      } else {
        g.put(id, tf * grams.idf[id]);
      }
    }
    accumulate(grams, g, unknownGrams, gram, null);

    List<KnowledgeHit> hits = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      double word = QUESTION_SHARE * question[i] + (1.0 - QUESTION_SHARE) * full[i];
      // Float weights can overshoot 1 by a rounding error; a score of 1e-12 is no match.
      double score = Math.min(1.0, WORD_SHARE * word + (1.0 - WORD_SHARE) * gram[i]);
      if (score > 1e-9) {
        hits.add(new KnowledgeHit(entries[i], score));
      }
    }
    hits.sort(Comparator.comparingDouble(KnowledgeHit::score).reversed().thenComparingLong(h -> h.entry().id()));
    return List.copyOf(hits.size() > limit ? hits.subList(0, limit) : hits);
  }

  /** Adds the cosine of the query with each entry to {@code first} (and {@code second}). */
  private static void accumulate(Postings p, Map<Integer, Double> q, double unknownSquares, double[] first,
      double[] second) {
    double sum = unknownSquares;
    for (double w : q.values()) {
      sum += w * w;
    }
    if (sum <= 0) {
      return;
    }
    double norm = Math.sqrt(sum);
    for (Map.Entry<Integer, Double> e : q.entrySet()) {
      int t = e.getKey();
      double w = e.getValue() / norm;
      int[] docs = p.docs[t];
      float[] a = p.first[t];
      float[] b = p.second[t];
      for (int k = 0; k < docs.length; k++) {
        first[docs[k]] += w * a[k];
        if (second != null) {
          second[docs[k]] += w * b[k];
        }
      }
    }
  }

  /**
   * The question or tag stem one typo away from {@code stem}; the rarest when several are, then the first
   * alphabetically. Null when none is or the stem is too short to guess.
   */
  private Integer correct(String stem) {
    if (stem.length() < MIN_CORRECTABLE || stem.length() > MAX_CORRECTABLE) {
      return null;
    }
    Integer best = null;
    for (String v : variants(stem)) {
      int[] ids = deletions.get(v);
      if (ids == null) {
        continue;
      }
      for (int id : ids) {
        String candidate = words.names.get(id);
        if (Edits.withinOne(stem, candidate)
            && (best == null || words.idf[id] > words.idf[best]
                || (words.idf[id] == words.idf[best] && candidate.compareTo(words.names.get(best)) < 0))) {
          best = id;
        }
      }
    }
    return best;
  }

  private static double square(double x) {
    return x * x;
  }
}
