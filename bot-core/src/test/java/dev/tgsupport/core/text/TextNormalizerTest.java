package dev.tgsupport.core.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TextNormalizerTest {
  private final TextNormalizer n = TextNormalizer.create();

  @Test
  void normalizeLowerCasesFoldsYoAndTurnsPunctuationAndEmojiIntoSingleSpaces() {
    assertThat(n.normalize("  Ёлки-палки!!! Не могу   войти 😡\n")).isEqualTo("елки палки не могу войти");
    assertThat(n.normalize("HELLO, World... How's it going?")).isEqualTo("hello world hows it going");
    assertThat(n.normalize("e-mail: ann@example.com")).isEqualTo("e mail ann example com");
    assertThat(n.normalize("Ошибка 500 (API v2)")).isEqualTo("ошибка 500 api v2");
  }

  @Test
  void normalizeKeepsWordsWholeAcrossStressMarksZeroWidthJoinersAndCompatibilityForms() {
    assertThat(n.normalize("паро\u0301ль")).isEqualTo("пароль");
    assertThat(n.normalize("е\u0308лка")).as("decomposed ё").isEqualTo("елка");
    assertThat(n.normalize("ﬁle ＡＰＩ")).isEqualTo("file api");
    assertThat(n.normalize("don\u2019t")).isEqualTo("dont");
  }

  @Test
  void theDocumentedExampleHolds() {
    assertThat(n.tokens("Не могу сбросить ПАРОЛЬ!!! 😡")).containsExactly("не", "могу", "сбросить", "пароль");
    assertThat(n.stems("Не могу сбросить ПАРОЛЬ!!! 😡")).containsExactly("сброс", "парол");
    assertThat(n.charNGrams("Hi all", 3)).containsExactly("_hi", "hi_", "_al", "all", "ll_");
    assertThat(n.charNGrams("ok", 5)).containsExactly("_ok_");
  }

  @Test
  void tokensKeepStopWordsAndStemsDropThem() {
    assertThat(n.tokens("Как мне сбросить пароль?")).containsExactly("как", "мне", "сбросить", "пароль");
    assertThat(n.stems("Как мне сбросить пароль?")).containsExactly("сброс", "парол");
    assertThat(n.tokens("How do I reset my password?")).containsExactly("how", "do", "i", "reset", "my", "password");
    assertThat(n.stems("How do I reset my password?")).containsExactly("reset", "password");
    assertThat(n.stems("и в на the of")).isEmpty();
    assertThat(n.isStopWord("the")).isTrue();
    assertThat(n.isStopWord("пароль")).isFalse();
  }

  @ParameterizedTest(name = "{0} and {1} share a stem")
  @CsvSource({
      "пароль, пароля", "пароль, паролем", "пароль, паролей", "сбросить, сбросил", "сбросить, сбросьте",
      "оплата, оплаты", "оплата, оплатой", "оплата, оплате", "аккаунт, аккаунта", "удалить, удалите",
      "уведомления, уведомлений", "подписка, подписки", "счёт, счета", "красивый, красивая",
      "reset, resetting", "reset, resets", "password, passwords", "payment, payments", "invoice, invoices",
      "export, exporting", "export, exported", "delete, deleting", "refund, refunds", "limit, limits",
      "month, monthly", "connect, connection", "happy, happiness"})
  void wordFormsCollapseToOneStem(String a, String b) {
    assertThat(n.stem(n.tokens(a).get(0))).isEqualTo(n.stem(n.tokens(b).get(0)));
  }

  @Test
  void stemsKeepShortRootsAndDifferentWordsApart() {
    assertThat(n.stem("пароль")).isEqualTo("парол");
    assertThat(n.stem("оплата")).isEqualTo("оплат");
    assertThat(n.stem("payment")).as("'pay' is too short a root to strip -ment").isEqualTo("payment");
    assertThat(n.stem("reset")).isEqualTo("reset");
    assertThat(n.stem("оплата")).isNotEqualTo(n.stem("отправка"));
    assertThat(n.stem("export")).isNotEqualTo(n.stem("import"));
  }

  @Test
  void tokensOfOtherScriptsAndDigitsAreNotStemmed() {
    assertThat(n.stem("2fa")).isEqualTo("2fa");
    assertThat(n.stem("iphone13")).isEqualTo("iphone13");
    assertThat(n.stem("straße")).isEqualTo("straße");
    assertThat(n.stem("データ")).isEqualTo("データ");
    assertThat(n.stem("")).isEmpty();
  }

  @Test
  void charNGramsMarkWordBoundaries() {
    assertThat(n.charNGrams("Reset", 3)).containsExactly("_re", "res", "ese", "set", "et_");
    assertThat(n.charNGrams("я", 3)).containsExactly("_я_");
    assertThat(n.charNGrams("ok ok", 2)).containsExactly("_o", "ok", "k_");
    assertThat(n.charNGrams("!!!", 3)).isEmpty();
    assertThatThrownBy(() -> n.charNGrams("x", 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("n must be >= 1, was 0");
  }

  @Test
  void charNGramsOfATypoOverlapTheCorrectWord() {
    var right = n.charNGrams("password", 3);
    var typo = n.charNGrams("pasword", 3);
    assertThat(typo.stream().filter(right::contains).count()).isGreaterThanOrEqualTo(5);
  }

  @Test
  void nothingThrowsOnAdversarialInput() {
    List<String> texts = java.util.Arrays.asList(
        null, "", " ", "\u0000", "a\u0000b", "\uD800", "\uDC00\uD800", "x\uD83D", "😀".repeat(50_000),
        "пароль ".repeat(15_000), "a".repeat(100_000), "y".repeat(100_000), "ь".repeat(100_000),
        "\u200D\uFE0F\u0301", "'''", "don'", "'t");
    for (String t : texts) {
      assertThatCode(() -> {
        n.normalize(t);
        n.tokens(t);
        n.stems(t);
        n.charNGrams(t, 3);
        Languages.detect(t);
      }).as(t == null ? "null" : t.length() + " chars").doesNotThrowAnyException();
    }
    assertThat(n.tokens(null)).isEmpty();
    assertThat(n.normalize("a\u0000b")).isEqualTo("a b");
    assertThat(n.normalize("x\uD800y")).as("a lone surrogate is not a letter").isEqualTo("x y");
    assertThat(n.tokens("a".repeat(100_000))).hasSize(1);
    assertThat(n.stems("пароль ".repeat(15_000))).hasSize(15_000).containsOnly("парол");
  }

  @Test
  void largeInputIsHandledInLinearTime() {
    String big = "Как сбросить пароль, если не приходит письмо? ".repeat(2_500);
    long start = System.nanoTime();
    for (int i = 0; i < 5; i++) {
      n.stems(big);
      n.charNGrams(big, 3);
    }
    assertThat((System.nanoTime() - start) / 5 / 1_000_000).as("ms per 110,000-char text").isLessThan(500);
  }
}
