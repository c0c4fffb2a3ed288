package dev.tgsupport.knowledge.embed;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tgsupport.core.AuthenticationException;
import dev.tgsupport.core.BotException;
import dev.tgsupport.core.InvalidInputException;
import dev.tgsupport.core.NotFoundException;
import dev.tgsupport.core.OperationTimeoutException;
import dev.tgsupport.core.RateLimitedException;
import dev.tgsupport.core.RetriableException;
import dev.tgsupport.core.ServerErrorException;
import dev.tgsupport.core.port.Embedder;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.DoubleSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Embeds text through any OpenAI-compatible {@code POST /v1/embeddings} endpoint: OpenAI itself, Ollama, vLLM,
 * LocalAI, a corporate gateway. Use it for a multilingual model where the bundled {@link LocalEmbedder} (English
 * only) is not enough.
 *
 * <pre>{@code
 * try (OpenAiEmbedder embedder = OpenAiEmbedder.builder()
 *     .baseUrl("https://api.openai.com").apiKey(System.getenv("OPENAI_API_KEY"))
 *     .model("text-embedding-3-small").dimensions(512).build()) {
 *   float[] v = embedder.embed("How do I reset my password?");
 * }
 * }</pre>
 *
 * <p>{@link #embedAll} sends the texts in batches of {@code batchSize} one after the other and returns the vectors in
 * input order, whatever order the server lists them in (it reads each item's {@code index}).
 *
 * <p><b>Retries.</b> Every request has a {@code timeout}. A 429, a 5xx, a timeout or a refused connection is
 * retried up to {@code maxRetries} times: after the wait the server asks for in {@code Retry-After} (seconds or an
 * HTTP-date) when it gives one, else after an exponential backoff with jitter. The client never waits out a
 * {@code Retry-After} longer than {@code maxRetryWait}: such a one ends the retries at once with a
 * {@link RateLimitedException} carrying the server's wait, so the caller can schedule the work instead of blocking
 * a thread for minutes. Embedding is idempotent, so retrying a request that may have reached the server is safe.
 *
 * <p><b>Errors</b> (all unchecked, from bot-core's tree):
 * <ul>
 *   <li>401/403: {@link AuthenticationException}; do not retry. Its message never contains the key, nor the
 *       server's message (OpenAI echoes part of a wrong key there).
 *   <li>400/413/422: {@link InvalidInputException} naming the refused field ({@code texts}, {@code model},
 *       {@code dimensions}) and quoting the server.
 *   <li>404: {@link NotFoundException} naming the model and the URL.
 *   <li>429 after the retries: {@link RateLimitedException} with the server's {@code Retry-After}.
 *   <li>5xx after the retries: {@link ServerErrorException}. A refused or broken connection is reported the same
 *       way (the embedding service is a remote server, not storage), as gRPC reports it as UNAVAILABLE.
 *   <li>A timeout after the retries: {@link OperationTimeoutException}.
 *   <li>A 2xx body that is not the embeddings format, lists the wrong number of vectors, or vectors of the wrong
 *       length: {@link ServerErrorException} saying what was wrong; not retried.
 *   <li>Blank text: {@link InvalidInputException} ({@code text must not be blank}, {@code texts[3] must not be
 *       blank}), before anything is sent.
 * </ul>
 *
 * <p>Thread-safe; calls from several threads share one HTTP client. {@link #close()} releases its threads; calls
 * afterwards throw {@link IllegalStateException}. Neither {@link #toString()} nor any log line or exception message
 * contains the API key.
 */
public final class OpenAiEmbedder implements Embedder, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(OpenAiEmbedder.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PROBE_TEXT = "dimension probe";
  private static final int MAX_QUOTED = 300;

  private final URI endpoint;
  private final String where;
  private final String apiKey;
  private final String model;
  private final Integer requestedDimensions;
  private final int batchSize;
  private final Duration timeout;
  private final int maxRetries;
  private final Duration initialBackoff;
  private final Duration maxBackoff;
  private final Duration maxRetryWait;
  private final Sleeper sleeper;
  private final Clock clock;
  private final DoubleSupplier jitter;
  private final ExecutorService executor;
  private final HttpClient http;
  private final Object learning = new Object();
  private volatile int dimension;
  private volatile boolean closed;

  private OpenAiEmbedder(Builder b, URI endpoint) {
    this.endpoint = endpoint;
    this.where = display(endpoint);
    this.apiKey = b.apiKey;
    this.model = b.model;
    this.requestedDimensions = b.dimensions;
    this.dimension = b.dimensions == null ? 0 : b.dimensions;
    this.batchSize = b.batchSize;
    this.timeout = b.timeout;
    this.maxRetries = b.maxRetries;
    this.initialBackoff = b.initialBackoff;
    this.maxBackoff = b.maxBackoff;
    this.maxRetryWait = b.maxRetryWait;
    this.sleeper = b.sleeper;
    this.clock = b.clock;
    this.jitter = b.jitter;
    this.executor = Executors.newCachedThreadPool(daemonThreads());
    this.http = HttpClient.newBuilder()
        .connectTimeout(b.timeout)
        .executor(executor)
        // Plain http:// is a local Ollama or vLLM: skip the h2c upgrade dance, which some servers mishandle.
        .version("https".equals(endpoint.getScheme()) ? HttpClient.Version.HTTP_2 : HttpClient.Version.HTTP_1_1)
        .build();
  }

  /** A builder; {@code baseUrl} and {@code model} are required. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The vector length: the configured {@code dimensions}, else what the first response carried. When nothing has
   * been embedded yet, this makes one small request to find out (and may throw what {@link #embed} throws).
   */
  @Override
  public int dimension() {
    int known = dimension;
    if (known == 0) {
      embed(PROBE_TEXT);
      known = dimension;
    }
    return known;
  }

  /** {@code "openai:" + model}, whichever server speaks the protocol. */
  @Override
  public String modelName() {
    return "openai:" + model;
  }

  @Override
  public float[] embed(String text) {
    Texts.checked(text, "text");
    return request(List.of(text)).get(0);
  }

  @Override
  public List<float[]> embedAll(List<String> texts) {
    Texts.checkedAll(texts);
    List<float[]> out = new ArrayList<>(texts.size());
    for (int from = 0; from < texts.size(); from += batchSize) {
      out.addAll(request(texts.subList(from, Math.min(texts.size(), from + batchSize))));
    }
    return out;
  }

  /** Stops the HTTP client's threads. Idempotent. */
  @Override
  public void close() {
    closed = true;
    executor.shutdownNow();
  }

  @Override
  public String toString() {
    int known = dimension;
    return "OpenAiEmbedder[" + modelName() + ", " + where + ", " + (known == 0 ? "dimension not yet known" : known
        + " dims") + ", batchSize=" + batchSize + ", apiKey=" + (apiKey == null ? "none" : "***") + "]";
  }

  private List<float[]> request(List<String> batch) {
    if (closed) {
      throw new IllegalStateException("OpenAiEmbedder for " + where + " is closed");
    }
    HttpRequest request = httpRequest(batch);
    for (int attempt = 0; ; attempt++) {
      Retry retry;
      try {
        HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
          return vectors(response.body(), batch.size());
        }
        retry = failure(status, response, batch.size());
      } catch (HttpTimeoutException e) {
        retry = new Retry(new OperationTimeoutException("embeddings request to " + where + " timed out after "
            + timeout.toMillis() + " ms (batch of " + batch.size() + " texts)", e), Optional.empty());
      } catch (ConnectException e) {
        retry = new Retry(new ServerErrorException("cannot connect to the embeddings endpoint " + where + ": "
            + reason(e, "connection refused"), e), Optional.empty());
      } catch (IOException e) {
        retry = new Retry(new ServerErrorException("embeddings request to " + where + " failed: "
            + reason(e, e.getClass().getSimpleName()), e), Optional.empty());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new BotException("interrupted while waiting for the embeddings endpoint " + where, e);
      }
      waitBeforeRetry(retry, attempt);
    }
  }

  /** Sleeps before the next attempt, or throws the failure when no attempt is left or the wait is too long. */
  private void waitBeforeRetry(Retry retry, int attempt) {
    if (attempt >= maxRetries) {
      throw retry.failure();
    }
    Duration wait = retry.retryAfter().orElseGet(() -> backoff(attempt));
    if (retry.retryAfter().isPresent() && wait.compareTo(maxRetryWait) > 0) {
      // Honour the server rather than hammer it early; the caller decides whether to wait that long.
      throw new RateLimitedException(retry.failure().getMessage() + "; the server asked to wait " + wait.toSeconds()
          + " s, more than maxRetryWait " + maxRetryWait.toSeconds() + " s, so no retry was made",
          wait, retry.failure());
    }
    log.warn("{}; retry {} of {} in {} ms", retry.failure().getMessage(), attempt + 1, maxRetries, wait.toMillis());
    try {
      sleeper.sleep(wait);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BotException("interrupted while waiting to retry the embeddings endpoint " + where, e);
    }
  }

  /** Exponential from initialBackoff, capped at maxBackoff, with "equal jitter": between half and all of it. */
  private Duration backoff(int attempt) {
    double base = Math.min(maxBackoff.toMillis(), initialBackoff.toMillis() * Math.pow(2, Math.min(attempt, 30)));
    return Duration.ofMillis(Math.round(base * (0.5 + 0.5 * jitter.getAsDouble())));
  }

  private HttpRequest httpRequest(List<String> batch) {
    ObjectNode body = JSON.createObjectNode();
    body.put("model", model);
    ArrayNode input = body.putArray("input");
    batch.forEach(input::add);
    if (requestedDimensions != null) {
      body.put("dimensions", requestedDimensions);
    }
    HttpRequest.Builder request = HttpRequest.newBuilder(endpoint)
        .timeout(timeout)
        .header("Content-Type", "application/json")
        .header("Accept", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
    if (apiKey != null) {
      request.header("Authorization", "Bearer " + apiKey);
    }
    return request.build();
  }

  /** The exception for a non-2xx answer: thrown at once when retrying cannot help, else returned for the loop. */
  private Retry failure(int status, HttpResponse<byte[]> response, int texts) {
    ServerError error = ServerError.parse(response.body());
    String http = "HTTP " + status;
    switch (status) {
      case 401, 403 -> throw new AuthenticationException("the embeddings endpoint " + where
          + (apiKey == null ? " requires an API key and none was configured (" : " refused the API key (") + http
          + error.codeSuffix() + ")");
      case 404 -> throw new NotFoundException("model '" + model + "' or the endpoint " + where + " was not found ("
          + http + "): " + scrub(error.message()));
      case 400, 413, 422 -> throw new InvalidInputException(field(error.param()), "refused by " + where + " ("
          + http + ") for a batch of " + texts + " texts: " + scrub(error.message()));
      case 429 -> {
        Optional<Duration> after = RetryAfter.parse(response.headers().firstValue("Retry-After").orElse(null), clock);
        return new Retry(new RateLimitedException("the embeddings endpoint " + where + " is rate limiting ("
            + http + "): " + scrub(error.message()), after.orElseGet(() -> backoff(0))), after);
      }
      case 408 -> {
        return new Retry(new OperationTimeoutException("the embeddings endpoint " + where + " timed out (" + http
            + "): " + scrub(error.message())), Optional.empty());
      }
      default -> {
        ServerErrorException e = new ServerErrorException("the embeddings endpoint " + where + " failed (" + http
            + "): " + scrub(error.message()));
        if (status >= 500) {
          return new Retry(e, RetryAfter.parse(response.headers().firstValue("Retry-After").orElse(null), clock));
        }
        throw e;
      }
    }
  }

  private List<float[]> vectors(byte[] body, int expectedCount) {
    JsonNode root;
    try {
      root = JSON.readTree(body);
    } catch (IOException e) {
      throw malformed("is not JSON (" + firstLine(e.getMessage()) + ")");
    }
    JsonNode data = root == null ? null : root.get("data");
    if (data == null || !data.isArray()) {
      throw malformed("has no \"data\" array");
    }
    if (data.size() != expectedCount) {
      throw new ServerErrorException("the embeddings endpoint " + where + " returned " + data.size()
          + " embeddings for " + expectedCount + " texts");
    }
    float[][] out = new float[expectedCount][];
    int expectedLength = dimension;
    for (int i = 0; i < expectedCount; i++) {
      JsonNode item = data.get(i);
      JsonNode index = item.get("index");
      if (index == null || !index.canConvertToInt() || !index.isIntegralNumber()) {
        throw malformed("has data[" + i + "] without an integer \"index\"");
      }
      int at = index.intValue();
      if (at < 0 || at >= expectedCount || out[at] != null) {
        throw new ServerErrorException("the embeddings endpoint " + where + " returned index " + at + " "
            + (at < 0 || at >= expectedCount ? "outside 0.." + (expectedCount - 1) : "twice") + " for "
            + expectedCount + " texts");
      }
      float[] vector = vector(item.get("embedding"), i);
      if (expectedLength == 0) {
        expectedLength = vector.length;
      } else if (vector.length != expectedLength) {
        throw new ServerErrorException("the embeddings endpoint " + where + " returned a " + vector.length
            + "-dimensional vector for model '" + model + "', expected " + expectedLength
            + (requestedDimensions != null ? " (the configured dimensions)" : ""));
      }
      out[at] = vector;
    }
    learn(expectedLength);
    return List.of(out);
  }

  private void learn(int length) {
    if (dimension != 0) {
      return;
    }
    synchronized (learning) {
      if (dimension == 0) {
        dimension = length;
        log.info("Embeddings model '{}' at {} returns {}-dimensional vectors", model, where, length);
      }
    }
  }

  private float[] vector(JsonNode embedding, int item) {
    if (embedding == null || !embedding.isArray() || embedding.isEmpty()) {
      throw malformed("has data[" + item + "] without a non-empty \"embedding\" array of numbers");
    }
    float[] v = new float[embedding.size()];
    for (int j = 0; j < v.length; j++) {
      JsonNode x = embedding.get(j);
      if (!x.isNumber()) {
        throw malformed("has data[" + item + "].embedding[" + j + "] that is not a number");
      }
      v[j] = x.floatValue();
    }
    return v;
  }

  private ServerErrorException malformed(String what) {
    return new ServerErrorException("the embeddings endpoint " + where + " answered with a body that " + what
        + "; is it an OpenAI-compatible /v1/embeddings endpoint?");
  }

  /** The API's own name for what the server refused. */
  private static String field(String param) {
    if (param == null || param.isBlank() || param.contains("input")) {
      return "texts";
    }
    return param.strip();
  }

  /** Servers may quote the key back (OpenAI does, partly): never pass it on. */
  private String scrub(String text) {
    String quoted = text.length() <= MAX_QUOTED ? text : text.substring(0, MAX_QUOTED) + "…";
    return apiKey == null ? quoted : quoted.replace(apiKey, "***");
  }

  /** The first message down the cause chain: the JDK client often wraps "Connection refused" in a bare one. */
  private String reason(IOException e, String otherwise) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t.getMessage() != null && !t.getMessage().isBlank()) {
        return scrub(t.getMessage());
      }
    }
    return otherwise;
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "unreadable";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  /** The endpoint without user info or query, which may carry credentials. */
  private static String display(URI uri) {
    return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort()) + uri.getPath();
  }

  private static java.util.concurrent.ThreadFactory daemonThreads() {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, "tgsupport-openai-embed-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /** A failed attempt: the exception to throw when no retry is left, and the wait the server asked for. */
  private record Retry(RetriableException failure, Optional<Duration> retryAfter) {}

  /** OpenAI's error body, {@code {"error":{"message","type","param","code"}}}, or the raw text of another. */
  private record ServerError(String message, String param, String code) {
    static ServerError parse(byte[] body) {
      String raw = body == null ? "" : new String(body, java.nio.charset.StandardCharsets.UTF_8).strip();
      try {
        JsonNode error = JSON.readTree(raw).get("error");
        if (error != null && error.isObject()) {
          return new ServerError(text(error.get("message"), "no message"), text(error.get("param"), null),
              text(error.get("code"), text(error.get("type"), null)));
        }
        if (error != null && error.isTextual()) {
          // Ollama and some proxies answer {"error":"..."}.
          return new ServerError(error.asText(), null, null);
        }
      } catch (IOException | RuntimeException e) {
        // Not JSON (an HTML page from a proxy, say): quote the text itself.
      }
      return new ServerError(raw.isEmpty() ? "empty body" : raw.replaceAll("\\s+", " "), null, null);
    }

    private static String text(JsonNode node, String otherwise) {
      return node == null || node.isNull() ? otherwise : node.asText();
    }

    /** A short machine code such as {@code invalid_api_key}: safe to show, unlike the message. */
    String codeSuffix() {
      return code == null || !code.matches("[A-Za-z0-9_.-]{1,64}") ? "" : ", " + code;
    }
  }

  /**
   * Settings of an {@link OpenAiEmbedder}. Defaults: {@code batchSize} 64, {@code timeout} 10 s per request,
   * {@code maxRetries} 3, backoff from 200 ms doubling up to 5 s, {@code maxRetryWait} 30 s. Not thread-safe.
   */
  public static final class Builder {
    private String baseUrl;
    private String apiKey;
    private String model;
    private Integer dimensions;
    private int batchSize = 64;
    private Duration timeout = Duration.ofSeconds(10);
    private int maxRetries = 3;
    private Duration initialBackoff = Duration.ofMillis(200);
    private Duration maxBackoff = Duration.ofSeconds(5);
    private Duration maxRetryWait = Duration.ofSeconds(30);
    private Sleeper sleeper = Sleeper.REAL;
    private Clock clock = Clock.systemUTC();
    private DoubleSupplier jitter = () -> ThreadLocalRandom.current().nextDouble();

    private Builder() {}

    /**
     * The server, with or without {@code /v1}: {@code https://api.openai.com}, {@code http://localhost:11434/v1}.
     * Required. Requests go to {@code <baseUrl>/v1/embeddings}.
     */
    public Builder baseUrl(String baseUrl) {
      this.baseUrl = baseUrl;
      return this;
    }

    /** Sent as {@code Authorization: Bearer <key>}; leave unset for a server without authentication. */
    public Builder apiKey(String apiKey) {
      this.apiKey = apiKey;
      return this;
    }

    /** The model name the server knows, e.g. {@code text-embedding-3-small} or {@code nomic-embed-text}. Required. */
    public Builder model(String model) {
      this.model = model;
      return this;
    }

    /**
     * The vector length to ask for (OpenAI's {@code dimensions} parameter). Unset: nothing is sent and the length
     * is learnt from the first response. Only set it for a model that accepts the parameter.
     */
    public Builder dimensions(int dimensions) {
      this.dimensions = dimensions;
      return this;
    }

    /** Texts per request in {@link OpenAiEmbedder#embedAll}; keep it within the server's input limit. */
    public Builder batchSize(int batchSize) {
      this.batchSize = batchSize;
      return this;
    }

    /** The time budget of one request (connect, send, until the response starts). */
    public Builder timeout(Duration timeout) {
      this.timeout = timeout;
      return this;
    }

    /** Retries after a 429, a 5xx, a timeout or a refused connection; 0 disables them. */
    public Builder maxRetries(int maxRetries) {
      this.maxRetries = maxRetries;
      return this;
    }

    /** The first backoff and its cap; each retry doubles it, then takes a random 50-100% of it. */
    public Builder backoff(Duration initial, Duration max) {
      this.initialBackoff = initial;
      this.maxBackoff = max;
      return this;
    }

    /**
     * The longest {@code Retry-After} the client waits out; a longer one fails at once instead. Its own backoff is
     * bounded by {@link #backoff}'s cap.
     */
    public Builder maxRetryWait(Duration maxRetryWait) {
      this.maxRetryWait = maxRetryWait;
      return this;
    }

    Builder sleeper(Sleeper sleeper) {
      this.sleeper = sleeper;
      return this;
    }

    Builder clock(Clock clock) {
      this.clock = clock;
      return this;
    }

    Builder jitter(DoubleSupplier jitter) {
      this.jitter = jitter;
      return this;
    }

    /**
     * Checks the settings and creates the embedder; no request is made.
     *
     * @throws InvalidInputException naming the first bad setting
     */
    public OpenAiEmbedder build() {
      URI endpoint = endpoint(baseUrl);
      InvalidInputException.requireNonBlank(model, "model");
      if (apiKey != null && apiKey.isBlank()) {
        throw new InvalidInputException("apiKey", "must not be blank when set; leave it unset for no key");
      }
      if (dimensions != null) {
        InvalidInputException.check(dimensions > 0, "dimensions", "must be > 0", dimensions);
      }
      InvalidInputException.check(batchSize > 0, "batchSize", "must be > 0", batchSize);
      positive(timeout, "timeout");
      InvalidInputException.check(maxRetries >= 0, "maxRetries", "must be >= 0", maxRetries);
      positive(initialBackoff, "initialBackoff");
      positive(maxBackoff, "maxBackoff");
      InvalidInputException.check(maxBackoff.compareTo(initialBackoff) >= 0, "maxBackoff",
          "must be >= initialBackoff " + initialBackoff, maxBackoff);
      InvalidInputException.requireNonNull(maxRetryWait, "maxRetryWait");
      InvalidInputException.check(!maxRetryWait.isNegative(), "maxRetryWait", "must be >= 0", maxRetryWait);
      return new OpenAiEmbedder(this, endpoint);
    }

    private static void positive(Duration d, String field) {
      InvalidInputException.requireNonNull(d, field);
      InvalidInputException.check(!d.isNegative() && !d.isZero(), field, "must be > 0", d);
    }

    private static URI endpoint(String baseUrl) {
      InvalidInputException.requireNonNull(baseUrl, "baseUrl");
      String base = baseUrl.strip();
      URI uri;
      try {
        uri = new URI(base);
      } catch (URISyntaxException e) {
        throw new InvalidInputException("baseUrl", "is not a URL: " + e.getReason());
      }
      if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
        throw new InvalidInputException("baseUrl", "must be an http:// or https:// URL with a host, was '"
            + withoutUserInfo(base) + "'");
      }
      if (uri.getRawUserInfo() != null) {
        throw new InvalidInputException("baseUrl", "must not carry credentials; give the key with apiKey(), was '"
            + withoutUserInfo(base) + "'");
      }
      if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
        throw new InvalidInputException("baseUrl", "must not have a query or fragment, was '" + display(uri) + "'");
      }
      String path = uri.getRawPath() == null ? "" : uri.getRawPath();
      while (path.endsWith("/")) {
        path = path.substring(0, path.length() - 1);
      }
      if (path.endsWith("/v1")) {
        path = path.substring(0, path.length() - 3);
      }
      return URI.create(uri.getScheme() + "://" + uri.getRawAuthority() + path + "/v1/embeddings");
    }

    private static String withoutUserInfo(String url) {
      return url.replaceAll("//[^/@]*@", "//***@");
    }
  }
}
