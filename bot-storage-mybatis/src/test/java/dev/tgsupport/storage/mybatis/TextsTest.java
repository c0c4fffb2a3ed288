package dev.tgsupport.storage.mybatis;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TextsTest {
  @Test
  void nulsAreStrippedAndCounted() {
    assertThat(Texts.clean("a\0b\0")).isEqualTo("ab");
    assertThat(Texts.countNuls("a\0b\0")).isEqualTo(2);
  }

  @Test
  void loneSurrogatesBecomeReplacementCharactersAndPairsSurvive() {
    assertThat(Texts.clean("x\uD800y")).isEqualTo("x\uFFFDy");
    assertThat(Texts.clean("\uDC00")).isEqualTo("\uFFFD");
    assertThat(Texts.clean("ok 👍")).isEqualTo("ok 👍");
    String clean = "Привет";
    assertThat(Texts.clean(clean)).isSameAs(clean);
  }
}
