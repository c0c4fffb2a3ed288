package dev.tgsupport.core.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tgsupport.core.model.Chat;
import dev.tgsupport.core.model.ChatType;
import dev.tgsupport.core.model.IncomingMessage;
import dev.tgsupport.core.model.MessageType;
import dev.tgsupport.core.model.NoiseVerdict;
import dev.tgsupport.core.model.TelegramUser;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The noise filter with a {@link SpamDetector}: {@code "spam:<check>"} in groups, and newcomers judged strictly. */
class DefaultNoiseFilterSpamTest {
  private static final TelegramUser ANN = TelegramUser.of(7, "Ann");
  private static final Chat PRIVATE = Chat.privateChat(7, "Ann");
  private static final Chat GROUP = Chat.of(-100123, ChatType.SUPERGROUP, "Support");
  private static final AtomicLong ids = new AtomicLong(1);
  private static final SpamDetector DETECTOR = SpamDetector.builder()
      .spamSamples(SpamDetectorTest.SPAM).hamSamples(SpamDetectorTest.HAM).stopWords(SpamDetectorTest.STOP).build();

  private static IncomingMessage message(Chat chat, MessageType type, String text) {
    return new IncomingMessage(chat, ANN, ids.getAndIncrement(), null, null, type, text, Instant.EPOCH);
  }

  @Test
  void spamInAGroupIsNoiseNamedByItsFirstCheck() {
    DefaultNoiseFilter filter = DefaultNoiseFilter.builder().spamDetector(DETECTOR).build();
    assertThat(filter.check(message(GROUP, MessageType.TEXT, "Хочешь так же? Пиши в лс")))
        .isEqualTo(NoiseVerdict.noise("spam:stop_words"));
    assertThat(filter.check(message(GROUP, MessageType.PHOTO, "Доход в USDT каждый день, пиши в личку")).reason())
        .startsWith("spam:");
  }

  @Test
  void withoutADetectorNothingIsSpam() {
    DefaultNoiseFilter filter = DefaultNoiseFilter.ofDefaults();
    assertThat(filter.check(message(GROUP, MessageType.TEXT, "Хочешь так же? Пиши в лс"))).isEqualTo(
        NoiseVerdict.clean());
  }

  @Test
  void privateChatsAreCheckedOnlyWhenAskedTo() {
    String text = "Хочешь так же? Пиши в лс";
    assertThat(DefaultNoiseFilter.builder().spamDetector(DETECTOR).build()
        .check(message(PRIVATE, MessageType.TEXT, text)).noise()).isFalse();
    assertThat(DefaultNoiseFilter.builder().spamDetector(DETECTOR).spamInPrivateChats(true).build()
        .check(message(PRIVATE, MessageType.TEXT, text))).isEqualTo(NoiseVerdict.noise("spam:stop_words"));
  }

  @Test
  void onlyTheFirstMessagesOfAUserGetTheStrictLimits() {
    DefaultNoiseFilter filter = DefaultNoiseFilter.builder().spamDetector(SpamDetector.builder().build())
        .firstMessages(2).build();
    // Two signals: spam from a newcomer, evidence only from a member.
    String text = "Пассивный доход в USDT, подробности у меня";
    assertThat(filter.check(message(GROUP, MessageType.TEXT, text)).reason()).isEqualTo("spam:earnings");
    assertThat(filter.check(message(GROUP, MessageType.TEXT, "Вопрос по тарифам: где их посмотреть?")).noise())
        .isFalse();
    assertThat(filter.check(message(GROUP, MessageType.TEXT, text + "!")).noise()).isFalse();
  }

  @Test
  void aRedeliveredMessageDoesNotCountAsAnotherOne() {
    DefaultNoiseFilter filter = DefaultNoiseFilter.builder().spamDetector(SpamDetector.builder().build())
        .firstMessages(1).build();
    IncomingMessage first = message(GROUP, MessageType.TEXT, "Пассивный доход в USDT, подробности у меня");
    assertThat(filter.check(first).noise()).isTrue();
    assertThat(filter.check(first).noise()).isTrue();
  }

  @Test
  void smallTalkAndCommandsAreUnaffected() {
    DefaultNoiseFilter filter = DefaultNoiseFilter.builder().spamDetector(DETECTOR).build();
    assertThat(filter.check(message(GROUP, MessageType.TEXT, "привет всем"))).isEqualTo(
        NoiseVerdict.noise("greeting"));
    assertThat(filter.check(message(GROUP, MessageType.TEXT, "/ticket пиши в лс")).noise()).isFalse();
  }

  @Test
  void settingsSurviveToBuilderAndAreValidated() {
    DefaultNoiseFilter filter = DefaultNoiseFilter.builder().spamDetector(DETECTOR).spamInPrivateChats(true)
        .firstMessages(5).build();
    assertThat(filter.toBuilder().build().toString()).contains("spamInPrivateChats=true", "firstMessages=5");
    assertThat(DefaultNoiseFilter.ofDefaults().toString()).doesNotContain("spam");
    assertThatThrownBy(() -> DefaultNoiseFilter.builder().firstMessages(-1).build())
        .hasMessage("firstMessages must be >= 0, was -1");
  }
}
