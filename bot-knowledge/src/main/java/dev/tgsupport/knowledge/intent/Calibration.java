package dev.tgsupport.knowledge.intent;

import java.util.Arrays;
import java.util.List;

/**
 * How raw scores become a decision, learnt from held-out examples: a softmax temperature and the out-of-scope
 * threshold on the calibrated probability of the best in-scope intent.
 *
 * @param temperature divides the logits before the softmax; fitted by minimising the held-out cross-entropy, so a
 *     probability of 0.8 is right about 80% of the time on data like the held-out set
 * @param threshold a text whose best in-scope intent has a calibrated probability below this is out of scope
 */
record Calibration(double temperature, double threshold) {
  static final double MIN_TEMPERATURE = 0.05;
  static final double MAX_TEMPERATURE = 20;
  /** The threshold may cost at most this much held-out in-scope accuracy. */
  static final double ACCURACY_BUDGET = 0.01;

  /**
   * One held-out example.
   *
   * @param logits the model's raw scores
   * @param label the index of its true class, or -1 when it is out of scope and the model has no out-of-scope class
   * @param outOfScope whether it is out of scope
   */
  record Scored(double[] logits, int label, boolean outOfScope) {}

  /** Fits the temperature, then the threshold; see {@link IntentTrainer} for the rule that picks the threshold. */
  static Calibration fit(List<Scored> held, int oosClass) {
    double temperature = temperature(held);
    return new Calibration(temperature, threshold(held, oosClass, temperature));
  }

  /** Golden-section search of the mean negative log-likelihood over log(temperature). */
  static double temperature(List<Scored> held) {
    double lo = Math.log(MIN_TEMPERATURE);
    double hi = Math.log(MAX_TEMPERATURE);
    if (held.stream().noneMatch(s -> s.label() >= 0)) {
      return 1.0;
    }
    double g = (Math.sqrt(5) - 1) / 2;
    double a = hi - g * (hi - lo);
    double b = lo + g * (hi - lo);
    double fa = nll(held, Math.exp(a));
    double fb = nll(held, Math.exp(b));
    for (int i = 0; i < 60; i++) {
      if (fa <= fb) {
        hi = b;
        b = a;
        fb = fa;
        a = hi - g * (hi - lo);
        fa = nll(held, Math.exp(a));
      } else {
        lo = a;
        a = b;
        fa = fb;
        b = lo + g * (hi - lo);
        fb = nll(held, Math.exp(b));
      }
    }
    return Math.exp((lo + hi) / 2);
  }

  private static double nll(List<Scored> held, double temperature) {
    double sum = 0;
    int n = 0;
    for (Scored s : held) {
      if (s.label() >= 0) {
        double[] p = SoftmaxModel.softmax(s.logits().clone(), temperature);
        sum -= Math.log(Math.max(p[s.label()], 1e-12));
        n++;
      }
    }
    return sum / n;
  }

  /** A decision on one held-out example before any threshold. */
  private record Judged(double score, boolean inScopeRight, boolean outOfScope, boolean rejectedAnyway) {}

  static double threshold(List<Scored> held, int oosClass, double temperature) {
    Judged[] judged = new Judged[held.size()];
    int inScope = 0;
    int oos = 0;
    for (int i = 0; i < judged.length; i++) {
      Scored s = held.get(i);
      double[] p = SoftmaxModel.softmax(s.logits().clone(), temperature);
      int best = bestInScope(p, oosClass);
      boolean oosWins = oosClass >= 0 && p[oosClass] > p[best];
      judged[i] = new Judged(p[best], !s.outOfScope() && !oosWins && best == s.label(), s.outOfScope(), oosWins);
      if (s.outOfScope()) {
        oos++;
      } else {
        inScope++;
      }
    }
    if (inScope == 0) {
      return 0;
    }
    Arrays.sort(judged, (x, y) -> Double.compare(x.score(), y.score()));
    // Candidate k rejects judged[0..k): the threshold lies between judged[k-1] and judged[k].
    int[] rightAt = new int[judged.length + 1];
    int[] caughtAt = new int[judged.length + 1];
    int right = 0;
    int caught = 0;
    for (Judged j : judged) {
      right += j.inScopeRight() ? 1 : 0;
      caught += j.outOfScope() && j.rejectedAnyway() ? 1 : 0;
    }
    rightAt[0] = right;
    caughtAt[0] = caught;
    for (int k = 1; k <= judged.length; k++) {
      Judged j = judged[k - 1];
      rightAt[k] = rightAt[k - 1] - (j.inScopeRight() ? 1 : 0);
      caughtAt[k] = caughtAt[k - 1] + (j.outOfScope() && !j.rejectedAnyway() ? 1 : 0);
    }
    double[] objective = new double[judged.length + 1];
    for (int k = 0; k <= judged.length; k++) {
      boolean within = rightAt[k] / (double) inScope >= rightAt[0] / (double) inScope - ACCURACY_BUDGET - 1e-12;
      if (!within) {
        objective[k] = -1;
      } else if (oos > 0) {
        objective[k] = rightAt[k] / (double) inScope + caughtAt[k] / (double) oos;
      } else {
        // Nothing tells what to reject: the strictest cut within the budget.
        objective[k] = k;
      }
    }
    int best = 0;
    for (int k = 1; k <= judged.length; k++) {
      if (objective[k] > objective[best] + 1e-12) {
        best = k;
      }
    }
    // The plateau of equally good cuts that starts at best: take its middle, so both sides keep a margin.
    int last = best;
    while (last + 1 <= judged.length && Math.abs(objective[last + 1] - objective[best]) <= 1e-12) {
      last++;
    }
    double low = best == 0 ? 0 : judged[best - 1].score();
    double high = last == judged.length ? 1.0 : judged[last].score();
    if (best == 0 && last == 0) {
      return 0;
    }
    return (low + high) / 2;
  }

  static int bestInScope(double[] p, int oosClass) {
    int best = oosClass == 0 ? 1 : 0;
    for (int k = 0; k < p.length; k++) {
      if (k != oosClass && p[k] > p[best]) {
        best = k;
      }
    }
    return best;
  }
}
