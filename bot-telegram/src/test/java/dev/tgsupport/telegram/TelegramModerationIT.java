package dev.tgsupport.telegram;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.tgsupport.core.memory.InMemoryStorage;
import dev.tgsupport.core.model.Direction;
import dev.tgsupport.core.model.SpamSample;
import dev.tgsupport.core.model.TelegramUser;
import dev.tgsupport.core.moderation.SpamModeration;
import dev.tgsupport.core.pipeline.Pipeline;
import dev.tgsupport.core.port.Moderator;
import dev.tgsupport.core.text.DefaultNoiseFilter;
import dev.tgsupport.core.text.SpamDetector;
import dev.tgsupport.telegram.fake.ChatType;
import dev.tgsupport.telegram.fake.Fault;
import dev.tgsupport.telegram.fake.FakeTelegramServer;
import dev.tgsupport.telegram.fake.Limits;
import dev.tgsupport.telegram.fake.UpdateSamples;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Spam moderation end to end: the pipeline's {@link SpamModeration} deletes and restricts through the adapter's
 * {@link Moderator}, against the fake Bot API, which enforces the bot's administrator rights as Telegram does.
 */
class TelegramModerationIT {
  private static final long GROUP = -1001555000111L;
  private static final long STAFF = 700;
  private static final long SPAMMER = 901;
  private static final long CUSTOMER = 902;
  private static final String WALLETS =
      "Hello friends, I sell handmade leather wallets in bulk at very low prices, look at my profile for the catalogue";

  private FakeTelegramServer fake;
  private TelegramAdapter adapter;
  private final InMemoryStorage storage = InMemoryStorage.create();

  @BeforeEach
  void start() {
    fake = FakeTelegramServer.builder().limits(Limits.unlimited()).start();
    fake.registerChat(GROUP, ChatType.SUPERGROUP, false, "Support");
    adapter = TelegramAdapter.builder()
        .token(fake.token())
        .apiUrl(fake.apiUrl())
        .transactions(storage)
        .pollTimeoutSeconds(1)
        .retryBackoff(Duration.ofMillis(50), Duration.ofMillis(400))
        .requestTimeout(Duration.ofSeconds(5))
        .build();
  }

  @AfterEach
  void stop() {
    adapter.close();
    fake.close();
  }

