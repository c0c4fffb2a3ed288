package dev.tgsupport.core.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tgsupport.core.model.Intent;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ExampleIntentClassifierTest {
  /** Five intents of a support bot, in both languages. */
  static ExampleIntentClassifier.Builder supportIntents() {
    return ExampleIntentClassifier.builder()
        .add("billing",
            "How much does the Pro plan cost?", "Why was I charged twice?", "I need an invoice for my payment",
            "What payment methods do you accept?", "Сколько стоит тариф Pro?", "С карты списали деньги дважды",
            "Нужен счёт на оплату", "Какие способы оплаты вы принимаете?")
        .add("login",
            "I can't log in", "I forgot my password", "The login page says my password is wrong",
            "The two-factor code never arrives", "Не могу войти в аккаунт", "Забыл пароль",
            "Не приходит код для входа")
        .add("bug",
            "The app crashes when I open a project", "Export fails with error 500", "The page doesn't load",
            "Buttons do not respond after the update", "Приложение вылетает при открытии проекта",
            "Ошибка 500 при экспорте", "Страница не загружается")
        .add("human",
            "I want to talk to a person", "Connect me with an operator", "Can I speak to a human?",
            "Позовите оператора", "Хочу поговорить с живым человеком", "Соедините с менеджером")
        .add("feature",
            "Can you add a dark mode?", "Please add integration with Slack",
            "It would be great to have a calendar view",
            "Добавьте тёмную тему", "Сделайте интеграцию со Slack", "Хотелось бы видеть календарь");
  }

  private final ExampleIntentClassifier classifier = supportIntents().build();

  @ParameterizedTest(name = "{0} → {1}")
  @CsvSource(delimiter = '|', value = {
      "how much is the pro plan per month | billing",
      "money was charged twice from my card | billing",
      "сколько стоит подписка на тариф | billing",
      "можно оплатить другим способом? | billing",
      "I forgot the password and cannot sign in | login",
      "не могу зайти в аккаунт | login",
      "код для входа не пришел | login",
      "the app keeps crashing | bug",
      "при экспорте выдает ошибку 500 | bug",
      "страница долго не загружается | bug",
      "let me talk to a real person | human",
      "позовите живого человека | human",
      "please add a dark theme | feature",
      "добавьте интеграцию с календарём | feature"})
  void paraphrasesAreClassifiedAsTheirIntent(String text, String intent) {
    Intent result = classifier.classify(text);
    assertThat(result.name()).as(text + " " + result).isEqualTo(intent);
    assertThat(result.confidence()).isGreaterThanOrEqualTo(0.5);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "What's the weather in Paris tomorrow?", "Кто выиграл чемпионат мира по футболу?", "Tell me a joke",
      "Рецепт борща с пампушками", "asdfghjkl", "Which planet is the largest in the solar system?"})
  void unrelatedTextIsOutOfScope(String text) {
    Intent result = classifier.classify(text);
    assertThat(result.isOutOfScope()).as(text + " " + result).isTrue();
    assertThat(result.confidence()).isGreaterThanOrEqualTo(0.5);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "   ", "!!!", "👍", "\uD800"})
  void textWithoutWordsIsOutOfScopeWithFullConfidence(String text) {
    assertThat(classifier.classify(text)).isEqualTo(Intent.outOfScope(1.0));
  }

  @Test
  void nullTextIsOutOfScope() {
    assertThat(classifier.classify(null)).isEqualTo(Intent.outOfScope(1.0));
  }

  @Test
  void withoutExamplesEverythingIsOutOfScope() {
    ExampleIntentClassifier empty = ExampleIntentClassifier.builder().build();
    assertThat(empty.classify("How much does the Pro plan cost?")).isEqualTo(Intent.outOfScope(1.0));
    assertThat(empty.intents()).isEmpty();
  }

  @Test
  void anExampleItselfIsClassifiedWithHighConfidence() {
    Intent result = classifier.classify("Позовите оператора");
    assertThat(result.name()).isEqualTo("human");
    // Its nearest example is itself (0.7 of the score); the centroid, half English, adds less.
    assertThat(result.confidence()).isGreaterThan(0.8);
  }

  @Test
  void theLearntThresholdLiesWithinItsBounds() {
    assertThat(classifier.threshold())
        .isBetween(ExampleIntentClassifier.MIN_THRESHOLD, ExampleIntentClassifier.MAX_THRESHOLD);
  }

  @Test
  void withNothingToLearnFromTheThresholdFallsBack() {
    assertThat(ExampleIntentClassifier.builder().add("only", "a", "b").build().threshold())
        .isEqualTo(ExampleIntentClassifier.FALLBACK_THRESHOLD);
    assertThat(ExampleIntentClassifier.builder().add("x", "one").add("y", "two").build().threshold())
        .isEqualTo(ExampleIntentClassifier.FALLBACK_THRESHOLD);
  }

  @Test
  void anExplicitThresholdIsUsedAsGiven() {
    ExampleIntentClassifier strict = supportIntents().outOfScopeThreshold(0.7).build();
    assertThat(strict.threshold()).isEqualTo(0.7);
    assertThat(strict.classify("the app keeps crashing").isOutOfScope()).isTrue();
    assertThat(strict.classify("Позовите оператора").name()).isEqualTo("human");
    ExampleIntentClassifier lax = supportIntents().outOfScopeThreshold(0.0).build();
    assertThat(lax.classify("Tell me a joke").isOutOfScope()).isFalse();
  }

  @Test
  void outOfScopeExamplesTeachWhatToReject() {
    ExampleIntentClassifier withNegatives = supportIntents()
        .outOfScopeThreshold(0.0)
        .add(Intent.OUT_OF_SCOPE, "Tell me a joke", "What's the weather like?", "Расскажи анекдот")
        .build();
    assertThat(withNegatives.classify("tell me a funny joke").isOutOfScope()).isTrue();
    assertThat(withNegatives.classify("расскажи смешной анекдот").isOutOfScope()).isTrue();
    assertThat(withNegatives.classify("Позовите оператора").name()).isEqualTo("human");
  }

  @Test
  void classifyAllClassifiesEachTextInOrder() {
    assertThat(classifier.classifyAll(List.of("Забыл пароль", "Tell me a joke", "Добавьте тёмную тему")))
        .extracting(Intent::name)
        .containsExactly("login", Intent.OUT_OF_SCOPE, "feature");
  }

  @Test
  void toBuilderMakesAnEqualClassifier() {
    ExampleIntentClassifier copy = classifier.toBuilder().build();
    assertThat(copy.threshold()).isEqualTo(classifier.threshold());
    assertThat(copy.intents()).containsExactly("billing", "login", "bug", "human", "feature");
    assertThat(copy.classify("позовите живого человека")).isEqualTo(classifier.classify("позовите живого человека"));
  }

  @Test
  void concurrentClassificationGivesTheSameAnswers() throws Exception {
    List<String> texts = List.of("the app keeps crashing", "Забыл пароль", "Tell me a joke", "сколько стоит тариф");
    List<Intent> expected = classifier.classifyAll(texts);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<List<Intent>>> futures = new ArrayList<>();
      for (int i = 0; i < 64; i++) {
        futures.add(pool.submit(() -> classifier.classifyAll(texts)));
      }
      for (Future<List<Intent>> f : futures) {
        assertThat(f.get()).isEqualTo(expected);
      }
    } finally {
      pool.shutdown();
    }
  }

  @Test
  void invalidExamplesAndThresholdsAreRejectedNamingThem() {
    assertThatThrownBy(() -> ExampleIntentClassifier.builder().add(" ", "x"))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("intent must not be blank, was \" \"");
    assertThatThrownBy(() -> ExampleIntentClassifier.builder().add("billing", "price?", "!!!"))
        .hasMessage("example 2 of intent 'billing' has no words, was \"!!!\"");
    assertThatThrownBy(() -> ExampleIntentClassifier.builder().outOfScopeThreshold(1.5))
        .hasMessage("outOfScopeThreshold must be in [0, 1], was 1.5");
    assertThatThrownBy(() -> ExampleIntentClassifier.builder().outOfScopeThreshold(Double.NaN))
        .hasMessage("outOfScopeThreshold must be in [0, 1], was NaN");
  }

  @Test
  void bestCutSeparatesAcceptedFromRejectedScoresInTheMiddleOfTheWidestGap() {
    assertThat(ExampleIntentClassifier.bestCut(List.of(0.5, 0.6, 0.7), List.of(0.1, 0.2)))
        .isEqualTo(0.35, org.assertj.core.data.Offset.offset(1e-9));
    // One rejected score among the accepted ones cannot be separated; the best cut still gets the rest right.
    assertThat(ExampleIntentClassifier.bestCut(List.of(0.4, 0.5, 0.6), List.of(0.1, 0.45, 0.2)))
        .isBetween(0.2, 0.4);
  }
}
