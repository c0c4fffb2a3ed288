package dev.tgsupport.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JsonTest {
  @Test
  void quotesBackslashesAndControlCharactersAreEscaped() {
    assertThat(Json.string("a \"b\" \\ c\nd\re\tf\u0001")).isEqualTo("\"a \\\"b\\\" \\\\ c\\nd\\re\\tf\\u0001\"");
  }

  @Test
  void unicodeAndEmojiAreWrittenAsTheyAre() {
    assertThat(Json.string("Привет 👋🏽 👨‍👩‍👧")).isEqualTo("\"Привет 👋🏽 👨‍👩‍👧\"");
  }

  @Test
  void nulCharactersAndLoneSurrogatesAreDroppedSincePostgresqlJsonbRefusesThem() {
    assertThat(Json.string("a\u0000b\ud800c\udc00d")).isEqualTo("\"abcd\"");
  }
}
