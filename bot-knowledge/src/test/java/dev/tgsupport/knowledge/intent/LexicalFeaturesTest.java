package dev.tgsupport.knowledge.intent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.tgsupport.knowledge.intent.LexicalFeatures.Sparse;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LexicalFeaturesTest {
  private final LexicalFeatures features = new LexicalFeatures(1 << 16, 2, 5);

  private static double cosine(Sparse a, Sparse b) {
    Map<Integer, Float> m = new HashMap<>();
    for (int i = 0; i < a.indices().length; i++) {
      m.put(a.indices()[i], a.values()[i]);
    }
    double dot = 0;
    for (int i = 0; i < b.indices().length; i++) {
      dot += m.getOrDefault(b.indices()[i], 0f) * b.values()[i];
    }
    return dot;
  }

  @Test
  void vectorsAreUnitLengthWithAscendingDistinctIndices() {
    Sparse s = features.of("Не могу войти: забыл пароль, пароль не подходит!");
    double norm = 0;
    for (float v : s.values()) {
      norm += v * v;
    }
    assertThat(Math.sqrt(norm)).isCloseTo(1.0, within(1e-5));
    for (int i = 1; i < s.indices().length; i++) {
      assertThat(s.indices()[i]).isGreaterThan(s.indices()[i - 1]);
    }
    assertThat(features.of(" ?! ").isEmpty()).isTrue();
  }

  @Test
  void inflectedRussianFormsShareMostFeaturesAndUnrelatedTextsFew() {
    Sparse forgot = features.of("забыл пароль от аккаунта");
    Sparse forgotten = features.of("забыла свой пароль от аккаунта");
    Sparse weather = features.of("какая завтра погода");
    assertThat(cosine(forgot, forgotten)).isGreaterThan(0.6);
    assertThat(cosine(forgot, weather)).isLessThan(0.2);
    assertThat(cosine(features.of("Ёлка"), features.of("елка"))).isCloseTo(1.0, within(1e-5));
  }
}
