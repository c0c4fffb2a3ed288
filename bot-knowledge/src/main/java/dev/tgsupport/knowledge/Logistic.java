package dev.tgsupport.knowledge;

import java.util.List;

/**
 * L2-regularised logistic regression fitted by Newton's method: no randomness and no learning rate, so the same
 * examples always give the same coefficients.
 */
final class Logistic {
  private static final int MAX_ITERATIONS = 50;
  private static final double TOLERANCE = 1e-9;

  private Logistic() {}

  /** One labelled example: features (the first is the constant 1) and whether it is a positive. */
  record Example(double[] x, boolean positive) {}

  static double sigmoid(double z) {
    return z >= 0 ? 1.0 / (1.0 + Math.exp(-z)) : Math.exp(z) / (1.0 + Math.exp(z));
  }

  static double predict(double[] w, double[] x) {
    double z = 0;
    for (int i = 0; i < w.length; i++) {
      z += w[i] * x[i];
    }
    return sigmoid(z);
  }

  /**
   * Coefficients maximising the log-likelihood minus {@code lambda/2 ×} the squared weights (the intercept, index 0,
   * is not penalised). Examples are not re-weighted, so the result estimates the real share of positives.
   */
  static double[] fit(List<Example> examples, int features, double lambda) {
    long positives = examples.stream().filter(Example::positive).count();
    long negatives = examples.size() - positives;
    if (positives == 0 || negatives == 0) {
      throw new IllegalArgumentException(
          "a calibration needs right and wrong candidates, got " + positives + " right and " + negatives + " wrong");
    }
    double[] w = new double[features];
    for (int iter = 0; iter < MAX_ITERATIONS; iter++) {
      double[] grad = new double[features];
      double[][] hess = new double[features][features];
      for (Example e : examples) {
        double p = predict(w, e.x());
        double r = (e.positive() ? 1.0 : 0.0) - p;
        double s = p * (1 - p);
        for (int i = 0; i < features; i++) {
          grad[i] += r * e.x()[i];
          for (int j = 0; j < features; j++) {
            hess[i][j] += s * e.x()[i] * e.x()[j];
          }
        }
      }
      for (int i = 1; i < features; i++) {
        grad[i] -= lambda * w[i];
        hess[i][i] += lambda;
      }
      hess[0][0] += 1e-9;
      double[] step = solve(hess, grad);
      double size = 0;
      for (int i = 0; i < features; i++) {
        w[i] += step[i];
        size = Math.max(size, Math.abs(step[i]));
      }
      if (size < TOLERANCE) {
        break;
      }
    }
    return w;
  }

  /** Solves {@code a × x = b} by Gaussian elimination with partial pivoting; {@code a} is positive definite here. */
  private static double[] solve(double[][] a, double[] b) {
    int n = b.length;
    double[][] m = new double[n][n + 1];
    for (int i = 0; i < n; i++) {
      System.arraycopy(a[i], 0, m[i], 0, n);
      m[i][n] = b[i];
    }
    for (int col = 0; col < n; col++) {
      int pivot = col;
      for (int r = col + 1; r < n; r++) {
        if (Math.abs(m[r][col]) > Math.abs(m[pivot][col])) {
          pivot = r;
        }
      }
      double[] t = m[col];
      m[col] = m[pivot];
      m[pivot] = t;
      double d = m[col][col];
      if (Math.abs(d) < 1e-12) {
        continue;
      }
      for (int r = 0; r < n; r++) {
        if (r != col) {
          double f = m[r][col] / d;
          for (int c = col; c <= n; c++) {
            m[r][c] -= f * m[col][c];
          }
        }
      }
    }
    double[] x = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = Math.abs(m[i][i]) < 1e-12 ? 0 : m[i][n] / m[i][i];
    }
    return x;
  }
}
