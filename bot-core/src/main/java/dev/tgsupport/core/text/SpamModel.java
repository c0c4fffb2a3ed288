package dev.tgsupport.core.text;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The learnt half of the spam detector: logistic regression over hashed word, word-pair and character n-gram
 * features plus the hand-written signals, and TF-IDF cosine similarity to the known spam. Immutable once built.
 */
final class SpamModel {
  private static final int BITS = 18;
  private static final int DIM = 1 << BITS;
  private static final int EPOCHS = 30;
  private static final double L2 = 1e-5;
  private static final double RATE = 0.5;

  private final float[] weights;
  private final double bias;
  private final boolean trained;
  /** Term → idf; and term → (spam sample, weight) postings of the unit-length spam vectors. */
  private final Map<String, Double> idf;
  private final double unseenIdf;
  private final Map<String, int[]> postingSamples;
  private final Map<String, float[]> postingWeights;

  private SpamModel(float[] weights, double bias, boolean trained, Map<String, Double> idf, double unseenIdf,
      Map<String, int[]> postingSamples, Map<String, float[]> postingWeights) {
    this.weights = weights;
    this.bias = bias;
    this.trained = trained;
    this.idf = idf;
    this.unseenIdf = unseenIdf;
    this.postingSamples = postingSamples;
    this.postingWeights = postingWeights;
  }

  static SpamModel train(List<SpamText> spam, List<SpamText> ham) {
    List<Map<String, Integer>> spamTerms = new ArrayList<>(spam.size());
    Map<String, Integer> df = new HashMap<>();
    for (SpamText t : spam) {
      Map<String, Integer> terms = terms(t);
      spamTerms.add(terms);
      terms.keySet().forEach(k -> df.merge(k, 1, Integer::sum));
    }
    for (SpamText t : ham) {
      terms(t).keySet().forEach(k -> df.merge(k, 1, Integer::sum));
    }
    int docs = spam.size() + ham.size();
    Map<String, Double> idf = new HashMap<>(df.size() * 2);
    df.forEach((k, v) -> idf.put(k, TfIdf.idf(docs, v)));
    double unseen = TfIdf.idf(docs, 0);

    Map<String, List<float[]>> postings = new HashMap<>();
    for (int i = 0; i < spamTerms.size(); i++) {
      Map<String, Double> v = vector(spamTerms.get(i), idf, unseen);
      int sample = i;
      v.forEach((k, w) ->
          postings.computeIfAbsent(k, x -> new ArrayList<>()).add(new float[] {sample, w.floatValue()}));
    }
    Map<String, int[]> samples = new HashMap<>(postings.size() * 2);
    Map<String, float[]> ws = new HashMap<>(postings.size() * 2);
    postings.forEach((k, list) -> {
      int[] s = new int[list.size()];
      float[] w = new float[list.size()];
      for (int j = 0; j < s.length; j++) {
        s[j] = (int) list.get(j)[0];
        w[j] = list.get(j)[1];
      }
      samples.put(k, s);
      ws.put(k, w);
    });

    float[] weights = new float[DIM];
    double[] bias = {0};
    boolean trained = !spam.isEmpty() && !ham.isEmpty();
    if (trained) {
      fit(spam, ham, weights, bias);
    }
    return new SpamModel(weights, bias[0], trained, idf, unseen, samples, ws);
  }

  boolean trained() {
    return trained;
  }

  /** The probability that this text is spam, by the classifier; 0 when it was not trained. */
  double probability(SpamText text, List<String> signals) {
    if (!trained) {
      return 0;
    }
    int[] f = features(text, signals);
    return sigmoid(margin(f));
  }

  /** The highest cosine similarity to a known spam sample, 0 to 1. */
  double similarity(SpamText text) {
    if (postingSamples.isEmpty()) {
      return 0;
    }
    Map<String, Double> v = vector(terms(text), idf, unseenIdf);
    if (v.isEmpty()) {
      return 0;
    }
    Map<Integer, Double> dots = new HashMap<>();
    v.forEach((k, w) -> {
      int[] s = postingSamples.get(k);
      if (s != null) {
        float[] ws = postingWeights.get(k);
        for (int j = 0; j < s.length; j++) {
          dots.merge(s[j], w * ws[j], Double::sum);
        }
      }
    });
    double best = 0;
    for (double d : dots.values()) {
      best = Math.max(best, d);
    }
    return Math.min(1, best);
  }

