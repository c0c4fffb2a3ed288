package dev.tgsupport.core.text;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LanguagesTest {
  @Test
  void cyrillicMajorityIsRussian() {
    assertThat(Languages.detect("Не могу войти в аккаунт")).isEqualTo("ru");
    assertThat(Languages.detect("Не работает API в Tasky")).as("Latin product names inside Russian").isEqualTo("ru");
    assertThat(Languages.detect("Як скинути пароль?")).isEqualTo("ru");
  }

  @Test
  void everythingElseIsEnglish() {
    assertThat(Languages.detect("How do I reset my password?")).isEqualTo("en");
    assertThat(Languages.detect("Wie setze ich mein Passwort zurück?")).isEqualTo("en");
    assertThat(Languages.detect("ok да")).as("a tie is not a majority").isEqualTo("en");
    assertThat(Languages.detect("👍")).isEqualTo("en");
    assertThat(Languages.detect("")).isEqualTo("en");
    assertThat(Languages.detect(null)).isEqualTo("en");
    assertThat(Languages.detect("\uD800\u0000")).isEqualTo("en");
  }

  @Test
  void theHintDecidesOnlyWhenTheTextHasNoLetters() {
    assertThat(Languages.detect("", "ru")).isEqualTo("ru");
    assertThat(Languages.detect("👍", "uk")).isEqualTo("ru");
    assertThat(Languages.detect("+1", "be")).isEqualTo("ru");
    assertThat(Languages.detect("123", "ru-RU")).isEqualTo("ru");
    assertThat(Languages.detect("", "de")).isEqualTo("en");
    assertThat(Languages.detect("", null)).isEqualTo("en");
    assertThat(Languages.detect(null, "ru")).isEqualTo("ru");
    assertThat(Languages.detect("Hello", "ru")).isEqualTo("en");
    assertThat(Languages.detect("Привет", "en")).isEqualTo("ru");
  }
}
