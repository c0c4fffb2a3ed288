package dev.tgsupport.core.knowledge;

import static dev.tgsupport.core.InvalidInputException.check;

import dev.tgsupport.core.InvalidInputException;

/**
 * Checks shared by every {@link dev.tgsupport.core.port.KnowledgeIndex}, so each refuses a bad vector with the same
 * error whatever stores it.
 */
public final class Vectors {
  private Vectors() {}

  /**
   * Checks {@code v} has length {@code expected}, only finite components and is not all zeros; returns its Euclidean
   * norm.
   *
   * @param field the name in the error: {@code vector} for stored vectors, {@code query} for queries
   * @throws InvalidInputException naming {@code field} (or {@code field[i]} for a non-finite component)
   */
  public static double checkedNorm(float[] v, String field, int expected) {
    if (v == null) {
      throw new InvalidInputException(field, "must not be null");
    }
    if (v.length == 0) {
      throw new InvalidInputException(field, "must not be empty");
    }
    if (v.length != expected) {
      throw new InvalidInputException(
          field, "must have length " + expected + " (the index dimension), was " + v.length);
    }
    double norm = 0;
    for (int i = 0; i < v.length; i++) {
      check(Float.isFinite(v[i]), field + "[" + i + "]", "must be finite", v[i]);
      norm += (double) v[i] * v[i];
    }
    if (norm == 0) {
      throw new InvalidInputException(field, "must not be all zeros (its cosine similarity is undefined)");
    }
    return Math.sqrt(norm);
  }

  /** A copy of {@code v} scaled to length 1, after {@link #checkedNorm}. */
  public static float[] unit(float[] v, String field, int expected) {
    double norm = checkedNorm(v, field, expected);
    float[] out = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = (float) (v[i] / norm);
    }
    return out;
  }

  /** Cosine similarity of two vectors of equal length, clamped to [-1, 1]; 0 when either is all zeros. */
  public static double cosine(float[] a, float[] b) {
    if (a.length != b.length) {
      throw new InvalidInputException("vector", "must have length " + a.length + ", was " + b.length);
    }
    double dot = 0;
    double na = 0;
    double nb = 0;
    for (int i = 0; i < a.length; i++) {
      dot += (double) a[i] * b[i];
      na += (double) a[i] * a[i];
      nb += (double) b[i] * b[i];
    }
    if (na == 0 || nb == 0) {
      return 0;
    }
    return Math.max(-1.0, Math.min(1.0, dot / Math.sqrt(na * nb)));
  }
}
