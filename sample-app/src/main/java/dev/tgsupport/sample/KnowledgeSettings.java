package dev.tgsupport.sample;

import dev.tgsupport.core.BotException;
import dev.tgsupport.core.port.Embedder;
import dev.tgsupport.core.port.KnowledgeIndex;
import dev.tgsupport.knowledge.Calibration;
import dev.tgsupport.knowledge.embed.CachingEmbedder;
import dev.tgsupport.knowledge.embed.LocalEmbedder;
import dev.tgsupport.knowledge.embed.OpenAiEmbedder;
import dev.tgsupport.knowledge.hnsw.HnswKnowledgeIndex;
import dev.tgsupport.knowledge.qdrant.QdrantKnowledgeIndex;
import dev.tgsupport.metrics.Health;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The vector side of {@code run}'s knowledge lookup: which embedder ({@code TGSUPPORT_EMBEDDING_*}: an
 * OpenAI-compatible endpoint, else the bundled English-only model) and which vector index ({@code QDRANT_URL}, else
 * an in-process HNSW index rebuilt from storage at start). Every message names the variable; none holds a key.
 */
final class KnowledgeSettings {
  static final String QDRANT_URL = "QDRANT_URL";
  static final String QDRANT_API_KEY = "QDRANT_API_KEY";
  static final String EMBEDDING_URL = "TGSUPPORT_EMBEDDING_URL";
  static final String EMBEDDING_MODEL = "TGSUPPORT_EMBEDDING_MODEL";
  static final String EMBEDDING_API_KEY = "TGSUPPORT_EMBEDDING_API_KEY";
  /** The lexical side of the hybrid lookup: bm25 (default), tfidf, or postgres (PostgreSQL storage only). */
  static final String LEXICAL = "TGSUPPORT_LEXICAL";
  static final List<String> KEYS = List.of(QDRANT_URL, QDRANT_API_KEY, EMBEDDING_URL, EMBEDDING_MODEL,
      EMBEDDING_API_KEY, LEXICAL);
  static final List<String> LEXICAL_SIDES = List.of(Calibration.BM25, Calibration.TFIDF, Calibration.POSTGRES);

  /**
   * What was configured; null parts are not set.
   *
   * @param qdrantUrl the gRPC URL of Qdrant (port 6334)
   */
  record Knowledge(BotSettings.Value qdrantUrl, String qdrantApiKey, BotSettings.Value embeddingUrl,
      String embeddingModel, String embeddingApiKey, BotSettings.Value lexical) {

    /** Starts the embedder and the index and checks both, saying what was chosen on {@code say}. */
    Vectors open(java.util.function.Consumer<String> say) {
      List<AutoCloseable> opened = new ArrayList<>();
      try {
        Embedder embedder = embedder(opened, say);
        KnowledgeIndex index = index(embedder, opened, say);
        return new Vectors(CachingEmbedder.of(embedder), index, opened, index instanceof QdrantKnowledgeIndex q
            ? () -> qdrantHealth(q) : null);
      } catch (RuntimeException e) {
        closeAll(opened);
        throw e;
      }
    }

    private Embedder embedder(List<AutoCloseable> opened, java.util.function.Consumer<String> say) {
      if (embeddingUrl == null) {
        // One core per text: the bot's workers embed at the same time, and a session using every core for each text
        // made them fight over the cores (bench pipeline: 95 msgs/s, p99 62 ms against 122 msgs/s, p99 51 ms).
        LocalEmbedder local = LocalEmbedder.create(Runtime.getRuntime().availableProcessors(), 1);
        opened.add(local);
        say.accept("embedder: " + local.modelName() + ", bundled, " + local.dimension() + " dimensions, English only:"
            + " other languages are matched by words alone (" + EMBEDDING_URL + " is not set)");
        return local;
      }
      OpenAiEmbedder.Builder b = OpenAiEmbedder.builder().baseUrl(embeddingUrl.value()).model(embeddingModel);
      if (embeddingApiKey != null) {
        b.apiKey(embeddingApiKey);
      }
      OpenAiEmbedder remote = b.build();
      opened.add(remote);
      int dims;
      try {
        dims = remote.dimension();
      } catch (BotException e) {
        throw new TgSupportCli.CliFailure(embeddingUrl.where() + "=" + embeddingUrl.value()
            + " did not embed a test text: " + e.getMessage());
      }
      say.accept("embedder: " + remote.modelName() + " at " + embeddingUrl.value() + ", " + dims + " dimensions ("
          + embeddingUrl.where() + " is set)");
      return remote;
    }

    private KnowledgeIndex index(Embedder embedder, List<AutoCloseable> opened,
        java.util.function.Consumer<String> say) {
      if (qdrantUrl == null) {
        HnswKnowledgeIndex hnsw = HnswKnowledgeIndex.create(embedder.dimension());
        opened.add(hnsw);
        say.accept("vectors: in-process HNSW index, filled from storage at the first question (" + QDRANT_URL
            + " is not set)");
        return hnsw;
      }
      QdrantKnowledgeIndex.Builder b = QdrantKnowledgeIndex.builder().url(qdrantUrl.value())
          .model(embedder.modelName(), embedder.dimension());
      if (qdrantApiKey != null) {
        b.apiKey(qdrantApiKey);
      }
      QdrantKnowledgeIndex qdrant = b.build();
      opened.add(qdrant);
      QdrantKnowledgeIndex.CollectionCheck check;
      try {
        check = qdrant.check();
      } catch (BotException e) {
        throw new TgSupportCli.CliFailure(qdrantUrl.where() + "=" + qdrantUrl.value() + " cannot be used: "
            + e.getMessage() + (qdrantApiKey == null ? "" : " (check " + QDRANT_API_KEY + " too)"));
      }
      say.accept("vectors: Qdrant collection " + check.collection() + " at " + qdrantUrl.value() + ", "
          + check.points() + " points" + (check.created() ? " (created now; filled from storage)" : "") + " ("
          + qdrantUrl.where() + " is set)");
      return qdrant;
    }
  }

