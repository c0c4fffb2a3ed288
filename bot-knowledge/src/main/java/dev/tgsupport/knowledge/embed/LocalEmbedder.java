package dev.tgsupport.knowledge.embed;

import static dev.tgsupport.core.InvalidInputException.requireNonNull;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import dev.tgsupport.core.InvalidInputException;
import dev.tgsupport.core.port.Embedder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The bundled sentence-embedding model: the quantized all-MiniLM-L6-v2 (384 dimensions) running in-process through
 * ONNX Runtime, with no network. It understands <b>English only</b>: a Russian paraphrase scores about as close as an
 * unrelated sentence, so pair it with lexical retrieval (or use an {@link OpenAiEmbedder} with a multilingual model)
 * for other languages.
 *
 * <p>Vectors are unit length. {@link #embedAll} spreads a batch over a pool of {@code threads} workers. Thread-safe.
 * Loading takes about a second; create one per process and {@link #close()} it on shutdown.
 *
 * <p>Native libraries unpack to {@code java.io.tmpdir} (ONNX Runtime), {@code DJL_CACHE_DIR} (the tokenizer,
 * default {@code ~/.djl.ai}) and {@code jna.tmpdir}; set those to keep them out of the user's home.
 */
public final class LocalEmbedder implements Embedder, AutoCloseable {
  /** The name stored with every vector; an index built with another model is not searched with this one. */
  public static final String MODEL_NAME = "all-minilm-l6-v2-q";

  public static final int DIMENSION = 384;

  private final AllMiniLmL6V2QuantizedEmbeddingModel model;
  private final ExecutorService pool;

  private LocalEmbedder(int threads) {
    this.pool = Executors.newFixedThreadPool(threads, daemonThreads());
    this.model = new AllMiniLmL6V2QuantizedEmbeddingModel(pool);
  }

  /** Loads the model with one batch worker per available processor. */
  public static LocalEmbedder create() {
    return create(Runtime.getRuntime().availableProcessors());
  }

  /** Loads the model with {@code threads} batch workers. */
  public static LocalEmbedder create(int threads) {
    InvalidInputException.check(threads > 0, "threads", "must be > 0", threads);
    return new LocalEmbedder(threads);
  }

  @Override
  public int dimension() {
    return DIMENSION;
  }

  @Override
  public String modelName() {
    return MODEL_NAME;
  }

  @Override
  public float[] embed(String text) {
    return model.embed(segment(text, "text")).content().vector();
  }

  @Override
  public List<float[]> embedAll(List<String> texts) {
    requireNonNull(texts, "texts");
    if (texts.isEmpty()) {
      return List.of();
    }
    List<TextSegment> segments = new ArrayList<>(texts.size());
    for (int i = 0; i < texts.size(); i++) {
      segments.add(segment(texts.get(i), "texts[" + i + "]"));
    }
    List<Embedding> embeddings = model.embedAll(segments).content();
    List<float[]> out = new ArrayList<>(embeddings.size());
    for (Embedding e : embeddings) {
      out.add(e.vector());
    }
    return out;
  }

  private static TextSegment segment(String text, String field) {
    requireNonNull(text, field);
    if (text.isBlank()) {
      throw new InvalidInputException(field, "must not be blank");
    }
    return TextSegment.from(text);
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }

  @Override
  public String toString() {
    return "LocalEmbedder[" + MODEL_NAME + ", " + DIMENSION + " dims]";
  }

  private static ThreadFactory daemonThreads() {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, "tgsupport-embed-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
