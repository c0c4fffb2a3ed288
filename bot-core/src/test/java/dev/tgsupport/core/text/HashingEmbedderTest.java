package dev.tgsupport.core.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class HashingEmbedderTest {
  private final HashingEmbedder embedder = HashingEmbedder.create();

  private static double cosine(float[] a, float[] b) {
    double dot = 0;
    for (int i = 0; i < a.length; i++) {
      dot += a[i] * b[i];
    }
    return dot;
  }

  private double similarity(String a, String b) {
    return cosine(embedder.embed(a), embedder.embed(b));
  }

  private static double length(float[] v) {
    return Math.sqrt(cosine(v, v));
  }

  @Test
  void describesItsModelAndDimension() {
    assertThat(embedder.dimension()).isEqualTo(256);
    assertThat(embedder.modelName()).isEqualTo("hashing-256");
    HashingEmbedder small = HashingEmbedder.create(64);
    assertThat(small.dimension()).isEqualTo(64);
    assertThat(small.modelName()).isEqualTo("hashing-64");
    assertThat(small.embed("hello world")).hasSize(64);
  }

  @Test
  void embeddingsAreUnitLengthAndDeterministicAcrossInstances() {
    float[] v = embedder.embed("Как сбросить пароль?");
    assertThat(length(v)).isCloseTo(1.0, within(1e-5));
    assertThat(HashingEmbedder.create(256).embed("Как сбросить пароль?")).containsExactly(v);
  }

  @Test
  void theHashingIsFixedSoStoredVectorsStayValid() {
    // Changing the features or the hash silently invalidates every index built before: this must fail first.
    float[] v = HashingEmbedder.create(8).embed("reset password");
    assertThat(v).containsExactly(new float[] {0.37075824f, 0.0f, 0.658005f, 0.37075824f, 0.18537912f, 0.0f,
        0.47262588f, -0.18537912f}, within(1e-6f));
  }

  @Test
  void similarTextsAreCloserThanUnrelatedOnesInBothLanguages() {
    assertThat(similarity("How do I reset my password?", "I forgot my password and need to reset it"))
        .isGreaterThan(similarity("How do I reset my password?", "Where can I download my invoices?") + 0.3);
    assertThat(similarity("Как сбросить пароль?", "забыл пароль, как сбросить"))
        .isGreaterThan(similarity("Как сбросить пароль?", "Где скачать счета?") + 0.3);
  }

  @Test
  void wordFormsAndTyposStayClose() {
    assertThat(similarity("оплата подписки", "оплатой подписку")).isGreaterThan(0.6);
    assertThat(similarity("password reset", "pasword resett")).isGreaterThan(0.3);
    assertThat(similarity("пароль", "пороль")).isGreaterThan(similarity("пароль", "счёт") + 0.1);
  }

  @Test
  void textWithoutWordsEmbedsToTheZeroVector() {
    for (String t : java.util.Arrays.asList("", "   ", "!!!", "👍🔥", "\uD800", null)) {
      float[] v = embedder.embed(t);
      assertThat(v).hasSize(256);
      assertThat(length(v)).as(String.valueOf(t)).isZero();
    }
  }

  @Test
  void embedAllEmbedsEachTextInOrder() {
    List<float[]> all = embedder.embedAll(List.of("a b c", "пароль"));
    assertThat(all).hasSize(2);
    assertThat(all.get(1)).containsExactly(embedder.embed("пароль"));
  }

  @Test
  void adversarialInputNeverThrows() {
    for (String t : List.of("a".repeat(100_000), "\u0000x\u0000", "x\uDC00y", "ё".repeat(50_000), "😀 ok")) {
      assertThatCode(() -> embedder.embed(t)).doesNotThrowAnyException();
    }
    assertThat(length(embedder.embed("a".repeat(100_000)))).isCloseTo(1.0, within(1e-5));
  }

  @Test
  void invalidDimensionsAreRejected() {
    assertThatThrownBy(() -> HashingEmbedder.create(0))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("dimension must be in 1..1048576, was 0");
    assertThatThrownBy(() -> HashingEmbedder.create(1 << 21))
        .hasMessage("dimension must be in 1..1048576, was 2097152");
  }

  @Test
  void aOneDimensionalEmbedderStillWorks() {
    assertThat(Math.abs(HashingEmbedder.create(1).embed("anything")[0])).isCloseTo(1.0f, within(1e-6f));
  }
}