  private SpamModeration startBot(Duration restrictFor) {
    SpamDetector detector = SpamDetector.builder()
        .hamSamples(List.of("how do I reset my password", "the invoice page is empty since monday"))
        .stopWords(List.of("casino bonus"))
        .build();
    SpamModeration moderation = SpamModeration.builder(detector).moderator(adapter.moderator())
        .restrictSpammers(restrictFor).build();
    Pipeline pipeline = Pipeline.builder()
        .transactions(storage)
        .noiseFilter(DefaultNoiseFilter.builder().spamDetectorSource(moderation::detector).build())
        .replyGateway(adapter.sender())
        .plugin(moderation)
        .build();
    adapter.startPolling(pipeline);
    return moderation;
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(20);
    }
  }

  @Test
  void spamIsDeletedAndItsAuthorRestrictedForTheConfiguredTime() throws Exception {
    startBot(Duration.ofHours(1));
    long before = Instant.now().getEpochSecond();

    fake.enqueue(UpdateSamples.supergroupText(1, GROUP, SPAMMER, 21, "Best casino bonus of the year, join now"));
    fake.enqueue(UpdateSamples.supergroupText(2, GROUP, CUSTOMER, 22, "how do I reset my password?"));

    await("the spam deleted", () -> fake.isDeleted(GROUP, 21));
    await("the spammer restricted", () -> fake.restrictedUntil(GROUP, SPAMMER).isPresent());
    assertThat((double) fake.restrictedUntil(GROUP, SPAMMER).get()).isCloseTo(before + 3600, within(60.0));
    assertThat(fake.isDeleted(GROUP, 22)).isFalse();
    assertThat(fake.restrictedUntil(GROUP, CUSTOMER)).isEmpty();
    assertThat(fake.sentMessages(GROUP)).as("spam is never answered").noneMatch(m -> m.replyToMessageId() != null
        && m.replyToMessageId() == 21);
  }

  @Test
  void staffTeachWithSpamAndUndoWithNotSpam() throws Exception {
    storage.run(s -> {
      s.users().upsert(TelegramUser.of(STAFF, "anna_support", "Anna", null, "en"));
      s.users().setInternal(STAFF, true);
    });
    SpamModeration moderation = startBot(Duration.ofMinutes(30));

    fake.enqueue(UpdateSamples.supergroupText(1, GROUP, CUSTOMER, 31, WALLETS));
    await("the message recorded", () -> storage.inTransaction(
        s -> s.messages().find(GROUP, 31, Direction.IN)).isPresent());
    fake.enqueue(UpdateSamples.replyToUser(2, GROUP, STAFF, 32, 31, CUSTOMER, "/spam"));

    await("the reported message deleted", () -> fake.isDeleted(GROUP, 31));
    await("its author restricted", () -> fake.restrictedUntil(GROUP, CUSTOMER).isPresent());
    await("staff told", () -> fake.sentMessages(GROUP).stream().anyMatch(m -> m.text().startsWith("Marked as spam")));
    assertThat(moderation.detector().check(WALLETS).spam()).isTrue();

    fake.enqueue(UpdateSamples.supergroupText(3, GROUP, STAFF, 33, "/notspam 31"));

    await("the restriction lifted", () -> fake.restrictedUntil(GROUP, CUSTOMER).isEmpty());
    List<SpamSample> ham = storage.inTransaction(s -> s.spamSamples().list(SpamSample.Kind.HAM));
    assertThat(ham).extracting(SpamSample::text).containsExactly(WALLETS);
    assertThat(storage.inTransaction(s -> s.messages().find(GROUP, 31, Direction.IN)).orElseThrow().isNoise())
        .isFalse();
  }

  @Test
  void withoutAdministratorRightsTheModeratorAnswersFalseAndStaffAreTold() throws Exception {
    storage.run(s -> {
      s.users().upsert(TelegramUser.of(STAFF, "anna_support", "Anna", null, "en"));
      s.users().setInternal(STAFF, true);
    });
    fake.botRights(GROUP, false, false);
    startBot(Duration.ofMinutes(30));

    fake.enqueue(UpdateSamples.supergroupText(1, GROUP, CUSTOMER, 41, WALLETS));
    fake.enqueue(UpdateSamples.replyToUser(2, GROUP, STAFF, 42, 41, CUSTOMER, "/spam"));

    await("staff told", () -> fake.sentMessages(GROUP).stream().anyMatch(m -> m.text().startsWith("Marked as spam")));
    assertThat(fake.sentMessages(GROUP)).anyMatch(m -> m.text().contains("I could not delete it"));
    assertThat(fake.isDeleted(GROUP, 41)).isFalse();
    assertThat(fake.restrictedUntil(GROUP, CUSTOMER)).isEmpty();
  }

  @Test
  void theModeratorRetriesServerErrorsAndRefusesWhatTelegramRefuses() throws Exception {
    Moderator moderator = adapter.moderator();
    // The fake knows a user's message once getUpdates has handed it out, as Telegram knows it once it was sent.
    adapter.startPolling(Pipeline.builder().transactions(storage).replyGateway(adapter.sender()).build());
    fake.enqueue(UpdateSamples.supergroupText(1, GROUP, CUSTOMER, 51, "first question about the board"));
    fake.enqueue(UpdateSamples.supergroupText(2, GROUP, CUSTOMER, 52, "second question about the board"));
    await("both delivered (getUpdates calls: " + fake.getUpdatesCalls() + ")",
        () -> fake.confirmedUpTo() >= 2 || fake.pendingUpdates() == 0 && fake.getUpdatesCalls() > 1);
    // The bot answers both (tickets): count only the users' messages.
    await("both recorded", () -> storage.inTransaction(s -> s.messages().listByChat(GROUP, 10)).stream()
        .filter(m -> m.direction() == Direction.IN).count() == 2);

    fake.failNext("deleteMessage", 500, "Internal Server Error");
    assertThat(moderator.deleteMessage(GROUP, 51)).isTrue();
    assertThat(fake.isDeleted(GROUP, 51)).isTrue();
    assertThat(moderator.deleteMessage(GROUP, 51)).as("already gone").isFalse();
    assertThat(moderator.deleteMessage(GROUP, 9999)).as("never existed").isFalse();

    fake.failNext(Fault.tooManyRequests(1));
    assertThat(moderator.restrict(GROUP, CUSTOMER, Duration.ofDays(2))).isTrue();
    assertThat(fake.restrictedUntil(GROUP, CUSTOMER)).isPresent();
    assertThat(moderator.unrestrict(GROUP, CUSTOMER)).isTrue();
    assertThat(fake.restrictedUntil(GROUP, CUSTOMER)).isEmpty();
    assertThat(moderator.restrict(CUSTOMER, CUSTOMER, Duration.ofHours(1))).as("private chat").isFalse();

    fake.botRights(GROUP, false, false);
    assertThat(moderator.deleteMessage(GROUP, 52)).isFalse();
    assertThat(moderator.restrict(GROUP, CUSTOMER, Duration.ofHours(1))).isFalse();
  }
}
