package dev.tgsupport.core.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tgsupport.core.text.SpamDetector.SpamVerdict;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every check on texts written for these tests, in Russian and English; none comes from tg-spam's files. */
class SpamDetectorTest {
  static final List<String> SPAM = List.of(
      "Ищем людей на удалённую работу, доход от 200$ в день, без опыта, всё просто. Пишите в личные сообщения",
      "Зарабатываю на криптовалюте уже полгода, вывожу в USDT каждую неделю. Кому интересно, пиши мне в лс",
      "Нужны ответственные люди, занятость 2 часа в день, оплата ежедневно от 5000 рублей. Подробности в ЛС",
      "Приглашаю в закрытый канал с сигналами по BTC и ETH, прибыль от 30% в неделю: t.me/+QwErTy123abc",
      "Earn $500 a day from home with our crypto trading bot, no experience needed, message me on WhatsApp",
      "I made $12,000 in one week with this investment platform, payout is instant, join here https://bit.ly/x1y2",
      "Looking for partners to work remotely, daily income guaranteed, DM me for details and bonus",
      "Ставки на футбол с гарантией, наш каппер даёт точные прогнозы на матчи, переходи @BetsProfitBot",
      "🔥🔥 ЛУЧШИЙ ЗАРАБОТОК В ТЕЛЕГРАМ 🔥🔥 ПАССИВНЫЙ ДОХОД 💰💰 ЖМИ СЮДА 👉 @Money_Fast_Bot",
      "Binance airdrop is live! Claim free USDT tokens now before it ends, connect your wallet at claim-drop.xyz");
  static final List<String> HAM = List.of(
      "Подскажите, как сбросить пароль в личном кабинете? Письмо со ссылкой не приходит уже час",
      "У меня после обновления приложение падает при запуске, Android 14, Pixel 7",
      "Спасибо, помогло! Оказалось, надо было очистить кэш",
      "Кто-нибудь настраивал интеграцию с 1С? Документация какая-то устаревшая",
      "How do I export my data to CSV? The button in settings is greyed out",
      "After the last update the sync stopped working on my Mac, anyone else seeing this?",
      "Я тоже с этим столкнулся, поддержка ответила, что чинят",
      "Can someone explain how billing works for teams with more than ten seats?",
      "Вчера вечером сервис лежал минут двадцать, сегодня вроде всё нормально",
      "Есть ли API для выгрузки отчётов? Хочу автоматизировать еженедельную сводку",
      "Документация тут: https://docs.example.com/api/reports, раздел про экспорт",
      "Наш админ @ivan_petrov обещал выложить инструкцию завтра утром",
      "I think the issue is with the proxy settings, try disabling it and restart the app",
      "Да, переход на новую версию прошёл без проблем, только пришлось заново войти",
      "Where can I find the changelog for version 3.2? The release notes page is empty",
      "Котики в офисе сегодня особенно активные, работать невозможно");
  static final List<String> STOP = List.of("пиши в лс", "заработок в интернете", "easy money");

