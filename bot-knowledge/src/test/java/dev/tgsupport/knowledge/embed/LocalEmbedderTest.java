package dev.tgsupport.knowledge.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.tgsupport.core.InvalidInputException;
import dev.tgsupport.core.knowledge.Vectors;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class LocalEmbedderTest {
  private static LocalEmbedder embedder;

  @BeforeAll
  static void load() {
    embedder = LocalEmbedder.create(2);
  }

  @AfterAll
  static void close() {
    embedder.close();
  }

  @Test
  void englishParaphrasesAreCloseAndUnrelatedQuestionsFar() {
    float[] reset = embedder.embed("How do I reset my password?");
    float[] forgot = embedder.embed("I forgot my password, how can I change it?");
    float[] hours = embedder.embed("What are your opening hours on Sunday?");

    assertThat(reset).hasSize(384);
    assertThat(Vectors.cosine(reset, forgot)).isGreaterThan(0.7);
    assertThat(Vectors.cosine(reset, hours)).isLessThan(0.3);
  }

  @Test
  void vectorsAreUnitLength() {
    float[] v = embedder.embed("refund for a double charge");
    double norm = 0;
    for (float x : v) {
      norm += x * x;
    }
    assertThat(Math.sqrt(norm)).isCloseTo(1.0, within(1e-3));
  }

  @Test
  void aBatchGivesTheSameVectorsInTheSameOrder() {
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      texts.add("question number " + i + " about delivery");
    }
    List<float[]> batch = embedder.embedAll(texts);

    assertThat(batch).hasSize(20);
    for (int i = 0; i < 20; i += 7) {
      assertThat(Vectors.cosine(batch.get(i), embedder.embed(texts.get(i)))).isCloseTo(1.0, within(1e-5));
    }
    assertThat(embedder.embedAll(List.of())).isEmpty();
  }

  @Test
  void blankTextIsRefusedNamingItsPosition() {
    assertThatThrownBy(() -> embedder.embed(" "))
        .isInstanceOf(InvalidInputException.class).hasMessage("text must not be blank");
    assertThatThrownBy(() -> embedder.embedAll(List.of("ok", "")))
        .isInstanceOf(InvalidInputException.class).hasMessage("texts[1] must not be blank");
  }

  @Test
  void aSessionOfItsOwnWithOneInferenceThreadGivesTheSameVectors() {
    List<String> texts = List.of("How do I reset my password?", "как выгрузить данные?", "refund for a double charge");
    try (LocalEmbedder single = LocalEmbedder.create(1, 1)) {
      assertThat(single.toString()).isEqualTo("LocalEmbedder[all-minilm-l6-v2-q, 384 dims, 1 inference thread]");
      List<float[]> mine = single.embedAll(texts);
      for (int i = 0; i < texts.size(); i++) {
        float[] shared = embedder.embed(texts.get(i));
        assertThat(mine.get(i)).as(texts.get(i)).hasSize(384);
        for (int d = 0; d < 384; d++) {
          assertThat(mine.get(i)[d]).as("%s [%d]", texts.get(i), d).isCloseTo(shared[d], within(1e-4f));
        }
      }
    }
    assertThatThrownBy(() -> LocalEmbedder.create(1, -1)).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("inferenceThreads").hasMessageContaining("-1");
  }

  @Test
  void itNamesItsModel() {
    assertThat(embedder.modelName()).isEqualTo("all-minilm-l6-v2-q");
    assertThat(embedder.dimension()).isEqualTo(384);
  }
}
