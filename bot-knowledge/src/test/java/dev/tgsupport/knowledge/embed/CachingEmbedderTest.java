package dev.tgsupport.knowledge.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tgsupport.core.InvalidInputException;
import dev.tgsupport.core.ServerErrorException;
import dev.tgsupport.core.port.Embedder;
import dev.tgsupport.knowledge.testing.FakeEmbeddingServer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class CachingEmbedderTest {
  private static final int DIM = 16;

  /** A model whose calls are recorded; it hands out the very array it keeps, to catch a cache that shares it. */
  private static final class RecordingEmbedder implements Embedder {
    final List<List<String>> calls = new CopyOnWriteArrayList<>();
    final java.util.Map<String, float[]> handedOut = new java.util.concurrent.ConcurrentHashMap<>();
    volatile RuntimeException failure;

    @Override
    public int dimension() {
      return DIM;
    }

    @Override
    public String modelName() {
      return "recording-model";
    }

    @Override
    public float[] embed(String text) {
      return embedAll(List.of(text)).get(0);
    }

    @Override
    public List<float[]> embedAll(List<String> texts) {
      calls.add(List.copyOf(texts));
      if (failure != null) {
        throw failure;
      }
      List<float[]> out = new ArrayList<>();
      for (String t : texts) {
        out.add(handedOut.computeIfAbsent(t, x -> expected(x)));
      }
      return out;
    }
  }

  private static float[] expected(String text) {
    return FakeEmbeddingServer.vectorFor(text, DIM);
  }

  @Test
  void aRepeatedTextIsServedFromTheCache() {
    RecordingEmbedder model = new RecordingEmbedder();
    CachingEmbedder cache = CachingEmbedder.of(model);

    float[] first = cache.embed("reset my password");
    float[] second = cache.embed("reset my password");

    assertThat(second).containsExactly(first).containsExactly(expected("reset my password"));
    assertThat(model.calls).containsExactly(List.of("reset my password"));
    assertThat(cache.hits()).isEqualTo(1);
    assertThat(cache.misses()).isEqualTo(1);
    assertThat(cache.size()).isEqualTo(1);
    assertThat(cache.embed("Reset my password")).as("the key is the exact text").isNotNull();
    assertThat(cache.misses()).isEqualTo(2);
  }

  @Test
  void embedAllAsksOnlyForTheMissesInOneCallAndKeepsInputOrder() {
    RecordingEmbedder model = new RecordingEmbedder();
    CachingEmbedder cache = CachingEmbedder.of(model);
    cache.embedAll(List.of("a", "b"));
    model.calls.clear();

    List<String> texts = List.of("a", "c", "b", "d", "c");
    List<float[]> vectors = cache.embedAll(texts);

    assertThat(model.calls).containsExactly(List.of("c", "d"));
    assertThat(vectors).hasSize(5);
    for (int i = 0; i < texts.size(); i++) {
      assertThat(vectors.get(i)).as(texts.get(i)).containsExactly(expected(texts.get(i)));
    }
    assertThat(cache.hits()).isEqualTo(2);
    assertThat(cache.misses()).isEqualTo(2 + 3);

    model.calls.clear();
    assertThat(cache.embedAll(List.of("d", "a", "c"))).hasSize(3);
    assertThat(model.calls).as("all hits: no call").isEmpty();
    assertThat(cache.embedAll(List.of())).isEmpty();
    assertThat(model.calls).isEmpty();
  }

  @Test
  void theLeastRecentlyUsedTextGoesFirst() {
    RecordingEmbedder model = new RecordingEmbedder();
    CachingEmbedder cache = CachingEmbedder.of(model, 2);
    cache.embed("a");
    cache.embed("b");
    cache.embed("a"); // a is now more recent than b
    cache.embed("c"); // evicts b
    model.calls.clear();

    cache.embed("a");
    cache.embed("c");
    assertThat(model.calls).isEmpty();
    cache.embed("b");
    assertThat(model.calls).containsExactly(List.of("b"));
    assertThat(cache.size()).isEqualTo(2);
    model.calls.clear();
    cache.embed("a"); // c and then b were used after a, so a was evicted
    assertThat(model.calls).containsExactly(List.of("a"));
  }

  @Test
  void callersGetCopiesAndCannotCorruptTheCache() {
    RecordingEmbedder model = new RecordingEmbedder();
    CachingEmbedder cache = CachingEmbedder.of(model);

    float[] mine = cache.embed("refund");
    mine[0] = 42f;
    model.handedOut.get("refund")[1] = 43f; // the model's own array, changed afterwards
    List<float[]> batch = cache.embedAll(List.of("refund", "refund"));
    batch.get(0)[2] = 44f;

    float[] clean = expected("refund");
    assertThat(cache.embed("refund")).containsExactly(clean);
    assertThat(batch.get(1)).containsExactly(clean);
    assertThat(batch.get(0)).isNotSameAs(batch.get(1));
  }

  @Test
  void itIsTheDelegatesModel() {
    CachingEmbedder cache = CachingEmbedder.of(new RecordingEmbedder());
    assertThat(cache.modelName()).isEqualTo("recording-model");
    assertThat(cache.dimension()).isEqualTo(DIM);
    assertThat(cache.toString()).contains("0/10000 entries");
  }

  @Test
  void aFailingDelegatePassesItsExceptionThroughAndNothingIsCached() {
    RecordingEmbedder model = new RecordingEmbedder();
    CachingEmbedder cache = CachingEmbedder.of(model);
    model.failure = new ServerErrorException("model down");

    assertThatThrownBy(() -> cache.embedAll(List.of("x", "y"))).isInstanceOf(ServerErrorException.class)
        .hasMessage("model down");
    assertThat(cache.size()).isZero();
    model.failure = null;
    assertThat(cache.embed("x")).containsExactly(expected("x"));
  }

  @Test
  void badInputIsRefusedBeforeTheDelegateIsAsked() {
    RecordingEmbedder model = new RecordingEmbedder();
    CachingEmbedder cache = CachingEmbedder.of(model);

    assertThatThrownBy(() -> cache.embed("")).isInstanceOf(InvalidInputException.class)
        .hasMessage("text must not be blank");
    assertThatThrownBy(() -> cache.embedAll(List.of("a", "b", "c", " "))).isInstanceOf(InvalidInputException.class)
        .hasMessage("texts[3] must not be blank");
    assertThatThrownBy(() -> CachingEmbedder.of(model, 0)).isInstanceOf(InvalidInputException.class)
        .hasMessage("maxEntries must be > 0, was 0");
    assertThatThrownBy(() -> CachingEmbedder.of(null)).isInstanceOf(InvalidInputException.class)
        .hasMessage("delegate must not be null");
    assertThat(model.calls).isEmpty();
  }

  @Test
  void manyThreadsGetTheRightVectorsAndTheCountersAddUp() throws Exception {
    RecordingEmbedder model = new RecordingEmbedder();
    CachingEmbedder cache = CachingEmbedder.of(model, 40);
    int threads = 8;
    int rounds = 300;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<Integer>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int seed = t;
        done.add(pool.submit(() -> {
          int served = 0;
          for (int i = 0; i < rounds; i++) {
            String a = "text " + ((seed * 7 + i) % 60);
            String b = "text " + ((seed * 3 + i * 5) % 60);
            assertThat(cache.embed(a)).containsExactly(expected(a));
            List<float[]> two = cache.embedAll(List.of(a, b));
            assertThat(two.get(0)).containsExactly(expected(a));
            assertThat(two.get(1)).containsExactly(expected(b));
            served += 3;
          }
          return served;
        }));
      }
      int served = 0;
      for (Future<Integer> f : done) {
        served += f.get(60, TimeUnit.SECONDS);
      }
      assertThat(cache.hits() + cache.misses()).isEqualTo(served);
      assertThat(cache.hits()).isPositive();
      assertThat(cache.size()).isLessThanOrEqualTo(40);
    } finally {
      pool.shutdownNow();
    }
  }
}
