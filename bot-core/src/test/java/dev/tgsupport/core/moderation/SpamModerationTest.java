package dev.tgsupport.core.moderation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tgsupport.core.contract.MutableClock;
import dev.tgsupport.core.memory.InMemoryModerator;
import dev.tgsupport.core.memory.InMemoryModerator.Member;
import dev.tgsupport.core.memory.InMemoryModerator.MessageRef;
import dev.tgsupport.core.memory.InMemoryStorage;
import dev.tgsupport.core.model.Chat;
import dev.tgsupport.core.model.ChatType;
import dev.tgsupport.core.model.Direction;
import dev.tgsupport.core.model.IncomingMessage;
import dev.tgsupport.core.model.MessageType;
import dev.tgsupport.core.model.SpamSample;
import dev.tgsupport.core.model.StoredMessage;
import dev.tgsupport.core.model.TelegramUser;
import dev.tgsupport.core.pipeline.Outcome;
import dev.tgsupport.core.pipeline.Pipeline;
import dev.tgsupport.core.text.DefaultNoiseFilter;
import dev.tgsupport.core.text.SpamDetector;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SpamModerationTest {
  private static final Chat GROUP = Chat.of(-1001234567890L, ChatType.SUPERGROUP, "Support group");
  private static final TelegramUser STAFF = TelegramUser.of(7, "anna_support", "Anna", null, "en");
  private static final TelegramUser SPAMMER = TelegramUser.of(66, "deals", "Deals", null, "en");
  private static final TelegramUser CUSTOMER = TelegramUser.of(42, "alice", "Alice", null, "en");
  // Spam no rule catches: only teaching makes the detector know it.
  private static final String WALLETS =
      "Hello friends, I sell handmade leather wallets in bulk at very low prices, look at my profile for the catalogue";
  private static final String WALLETS_AGAIN =
      "Hello friends, I sell handmade leather wallets in bulk at really low prices, look at my profile for the catalogue";

  private final AtomicLong ids = new AtomicLong(100);
  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T10:00:00Z"));
  private final InMemoryStorage storage = InMemoryStorage.create(clock);
  private final InMemoryModerator moderator = InMemoryModerator.create();
  private final SpamDetector base = SpamDetector.builder()
      .hamSamples(List.of("how do I reset my password", "the invoice page is empty since monday",
          "thanks, that worked", "can I change the delivery address of my order"))
      .stopWords(List.of("casino bonus"))
      .build();

  private Pipeline pipeline(SpamModeration moderation) {
    return Pipeline.builder()
        .transactions(storage)
        .clock(clock)
        .noiseFilter(DefaultNoiseFilter.builder().clock(clock).spamDetectorSource(moderation::detector).build())
        .plugin(moderation)
        .build();
  }

  private IncomingMessage say(TelegramUser user, String text) {
    return new IncomingMessage(GROUP, user, ids.incrementAndGet(), null, null, MessageType.TEXT, text,
        clock.instant(), null);
  }

  private IncomingMessage reply(TelegramUser user, String text, long to) {
    return new IncomingMessage(GROUP, user, ids.incrementAndGet(), null, to, MessageType.TEXT, text,
        clock.instant(), null);
  }

  private void makeStaff(Pipeline p) {
    p.process(say(STAFF, "hello team, I am on duty today and will look at the questions"));
    storage.run(s -> s.users().setInternal(STAFF.id(), true));
  }

  private StoredMessage stored(IncomingMessage m) {
    return storage.inTransaction(s -> s.messages().find(GROUP.id(), m.telegramMessageId(), Direction.IN)).get();
  }

  private List<SpamSample> samples(SpamSample.Kind kind) {
    return storage.inTransaction(s -> s.spamSamples().list(kind));
  }

  @Test
  void spamTheDetectorCatchesIsDeletedAndItsAuthorRestrictedWhenConfigured() {
    SpamModeration moderation = SpamModeration.builder(base).moderator(moderator)
        .restrictSpammers(Duration.ofHours(1)).build();
    Pipeline p = pipeline(moderation);
    IncomingMessage spam = say(SPAMMER, "Best casino bonus of the year, join our channel");

    Outcome o = p.process(spam);

    assertThat(o.kind()).isEqualTo(Outcome.Kind.NOISE);
    assertThat(o.reply()).isNull();
    assertThat(stored(spam).noiseReason()).isEqualTo("spam:stop_words");
    assertThat(moderator.deleted()).containsExactly(new MessageRef(GROUP.id(), spam.telegramMessageId()));
    assertThat(moderator.restrictions()).containsEntry(new Member(GROUP.id(), SPAMMER.id()), Duration.ofHours(1));
  }

  @Test
  void byDefaultSpamIsDeletedButNobodyIsRestrictedAndOtherNoiseIsLeftAlone() {
    Pipeline p = pipeline(SpamModeration.builder(base).moderator(moderator).build());

    p.process(say(CUSTOMER, "thanks!"));
    IncomingMessage spam = say(SPAMMER, "casino bonus today only");
    p.process(spam);

    assertThat(moderator.deleted()).containsExactly(new MessageRef(GROUP.id(), spam.telegramMessageId()));
    assertThat(moderator.restrictions()).isEmpty();
  }

  @Test
  void withDeletionOffSpamIsOnlyMarked() {
    Pipeline p = pipeline(SpamModeration.builder(base).moderator(moderator).deleteSpam(false).build());
    IncomingMessage spam = say(SPAMMER, "casino bonus today only");

    assertThat(p.process(spam).kind()).isEqualTo(Outcome.Kind.NOISE);
    assertThat(moderator.deleted()).isEmpty();
  }

  @Test
  void staffMessagesThatLookLikeSpamAreNeverActedOn() {
    Pipeline p = pipeline(SpamModeration.builder(base).moderator(moderator)
        .restrictSpammers(Duration.ofHours(1)).build());
    makeStaff(p);

    p.process(say(STAFF, "do not click the casino bonus links people post here"));

    assertThat(moderator.deleted()).isEmpty();
    assertThat(moderator.restrictions()).isEmpty();
  }

  @Test
  void staffTeachSpamByReplyingWithSpam() {
    SpamModeration moderation = SpamModeration.builder(base).moderator(moderator).build();
    Pipeline p = pipeline(moderation);
    makeStaff(p);
    IncomingMessage crypto = say(SPAMMER, WALLETS);
    assertThat(p.process(crypto).kind()).as("not spam before teaching").isNotEqualTo(Outcome.Kind.NOISE);

    Outcome o = p.process(reply(STAFF, "/spam", crypto.telegramMessageId()));

    assertThat(o.kind()).isEqualTo(Outcome.Kind.HANDLED);
    assertThat(o.reply()).isEqualTo("Marked as spam and added to the samples. The message is deleted.");
    assertThat(stored(crypto).noiseReason()).isEqualTo(SpamModeration.MANUAL_REASON);
    assertThat(samples(SpamSample.Kind.SPAM)).singleElement().satisfies(s -> {
      assertThat(s.text()).isEqualTo(WALLETS);
      assertThat(s.addedBy()).isEqualTo(STAFF.id());
      assertThat(s.telegramMessageId()).isEqualTo(crypto.telegramMessageId());
    });
    assertThat(moderator.deleted()).contains(new MessageRef(GROUP.id(), crypto.telegramMessageId()));

    IncomingMessage again = say(SPAMMER, WALLETS_AGAIN);
    Outcome next = p.process(again);
    assertThat(next.kind()).as("learnt at once").isEqualTo(Outcome.Kind.NOISE);
    assertThat(stored(again).noiseReason()).startsWith("spam:");
    assertThat(moderator.deleted()).contains(new MessageRef(GROUP.id(), again.telegramMessageId()));
  }

  @Test
  void aBotWithoutTheRightToDeleteSaysSoToStaff() {
    moderator.mayDelete(false);
    Pipeline p = pipeline(SpamModeration.builder(base).moderator(moderator).build());
    makeStaff(p);
    IncomingMessage crypto = say(SPAMMER, WALLETS);
    p.process(crypto);

    Outcome o = p.process(reply(STAFF, "/spam", crypto.telegramMessageId()));

    assertThat(o.reply()).isEqualTo("Marked as spam and added to the samples. I could not delete it: make the bot an"
        + " administrator who may delete messages.");
    assertThat(stored(crypto).noiseReason()).isEqualTo(SpamModeration.MANUAL_REASON);
  }

  @Test
  void spamByNumberWorksWithoutAReply() {
    Pipeline p = pipeline(SpamModeration.builder(base).moderator(moderator).build());
    makeStaff(p);
    IncomingMessage crypto = say(SPAMMER, WALLETS);
    p.process(crypto);

    p.process(say(STAFF, "/spam " + crypto.telegramMessageId()));

    assertThat(samples(SpamSample.Kind.SPAM)).hasSize(1);
  }

  @Test
  void onlyStaffMayTeachAndNothingIsStoredOtherwise() {
    Pipeline p = pipeline(SpamModeration.builder(base).moderator(moderator).build());
    IncomingMessage question = say(CUSTOMER, "how do I export my invoices as a spreadsheet file?");
    p.process(question);

    Outcome o = p.process(reply(SPAMMER, "/spam", question.telegramMessageId()));

    assertThat(o.reply()).isEqualTo("Only support staff may use /spam.");
    assertThat(samples(SpamSample.Kind.SPAM)).isEmpty();
    assertThat(stored(question).noiseReason()).isNull();
    assertThat(moderator.deleted()).isEmpty();
  }

  @Test
  void teachingNeedsAMessageThatIsStoredAndNotByStaff() {
    Pipeline p = pipeline(SpamModeration.builder(base).moderator(moderator).build());
    makeStaff(p);
    IncomingMessage staffNote = say(STAFF, "please keep this chat on topic, everyone");
    p.process(staffNote);

    assertThat(p.process(say(STAFF, "/spam")).reply())
        .isEqualTo("Reply with /spam to the message (or send /spam N with the message's number in this chat).");
    assertThat(p.process(reply(STAFF, "/spam", 99_999)).reply()).isEqualTo("I have no message 99999 of this chat stored.");
    assertThat(p.process(reply(STAFF, "/spam", staffNote.telegramMessageId())).reply())
        .isEqualTo("That message is by support staff: not marking it as spam.");
    assertThat(samples(SpamSample.Kind.SPAM)).isEmpty();
    assertThat(moderator.deleted()).isEmpty();
  }

  @Test
  void notSpamUndoesSpam() {
    SpamModeration moderation = SpamModeration.builder(base).moderator(moderator)
        .restrictSpammers(Duration.ofMinutes(30)).build();
    Pipeline p = pipeline(moderation);
    makeStaff(p);
    IncomingMessage crypto = say(CUSTOMER, WALLETS);
    p.process(crypto);
    p.process(reply(STAFF, "/spam", crypto.telegramMessageId()));
    assertThat(moderator.restrictions()).containsKey(new Member(GROUP.id(), CUSTOMER.id()));

    Outcome o = p.process(reply(STAFF, "/notspam", crypto.telegramMessageId()));

    assertThat(o.reply()).isEqualTo("Marked as not spam: the detector learnt it as an ordinary message.");
    assertThat(stored(crypto).noiseReason()).isNull();
    assertThat(samples(SpamSample.Kind.SPAM)).isEmpty();
    assertThat(samples(SpamSample.Kind.HAM)).extracting(SpamSample::text).containsExactly(WALLETS);
    assertThat(moderator.restrictions()).isEmpty();
    assertThat(moderation.detector().check(WALLETS_AGAIN).spam()).isFalse();
  }

  @Test
  void notSpamCorrectsTheDetectorsOwnMistake() {
    SpamDetector eager = base.withSamples(List.of(WALLETS), List.of());
    SpamModeration moderation = SpamModeration.builder(eager).moderator(moderator).deleteSpam(false).build();
    Pipeline p = pipeline(moderation);
    makeStaff(p);
    IncomingMessage flagged = say(CUSTOMER, WALLETS_AGAIN);
    assertThat(p.process(flagged).kind()).isEqualTo(Outcome.Kind.NOISE);

    p.process(reply(STAFF, "/notspam", flagged.telegramMessageId()));

    assertThat(stored(flagged).noiseReason()).isNull();
    assertThat(samples(SpamSample.Kind.HAM)).hasSize(1);
  }

  @Test
  void samplesTaughtThroughAnotherInstanceAreLearntOnInstallAndOnReload() {
    storage.run(s -> s.spamSamples().add(new SpamSample.Draft(SpamSample.Kind.SPAM, WALLETS, null, null, 7L),
        clock.instant()));
    SpamModeration moderation = SpamModeration.builder(base).moderator(moderator)
        .reloadEvery(Duration.ofMinutes(1)).build();
    Pipeline p = pipeline(moderation);
    assertThat(moderation.detector().spamSamples()).isEqualTo(1);
    assertThat(moderation.detector().check(WALLETS_AGAIN).spam()).as("learnt on install").isTrue();

    String other = "Selling my whole collection of vintage postcards from the seventies for a good price, details in private";
    storage.run(s -> s.spamSamples().add(new SpamSample.Draft(SpamSample.Kind.SPAM, other, null, null, 7L),
        clock.instant()));
    p.process(say(CUSTOMER, "where can I download the mobile app for android phones?"));
    assertThat(moderation.detector().spamSamples()).as("not yet: the reload is not due").isEqualTo(1);

    clock.advance(Duration.ofSeconds(61));
    p.process(say(CUSTOMER, "and is there a version for tablets as well, or only for phones?"));
    assertThat(moderation.detector().spamSamples()).as("reloaded").isEqualTo(2);
    assertThat(moderation.detector().check(other).spam()).isTrue();
  }

  @Test
  void reloadBeforeInstallIsAnError() {
    assertThatThrownBy(() -> SpamModeration.builder(base).build().reload())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("not installed");
    assertThatThrownBy(() -> SpamModeration.builder(base).restrictSpammers(Duration.ZERO))
        .hasMessage("restrictSpammers must be positive or null, was PT0S");
  }
}
