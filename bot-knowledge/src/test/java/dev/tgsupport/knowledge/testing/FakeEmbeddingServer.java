package dev.tgsupport.knowledge.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A loopback server speaking the OpenAI embeddings wire format ({@code POST /v1/embeddings}), for tests of
 * {@code OpenAiEmbedder} and of anything built on it, with no network.
 *
 * <p>Vectors are a deterministic hashing embedding of the text ({@link #vectorFor}): word and character-trigram
 * features hashed into {@code dimension} buckets, unit length, so texts sharing words are close and the same text
 * always gets the same vector. Like real servers it checks the request: a missing {@code model} or a blank input is
 * a 400 naming the {@code param}; more than {@code maxBatchSize} inputs is a 400; a model outside {@code models} (when
 * set) is a 404 {@code model_not_found}; with an {@code apiKey}, a missing or wrong bearer token is a 401 whose
 * message quotes part of the key back, as OpenAI's does.
 *
 * <p>Faults are queued with {@link #enqueue(Fault)} and each applies to one request, in order. Every request is
 * recorded ({@link #requests()}), faulted or not. Thread-safe; {@link #close()} stops it.
 */
public final class FakeEmbeddingServer implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  private final ExecutorService executor;
  private final int dimension;
  private final String apiKey;
  private final int maxBatchSize;
  private final Set<String> models;
  private final Random shuffle;
  private final Deque<Fault> faults = new ConcurrentLinkedDeque<>();
  private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();

  private FakeEmbeddingServer(Builder b) throws IOException {
    this.dimension = b.dimension;
    this.apiKey = b.apiKey;
    this.maxBatchSize = b.maxBatchSize;
    this.models = b.models;
    this.shuffle = b.shuffleSeed == null ? null : new Random(b.shuffleSeed);
    this.executor = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "fake-embedding-server");
      t.setDaemon(true);
      return t;
    });
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  /** Starts a server with the defaults: 64 dimensions, no key, batches up to 2048, any model, data in order. */
  public static FakeEmbeddingServer start() {
    return builder().start();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** {@code http://127.0.0.1:<port>}, without {@code /v1}. */
  public String baseUrl() {
    return "http://" + server.getAddress().getHostString() + ":" + server.getAddress().getPort();
  }

  /** The vector length answered when a request does not ask for {@code dimensions}. */
  public int dimension() {
    return dimension;
  }

  /** Queues a fault for the next request without one. */
  public FakeEmbeddingServer enqueue(Fault fault) {
    faults.add(Objects.requireNonNull(fault, "fault"));
    return this;
  }

  /** Queues {@code fault} for each of the next {@code n} requests. */
  public FakeEmbeddingServer enqueue(int n, Fault fault) {
    for (int i = 0; i < n; i++) {
      enqueue(fault);
    }
    return this;
  }

  /** Every request received so far, in arrival order. */
  public List<RecordedRequest> requests() {
    return List.copyOf(requests);
  }

  public int requestCount() {
    return requests.size();
  }

  /** The number of inputs of each well-formed request so far. */
  public List<Integer> batchSizes() {
    return requests.stream().filter(r -> r.input() != null).map(r -> r.input().size()).toList();
  }

  /**
   * The vector this server returns for {@code text}: a hashing embedding of its lower-cased words (weight 1) and
   * character trigrams (weight 0.5), scaled to unit length. Pure and deterministic.
   */
  public static float[] vectorFor(String text, int dimension) {
    float[] v = new float[dimension];
    String lower = text.toLowerCase(Locale.ROOT);
    for (String word : lower.split("[^\\p{L}\\p{N}]+")) {
      if (word.isEmpty()) {
        continue;
      }
      add(v, "w:" + word, 1.0f);
      String padded = " " + word + " ";
      for (int i = 0; i + 3 <= padded.length(); i++) {
        add(v, "t:" + padded.substring(i, i + 3), 0.5f);
      }
    }
    double norm = 0;
    for (float x : v) {
      norm += x * x;
    }
    if (norm == 0) {
      v[0] = 1;
      return v;
    }
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) (v[i] / Math.sqrt(norm));
    }
    return v;
  }

  private static void add(float[] v, String feature, float weight) {
    int h = feature.hashCode() * 0x9E3779B1;
    int bucket = Math.floorMod(h, v.length);
    v[bucket] += (h & 0x10000) == 0 ? weight : -weight;
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  @Override
  public String toString() {
    return "FakeEmbeddingServer[" + baseUrl() + ", " + dimension + " dims, apiKey=" + (apiKey == null ? "none" : "***")
        + ", " + requests.size() + " requests]";
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] raw = exchange.getRequestBody().readAllBytes();
      Map<String, List<String>> headers = new TreeMap<>();
      exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), List.copyOf(v)));
      Parsed parsed = parse(raw);
      Fault fault = faults.poll();
      requests.add(new RecordedRequest(exchange.getRequestMethod(), exchange.getRequestURI().getPath(), headers,
          parsed.model, parsed.input, parsed.inputWasString, parsed.dimensions));
      if (fault != null && fault.delay.compareTo(Duration.ZERO) > 0) {
        try {
          Thread.sleep(fault.delay.toMillis());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
      if (fault != null && fault.status != 0) {
        if (fault.retryAfter != null) {
          exchange.getResponseHeaders().add("Retry-After", fault.retryAfter);
        }
        send(exchange, fault.status, fault.body != null ? fault.body
            : error(fault.status >= 500 ? "server_error" : "rate_limit_exceeded", null,
                fault.status == 429 ? "Rate limit reached for requests" : "The server had an error"));
        return;
      }
      answer(exchange, parsed, headers);
    }
  }

  private void answer(HttpExchange exchange, Parsed parsed, Map<String, List<String>> headers) throws IOException {
    if (!exchange.getRequestURI().getPath().equals("/v1/embeddings")) {
      send(exchange, 404, error("invalid_request_error", null, "Unknown request URL: "
          + exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath()));
      return;
    }
    if (!exchange.getRequestMethod().equals("POST")) {
      send(exchange, 405, error("invalid_request_error", null, "Method not allowed"));
      return;
    }
    if (apiKey != null) {
      String auth = headers.getOrDefault("authorization", List.of("")).get(0);
      if (!auth.equals("Bearer " + apiKey)) {
        String sent = auth.startsWith("Bearer ") ? auth.substring(7) : "";
        send(exchange, 401, error("invalid_request_error", null, sent.isEmpty()
            ? "You didn't provide an API key."
            : "Incorrect API key provided: " + masked(sent) + ". You can find your API key at https://example"));
        return;
      }
    }
    if (parsed.error != null) {
      send(exchange, 400, error("invalid_request_error", parsed.errorParam, parsed.error));
      return;
    }
    if (!models.isEmpty() && !models.contains(parsed.model)) {
      send(exchange, 404, error("invalid_request_error", null, "The model `" + parsed.model
          + "` does not exist or you do not have access to it.", "model_not_found"));
      return;
    }
    if (parsed.input.size() > maxBatchSize) {
      send(exchange, 400, error("invalid_request_error", "input", "'$.input' must have at most " + maxBatchSize
          + " items, was " + parsed.input.size()));
      return;
    }
    int dims = parsed.dimensions == null ? dimension : parsed.dimensions;
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < parsed.input.size(); i++) {
      order.add(i);
    }
    if (shuffle != null) {
      synchronized (shuffle) {
        Collections.shuffle(order, shuffle);
      }
    }
    ObjectNode body = JSON.createObjectNode();
    body.put("object", "list");
    ArrayNode data = body.putArray("data");
    int tokens = 0;
    for (int i : order) {
      ObjectNode item = data.addObject();
      item.put("object", "embedding");
      item.put("index", i);
      ArrayNode embedding = item.putArray("embedding");
      for (float x : vectorFor(parsed.input.get(i), dims)) {
        embedding.add(x);
      }
      tokens += parsed.input.get(i).split("\\s+").length;
    }
    body.put("model", parsed.model);
    body.putObject("usage").put("prompt_tokens", tokens).put("total_tokens", tokens);
    send(exchange, 200, body.toString());
  }

  private static String masked(String key) {
    return key.length() <= 8 ? "***" : key.substring(0, 3) + "*".repeat(key.length() - 7) + key.substring(
        key.length() - 4);
  }

  private static Parsed parse(byte[] raw) {
    Parsed p = new Parsed();
    JsonNode root;
    try {
      root = JSON.readTree(raw);
    } catch (IOException e) {
      p.fail(null, "We could not parse the JSON body of your request.");
      return p;
    }
    if (root == null || !root.isObject()) {
      p.fail(null, "We could not parse the JSON body of your request.");
      return p;
    }
    JsonNode model = root.get("model");
    p.model = model == null || !model.isTextual() ? null : model.asText();
    JsonNode input = root.get("input");
    if (input != null && input.isTextual()) {
      p.input = List.of(input.asText());
      p.inputWasString = true;
    } else if (input != null && input.isArray()) {
      List<String> texts = new ArrayList<>();
      for (JsonNode t : input) {
        texts.add(t.isTextual() ? t.asText() : null);
      }
      p.input = texts;
    }
    JsonNode dims = root.get("dimensions");
    if (dims != null && dims.canConvertToInt() && dims.isIntegralNumber()) {
      p.dimensions = dims.intValue();
    }
    if (p.model == null || p.model.isBlank()) {
      p.fail("model", "you must provide a model parameter");
    } else if (p.input == null || p.input.isEmpty()) {
      p.fail("input", "'$.input' is invalid: must be a string or a non-empty array of strings");
    } else if (dims != null && (p.dimensions == null || p.dimensions < 1 || p.dimensions > 4096)) {
      p.fail("dimensions", "'$.dimensions' must be an integer in 1..4096, was " + dims);
    } else {
      for (int i = 0; i < p.input.size(); i++) {
        if (p.input.get(i) == null || p.input.get(i).isBlank()) {
          p.fail("input", "'$.input[" + i + "]' is invalid: must be a non-empty string");
          break;
        }
      }
    }
    return p;
  }

  private static String error(String type, String param, String message) {
    return error(type, param, message, null);
  }

  private static String error(String type, String param, String message, String code) {
    ObjectNode body = JSON.createObjectNode();
    ObjectNode error = body.putObject("error");
    error.put("message", message);
    error.put("type", type);
    error.put("param", param);
    error.put("code", code);
    return body.toString();
  }

  private static void send(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  private static final class Parsed {
    String model;
    List<String> input;
    boolean inputWasString;
    Integer dimensions;
    String error;
    String errorParam;

    void fail(String param, String message) {
      this.errorParam = param;
      this.error = message;
    }
  }

  /**
   * One request as received. {@code input} is null when the body was not a readable request; {@code headers} have
   * lower-case names. {@link #toString()} lists header names only, never values such as the API key.
   */
  public record RecordedRequest(String method, String path, Map<String, List<String>> headers, String model,
      List<String> input, boolean inputWasString, Integer dimensions) {
    /** The first value of a header (any case), or null. */
    public String header(String name) {
      List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
      return values == null || values.isEmpty() ? null : values.get(0);
    }

    @Override
    public String toString() {
      return "RecordedRequest[" + method + " " + path + ", model=" + model + ", inputs="
          + (input == null ? "unreadable" : input.size()) + ", dimensions=" + dimensions + ", headers="
          + headers.keySet() + "]";
    }
  }

  /**
   * What the server does to one request instead of (or before) answering it normally. Immutable; build with the
   * static factories and {@link #after(Duration)}.
   */
  public static final class Fault {
    private final int status;
    private final String retryAfter;
    private final String body;
    private final Duration delay;

    private Fault(int status, String retryAfter, String body, Duration delay) {
      this.status = status;
      this.retryAfter = retryAfter;
      this.body = body;
      this.delay = delay;
    }

    /** 429 with {@code Retry-After: <retryAfter>} (seconds or an HTTP-date); null for no header. */
    public static Fault rateLimited(String retryAfter) {
      return new Fault(429, retryAfter, null, Duration.ZERO);
    }

    /** An error status (500, 502, 503...) with an OpenAI error body. */
    public static Fault status(int status) {
      return new Fault(status, null, null, Duration.ZERO);
    }

    /** 503 with {@code Retry-After}. */
    public static Fault unavailable(String retryAfter) {
      return new Fault(503, retryAfter, null, Duration.ZERO);
    }

    /** {@code status} with exactly {@code body}: a malformed or wrong 200, a proxy's HTML page. */
    public static Fault body(int status, String body) {
      return new Fault(status, null, body, Duration.ZERO);
    }

    /** Answers normally, but only after {@code delay}: longer than a client's timeout, it times the client out. */
    public static Fault delay(Duration delay) {
      return new Fault(0, null, null, delay);
    }

    /** This fault, sent after {@code delay}. */
    public Fault after(Duration delay) {
      return new Fault(status, retryAfter, body, delay);
    }
  }

  /** Settings of a {@link FakeEmbeddingServer}. */
  public static final class Builder {
    private int dimension = 64;
    private String apiKey;
    private int maxBatchSize = 2048;
    private Set<String> models = Set.of();
    private Long shuffleSeed;

    private Builder() {}

    public Builder dimension(int dimension) {
      this.dimension = dimension;
      return this;
    }

    /** Requires {@code Authorization: Bearer <apiKey>}; 401 otherwise. */
    public Builder apiKey(String apiKey) {
      this.apiKey = apiKey;
      return this;
    }

    /** More inputs in one request is a 400, as real servers' input limits are. */
    public Builder maxBatchSize(int maxBatchSize) {
      this.maxBatchSize = maxBatchSize;
      return this;
    }

    /** Only these models exist; others are a 404. Default: any model. */
    public Builder models(String... models) {
      this.models = Set.of(models);
      return this;
    }

    /** Lists {@code data} in a random (seeded) order, as some servers do. */
    public Builder shuffleData(long seed) {
      this.shuffleSeed = seed;
      return this;
    }

    public FakeEmbeddingServer start() {
      try {
        return new FakeEmbeddingServer(this);
      } catch (IOException e) {
        throw new IllegalStateException("cannot start the fake embedding server", e);
      }
    }
  }
}
