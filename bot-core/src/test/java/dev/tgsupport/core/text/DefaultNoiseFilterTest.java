package dev.tgsupport.core.text;

import dev.tgsupport.core.contract.MutableClock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tgsupport.core.memory.InMemoryFloodCounter;
import dev.tgsupport.core.model.Chat;
import dev.tgsupport.core.model.ChatType;
import dev.tgsupport.core.model.IncomingMessage;
import dev.tgsupport.core.model.MessageType;
import dev.tgsupport.core.model.NoiseVerdict;
import dev.tgsupport.core.model.TelegramUser;
import dev.tgsupport.core.port.FloodCounter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DefaultNoiseFilterTest {
  private static final TelegramUser ANN = TelegramUser.of(7, "Ann");
  private static final TelegramUser BOB = TelegramUser.of(8, "Bob");
  private static final Chat PRIVATE = Chat.privateChat(7, "Ann");
  private static final Chat GROUP = Chat.of(-100123, ChatType.SUPERGROUP, "Support");
  private static final AtomicLong ids = new AtomicLong(1);

  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T10:00:00Z"));
  private final DefaultNoiseFilter filter = DefaultNoiseFilter.builder().clock(clock).build();

  private static IncomingMessage message(Chat chat, TelegramUser user, MessageType type, String text) {
    return new IncomingMessage(chat, user, ids.getAndIncrement(), null, null, type, text, Instant.EPOCH);
  }

  private static IncomingMessage text(String text) {
    return message(PRIVATE, ANN, MessageType.TEXT, text);
  }

  /** A fresh filter per text, so that flood never interferes with what the text itself is. */
  private NoiseVerdict judge(String text) {
    return DefaultNoiseFilter.ofDefaults().check(text(text));
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "привет", "Привет!", "привет всем!", "Всем привет)", "Приветствую", "Здравствуйте", "здраствуйте",
      "Добрый день!", "добрый вечер", "Доброе утро, коллеги", "Доброго времени суток", "приветик 👋",
      "hi", "Hello!", "hey guys", "Hi all", "good morning", "Good evening everyone", "hellooo", "hello?",
      "привет, как дела?", "hi there 🙂"})
  void greetingsAloneAreNoise(String text) {
    assertThat(judge(text)).isEqualTo(NoiseVerdict.noise("greeting"));
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "спасибо", "Спасибо!", "спасибо большое!!", "Огромное спасибо за помощь", "спс", "Благодарю",
      "спасибо, ребята", "мерси", "спасибооо", "спосибо", "thanks", "Thank you!", "thank you so much",
      "thx", "ty", "thanks a lot 🙏", "Thanks for your help!", "ok, thanks", "привет, спасибо", "🙏"})
  void thanksAloneAreNoise(String text) {
    assertThat(judge(text)).isEqualTo(NoiseVerdict.noise("thanks"));
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "ok", "OK", "ок", "okay", "+1", "+", "👍", "понял", "Понятно", "ясно", "хорошо", "ага", "угу", "got it",
      "sure", "cool", "да", "yes", "no", "нет", "ок, понял", "ладно 👌", "👍🔥", "okkk"})
  void acknowledgementsAreNoise(String text) {
    assertThat(judge(text)).isEqualTo(NoiseVerdict.noise("ack"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"🔥🔥", "😂", ")))", "🤔 🤔", "❤️"})
  void emojiWithoutWordsAreNoise(String text) {
    assertThat(judge(text)).isEqualTo(NoiseVerdict.noise("emoji_only"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "   ", "\n\t", "...", "???", "!"})
  void blankOrPunctuationOnlyTextIsEmpty(String text) {
    assertThat(judge(text)).isEqualTo(NoiseVerdict.noise("empty"));
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "спасибо, а как сбросить пароль?", "hi, how do I export my data?", "how do I reset my password?",
      "не работает оплата", "Привет! Не приходит код подтверждения", "Добрый день, не могу войти в аккаунт",
      "thanks, but it still doesn't work", "ok, and where is the invoice?", "Hello, I was charged twice",
      "привет, у меня вопрос", "нет, не помогло", "yes, error 500 again", "2fa", "500", "Почему?",
      "спасибо, но оплата так и не прошла", "help!", "ребята, срочно"})
  void anythingWithContentIsNotNoise(String text) {
    assertThat(judge(text).noise()).as(text).isFalse();
  }

  @Test
  void commandsAreNeverNoise() {
    assertThat(filter.check(text("/start"))).isEqualTo(NoiseVerdict.clean());
    assertThat(filter.check(text("/help@TaskyBot"))).isEqualTo(NoiseVerdict.clean());
    assertThat(filter.check(text("/thanks"))).isEqualTo(NoiseVerdict.clean());
  }

  @Test
  void stickersAreNoiseWhateverTheChat() {
    assertThat(filter.check(message(PRIVATE, ANN, MessageType.STICKER, ""))).isEqualTo(NoiseVerdict.noise("sticker"));
    assertThat(filter.check(message(GROUP, ANN, MessageType.STICKER, "😀")))
        .isEqualTo(NoiseVerdict.noise("sticker"));
  }

  @Test
  void mediaWithoutCaptionIsNoiseInGroupsButNotInPrivateChats() {
    for (MessageType type : List.of(MessageType.PHOTO, MessageType.DOCUMENT, MessageType.VIDEO, MessageType.CONTACT,
        MessageType.LOCATION, MessageType.OTHER)) {
      assertThat(filter.check(message(GROUP, ANN, type, ""))).as(type.name())
          .isEqualTo(NoiseVerdict.noise("no_text"));
      assertThat(filter.check(message(Chat.of(-5, ChatType.GROUP, "g"), ANN, type, " "))).as(type.name())
          .isEqualTo(NoiseVerdict.noise("no_text"));
      assertThat(filter.check(message(PRIVATE, ANN, type, ""))).as(type.name()).isEqualTo(NoiseVerdict.clean());
    }
  }

  @Test
  void aGifWithNothingSaidIsNoiseButACaptionedOneIsJudgedByItsText() {
    assertThat(filter.check(message(PRIVATE, ANN, MessageType.ANIMATION, "")))
        .isEqualTo(NoiseVerdict.noise("animation"));
    assertThat(filter.check(message(GROUP, ANN, MessageType.ANIMATION, " ")))
        .isEqualTo(NoiseVerdict.noise("animation"));
    assertThat(filter.check(message(GROUP, ANN, MessageType.ANIMATION, "не грузится отчёт, вот запись экрана")))
        .isEqualTo(NoiseVerdict.clean());
  }

  @Test
  void voiceMessagesAreNeverNoise() {
    assertThat(filter.check(message(GROUP, ANN, MessageType.VOICE, ""))).isEqualTo(NoiseVerdict.clean());
    assertThat(filter.check(message(PRIVATE, ANN, MessageType.VOICE, "спасибо"))).isEqualTo(NoiseVerdict.clean());
  }

  @Test
  void aCaptionIsJudgedInGroupsButAScreenshotCaptionedHelloInPrivateIsNot() {
    assertThat(filter.check(message(GROUP, ANN, MessageType.PHOTO, "привет всем")))
        .isEqualTo(NoiseVerdict.noise("greeting"));
    assertThat(filter.check(message(PRIVATE, ANN, MessageType.PHOTO, "привет"))).isEqualTo(NoiseVerdict.clean());
    assertThat(filter.check(message(GROUP, ANN, MessageType.PHOTO, "ошибка при оплате")))
        .isEqualTo(NoiseVerdict.clean());
  }

  @Test
  void mentionsAndTheBotsNameMayAccompanyAGreeting() {
    DefaultNoiseFilter named = DefaultNoiseFilter.builder().botNames("Tasky Helper").build();
    assertThat(named.check(text("Привет, Tasky Helper!"))).isEqualTo(NoiseVerdict.noise("greeting"));
    assertThat(named.check(text("@TaskySupportBot спасибо"))).isEqualTo(NoiseVerdict.noise("thanks"));
    assertThat(filter.check(text("Привет, Tasky Helper!"))).isEqualTo(NoiseVerdict.clean());
  }

  @Test
  void theThirdIdenticalMessageFromOneUserWithinTheWindowIsFlood() {
    String q = "How do I reset my password?";
    assertThat(filter.check(message(PRIVATE, ANN, MessageType.TEXT, q))).isEqualTo(NoiseVerdict.clean());
    clock.advance(Duration.ofSeconds(10));
    assertThat(filter.check(message(PRIVATE, ANN, MessageType.TEXT, "how do i reset my password")))
        .isEqualTo(NoiseVerdict.clean());
    clock.advance(Duration.ofSeconds(10));
    assertThat(filter.check(message(PRIVATE, ANN, MessageType.TEXT, q))).isEqualTo(NoiseVerdict.noise("flood"));
    assertThat(filter.check(message(PRIVATE, ANN, MessageType.TEXT, q))).isEqualTo(NoiseVerdict.noise("flood"));
  }

  @Test
  void aRedeliveredMessageIsNotARepeatAndKeepsItsFirstVerdict() {
    IncomingMessage once = text("Webhooks stopped arriving");
    for (int i = 0; i < 5; i++) {
      assertThat(filter.check(once)).as("delivery %d", i + 1).isEqualTo(NoiseVerdict.clean());
    }
    filter.check(text("Webhooks stopped arriving"));
    IncomingMessage third = text("Webhooks stopped arriving");
    assertThat(filter.check(third)).isEqualTo(NoiseVerdict.noise("flood"));
    assertThat(filter.check(third)).as("redelivered").isEqualTo(NoiseVerdict.noise("flood"));
    assertThat(filter.check(once)).as("the first one, redelivered").isEqualTo(NoiseVerdict.clean());
  }

  @Test
  void identicalMessagesFromDifferentUsersOrChatsAreNotFlood() {
    String q = "Не приходит код подтверждения";
    assertThat(filter.check(message(GROUP, ANN, MessageType.TEXT, q)).noise()).isFalse();
    assertThat(filter.check(message(GROUP, BOB, MessageType.TEXT, q)).noise()).isFalse();
    assertThat(filter.check(message(PRIVATE, ANN, MessageType.TEXT, q)).noise()).isFalse();
    assertThat(filter.check(message(GROUP, BOB, MessageType.TEXT, q)).noise()).isFalse();
    assertThat(filter.check(message(Chat.privateChat(8, "Bob"), BOB, MessageType.TEXT, q)).noise()).isFalse();
  }

  @Test
  void repeatsOlderThanTheWindowAreForgotten() {
    String q = "export is broken";
    filter.check(text(q));
    clock.advance(Duration.ofSeconds(30));
    filter.check(text(q));
    clock.advance(Duration.ofSeconds(31));
    assertThat(filter.check(text(q))).as("the first copy is 61 s old").isEqualTo(NoiseVerdict.clean());
    clock.advance(Duration.ofSeconds(5));
    assertThat(filter.check(text(q))).as("two copies within 60 s").isEqualTo(NoiseVerdict.noise("flood"));
  }

  @Test
  void everyTextCountsTowardsFloodButSmallTalkKeepsItsReason() {
    assertThat(filter.check(text("спасибо"))).isEqualTo(NoiseVerdict.noise("thanks"));
    assertThat(filter.check(text("спасибо"))).isEqualTo(NoiseVerdict.noise("thanks"));
    assertThat(filter.check(text("спасибо"))).isEqualTo(NoiseVerdict.noise("thanks"));
    assertThat(filter.check(text("/start"))).isEqualTo(NoiseVerdict.clean());
    assertThat(filter.check(text("/start"))).isEqualTo(NoiseVerdict.clean());
    assertThat(filter.check(text("/start"))).as("commands do not count").isEqualTo(NoiseVerdict.clean());
  }

  @Test
  void floodRepeatsAndWindowAreConfigurable() {
    DefaultNoiseFilter strict =
        DefaultNoiseFilter.builder().clock(clock).floodRepeats(2).floodWindow(Duration.ofSeconds(5)).build();
    assertThat(strict.check(text("где счёт?"))).isEqualTo(NoiseVerdict.clean());
    assertThat(strict.check(text("Где счет"))).isEqualTo(NoiseVerdict.noise("flood"));
    clock.advance(Duration.ofSeconds(6));
    assertThat(strict.check(text("где счёт?"))).isEqualTo(NoiseVerdict.clean());
  }

  @Test
  void floodStateIsBoundedByForgettingTheLeastRecentlyActiveUsers() {
    DefaultNoiseFilter small = DefaultNoiseFilter.builder().clock(clock).maxTrackedUsers(3).build();
    for (long user = 1; user <= 10; user++) {
      small.check(message(Chat.privateChat(user, "u"), TelegramUser.of(user, "u"), MessageType.TEXT, "same question"));
    }
    assertThat(small.trackedPairs()).isEqualTo(3);
  }

  @Test
  void adversarialInputNeverThrows() {
    List<String> texts = List.of(
        "a".repeat(100_000), "спасибо ".repeat(12_500), "\u0000\u0000привет\u0000", "\uD800", "x\uDC00y\uD800",
        "👍🔥", " \u00A0\u2003 ", "😀".repeat(50_000), "+".repeat(1000), "@", "@@@", "/", "\u200D\uFE0F",
        "паро\u0301ль", "ﬁ ﬂ", "\uD83D", "+1+1");
    for (String t : texts) {
      for (MessageType type : MessageType.values()) {
        for (Chat chat : List.of(PRIVATE, GROUP)) {
          assertThatCode(() -> filter.check(message(chat, ANN, type, t))).as(type + " " + t.length())
              .doesNotThrowAnyException();
        }
      }
    }
    assertThat(judge("👍🔥").noise()).isTrue();
    assertThat(judge("\uD800")).isEqualTo(NoiseVerdict.noise("empty"));
    assertThat(judge("\u0000")).isEqualTo(NoiseVerdict.noise("empty"));
    assertThat(judge(" \u00A0\u2003 ")).isEqualTo(NoiseVerdict.noise("empty"));
    assertThat(judge("спасибо ".repeat(12_500))).isEqualTo(NoiseVerdict.noise("thanks"));
    assertThat(judge("a".repeat(100_000))).isEqualTo(NoiseVerdict.clean());
  }

  @Test
  void concurrentChecksCountFloodExactly() throws Exception {
    DefaultNoiseFilter shared = DefaultNoiseFilter.builder().clock(clock).floodRepeats(50).build();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<NoiseVerdict>> futures = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        futures.add(pool.submit(() -> shared.check(text("the same question"))));
      }
      int flood = 0;
      for (Future<NoiseVerdict> f : futures) {
        flood += f.get().noise() ? 1 : 0;
      }
      // 49 pass, the 50th onwards is flood; 64 copies are remembered per user, so every later one is too.
      assertThat(flood).isEqualTo(151);
    } finally {
      pool.shutdown();
    }
  }

  @Test
  void aGivenFloodCounterIsSharedSoAFloodSpreadOverInstancesIsSeen() {
    FloodCounter shared = InMemoryFloodCounter.create(clock);
    DefaultNoiseFilter instanceA = DefaultNoiseFilter.builder().floodCounter(shared).build();
    DefaultNoiseFilter instanceB = instanceA.toBuilder().build();
    String q = "Где мой заказ?";

    assertThat(instanceA.check(text(q))).isEqualTo(NoiseVerdict.clean());
    assertThat(instanceB.check(text(q))).isEqualTo(NoiseVerdict.clean());
    assertThat(instanceA.check(text(q))).isEqualTo(NoiseVerdict.noise("flood"));
  }

  @Test
  void theFloodCounterIsAskedWithTheChatUserMessageAndWindow() {
    List<String> calls = new ArrayList<>();
    FloodCounter recording = (chat, user, messageId, hash, window) -> {
      calls.add(chat + "/" + user + "/" + messageId + "/" + window);
      return 1;
    };
    DefaultNoiseFilter f =
        DefaultNoiseFilter.builder().floodCounter(recording).floodWindow(Duration.ofSeconds(30)).build();
    IncomingMessage m = text("export is broken");
    f.check(m);
    f.check(text("/start"));

    assertThat(calls).containsExactly("7/7/" + m.telegramMessageId() + "/PT30S");
  }

  @Test
  void invalidSettingsAreRejectedNamingTheField() {
    assertThatThrownBy(() -> DefaultNoiseFilter.builder().floodRepeats(1).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessage("floodRepeats must be >= 2, was 1");
    assertThatThrownBy(() -> DefaultNoiseFilter.builder().floodWindow(Duration.ZERO).build())
        .hasMessage("floodWindow must be positive, was PT0S");
    assertThatThrownBy(() -> DefaultNoiseFilter.builder().maxTrackedUsers(0).build())
        .hasMessage("maxTrackedUsers must be > 0, was 0");
    assertThatThrownBy(() -> DefaultNoiseFilter.builder().clock(null).build())
        .hasMessage("clock must not be null");
    assertThatThrownBy(() -> DefaultNoiseFilter.builder().floodCounter(null))
        .isInstanceOf(NullPointerException.class).hasMessage("floodCounter");
    assertThatThrownBy(() -> DefaultNoiseFilter.builder().botNames("ok", " "))
        .hasMessage("botNames must not contain a blank name, was \" \"");
  }

  @Test
  void toBuilderKeepsTheSettings() {
    DefaultNoiseFilter f = DefaultNoiseFilter.builder().floodRepeats(5).botNames("Tasky").build();
    assertThat(f.toBuilder().build().toString()).isEqualTo(f.toString())
        .contains("floodRepeats=5").contains("botNames=[Tasky]");
  }
}