  private static final SpamDetector DETECTOR =
      SpamDetector.builder().spamSamples(SPAM).hamSamples(HAM).stopWords(STOP).build();

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "Надоела работа? Пиши в ЛС, расскажу как|stop_words",
      "Лучший заработок в интернете без вложений|stop_words",
      "want some EASY MONEY? ask me|stop_words",
      // A Latin "c" in "лс" and a zero-width space do not hide the phrase.
      "пиши в лc, всё объясню|stop_words",
      "пиши в\u200b лс|stop_words"})
  void stopPhrasesAreSpamWhateverTheSpelling(String text, String check) {
    SpamVerdict v = DETECTOR.check(text);
    assertThat(v.spam()).isTrue();
    assertThat(v.checks()).first().isEqualTo(check);
    assertThat(v.reason()).contains(check);
  }

  @Test
  void theJavadocExampleHolds() {
    SpamVerdict v = DETECTOR.check("Зaрaбoтoк от 300$ в день, пиши в лс", true);
    assertThat(v.spam()).isTrue();
    assertThat(v.checks()).first().isEqualTo("stop_words");
    assertThat(v.checks()).contains("contact_me", "earnings");
  }

  @Test
  void aCopyOfKnownSpamWithSmallChangesIsSimilar() {
    SpamVerdict v = DETECTOR.check(
        "Ищем людей на удалённую работу, доход от 300$ в день, без опыта, всё очень просто. Пишите в личку");
    assertThat(v.spam()).isTrue();
    assertThat(v.checks()).contains(SpamDetector.SIMILARITY);
  }

  @Test
  void theClassifierCatchesNewWordingOfKnownThemes() {
    SpamVerdict v = DETECTOR.check(
        "Ищу партнёров для удалённой работы с криптовалютой, доход ежедневно от 3000 рублей, опыт не нужен");
    assertThat(v.spam()).isTrue();
    assertThat(v.checks()).contains(SpamDetector.CLASSIFIER);
  }

  @Test
  void ordinarySupportQuestionsAreClean() {
    for (String text : List.of(
        "Не приходит код подтверждения на почту, уже три раза запрашивал, что делать?",
        "The app crashes when I open a PDF attachment larger than 10 MB, is there a workaround?",
        "Подскажите, где в настройках включить двухфакторную аутентификацию",
        "Ссылка на статью из базы знаний: https://help.example.com/articles/42 — там всё расписано")) {
      assertThat(DETECTOR.check(text).spam()).as(text).isFalse();
    }
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "вступай к нам t.me/+AbCdEf12345 быстрее|invite_link",
      "вот ссылка https://t.me/joinchat/AAAAAE|invite_link",
      "пишите на wa.me/79991234567|invite_link",
      "подробности пишите в лс|contact_me",
      "DM me for the details|contact_me",
      "заработок от 100$ в день|earnings",
      "пассивный доход каждый месяц|earnings",
      "earn money from home|earnings",
      "вывод в USDT за минуту|crypto",
      "best forex signals|crypto",
      "only 18+ знакомства рядом|adult",
      "смотри https://example.org/page|link",
      "спроси у @support_team_lead|mention",
      "звоните +7 (999) 123-45-67|phone"})
  void eachSignalIsNamed(String text, String signal) {
    assertThat(DETECTOR.check(text).checks()).contains(signal);
  }

  @Test
  void oneSignalAloneIsNotSpam() {
    SpamVerdict v = DETECTOR.check("Вот инструкция по настройке: https://example.org/setup, там всё по шагам");
    assertThat(v.spam()).isFalse();
    assertThat(v.checks()).containsExactly("link");
    assertThat(v.reason()).isEmpty();
  }

  @Test
  void threeSignalsTogetherAreSpam() {
    SpamDetector signalsOnly = SpamDetector.builder().build();
    SpamVerdict v = signalsOnly.check("Доход в USDT, пиши в лс");
    assertThat(v.spam()).isTrue();
    assertThat(v.checks()).containsExactly("contact_me", "earnings", "crypto");
    assertThat(v.score()).isEqualTo(1.0);
  }

  @Test
  void emojiAndCapitalsAreSignals() {
    SpamDetector signalsOnly = SpamDetector.builder().build();
    assertThat(signalsOnly.check("Отличная новость 🎉🎉🎉🎉 для всех").checks()).containsExactly("emoji");
    assertThat(signalsOnly.check("Отличная новость 🎉🎉🎉 для всех").checks()).isEmpty();
    assertThat(signalsOnly.check("СРОЧНО ВСЕМ ПРОЧИТАТЬ ЭТО СООБЩЕНИЕ").checks()).containsExactly("caps");
    assertThat(signalsOnly.check("ОК").checks()).isEmpty();
    assertThat(SpamDetector.builder().maxEmoji(-1).build().check("🎉🎉🎉🎉🎉🎉").checks()).isEmpty();
  }

  @Test
  void disguisedWordsCountTwice() {
    SpamDetector signalsOnly = SpamDetector.builder().build();
    // Latin "a", "o", "p", "e" inside Russian words.
    SpamVerdict v = signalsOnly.check("Зaрaбaтывaй дoмa, пoдрoбнoсти в прoфиле, @rich_today");
    assertThat(v.checks()).contains("lookalikes", "mention");
    assertThat(v.spam()).isTrue();
    assertThat(signalsOnly.check("На iPadе всё работает, а на телефоне нет").checks()).doesNotContain("lookalikes");
  }

  @Test
  void firstMessagesGetStricterLimits() {
    SpamDetector signalsOnly = SpamDetector.builder().build();
    String text = "Пассивный доход в USDT, подробности у меня";
    assertThat(signalsOnly.check(text, false).spam()).isFalse();
    SpamVerdict strict = signalsOnly.check(text, true);
    assertThat(strict.spam()).isTrue();
    assertThat(strict.checks()).containsExactly("earnings", "crypto");
  }

  @Test
  void shortTextsAreJudgedOnlyByStopWordsAndSignals() {
    SpamDetector strictModels = DETECTOR.toBuilder().classifierThreshold(0.01).similarityThreshold(0.01).build();
    assertThat(strictModels.check("как дела у всех").spam()).isFalse();
    assertThat(strictModels.toBuilder().minLength(0).build().check("как дела у всех").spam()).isTrue();
  }

  @Test
  void emptyAndOddTextsAreClean() {
    for (String text : new String[] {null, "", "   ", "...", "\uD800", "\u200b\u200b"}) {
      SpamVerdict v = DETECTOR.check(text);
      assertThat(v.spam()).isFalse();
      assertThat(v.checks()).isEmpty();
    }
  }

  @Test
  void withoutSamplesOnlyStopWordsAndSignalsWork() {
    SpamDetector bare = SpamDetector.builder().stopWords(STOP).build();
    assertThat(bare.check("Ищем людей на удалённую работу, доход от 200$ в день, без опыта").checks())
        .doesNotContain(SpamDetector.CLASSIFIER, SpamDetector.SIMILARITY);
    assertThat(bare.check("пиши в лс").spam()).isTrue();
  }

  @Test
  void fromFilesReadsOneSampleALine(@TempDir Path dir) throws IOException {
    Path spam = Files.write(dir.resolve("spam.txt"), SPAM, StandardCharsets.UTF_8);
    Path ham = Files.write(dir.resolve("ham.txt"), HAM, StandardCharsets.UTF_8);
    Path stop = Files.writeString(dir.resolve("stop.txt"), "пиши в лс\n\n  easy money \n");
    SpamDetector d = SpamDetector.fromFiles(spam, ham, stop);
    assertThat(d.spamSamples()).isEqualTo(SPAM.size());
    assertThat(d.hamSamples()).isEqualTo(HAM.size());
    assertThat(d.check("easy money here").checks()).first().isEqualTo("stop_words");
    assertThat(d.toString()).contains("spamSamples=10", "hamSamples=16", "stopWords=2");
    assertThatThrownBy(() -> SpamDetector.fromFiles(dir.resolve("missing.txt"), null, null))
        .isInstanceOf(UncheckedIOException.class).hasMessageContaining("missing.txt");
  }

  @Test
  void trainingIsFastAndDeterministic() {
    long start = System.nanoTime();
    SpamDetector again = DETECTOR.toBuilder().build();
    assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(2_000);
    String text = "Работа для всех, доход каждый день, переходи по ссылке в профиле";
    assertThat(again.check(text)).isEqualTo(DETECTOR.check(text));
  }

  @Test
  void settingsAreValidatedByName() {
    assertThatThrownBy(() -> SpamDetector.builder().similarityThreshold(0).build())
        .hasMessage("similarityThreshold must be in (0, 1], was 0.0");
    assertThatThrownBy(() -> SpamDetector.builder().classifierThreshold(1.5).build())
        .hasMessage("classifierThreshold must be in (0, 1], was 1.5");
    assertThatThrownBy(() -> SpamDetector.builder().minLength(-1).build())
        .hasMessage("minLength must be >= 0, was -1");
    assertThatThrownBy(() -> SpamDetector.builder().signalsForSpam(0).build())
        .hasMessage("signalsForSpam must be >= 1, was 0");
    assertThatThrownBy(() -> SpamDetector.builder().maxEmoji(-2).build())
        .hasMessage("maxEmoji must be >= -1, was -2");
    assertThatThrownBy(() -> new SpamVerdict(true, 1, List.of()))
        .hasMessage("a spam verdict must name a check");
  }
}
