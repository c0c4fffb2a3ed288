package dev.tgsupport.knowledge.embed;

import dev.tgsupport.core.InvalidInputException;
import dev.tgsupport.core.port.Embedder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Remembers the vectors of recently embedded texts, so a question asked again (or re-indexed) costs no model call.
 * The key is the exact text; the least recently used entry goes first once {@code maxEntries} are held.
 *
 * <pre>{@code
 * Embedder embedder = CachingEmbedder.of(OpenAiEmbedder.builder()...build());
 * }</pre>
 *
 * <p>{@link #embedAll} asks the delegate once, for the texts not in the cache only (each distinct text once), and
 * returns the vectors in input order. Every returned array is a fresh copy: a caller that normalises or otherwise
 * changes a vector in place cannot corrupt the cache. {@link #modelName()} and {@link #dimension()} are the
 * delegate's. Exceptions of the delegate pass through unchanged and nothing is cached for that call.
 *
 * <p>Thread-safe. The delegate is called outside the cache's lock, so a slow model does not block hits; two threads
 * missing the same text at the same moment may both ask the delegate. About {@code 4 * dimension} bytes per entry:
 * the default 10,000 entries of 384 dimensions hold about 15 MB. It does not own the delegate: close that yourself.
 */
public final class CachingEmbedder implements Embedder {
  /** The default capacity. */
  public static final int DEFAULT_MAX_ENTRIES = 10_000;

  private final Embedder delegate;
  private final int maxEntries;
  private final Map<String, float[]> cache;
  private final AtomicLong hits = new AtomicLong();
  private final AtomicLong misses = new AtomicLong();

  private CachingEmbedder(Embedder delegate, int maxEntries) {
    this.delegate = delegate;
    this.maxEntries = maxEntries;
    this.cache = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, float[]> eldest) {
        return size() > CachingEmbedder.this.maxEntries;
      }
    };
  }

  /** Caches up to {@link #DEFAULT_MAX_ENTRIES} texts in front of {@code delegate}. */
  public static CachingEmbedder of(Embedder delegate) {
    return of(delegate, DEFAULT_MAX_ENTRIES);
  }

  /** Caches up to {@code maxEntries} texts in front of {@code delegate}. */
  public static CachingEmbedder of(Embedder delegate, int maxEntries) {
    InvalidInputException.requireNonNull(delegate, "delegate");
    InvalidInputException.check(maxEntries > 0, "maxEntries", "must be > 0", maxEntries);
    return new CachingEmbedder(delegate, maxEntries);
  }

  @Override
  public int dimension() {
    return delegate.dimension();
  }

  @Override
  public String modelName() {
    return delegate.modelName();
  }

  @Override
  public float[] embed(String text) {
    Texts.checked(text, "text");
    float[] cached = lookup(text);
    if (cached != null) {
      hits.incrementAndGet();
      return cached.clone();
    }
    misses.incrementAndGet();
    float[] vector = delegate.embed(text);
    store(text, vector);
    return vector.clone();
  }

  @Override
  public List<float[]> embedAll(List<String> texts) {
    Texts.checkedAll(texts);
    float[][] out = new float[texts.size()][];
    // Distinct missing texts, in first-seen order, and the positions each fills.
    Map<String, List<Integer>> missing = new LinkedHashMap<>();
    synchronized (cache) {
      for (int i = 0; i < out.length; i++) {
        String text = texts.get(i);
        float[] cached = cache.get(text);
        if (cached != null) {
          out[i] = cached.clone();
        } else {
          missing.computeIfAbsent(text, t -> new ArrayList<>(1)).add(i);
        }
      }
    }
    int missed = missing.values().stream().mapToInt(List::size).sum();
    hits.addAndGet(out.length - missed);
    misses.addAndGet(missed);
    if (!missing.isEmpty()) {
      List<String> asked = List.copyOf(missing.keySet());
      List<float[]> vectors = delegate.embedAll(asked);
      if (vectors == null || vectors.size() != asked.size()) {
        throw new IllegalStateException(delegate + " returned " + (vectors == null ? "null" : vectors.size()
            + " vectors") + " for " + asked.size() + " texts");
      }
      synchronized (cache) {
        for (int j = 0; j < asked.size(); j++) {
          cache.put(asked.get(j), vectors.get(j).clone());
        }
      }
      for (int j = 0; j < asked.size(); j++) {
        for (int i : missing.get(asked.get(j))) {
          out[i] = vectors.get(j).clone();
        }
      }
    }
    return List.of(out);
  }

  /** Texts served from the cache so far. */
  public long hits() {
    return hits.get();
  }

  /** Texts that were not in the cache so far (each asked of the delegate, once per call). */
  public long misses() {
    return misses.get();
  }

  /** Texts held now, at most {@code maxEntries}. */
  public int size() {
    synchronized (cache) {
      return cache.size();
    }
  }

  /** Forgets every text (the counters stay). */
  public void clear() {
    synchronized (cache) {
      cache.clear();
    }
  }

  @Override
  public String toString() {
    return "CachingEmbedder[" + delegate + ", " + size() + "/" + maxEntries + " entries, hits=" + hits()
        + ", misses=" + misses() + "]";
  }

  private float[] lookup(String text) {
    synchronized (cache) {
      return cache.get(text);
    }
  }

  private void store(String text, float[] vector) {
    if (vector == null) {
      throw new IllegalStateException(delegate + " returned null for a text");
    }
    float[] copy = vector.clone();
    synchronized (cache) {
      cache.put(text, copy);
    }
  }
}
