package dev.tgsupport.metrics;

import dev.tgsupport.core.port.DialogStates;
import dev.tgsupport.core.port.Embedder;
import dev.tgsupport.core.port.FloodCounter;
import dev.tgsupport.core.port.KnowledgeIndex;
import dev.tgsupport.core.port.RateLimiter;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Decorators that time the calls an adapter makes to its server, so the ports stay free of Micrometer: wrap Qdrant's
 * index, the embedder, and Redis's rate limiter, flood counter and dialog states.
 *
 * <p>Every call records {@code tgsupport.client.duration} with tags {@code client} (the name given: {@code qdrant},
 * {@code embedder}, {@code redis}), {@code operation} ({@code search}, {@code upsert}, {@code fingerprints},
 * {@code embed}, …) and {@code outcome} ({@code ok} or {@code error}); a failed call also counts
 * {@code tgsupport.client.errors} by {@code client}, {@code operation} and {@code error} (the exception's simple
 * class name). Exceptions pass through unchanged, and every method of a port is forwarded, defaults included.
 *
 * <p>A client that times its calls itself and reports them through a listener of its own (Kaiten's, whose module
 * depends on neither Micrometer nor this one) records them on the same meters through {@link #calls}.
 */
public final class Metered {
  private Metered() {}

  /** The {@code index}'s calls timed as {@code client}. */
  public static KnowledgeIndex knowledgeIndex(KnowledgeIndex index, MeterRegistry registry, String client) {
    Calls calls = new Calls(registry, client);
    Objects.requireNonNull(index, "index");
    return new KnowledgeIndex() {
      @Override
      public void upsert(long entryId, float[] vector, Map<String, String> payload) {
        calls.run("upsert", () -> index.upsert(entryId, vector, payload));
      }

      @Override
      public void delete(long entryId) {
        calls.run("delete", () -> index.delete(entryId));
      }

      @Override
      public List<VectorHit> search(float[] query, int limit, double minScore, Map<String, String> filter) {
        return calls.call("search", () -> index.search(query, limit, minScore, filter));
      }

      @Override
      public long count() {
        return calls.call("count", index::count);
      }

      // Forwarded, or the default (empty) would hide the index's listing and every start would re-embed it all.
      @Override
      public Optional<Map<Long, String>> fingerprints() {
        return calls.call("fingerprints", index::fingerprints);
      }

      @Override
      public String toString() {
        return "Metered[" + index + "]";
      }
    };
  }

  /** The {@code embedder}'s calls timed as {@code client}; {@code embed_all} for batches. */
  public static Embedder embedder(Embedder embedder, MeterRegistry registry, String client) {
    Calls calls = new Calls(registry, client);
    Objects.requireNonNull(embedder, "embedder");
    return new Embedder() {
      @Override
      public int dimension() {
        return embedder.dimension();
      }

      @Override
      public String modelName() {
        return embedder.modelName();
      }

      @Override
      public float[] embed(String text) {
        return calls.call("embed", () -> embedder.embed(text));
      }

      @Override
      public List<float[]> embedAll(List<String> texts) {
        return calls.call("embed_all", () -> embedder.embedAll(texts));
      }

      @Override
      public String toString() {
        return "Metered[" + embedder + "]";
      }
    };
  }

  /** The {@code limiter}'s calls timed as {@code client} (operation {@code acquire}). */
  public static RateLimiter rateLimiter(RateLimiter limiter, MeterRegistry registry, String client) {
    Calls calls = new Calls(registry, client);
    Objects.requireNonNull(limiter, "limiter");
    return (key, limit) -> calls.call("acquire", () -> limiter.tryAcquire(key, limit));
  }

  /** The {@code counter}'s calls timed as {@code client} (operation {@code flood_record}). */
  public static FloodCounter floodCounter(FloodCounter counter, MeterRegistry registry, String client) {
    Calls calls = new Calls(registry, client);
    Objects.requireNonNull(counter, "counter");
    return (chatId, userId, messageId, textHash, window) ->
        calls.call("flood_record", () -> counter.record(chatId, userId, messageId, textHash, window));
  }

  /** The {@code states}' calls timed as {@code client} ({@code state_get}, {@code state_put}, {@code state_clear}). */
  public static DialogStates dialogStates(DialogStates states, MeterRegistry registry, String client) {
    Calls calls = new Calls(registry, client);
    Objects.requireNonNull(states, "states");
    return new DialogStates() {
      @Override
      public Optional<String> get(long chatId, long userId) {
        return calls.call("state_get", () -> states.get(chatId, userId));
      }

      @Override
      public void put(long chatId, long userId, String state, Duration ttl) {
        calls.run("state_put", () -> states.put(chatId, userId, state, ttl));
      }

      @Override
      public void clear(long chatId, long userId) {
        calls.run("state_clear", () -> states.clear(chatId, userId));
      }
    };
  }

  /**
   * A recorder of calls that {@code client} timed itself, on the same meters as the decorators: for a listener such
   * as {@code bot-kaiten}'s {@code KaitenCallListener}, bound in one line by the application:
   *
   * <pre>{@code
   * Metered.CallRecorder kaiten = Metered.calls(registry, "kaiten");
   * bridge.callListener(c -> kaiten.record(c.operation(), c.duration(), c.error()));
   * }</pre>
   */
  public static CallRecorder calls(MeterRegistry registry, String client) {
    return new Calls(registry, client);
  }

  /** Records calls timed elsewhere; thread-safe, cheap after a tag combination's first call. */
  public interface CallRecorder {
    /**
     * Records one call.
     *
     * @param operation a stable, low-cardinality name ({@code create_card}); never an id or a URL
     * @param error null when the call worked, else the failure's simple class name ({@code ServerErrorException})
     */
    void record(String operation, Duration duration, String error);
  }

  private static final class Calls implements CallRecorder {
    private final MeterRegistry registry;
    private final String client;

    Calls(MeterRegistry registry, String client) {
      this.registry = Objects.requireNonNull(registry, "registry");
      if (client == null || !client.matches("[a-z][a-z0-9_]{0,31}")) {
        throw new IllegalArgumentException("client must be lower-case letters, digits and _, was " + client);
      }
      this.client = client;
    }

    void run(String operation, Runnable work) {
      call(operation, () -> {
        work.run();
        return null;
      });
    }

    <T> T call(String operation, Supplier<T> work) {
      long started = System.nanoTime();
      try {
        T result = work.get();
        timer(operation, "ok").record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
        return result;
      } catch (RuntimeException | Error e) {
        failed(operation, System.nanoTime() - started, e.getClass().getSimpleName());
        throw e;
      }
    }

    @Override
    public void record(String operation, Duration duration, String error) {
      Objects.requireNonNull(operation, "operation");
      Objects.requireNonNull(duration, "duration");
      if (error == null) {
        timer(operation, "ok").record(duration);
      } else {
        failed(operation, duration.toNanos(), error);
      }
    }

    private void failed(String operation, long nanos, String error) {
      timer(operation, "error").record(nanos, TimeUnit.NANOSECONDS);
      Counter.builder("tgsupport.client.errors")
          .description("Failed calls to a server, by client, operation and error")
          .tag("client", client).tag("operation", operation).tag("error", error)
          .register(registry).increment();
    }

    private Timer timer(String operation, String outcome) {
      return Timer.builder("tgsupport.client.duration")
          .description("Calls to a server (Qdrant, the embedder, Redis, Kaiten), by client, operation and outcome")
          .tag("client", client).tag("operation", operation).tag("outcome", outcome)
          .register(registry);
    }
  }
}
