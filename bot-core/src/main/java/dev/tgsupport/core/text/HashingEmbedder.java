package dev.tgsupport.core.text;

import dev.tgsupport.core.port.Embedder;
import java.util.Map;

/**
 * A deterministic, model-free {@link Embedder}: feature hashing of word stems and character 3-grams.
 *
 * <p>Each stem (see {@link TextNormalizer#stems}) and each character 3-gram of the text's words is hashed to one of
 * {@code dimension} buckets and added there with a sign taken from another bit of the hash, so that collisions
 * cancel out on average instead of piling up. Term frequency is sublinear (1 + ln tf). Stems and 3-grams are
 * normalised separately and weighted equally, then the whole vector is scaled to length 1; the cosine of two
 * embeddings therefore approximates the average of their word overlap and their letter overlap. Russian and English
 * are treated alike; text without letters or digits embeds to the zero vector.
 *
 * <p>It knows nothing of meaning: use it to run a vector index without a model server, in tests, or as a baseline.
 * The same text gives the same vector in every process; the features are pinned by a test, and should they ever
 * change, {@link #modelName()} changes with them so that old indexes are not searched with new vectors.
 *
 * <p>Immutable and thread-safe.
 */
public final class HashingEmbedder implements Embedder {
  /** The dimension of {@link #create()}. */
  public static final int DEFAULT_DIMENSION = 256;

  /** The largest dimension accepted. */
  public static final int MAX_DIMENSION = 1 << 20;

  private final int dimension;
  private final TextNormalizer normalizer = TextNormalizer.create();

  private HashingEmbedder(int dimension) {
    this.dimension = dimension;
  }

  /** An embedder with {@value #DEFAULT_DIMENSION} dimensions. */
  public static HashingEmbedder create() {
    return create(DEFAULT_DIMENSION);
  }

  /**
   * An embedder with {@code dimension} dimensions; more dimensions mean fewer collisions.
   *
   * @throws IllegalArgumentException unless {@code 1 <= dimension <= } {@value #MAX_DIMENSION}
   */
  public static HashingEmbedder create(int dimension) {
    if (dimension < 1 || dimension > MAX_DIMENSION) {
      throw new IllegalArgumentException("dimension must be in 1.." + MAX_DIMENSION + ", was " + dimension);
    }
    return new HashingEmbedder(dimension);
  }

  @Override
  public int dimension() {
    return dimension;
  }

  /** {@code "hashing-" + dimension}, e.g. "hashing-256". */
  @Override
  public String modelName() {
    return "hashing-" + dimension;
  }

  /** The unit-length embedding of {@code text}; the zero vector when it has no letters or digits. Never throws. */
  @Override
  public float[] embed(String text) {
    double[] v = new double[dimension];
    Terms.Features f = Terms.of(normalizer, text);
    add(v, f.stems(), 'w');
    add(v, f.grams(), 'c');
    double sum = 0;
    for (double x : v) {
      sum += x * x;
    }
    float[] out = new float[dimension];
    if (sum > 0) {
      double scale = 1.0 / Math.sqrt(sum);
      for (int i = 0; i < dimension; i++) {
        out[i] = (float) (v[i] * scale);
      }
    }
    return out;
  }

  /** Adds one feature family, itself of length 1 before hashing, so both families weigh the same. */
  private void add(double[] v, Map<String, Integer> counts, char family) {
    double sum = 0;
    for (int tf : counts.values()) {
      double w = 1.0 + Math.log(tf);
      sum += w * w;
    }
    if (sum == 0) {
      return;
    }
    double norm = Math.sqrt(sum);
    for (Map.Entry<String, Integer> e : counts.entrySet()) {
      long h = mix(fnv(family, e.getKey()));
      int bucket = (int) Long.remainderUnsigned(h, dimension);
      double sign = (h >>> 63) == 0 ? 1.0 : -1.0;
      v[bucket] += sign * (1.0 + Math.log(e.getValue())) / norm;
    }
  }

  /** 64-bit FNV-1a of the family letter and the feature; fixed forever, as embeddings are stored. */
  private static long fnv(char family, String s) {
    long h = 0xcbf29ce484222325L;
    h = (h ^ family) * 0x100000001b3L;
    for (int i = 0; i < s.length(); i++) {
      h = (h ^ s.charAt(i)) * 0x100000001b3L;
    }
    return h;
  }

  /** A finaliser that spreads FNV's weak low bits over the whole word (the one of SplitMix64). */
  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }

  @Override
  public String toString() {
    return "HashingEmbedder{" + modelName() + "}";
  }
}