  /**
   * The opened vector side.
   *
   * @param health null when there is no server to check
   */
  record Vectors(Embedder embedder, KnowledgeIndex index, List<AutoCloseable> closeables,
      java.util.function.Supplier<Health.Status> health) implements AutoCloseable {
    /** The index's name in metrics: {@code qdrant} or {@code hnsw}. */
    String client() {
      return index instanceof QdrantKnowledgeIndex ? "qdrant" : "hnsw";
    }

    @Override
    public void close() {
      closeAll(closeables);
    }
  }

  private KnowledgeSettings() {}

  private static Health.Status qdrantHealth(QdrantKnowledgeIndex q) {
    try {
      return Health.Status.up(q.count() + " points in " + q.collection());
    } catch (BotException e) {
      return Health.Status.degraded("questions go to tickets until it is back: " + e.getMessage());
    }
  }

  private static void closeAll(List<AutoCloseable> closeables) {
    for (int i = closeables.size() - 1; i >= 0; i--) {
      try {
        closeables.get(i).close();
      } catch (Exception ignored) {
        // closing on the way out: nothing to add
      }
    }
  }

  /** @throws UsageFailure naming the variable that is missing or malformed */
  static Knowledge load(BotSettings settings) {
    BotSettings.Value qdrant = settings.find(QDRANT_URL);
    BotSettings.Value qdrantKey = settings.find(QDRANT_API_KEY);
    if (qdrant != null) {
      httpUrl(qdrant, "http://qdrant:6334 (Qdrant's gRPC port)");
    } else if (qdrantKey != null) {
      throw new UsageFailure(QDRANT_API_KEY + " is set but " + QDRANT_URL + " is not: give Qdrant's gRPC URL, such"
          + " as http://qdrant:6334");
    }
    BotSettings.Value url = settings.find(EMBEDDING_URL);
    BotSettings.Value model = settings.find(EMBEDDING_MODEL);
    BotSettings.Value key = settings.find(EMBEDDING_API_KEY);
    if (url != null) {
      httpUrl(url, "https://api.openai.com or http://ollama:11434 (an OpenAI-compatible /v1/embeddings)");
      if (model == null) {
        throw new UsageFailure(EMBEDDING_MODEL + " is not set, but " + url.where() + " is: name the embedding model,"
            + " such as text-embedding-3-small or nomic-embed-text");
      }
    } else if (model != null || key != null) {
      throw new UsageFailure((model != null ? model.key() : key.key()) + " is set but " + EMBEDDING_URL + " is not:"
          + " give the OpenAI-compatible server's URL (without it the bundled model is used)");
    }
    BotSettings.Value lexical = settings.find(LEXICAL);
    if (lexical == null) {
      lexical = new BotSettings.Value(LEXICAL, Calibration.BM25, "default");
    } else if (!LEXICAL_SIDES.contains(lexical.value().toLowerCase(Locale.ROOT))) {
      throw new UsageFailure(lexical.where() + " must be one of " + String.join(", ", LEXICAL_SIDES) + ", was '"
          + lexical.value() + "'");
    } else {
      lexical = new BotSettings.Value(LEXICAL, lexical.value().toLowerCase(Locale.ROOT), lexical.source());
    }
    return new Knowledge(qdrant, qdrantKey == null ? null : qdrantKey.value(), url,
        model == null ? null : model.value(), key == null ? null : key.value(), lexical);
  }

  private static void httpUrl(BotSettings.Value v, String example) {
    URI uri;
    try {
      uri = URI.create(v.value());
    } catch (IllegalArgumentException e) {
      uri = null;
    }
    String scheme = uri == null || uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null || uri.getUserInfo() != null) {
      throw new UsageFailure(v.where() + " must be an http(s) URL without credentials, such as " + example
          + ", was '" + (uri != null && uri.getUserInfo() != null ? "(value not shown: it holds credentials)"
              : v.value()) + "'");
    }
  }
}
