package dev.tgsupport.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tgsupport.core.StorageUnavailableException;
import dev.tgsupport.core.contract.KnowledgeIndexContract;
import dev.tgsupport.core.memory.InMemoryDialogStates;
import dev.tgsupport.core.memory.InMemoryKnowledgeIndex;
import dev.tgsupport.core.memory.InMemoryRateLimiter;
import dev.tgsupport.core.port.DialogStates;
import dev.tgsupport.core.port.KnowledgeIndex;
import dev.tgsupport.core.port.RateLimiter;
import dev.tgsupport.core.text.HashingEmbedder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class MeteredTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  private long timed(String client, String operation, String outcome) {
    return registry.get("tgsupport.client.duration").tags("client", client, "operation", operation, "outcome", outcome)
        .timer().count();
  }

  /** A metered index still behaves exactly like the index it wraps. */
  @Nested
  class IndexContract extends KnowledgeIndexContract {
    @Override
    protected KnowledgeIndex index(int dimension) {
      return Metered.knowledgeIndex(InMemoryKnowledgeIndex.create(dimension), new SimpleMeterRegistry(), "qdrant");
    }
  }

  @Test
  void indexCallsAreTimedByOperationAndFailuresCountedByError() {
    KnowledgeIndex index = Metered.knowledgeIndex(InMemoryKnowledgeIndex.create(2), registry, "qdrant");
    index.upsert(1, new float[] {1, 0}, Map.of());
    index.search(new float[] {1, 0}, 1, 0, Map.of());
    index.search(new float[] {1, 0}, 1, 0, Map.of());
    index.count();
    assertThat(index.fingerprints()).hasValue(Map.of(1L, ""));

    assertThat(timed("qdrant", "upsert", "ok")).isEqualTo(1);
    assertThat(timed("qdrant", "fingerprints", "ok")).isEqualTo(1);
    assertThat(timed("qdrant", "search", "ok")).isEqualTo(2);
    assertThat(timed("qdrant", "count", "ok")).isEqualTo(1);

    KnowledgeIndex down = Metered.knowledgeIndex(new KnowledgeIndex() {
      @Override
      public void upsert(long entryId, float[] vector, Map<String, String> payload) {}

      @Override
      public void delete(long entryId) {}

      @Override
      public List<VectorHit> search(float[] query, int limit, double minScore, Map<String, String> filter) {
        throw new StorageUnavailableException("qdrant unavailable at qdrant:6334");
      }

      @Override
      public long count() {
        return 0;
      }
    }, registry, "qdrant");
    assertThatThrownBy(() -> down.search(new float[] {1, 0}, 1, 0, Map.of()))
        .isInstanceOf(StorageUnavailableException.class).hasMessage("qdrant unavailable at qdrant:6334");
    assertThat(timed("qdrant", "search", "error")).isEqualTo(1);
    assertThat(registry.get("tgsupport.client.errors")
        .tags("client", "qdrant", "operation", "search", "error", "StorageUnavailableException").counter().count())
        .isEqualTo(1);
  }

  @Test
  void embedderRedisAndStateCallsAreTimed() {
    var embedder = Metered.embedder(HashingEmbedder.create(), registry, "embedder");
    embedder.embed("reset my password");
    embedder.embedAll(List.of("a question", "another one"));
    RateLimiter limiter = Metered.rateLimiter(InMemoryRateLimiter.create(), registry, "redis");
    limiter.tryAcquire("chat:1", RateLimiter.Limit.perSecond(1));
    DialogStates states = Metered.dialogStates(InMemoryDialogStates.create(), registry, "redis");
    states.put(1, 2, "waiting", Duration.ofMinutes(1));
    assertThat(states.get(1, 2)).hasValue("waiting");

    assertThat(timed("embedder", "embed", "ok")).isEqualTo(1);
    assertThat(timed("embedder", "embed_all", "ok")).isEqualTo(1);
    assertThat(timed("redis", "acquire", "ok")).isEqualTo(1);
    assertThat(timed("redis", "state_put", "ok")).isEqualTo(1);
    assertThat(timed("redis", "state_get", "ok")).isEqualTo(1);
    assertThat(embedder.dimension()).isEqualTo(HashingEmbedder.create().dimension());
  }

  @Test
  void callsTimedElsewhereLandOnTheSameMeters() {
    Metered.CallRecorder kaiten = Metered.calls(registry, "kaiten");
    kaiten.record("create_card", Duration.ofMillis(120), null);
    kaiten.record("create_card", Duration.ofMillis(80), null);
    kaiten.record("list_cards", Duration.ofSeconds(2), "ServerErrorException");

    assertThat(timed("kaiten", "create_card", "ok")).isEqualTo(2);
    assertThat(registry.get("tgsupport.client.duration")
        .tags("client", "kaiten", "operation", "create_card", "outcome", "ok").timer()
        .totalTime(java.util.concurrent.TimeUnit.MILLISECONDS)).isEqualTo(200);
    assertThat(timed("kaiten", "list_cards", "error")).isEqualTo(1);
    assertThat(registry.get("tgsupport.client.errors")
        .tags("client", "kaiten", "operation", "list_cards", "error", "ServerErrorException").counter().count())
        .isEqualTo(1);
    assertThat(registry.find("tgsupport.client.errors").tags("operation", "create_card").counter()).isNull();
    assertThatThrownBy(() -> Metered.calls(registry, "Kaiten API"))
        .hasMessage("client must be lower-case letters, digits and _, was Kaiten API");
  }

  @Test
  void aBadClientNameIsRefused() {
    assertThatThrownBy(() -> Metered.knowledgeIndex(InMemoryKnowledgeIndex.create(2), registry, "Qdrant!"))
        .hasMessage("client must be lower-case letters, digits and _, was Qdrant!");
  }
}