  /** Class-balanced logistic regression by SGD, in a fixed order so the same samples give the same model. */
  private static void fit(List<SpamText> spam, List<SpamText> ham, float[] w, double[] bias) {
    int n = spam.size() + ham.size();
    int[][] x = new int[n][];
    int[] y = new int[n];
    double[] weight = new double[n];
    double spamWeight = n / (2.0 * spam.size());
    double hamWeight = n / (2.0 * ham.size());
    int i = 0;
    for (SpamText t : spam) {
      x[i] = features(t, SpamSignals.fired(t));
      y[i] = 1;
      weight[i++] = spamWeight;
    }
    for (SpamText t : ham) {
      x[i] = features(t, SpamSignals.fired(t));
      y[i] = 0;
      weight[i++] = hamWeight;
    }
    int[] order = new int[n];
    Arrays.setAll(order, k -> k);
    Random random = new Random(42);
    long step = 0;
    for (int epoch = 0; epoch < EPOCHS; epoch++) {
      for (int k = n - 1; k > 0; k--) {
        int j = random.nextInt(k + 1);
        int tmp = order[k];
        order[k] = order[j];
        order[j] = tmp;
      }
      for (int k : order) {
        double rate = RATE / Math.sqrt(1 + step++ / (double) n);
        int[] f = x[k];
        double p = sigmoid(margin(w, bias[0], f));
        double g = (p - y[k]) * weight[k];
        double scale = 1 / Math.sqrt(f.length);
        for (int h : f) {
          w[h] -= (float) (rate * (g * scale + L2 * w[h]));
        }
        bias[0] -= rate * g * 0.1;
      }
    }
  }

  private double margin(int[] f) {
    return margin(weights, bias, f);
  }

  private static double margin(float[] w, double bias, int[] f) {
    double s = 0;
    for (int h : f) {
      s += w[h];
    }
    return bias + s / Math.sqrt(Math.max(1, f.length));
  }

  private static double sigmoid(double z) {
    return 1 / (1 + Math.exp(-z));
  }

  /**
   * Distinct hashed features: words, word pairs, character 3- and 4-grams inside words, the signals, and coarse
   * buckets of length, emoji and capitals (spam is long, bright and loud; chat is short).
   */
  static int[] features(SpamText text, List<String> signals) {
    List<String> tokens = text.tokens();
    int[] out = new int[tokens.size() * 12 + signals.size() + 16];
    int n = 0;
    String previous = "^";
    StringBuilder padded = new StringBuilder();
    for (String t : tokens) {
      if (n + 80 > out.length) {
        out = Arrays.copyOf(out, out.length * 2 + 80);
      }
      out[n++] = hash("w", t);
      out[n++] = hash(previous, t);
      previous = t;
      padded.setLength(0);
      padded.append('_').append(t).append('_');
      for (int g = 3; g <= 4; g++) {
        for (int i = 0; i + g <= padded.length() && i < 30; i++) {
          out[n++] = hash("c", padded.substring(i, i + g));
        }
      }
    }
    for (String s : signals) {
      out[n++] = hash("s", s);
    }
    out[n++] = hash("len", Integer.toString(bucket(text.flat().length(), 25, 50, 100, 200, 400)));
    out[n++] = hash("words", Integer.toString(bucket(tokens.size(), 3, 8, 15, 30, 60)));
    out[n++] = hash("emoji", Integer.toString(bucket(text.emoji(), 1, 2, 4, 8)));
    int capsPercent = text.letters() < 20 ? -1 : 100 * text.upper() / text.letters();
    out[n++] = hash("caps", Integer.toString(capsPercent < 0 ? -1 : bucket(capsPercent, 10, 25, 50)));
    out[n++] = hash("bias", "");
    int[] f = Arrays.stream(out, 0, n).distinct().toArray();
    return f;
  }

  private static int bucket(int value, int... bounds) {
    int b = 0;
    while (b < bounds.length && value >= bounds[b]) {
      b++;
    }
    return b;
  }

  private static int hash(String kind, String term) {
    int h = 0x811c9dc5;
    for (int i = 0; i < kind.length(); i++) {
      h = (h ^ kind.charAt(i)) * 0x01000193;
    }
    h = (h ^ 0x1f) * 0x01000193;
    for (int i = 0; i < term.length(); i++) {
      h = (h ^ term.charAt(i)) * 0x01000193;
    }
    h ^= h >>> 15;
    return h & (DIM - 1);
  }

  /** Word stems and stems of neighbouring words: inflection does not hide a spam phrase. */
  private static Map<String, Integer> terms(SpamText text) {
    Map<String, Integer> terms = new HashMap<>();
    TextNormalizer n = TextNormalizer.create();
    String previous = null;
    for (String t : text.tokens()) {
      String stem = n.stem(t);
      terms.merge(stem, 1, Integer::sum);
      if (previous != null) {
        terms.merge(previous + ' ' + stem, 1, Integer::sum);
      }
      previous = stem;
    }
    return terms;
  }

  private static Map<String, Double> vector(Map<String, Integer> terms, Map<String, Double> idf, double unseen) {
    Map<String, Double> v = new HashMap<>(terms.size() * 2);
    double norm = 0;
    for (Map.Entry<String, Integer> e : terms.entrySet()) {
      double w = (1 + Math.log(e.getValue())) * idf.getOrDefault(e.getKey(), unseen);
      v.put(e.getKey(), w);
      norm += w * w;
    }
    if (norm == 0) {
      return Map.of();
    }
    double inv = 1 / Math.sqrt(norm);
    v.replaceAll((k, w) -> w * inv);
    return v;
  }
}
