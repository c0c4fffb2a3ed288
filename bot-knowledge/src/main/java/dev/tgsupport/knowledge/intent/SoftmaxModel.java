package dev.tgsupport.knowledge.intent;

import dev.tgsupport.knowledge.intent.LexicalFeatures.Sparse;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Multinomial logistic regression over a dense block (the sentence embedding) followed by a sparse block (the hashed
 * lexical features). Weights are stored feature-major ({@code weights[f * classes + k]}) so a sparse feature's row
 * is contiguous. Immutable after {@link #fit}; {@link #logits} is thread-safe.
 */
final class SoftmaxModel {
  private final int classes;
  private final int dense;
  private final int buckets;
  private final float[] weights;
  private final float[] bias;

  SoftmaxModel(int classes, int dense, int buckets, float[] weights, float[] bias) {
    if (weights.length != (long) (dense + buckets) * classes || bias.length != classes) {
      throw new IllegalArgumentException("weights do not match " + classes + " classes × " + (dense + buckets)
          + " features");
    }
    this.classes = classes;
    this.dense = dense;
    this.buckets = buckets;
    this.weights = weights;
    this.bias = bias;
  }

  int classes() {
    return classes;
  }

  int dense() {
    return dense;
  }

  int buckets() {
    return buckets;
  }

  float[] weights() {
    return weights;
  }

  float[] bias() {
    return bias;
  }

  /** One example's features: the dense block and the sparse block, both already weighted. */
  record Features(float[] dense, Sparse lexical) {}

  /** The training settings; see {@link IntentTrainer.Builder} for their meaning. */
  record Settings(int epochs, double learningRate, double l2, long seed) {}

  double[] logits(Features x) {
    float[] z = new float[classes];
    scores(weights, bias, 1f, dense, classes, x, z);
    double[] out = new double[classes];
    for (int k = 0; k < classes; k++) {
      out[k] = z[k];
    }
    return out;
  }

  /** Softmax of {@code z / temperature}, in place, numerically stable. */
  static double[] softmax(double[] z, double temperature) {
    double max = Double.NEGATIVE_INFINITY;
    for (double v : z) {
      max = Math.max(max, v);
    }
    double sum = 0;
    for (int k = 0; k < z.length; k++) {
      z[k] = Math.exp((z[k] - max) / temperature);
      sum += z[k];
    }
    for (int k = 0; k < z.length; k++) {
      z[k] /= sum;
    }
    return z;
  }

  /**
   * Minimises the mean cross-entropy plus {@code l2/2 ‖W‖²} by plain stochastic gradient descent, one example at a
   * time, with a step size falling linearly to zero over the run. Per-example steps cost no more than the gradient
   * itself, so a sparse example touches only its own rows; the L2 shrink of every weight is one scale factor shared
   * by the whole matrix (Bottou's trick) instead of a pass over it. Examples are shuffled with {@code seed} each
   * epoch and the loop is single-threaded, so the same data and settings give the same weights, bit for bit.
   */
  static SoftmaxModel fit(List<Features> xs, int[] labels, int classes, int dense, int buckets, Settings s) {
    int rows = dense + buckets;
    float[] v = new float[rows * classes];
    float[] b = new float[classes];
    int[] order = new int[xs.size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Random random = new Random(s.seed());
    double scale = 1;
    long steps = (long) s.epochs() * order.length;
    long t = 0;
    float[] z = new float[classes];
    for (int epoch = 0; epoch < s.epochs(); epoch++) {
      shuffle(order, random);
      for (int i : order) {
        double lr = s.learningRate() * (1 - (double) t / steps);
        t++;
        Features x = xs.get(i);
        scores(v, b, (float) scale, dense, classes, x, z);
        softmaxInPlace(z);
        z[labels[i]] -= 1;
        // w = scale * v: shrink by scale, then step v by the gradient divided by the new scale.
        scale *= 1 - lr * s.l2();
        if (scale < 1e-6) {
          for (int j = 0; j < v.length; j++) {
            v[j] *= (float) scale;
          }
          scale = 1;
        }
        float step = (float) (lr / scale);
        for (int k = 0; k < classes; k++) {
          b[k] -= (float) lr * z[k];
        }
        float[] d = x.dense();
        for (int f = 0; f < dense; f++) {
          axpy(v, f * classes, -step * d[f], z, classes);
        }
        int[] idx = x.lexical().indices();
        float[] val = x.lexical().values();
        for (int j = 0; j < idx.length; j++) {
          axpy(v, (dense + idx[j]) * classes, -step * val[j], z, classes);
        }
      }
    }
    for (int j = 0; j < v.length; j++) {
      v[j] *= (float) scale;
    }
    return new SoftmaxModel(classes, dense, buckets, v, b);
  }

  /** {@code z = b + scale * (x · v)}, in float so the inner loops vectorise. */
  private static void scores(float[] v, float[] b, float scale, int dense, int classes, Features x, float[] z) {
    Arrays.fill(z, 0);
    float[] d = x.dense();
    for (int f = 0; f < dense; f++) {
      axpy(z, 0, d[f], v, f * classes, classes);
    }
    int[] idx = x.lexical().indices();
    float[] val = x.lexical().values();
    for (int j = 0; j < idx.length; j++) {
      axpy(z, 0, val[j], v, (dense + idx[j]) * classes, classes);
    }
    for (int k = 0; k < classes; k++) {
      z[k] = z[k] * scale + b[k];
    }
  }

  /** {@code y[at..at+n) += a * x[0..n)}. */
  private static void axpy(float[] y, int at, float a, float[] x, int n) {
    if (a != 0) {
      for (int k = 0; k < n; k++) {
        y[at + k] += a * x[k];
      }
    }
  }

  /** {@code y[at..at+n) += a * x[from..from+n)}. */
  private static void axpy(float[] y, int at, float a, float[] x, int from, int n) {
    if (a != 0) {
      for (int k = 0; k < n; k++) {
        y[at + k] += a * x[from + k];
      }
    }
  }

  private static void softmaxInPlace(float[] z) {
    float max = Float.NEGATIVE_INFINITY;
    for (float x : z) {
      max = Math.max(max, x);
    }
    float sum = 0;
    for (int k = 0; k < z.length; k++) {
      z[k] = (float) Math.exp(z[k] - max);
      sum += z[k];
    }
    for (int k = 0; k < z.length; k++) {
      z[k] /= sum;
    }
  }

  private static void shuffle(int[] a, Random random) {
    for (int i = a.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }
}
