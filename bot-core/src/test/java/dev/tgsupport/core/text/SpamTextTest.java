package dev.tgsupport.core.text;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Normalisation against the tricks spammers use to get past word lists. */
class SpamTextTest {
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      // Latin look-alikes inside Russian words, and Cyrillic ones inside English words.
      "Зaрaбoтoк|заработок",
      "Hoвoe нaпрaвлeниe|новое направление",
      "сrурtо trading|crypto trading",
      // Small capitals and Cherokee letters.
      "ᴨᴀᴄᴄиʙный дᴏхᴏд|пассивный доход",
      "Ꮲᴀбᴏᴛᴀ|работа",
      // Full-width letters and mathematical bold (NFKC), upper case, ё.
      "ＵＳＤＴ|usdt",
      "\uD835\uDC1E\uD835\uDC1A\uD835\uDC2B\uD835\uDC27|earn",
      "ЗАРАБОТОК ЁЛКИ|заработок елки",
      // Zero-width characters and soft hyphens inside words.
      "за\u200bра\u200dбо\u00adток|заработок",
      // Stretched letters; doubled letters are real spelling and stay.
      "дохооооод freeeee|доход fre",
      "ванна|ванна"})
  void disguisesAreUndone(String text, String words) {
    assertThat(SpamText.of(text).words()).isEqualTo(words);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "Зaрaбoтoк и дoхoд|2",
      "ᴨᴀᴄᴄиʙный|1",
      "iPadе и MacBook|0",
      "обычный текст без фокусов|0"})
  void disguisedWordsAreCounted(String text, int words) {
    assertThat(SpamText.of(text).lookalikes()).isEqualTo(words);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {"Привет 👋🔥|2|6|1", "ВСЕ СЮДА ✅|1|7|7", "plain|0|5|0"})
  void emojiAndCapitalsAreCountedOnTheOriginal(String text, int emoji, int letters, int upper) {
    SpamText t = SpamText.of(text);
    assertThat(t.emoji()).isEqualTo(emoji);
    assertThat(t.letters()).isEqualTo(letters);
    assertThat(t.upper()).isEqualTo(upper);
  }
}
