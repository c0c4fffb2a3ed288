package dev.tgsupport.knowledge.intent;

import java.text.Normalizer;
import java.util.Arrays;
import java.util.Locale;

/**
 * Hashed lexical features of a text: character n-grams inside word boundaries, plus whole words and word pairs.
 * They need no language model, so they carry Russian (or any language) as well as English: inflected forms share
 * most of their n-grams. Counts are damped ({@code 1 + ln tf}) and the vector is scaled to unit length.
 *
 * <p>Each kind of feature hashes with its own seed into the same {@code buckets} slots (a power of two); collisions
 * are rare enough at 2^16 and cheaper than a vocabulary that has to be stored and versioned. Immutable, thread-safe.
 */
final class LexicalFeatures {
  private static final int WORD_SEED = 0x5bd1e995;
  private static final int PAIR_SEED = 0x1b873593;

  private final int buckets;
  private final int minN;
  private final int maxN;

  LexicalFeatures(int buckets, int minN, int maxN) {
    if (Integer.bitCount(buckets) != 1) {
      throw new IllegalArgumentException("buckets must be a power of two, was " + buckets);
    }
    this.buckets = buckets;
    this.minN = minN;
    this.maxN = maxN;
  }

  int buckets() {
    return buckets;
  }

  int minN() {
    return minN;
  }

  int maxN() {
    return maxN;
  }

  /** The sparse unit vector of {@code text}; empty when it has no letters or digits. */
  Sparse of(String text) {
    String[] words = words(text);
    int[] counts = new int[64];
    int[] keys = new int[64];
    int size = 0;
    int[] hashes = new int[256];
    int n = 0;
    for (int w = 0; w < words.length; w++) {
      String word = words[w];
      hashes = grow(hashes, n + 2 + word.length() * (maxN - minN + 1));
      hashes[n++] = hash(word, 0, word.length(), WORD_SEED);
      if (w > 0) {
        hashes[n++] = hash(words[w - 1] + ' ' + word, 0, words[w - 1].length() + 1 + word.length(), PAIR_SEED);
      }
      String padded = ' ' + word + ' ';
      for (int len = minN; len <= maxN; len++) {
        for (int start = 0; start + len <= padded.length(); start++) {
          hashes[n++] = hash(padded, start, start + len, len);
        }
      }
    }
    Arrays.sort(hashes, 0, n);
    // Runs of equal hashes are one feature's term frequency.
    for (int i = 0; i < n; ) {
      int j = i;
      while (j < n && hashes[j] == hashes[i]) {
        j++;
      }
      if (size == keys.length) {
        keys = Arrays.copyOf(keys, size * 2);
        counts = Arrays.copyOf(counts, size * 2);
      }
      keys[size] = hashes[i] & (buckets - 1);
      counts[size] = j - i;
      size++;
      i = j;
    }
    return Sparse.of(keys, counts, size);
  }

  /** Lower-cased words of letters and digits; "ё" folds into "е" as Russian writers often do. */
  static String[] words(String text) {
    String s = Normalizer.normalize(text, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT).replace('ё', 'е');
    return Arrays.stream(s.split("[^\\p{L}\\p{N}]+")).filter(w -> !w.isEmpty()).toArray(String[]::new);
  }

  private static int[] grow(int[] a, int needed) {
    return needed <= a.length ? a : Arrays.copyOf(a, Math.max(needed, a.length * 2));
  }

  /** FNV-1a over the UTF-16 units, finished with a murmur mix so nearby n-grams spread over the buckets. */
  private static int hash(String s, int from, int to, int seed) {
    int h = 0x811c9dc5 ^ seed;
    for (int i = from; i < to; i++) {
      h ^= s.charAt(i);
      h *= 0x01000193;
    }
    h ^= h >>> 16;
    h *= 0x85ebca6b;
    h ^= h >>> 13;
    h *= 0xc2b2ae35;
    h ^= h >>> 16;
    return h;
  }

  /** A sparse vector: ascending distinct indices with their values. */
  record Sparse(int[] indices, float[] values) {
    static Sparse of(int[] keys, int[] counts, int size) {
      // Distinct hashes can land in the same bucket: merge them before weighting.
      long[] packed = new long[size];
      for (int i = 0; i < size; i++) {
        packed[i] = ((long) keys[i] << 32) | counts[i];
      }
      Arrays.sort(packed);
      int[] idx = new int[size];
      float[] val = new float[size];
      int m = 0;
      for (int i = 0; i < size; ) {
        int key = (int) (packed[i] >>> 32);
        int tf = 0;
        while (i < size && (int) (packed[i] >>> 32) == key) {
          tf += (int) packed[i];
          i++;
        }
        idx[m] = key;
        val[m] = (float) (1 + Math.log(tf));
        m++;
      }
      double norm = 0;
      for (int i = 0; i < m; i++) {
        norm += val[i] * val[i];
      }
      float scale = norm == 0 ? 0 : (float) (1 / Math.sqrt(norm));
      for (int i = 0; i < m; i++) {
        val[i] *= scale;
      }
      return new Sparse(Arrays.copyOf(idx, m), Arrays.copyOf(val, m));
    }

    boolean isEmpty() {
      return indices.length == 0;
    }
  }
}
