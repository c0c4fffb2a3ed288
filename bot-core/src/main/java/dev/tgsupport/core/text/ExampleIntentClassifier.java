package dev.tgsupport.core.text;

import dev.tgsupport.core.model.Intent;
import dev.tgsupport.core.port.IntentClassifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An {@link IntentClassifier} learnt from a few example phrases per intent, in Russian, English or both.
 *
 * <pre>{@code
 * IntentClassifier intents = ExampleIntentClassifier.builder()
 *     .add("billing", "How much does the Pro plan cost?", "Сколько стоит тариф?", "Why was I charged twice?")
 *     .add("human", "I want to talk to a person", "Позовите оператора", "Соедините с живым человеком")
 *     .build();
 * intents.classify("сколько стоит подписка");   // billing
 * intents.classify("what's the weather today"); // oos
 * }</pre>
 *
 * <p><b>Model.</b> A text becomes a TF-IDF vector over the stems of its words (see {@link TextNormalizer#stems};
 * a few support verbs such as "change"/"update" or "сменить"/"поменять" are folded into one) joined with a TF-IDF
 * vector over their character 3-grams, weighted 0.6 and 0.4, so similarity survives typos and Russian word forms
 * the stemmer misses. An intent's score for a text is {@code 0.7 × (best cosine to one of its
 * examples) + 0.3 × (cosine to the centroid of its examples)}: the nearest example decides, the centroid breaks
 * ties in favour of intents the text resembles as a whole. The best intent wins; ties go to the intent added first.
 *
 * <p><b>Out of scope.</b> When the best score is below the threshold, the result is {@link Intent#OUT_OF_SCOPE}.
 * Examples added under the name {@link Intent#OUT_OF_SCOPE} ("oos") teach what should be rejected: a text closest
 * to them is out of scope whatever its score.
 *
 * <p><b>Default threshold.</b> Without {@link Builder#outOfScopeThreshold}, {@link Builder#build()} chooses one by
 * leave-one-out over the examples: each example of an intent with at least two examples is scored against its
 * own intent without itself (a stand-in for a new paraphrase, which should be accepted when it is classified
 * right), and every example is scored against the intents it does not belong to (a stand-in for a text about
 * something else, which should be rejected). The threshold is the cut that classifies the most of these correctly;
 * among equally good cuts, the one in the widest gap between scores, at its middle, so both sides keep a margin.
 * (Document frequencies stay those of all examples during this; the error is small and it keeps training
 * quadratic rather than cubic.) It is clamped to [{@value #MIN_THRESHOLD}, {@value #MAX_THRESHOLD}], and is
 * {@value #FALLBACK_THRESHOLD} when there is nothing to learn from (one intent, or single examples only).
 * {@link #threshold()} tells what was chosen. Short, varied examples give low scores even to good paraphrases, so
 * the cut often lands at the lower bound; that is expected, since unrelated text typically scores below 0.1.
 *
 * <p><b>Confidence.</b> Scores are mapped so that 0.5 is the threshold: an accepted intent's confidence rises
 * linearly from 0.5 at the threshold to 1 at a perfect match; an out-of-scope result's confidence rises from 0.5 at
 * the threshold to 1 at a score of 0. Text without words, and any text when there are no examples at all, is out of
 * scope with confidence 1.
 *
 * <p>Immutable after {@link Builder#build()} and thread-safe. Classification is linear in the number of examples;
 * a few hundred examples classify in well under a millisecond.
 */
public final class ExampleIntentClassifier implements IntentClassifier {
  /** The lowest threshold leave-one-out may choose: below it, unrelated texts sharing a few letters pass. */
  public static final double MIN_THRESHOLD = 0.15;

  /** The highest threshold leave-one-out may choose: above it, honest paraphrases are rejected. */
  public static final double MAX_THRESHOLD = 0.6;

  /** The threshold when the examples give nothing to learn it from. */
  public static final double FALLBACK_THRESHOLD = 0.2;

  private static final double WORD_SHARE = 0.6;
  private static final double NEAREST_SHARE = 0.7;
  private static final String WORD_PREFIX = "w:";
  private static final String GRAM_PREFIX = "g:";

  private final TextNormalizer normalizer = TextNormalizer.create();
  private final Map<String, List<String>> examples;
  private final Double explicitThreshold;
  private final TfIdf words;
  private final TfIdf grams;
  private final List<IntentModel> models;
  private final double threshold;

  private record IntentModel(String name, List<Map<String, Double>> vectors, Map<String, Double> sum,
      Map<String, Double> centroid) {}

  private ExampleIntentClassifier(Map<String, List<String>> examples, Double explicitThreshold) {
    this.examples = examples;
    this.explicitThreshold = explicitThreshold;
    List<Map<String, Integer>> wordDocs = new ArrayList<>();
    List<Map<String, Integer>> gramDocs = new ArrayList<>();
    examples.forEach((intent, texts) -> {
      for (String text : texts) {
        Terms.Features f = Terms.of(normalizer, text);
        wordDocs.add(f.stems());
        gramDocs.add(f.grams());
      }
    });
    this.words = TfIdf.fit(wordDocs);
    this.grams = TfIdf.fit(gramDocs);
    List<IntentModel> built = new ArrayList<>();
    int doc = 0;
    for (Map.Entry<String, List<String>> e : examples.entrySet()) {
      List<Map<String, Double>> vectors = new ArrayList<>();
      Map<String, Double> sum = new HashMap<>();
      for (int i = 0; i < e.getValue().size(); i++, doc++) {
        Map<String, Double> v = combine(wordDocs.get(doc), gramDocs.get(doc));
        vectors.add(v);
        v.forEach((k, x) -> sum.merge(k, x, Double::sum));
      }
      Map<String, Double> centroid = TfIdf.scaleToUnit(new HashMap<>(sum), 1.0);
      built.add(new IntentModel(e.getKey(), List.copyOf(vectors), sum, centroid));
    }
    this.models = List.copyOf(built);
    this.threshold = explicitThreshold != null ? explicitThreshold : leaveOneOutThreshold();
  }

  /** A builder with no examples. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this classifier's examples and, if one was set, its explicit threshold. */
  public Builder toBuilder() {
    Builder b = new Builder();
    examples.forEach(b::add);
    if (explicitThreshold != null) {
      b.outOfScopeThreshold(explicitThreshold);
    }
    return b;
  }

  /** The out-of-scope threshold in use: the one given to the builder, or the one leave-one-out chose. */
  public double threshold() {
    return threshold;
  }

  /** The intents this classifier knows, in the order they were added ("oos" included when it was given). */
  public List<String> intents() {
    return List.copyOf(examples.keySet());
  }

  /** Classifies one text; null or text without words is out of scope with confidence 1. Never throws. */
  @Override
  public Intent classify(String text) {
    Map<String, Double> q = vector(text);
    if (q.isEmpty() || models.isEmpty()) {
      return Intent.outOfScope(1.0);
    }
    IntentModel best = null;
    double top = -1;
    for (IntentModel m : models) {
      double s = score(q, m.vectors, m.centroid, -1);
      if (s > top) {
        top = s;
        best = m;
      }
    }
    top = clamp(top);
    if (top < threshold) {
      return Intent.outOfScope(clamp(0.5 + 0.5 * (threshold - top) / threshold));
    }
    double confidence = threshold >= 1.0 ? 1.0 : clamp(0.5 + 0.5 * (top - threshold) / (1.0 - threshold));
    return best.name.equals(Intent.OUT_OF_SCOPE) ? Intent.outOfScope(confidence) : new Intent(best.name, confidence);
  }

  /** Classifies each text; the vectors of the examples are shared, so this is one pass per text. */
  @Override
  public List<Intent> classifyAll(List<String> texts) {
    List<Intent> out = new ArrayList<>(texts.size());
    for (String t : texts) {
      out.add(classify(t));
    }
    return Collections.unmodifiableList(out);
  }

  @Override
  public String toString() {
    return "ExampleIntentClassifier{intents=" + examples.keySet() + ", threshold=" + threshold + "}";
  }

  private Map<String, Double> vector(String text) {
    Terms.Features f = Terms.of(normalizer, text);
    return f.isEmpty() ? Map.of() : combine(f.stems(), f.grams());
  }

  /** Joins the two unit vectors, scaled so that the dot product of two joined vectors blends the two cosines. */
  private Map<String, Double> combine(Map<String, Integer> stemCounts, Map<String, Integer> gramCounts) {
    Map<String, Double> out = new HashMap<>();
    double ws = Math.sqrt(WORD_SHARE);
    double gs = Math.sqrt(1.0 - WORD_SHARE);
    words.unitVector(stemCounts).forEach((k, x) -> out.put(WORD_PREFIX + k, x * ws));
    grams.unitVector(gramCounts).forEach((k, x) -> out.put(GRAM_PREFIX + k, x * gs));
    return out;
  }

  /** An intent's score for {@code q}; {@code skip} is the index of an example to leave out, or -1. */
  private static double score(Map<String, Double> q, List<Map<String, Double>> vectors, Map<String, Double> centroid,
      int skip) {
    double nearest = 0;
    for (int i = 0; i < vectors.size(); i++) {
      if (i != skip) {
        nearest = Math.max(nearest, TfIdf.dot(q, vectors.get(i)));
      }
    }
    return NEAREST_SHARE * nearest + (1.0 - NEAREST_SHARE) * TfIdf.dot(q, centroid);
  }

  private double leaveOneOutThreshold() {
    List<Double> accept = new ArrayList<>();
    List<Double> reject = new ArrayList<>();
    for (IntentModel own : models) {
      boolean real = !own.name.equals(Intent.OUT_OF_SCOPE);
      for (int i = 0; i < own.vectors.size(); i++) {
        Map<String, Double> v = own.vectors.get(i);
        double bestOther = 0;
        double bestOtherReal = 0;
        for (IntentModel other : models) {
          if (other != own) {
            double s = score(v, other.vectors, other.centroid, -1);
            bestOther = Math.max(bestOther, s);
            if (!other.name.equals(Intent.OUT_OF_SCOPE)) {
              bestOtherReal = Math.max(bestOtherReal, s);
            }
          }
        }
        if (models.size() > 1 && (real || bestOtherReal > 0)) {
          reject.add(bestOtherReal);
        }
        if (real && own.vectors.size() > 1) {
          Map<String, Double> centroid = new HashMap<>(own.sum);
          v.forEach((k, x) -> centroid.merge(k, -x, Double::sum));
          TfIdf.scaleToUnit(centroid, 1.0);
          double self = score(v, own.vectors, centroid, i);
          if (self > bestOther) {
            accept.add(self);
          }
        }
      }
    }
    if (accept.isEmpty() || reject.isEmpty()) {
      return FALLBACK_THRESHOLD;
    }
    return Math.min(MAX_THRESHOLD, Math.max(MIN_THRESHOLD, bestCut(accept, reject)));
  }

  /**
   * The cut maximising accepted-above plus rejected-below; among equal cuts the widest gap wins, and the cut sits
   * in its middle.
   */
  static double bestCut(List<Double> accept, List<Double> reject) {
    int n = accept.size() + reject.size();
    double[] values = new double[n];
    boolean[] isAccept = new boolean[n];
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
      boolean a = i < accept.size();
      values[i] = a ? accept.get(i) : reject.get(i - accept.size());
      isAccept[i] = a;
    }
    Arrays.sort(order, (x, y) -> Double.compare(values[x], values[y]));
    // A cut between sorted positions k-1 and k accepts everything from k on.
    int correct = accept.size();
    int bestCorrect = correct;
    double bestGap = 0;
    double bestCut = values[order[0]];
    for (int k = 1; k <= n; k++) {
      int prev = order[k - 1];
      correct += isAccept[prev] ? -1 : 1;
      double low = values[prev];
      double high = k < n ? values[order[k]] : Math.max(1.0, low);
      if (k < n && high == low) {
        continue;
      }
      double gap = high - low;
      if (correct > bestCorrect || (correct == bestCorrect && gap > bestGap)) {
        bestCorrect = correct;
        bestGap = gap;
        bestCut = (low + high) / 2;
      }
    }
    return bestCut;
  }

  private static double clamp(double x) {
    return Double.isNaN(x) ? 0.0 : Math.max(0.0, Math.min(1.0, x));
  }

  /** Examples and settings of an {@link ExampleIntentClassifier}. Not thread-safe. */
  public static final class Builder {
    private final Map<String, List<String>> examples = new LinkedHashMap<>();
    private Double threshold;

    private Builder() {}

    /**
     * Adds example phrases of an intent; calling again with the same intent adds more. Use
     * {@link Intent#OUT_OF_SCOPE} as the intent to add examples of what must be rejected.
     *
     * @throws IllegalArgumentException when the intent is blank, or an example is blank or has no words
     */
    public Builder add(String intent, String... examples) {
      return add(intent, Arrays.asList(Objects.requireNonNull(examples, "examples")));
    }

    /** Like {@link #add(String, String...)}. */
    public Builder add(String intent, Collection<String> examples) {
      if (intent == null || intent.isBlank()) {
        throw new IllegalArgumentException("intent must not be blank, was " + show(intent));
      }
      Objects.requireNonNull(examples, "examples");
      String name = intent.strip();
      List<String> list = this.examples.computeIfAbsent(name, k -> new ArrayList<>());
      for (String e : examples) {
        if (e == null || TextNormalizer.create().tokens(e).isEmpty()) {
          throw new IllegalArgumentException(
              "example " + (list.size() + 1) + " of intent '" + name + "' has no words, was " + show(e));
        }
        list.add(e);
      }
      return this;
    }

    /**
     * Scores below this are out of scope. Without it, {@link #build()} learns one by leave-one-out (see the class
     * documentation).
     *
     * @throws IllegalArgumentException when not in [0, 1]
     */
    public Builder outOfScopeThreshold(double threshold) {
      if (!(threshold >= 0.0 && threshold <= 1.0)) {
        throw new IllegalArgumentException("outOfScopeThreshold must be in [0, 1], was " + threshold);
      }
      this.threshold = threshold;
      return this;
    }

    /** Trains the classifier. With no examples at all it classifies everything as out of scope. */
    public ExampleIntentClassifier build() {
      Map<String, List<String>> copy = new LinkedHashMap<>();
      examples.forEach((k, v) -> {
        if (!v.isEmpty()) {
          copy.put(k, List.copyOf(v));
        }
      });
      return new ExampleIntentClassifier(Collections.unmodifiableMap(copy), threshold);
    }

    private static String show(String s) {
      if (s == null) {
        return "null";
      }
      return s.length() <= 80 ? "\"" + s + "\"" : "\"" + s.substring(0, 80) + "\"…(" + s.length() + " chars)";
    }
  }
}
