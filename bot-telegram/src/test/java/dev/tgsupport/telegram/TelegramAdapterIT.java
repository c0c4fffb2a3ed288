package dev.tgsupport.telegram;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import dev.tgsupport.core.ConflictException;
import dev.tgsupport.core.RateLimitedException;
import dev.tgsupport.core.memory.InMemoryStorage;
import dev.tgsupport.core.memory.InMemoryWorkQueue;
import dev.tgsupport.core.model.Direction;
import dev.tgsupport.core.model.KnowledgeDraft;
import dev.tgsupport.core.model.KnowledgeStatus;
import dev.tgsupport.core.model.OutgoingMessage;
import dev.tgsupport.core.model.SentMessage;
import dev.tgsupport.core.model.StoredMessage;
import dev.tgsupport.core.model.TicketEvent;
import dev.tgsupport.core.model.TicketEventKind;
import dev.tgsupport.core.pipeline.Pipeline;
import dev.tgsupport.core.port.RateLimiter.Limit;
import dev.tgsupport.core.port.ReplyGateway;
import dev.tgsupport.core.port.UpdateStore.RawUpdate;
import dev.tgsupport.core.text.DefaultNoiseFilter;
import dev.tgsupport.core.text.LexicalKnowledgeRetriever;
import dev.tgsupport.telegram.fake.Fault;
import dev.tgsupport.telegram.fake.FakeTelegramServer;
import dev.tgsupport.telegram.fake.Limits;
import dev.tgsupport.telegram.fake.UpdateSamples;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The adapter end to end: real pengrad client, real pipeline and in-memory storage, against the fake Bot API, which
 * enforces Telegram's limits and scripts its faults.
 */
class TelegramAdapterIT {
  private static final String QUESTION = "How do I reset my password?";
  private static final String ANSWER = "Open Settings, then Security, then Reset password.";

  private final List<AutoCloseable> closeLater = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (int i = closeLater.size() - 1; i >= 0; i--) {
      try {
        closeLater.get(i).close();
      } catch (RuntimeException ignored) {
        // best effort
      }
    }
  }

  private FakeTelegramServer fake(Limits limits) {
    FakeTelegramServer f = FakeTelegramServer.builder().limits(limits).start();
    closeLater.add(f);
    return f;
  }

  private TelegramAdapter.Builder adapterFor(FakeTelegramServer fake, InMemoryStorage storage) {
    return TelegramAdapter.builder()
        .token(fake.token())
        .apiUrl(fake.apiUrl())
        .transactions(storage)
        .pollTimeoutSeconds(1)
        .retryBackoff(Duration.ofMillis(50), Duration.ofMillis(400))
        .requestTimeout(Duration.ofSeconds(5))
        .shutdownGrace(Duration.ofSeconds(10));
  }

  private TelegramAdapter started(TelegramAdapter.Builder builder) {
    TelegramAdapter a = builder.build();
    closeLater.add(a);
    return a;
  }

  private static Pipeline pipeline(InMemoryStorage storage, ReplyGateway gateway) {
    Pipeline p = Pipeline.builder()
        .transactions(storage)
        .noiseFilter(DefaultNoiseFilter.ofDefaults())
        .knowledgeRetriever(LexicalKnowledgeRetriever.create())
        .knowledgeThreshold(LexicalKnowledgeRetriever.RECOMMENDED_THRESHOLD)
        .replyGateway(gateway)
        .build();
    p.knowledge().addAll(List.of(KnowledgeDraft.of(QUESTION, ANSWER)), KnowledgeStatus.VALIDATED);
    return p;
  }

  private static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(20);
    }
  }

  @Test
  void answersAQuestionRepliesInItsThreadAndStaysSilentOnNoise() throws Exception {
    FakeTelegramServer fake = fake(Limits.telegramDefaults());
    InMemoryStorage storage = InMemoryStorage.create();
    TelegramAdapter adapter = started(adapterFor(fake, storage));
    fake.enqueue(UpdateSamples.privateText(1, 501, 10, QUESTION));
    fake.enqueue(UpdateSamples.privateText(2, 502, 11, "привет"));
    fake.enqueue(UpdateSamples.sticker(3, 503, 503, 12, "👍"));
    fake.enqueue(UpdateSamples.forumTopicMessage(4, -100777, 504, 13, 7, "how do i reset my password"));
    fake.registerChat(-100777, dev.tgsupport.telegram.fake.ChatType.SUPERGROUP, true);
    adapter.startPolling(pipeline(storage, adapter.sender()));

    List<dev.tgsupport.telegram.fake.SentMessage> sent = fake.awaitSentMessages(2, Duration.ofSeconds(10));
    await("all four handled", Duration.ofSeconds(10), () -> adapter.dispatcherStats().processed() == 4);
    assertThat(sent).hasSize(2);
    dev.tgsupport.telegram.fake.SentMessage privateAnswer = fake.sentMessages(501).get(0);
    assertThat(privateAnswer.text()).isEqualTo(ANSWER);
    assertThat(privateAnswer.replyToMessageId()).isEqualTo(10);
    assertThat(privateAnswer.messageThreadId()).isNull();
    dev.tgsupport.telegram.fake.SentMessage topicAnswer = fake.sentMessages(-100777).get(0);
    assertThat(topicAnswer.messageThreadId()).isEqualTo(7);
    assertThat(topicAnswer.replyToMessageId()).isEqualTo(13);
    assertThat(fake.sentMessages(502)).isEmpty();
    assertThat(fake.sentMessages(503)).isEmpty();

    List<StoredMessage> stored = storage.inTransaction(s -> s.messages().listByChat(502, 10));
    assertThat(stored).singleElement().satisfies(m -> assertThat(m.noiseReason()).isEqualTo("greeting"));
    // The answer is stored too, with Telegram's id for it.
    StoredMessage out = storage.inTransaction(
        s -> s.messages().find(501, privateAnswer.messageId(), Direction.OUT)).orElseThrow();
    assertThat(out.text()).isEqualTo(ANSWER);

    adapter.close();
    assertThat(fake.confirmedUpTo()).isGreaterThanOrEqualTo(4);
  }

  @Test
  void aRestartInTheMiddleOfABatchLosesNothingAndAnswersEachQuestionOnce() throws Exception {
    FakeTelegramServer fake = fake(Limits.unlimited());
    InMemoryStorage storage = InMemoryStorage.create();
    SendLimits fast = SendLimits.telegramDefaults().withPerChat(Limit.perSecond(100)).withGlobal(Limit.perSecond(500));
    int questions = 40;
    for (int i = 1; i <= questions; i++) {
      fake.enqueue(UpdateSamples.privateText(i, 600 + (i % 5), i, QUESTION + " (" + i + ")"));
    }

    // The first process answers 12 questions, then hangs in the 13th send and is killed.
    TelegramAdapter first = adapterFor(fake, storage).sendLimits(fast).pollLimit(25).build();
    CountDownLatch hung = new CountDownLatch(1);
    AtomicInteger sends = new AtomicInteger();
    ReplyGateway dying = new ReplyGateway() {
      @Override
      public SentMessage send(OutgoingMessage message) {
        if (sends.incrementAndGet() > 12) {
          hung.countDown();
          // The process dies here: the message never reaches Telegram.
          LockSupportSleep.forever();
          throw new IllegalStateException("killed");
        }
        return first.sender().send(message);
      }

      @Override
      public void edit(long chatId, long telegramMessageId, String text) {
        first.sender().edit(chatId, telegramMessageId, text);
      }
    };
    first.startPolling(pipeline(storage, dying));
    assertThat(hung.await(10, TimeUnit.SECONDS)).isTrue();
    first.halt();
    // The twelfth answer may still be on the wire when the thirteenth send hangs.
    await("the first process's 12 answers", Duration.ofSeconds(5), () -> fake.sentMessages().size() == 12);

    // The second process starts on the same storage: it re-runs what was stored but unanswered, and Telegram
    // redelivers what was never confirmed.
    TelegramAdapter second = started(adapterFor(fake, storage).sendLimits(fast));
    second.startPolling(pipeline(storage, second.sender()));
    fake.awaitSentMessages(questions, Duration.ofSeconds(20));
    await("the redelivered batch is confirmed", Duration.ofSeconds(10), () -> fake.confirmedUpTo() >= questions);
    Thread.sleep(300); // a duplicate answer would show up now
    Map<String, Integer> answersPerQuestion = new HashMap<>();
    for (dev.tgsupport.telegram.fake.SentMessage m : fake.sentMessages()) {
      answersPerQuestion.merge(m.chatId() + "/" + m.replyToMessageId(), 1, Integer::sum);
    }
    assertThat(answersPerQuestion).hasSize(questions);
    assertThat(answersPerQuestion.values()).allMatch(n -> n == 1);
    long incoming = storage.inTransaction(s -> {
      long n = 0;
      for (long chat = 600; chat < 605; chat++) {
        n += s.messages().listByChat(chat, 1000).stream().filter(m -> m.direction() == Direction.IN).count();
      }
      return n;
    });
    assertThat(incoming).isEqualTo(questions);
    List<StoredMessage> unhandled = storage.inTransaction(s -> s.messages().listUnhandled(java.time.Instant.EPOCH, 100));
    assertThat(unhandled).isEmpty();
  }

  @Test
  void a429StormPausesTheChatForRetryAfterAndNothingIsSentInBetween() throws Exception {
    FakeTelegramServer fake = fake(Limits.telegramDefaults());
    InMemoryStorage storage = InMemoryStorage.create();
    TelegramAdapter adapter = started(adapterFor(fake, storage));
    fake.failNext(Fault.tooManyRequests(2).forMethod("sendMessage").forChat(701).times(2));
    long start = System.nanoTime();
    SentMessage sent = adapter.sender().send(OutgoingMessage.to(701, "after the storm"));
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    assertThat(sent.telegramMessageId()).isPositive();
    assertThat(took).isGreaterThanOrEqualTo(Duration.ofSeconds(4)); // two pauses of 2 s
    assertThat(fake.violationsDuringRetryAfter()).isZero();
    List<java.time.Instant> arrivals = fake.requests("sendMessage").stream()
        .map(r -> r.receivedAt()).toList();
    assertThat(arrivals).hasSize(3);
    assertThat(Duration.between(arrivals.get(0), arrivals.get(1))).isGreaterThanOrEqualTo(Duration.ofMillis(1990));
    assertThat(Duration.between(arrivals.get(1), arrivals.get(2))).isGreaterThanOrEqualTo(Duration.ofMillis(1990));
    assertThat(adapter.senderStats().http429()).isEqualTo(2);
  }

  @Test
  void aSenderThatGivesUpSaysRateLimitedWithTheWait() {
    FakeTelegramServer fake = fake(Limits.telegramDefaults());
    TelegramAdapter adapter = started(adapterFor(fake, InMemoryStorage.create()).sendMaxWait(Duration.ofSeconds(1)));
    fake.failNext(Fault.tooManyRequests(30).forMethod("sendMessage"));
    assertThatThrownBy(() -> adapter.sender().send(OutgoingMessage.to(702, "hi")))
        .isInstanceOf(RateLimitedException.class)
        .satisfies(e -> assertThat(((RateLimitedException) e).retryAfter()).isEqualTo(Duration.ofSeconds(30)));
  }

  @Test
  void aGroupReceiving100AnswersStaysWithinItsLimitWithoutA429() throws Exception {
    // Telegram's 20 per minute, compressed to 20 per second so the test takes seconds; the fake enforces the same.
    Limits enforced = new Limits(
        Limits.Rate.of(1000, Duration.ofSeconds(1)),
        Limits.Rate.of(1000, Duration.ofSeconds(1)),
        Limits.Rate.of(20, Duration.ofSeconds(1)).withBurst(3));
    FakeTelegramServer fake = fake(enforced);
    // The sender keeps some of the burst Telegram tolerates in reserve, so jitter on the wire never earns a 429.
    SendLimits limits = new SendLimits(
        Limit.perSecond(500), Limit.perSecond(500), new Limit(20, Duration.ofSeconds(1), 2));
    TelegramAdapter adapter = started(adapterFor(fake, InMemoryStorage.create()).sendLimits(limits));
    long group = -100555;
    ExecutorService pool = Executors.newFixedThreadPool(8);
    long start = System.nanoTime();
    try {
      List<Future<SentMessage>> futures = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        int n = i;
        futures.add(pool.submit(() -> adapter.sender().send(OutgoingMessage.to(group, "answer " + n))));
      }
      for (Future<SentMessage> f : futures) {
        f.get(30, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    assertThat(fake.sentMessages(group)).hasSize(100);
    assertThat(fake.http429()).isZero();
    assertThat(fake.maxInWindow(group, Duration.ofSeconds(1))).isLessThanOrEqualTo(23);
    assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(4500)); // (100 - 2 burst) / 20 per second
  }

  @Test
  void aLongAnswerGoesOutInPartsEachWithinTelegramsLimit() {
    FakeTelegramServer fake = fake(Limits.unlimited());
    TelegramAdapter adapter = started(adapterFor(fake, InMemoryStorage.create()));
    String paragraph = "word ".repeat(700).strip();
    String text = paragraph + "\n\n" + paragraph + "\n\n" + paragraph;
    SentMessage first = adapter.sender().send(new OutgoingMessage(703, text, 5L, null));
    List<dev.tgsupport.telegram.fake.SentMessage> parts = fake.sentMessages(703);
    assertThat(parts).hasSizeGreaterThan(1);
    assertThat(parts).allSatisfy(p -> assertThat(p.text().length()).isLessThanOrEqualTo(4096));
    assertThat(parts.get(0).messageId()).isEqualTo((int) first.telegramMessageId());
    // Message 5 does not exist in the fake, so Telegram sends without the reply, as allow_sending_without_reply asks.
    List<dev.tgsupport.telegram.fake.RecordedRequest> requests = fake.requests("sendMessage");
    assertThat(requests.get(0).params().get("reply_parameters")).contains("\"message_id\":5")
        .contains("allow_sending_without_reply");
    assertThat(requests.subList(1, requests.size()))
        .allSatisfy(r -> assertThat(r.params()).doesNotContainKey("reply_parameters"));
  }

  @Test
  void aMigratedGroupIsFollowedToItsSupergroupAlsoInStorage() throws Exception {
    FakeTelegramServer fake = fake(Limits.unlimited());
    InMemoryStorage storage = InMemoryStorage.create();
    TelegramAdapter adapter = started(adapterFor(fake, storage));
    fake.enqueue(UpdateSamples.groupText(1, -4001, 801, 1, QUESTION));
    adapter.startPolling(pipeline(storage, adapter.sender()));
    fake.awaitSentMessages(1, Duration.ofSeconds(10));
    fake.migrateChat(-4001, -1004001);
    adapter.sender().send(OutgoingMessage.to(-4001, "still here"));
    assertThat(fake.sentMessages(-1004001)).extracting(m -> m.text()).containsExactly("still here");
    long current = storage.inTransaction(s -> s.chats().currentId(-4001));
    assertThat(current).isEqualTo(-1004001);
    // The service message arriving later is a no-op.
    fake.enqueue(UpdateSamples.groupMigratedTo(2, -4001, -1004001, 801, 2));
    await("migration update confirmed", Duration.ofSeconds(10), () -> adapter.dispatcherStats().accepted() == 2);
    long after = storage.inTransaction(s -> s.chats().currentId(-4001));
    assertThat(after).isEqualTo(-1004001);
  }

  @Test
  void aUserWhoBlockedTheBotIsMarkedAndTheMessageIsNotRetriedForever() throws Exception {
    FakeTelegramServer fake = fake(Limits.unlimited());
    InMemoryStorage storage = InMemoryStorage.create();
    TelegramAdapter adapter = started(adapterFor(fake, storage));
    fake.blockedBy(901);
    fake.enqueue(UpdateSamples.privateText(1, 901, 1, QUESTION));
    adapter.startPolling(pipeline(storage, adapter.sender()));
    await("the user is marked blocked", Duration.ofSeconds(10),
        () -> storage.inTransaction(s -> s.users().find(901)).map(u -> u.blocked()).orElse(false));
    await("the message is handled", Duration.ofSeconds(10),
        () -> storage.inTransaction(s -> s.messages().listUnhandled(java.time.Instant.EPOCH, 10)).isEmpty());
    assertThat(fake.requests("sendMessage")).hasSize(1);
  }

  @Test
  void anEditUpdatesTheStoredMessageAddsATicketEventAndSendsNothing() throws Exception {
    FakeTelegramServer fake = fake(Limits.unlimited());
    InMemoryStorage storage = InMemoryStorage.create();
    TelegramAdapter adapter = started(adapterFor(fake, storage));
    fake.enqueue(UpdateSamples.privateText(1, 1001, 1, "/ticket my invoice shows the wrong company name"));
    adapter.startPolling(pipeline(storage, adapter.sender()));
    fake.awaitSentMessages(1, Duration.ofSeconds(10));
    long messageId = storage.inTransaction(s -> s.messages().find(1001, 1, Direction.IN)).orElseThrow().id();
    long ticketId = storage.inTransaction(s -> s.tickets().findByMessage(messageId)).orElseThrow().id();

    fake.enqueue(UpdateSamples.editedText(2, 1001, 1001, 1, "/ticket my invoice shows the wrong VAT number"));
    await("the edit is stored", Duration.ofSeconds(10), () -> storage.inTransaction(
        s -> s.messages().findById(messageId)).orElseThrow().text().contains("VAT"));
    List<TicketEvent> events = storage.inTransaction(s -> s.ticketEvents().list(ticketId));
    assertThat(events).anySatisfy(e -> {
      assertThat(e.kind()).isEqualTo(TicketEventKind.EDIT);
      assertThat(e.body()).contains("VAT number");
    });
    Thread.sleep(200);
    assertThat(fake.sentMessages()).hasSize(1);
    List<dev.tgsupport.core.model.Ticket> active = storage.inTransaction(s -> s.tickets().listActiveByUser(1001));
    assertThat(active).hasSize(1);
  }

  @Test
  void callbackQueriesAreAlwaysAnsweredAndUnknownUpdatesKeptRaw() throws Exception {
    FakeTelegramServer fake = fake(Limits.unlimited());
    InMemoryStorage storage = InMemoryStorage.create();
    List<CallbackHandler.Press> presses = new java.util.concurrent.CopyOnWriteArrayList<>();
    TelegramAdapter adapter = started(adapterFor(fake, storage).allowedUpdates(List.of())
        .callbackHandler(p -> {
          presses.add(p);
          return "noted";
        }));
    fake.enqueue(UpdateSamples.callbackQuery(1, "cbq-1", 1101, 1101, 5, "t:42:close"));
    fake.enqueue(UpdateSamples.unknownType(2));
    fake.enqueue(UpdateSamples.channelPost(3, -100900, 1, "news"));
    adapter.startPolling(pipeline(storage, adapter.sender()));
    fake.awaitRequests("answerCallbackQuery", 1, Duration.ofSeconds(10));
    await("all accepted", Duration.ofSeconds(10), () -> adapter.dispatcherStats().accepted() == 3);
    assertThat(presses).singleElement().satisfies(p -> {
      assertThat(p.data()).isEqualTo("t:42:close");
      assertThat(p.userId()).isEqualTo(1101);
    });
    assertThat(fake.requests("answerCallbackQuery").get(0).params()).containsEntry("text", "noted");
    List<RawUpdate> raw = storage.inTransaction(s -> s.updates().listRaw(10));
    assertThat(raw).singleElement().satisfies(r -> assertThat(r.updateId()).isEqualTo(2));
    assertThat(fake.sentMessages()).isEmpty();
  }

  @Test
  void aReceiverOnlyInstanceHandsUpdatesToAWorkerThroughTheQueue() throws Exception {
    FakeTelegramServer fake = fake(Limits.unlimited());
    InMemoryStorage storage = InMemoryStorage.create();
    InMemoryWorkQueue queue = InMemoryWorkQueue.builder().retryBackoff(Duration.ofMillis(50)).build();
    closeLater.add(queue);
    TelegramAdapter receiver = started(adapterFor(fake, storage).workQueue(queue, false));
    TelegramAdapter worker = started(adapterFor(fake, storage).workQueue(queue, true));
    AtomicInteger failFirst = new AtomicInteger(1);
    ReplyGateway flaky = new ReplyGateway() {
      @Override
      public SentMessage send(OutgoingMessage message) {
        if (failFirst.getAndDecrement() > 0) {
          throw new dev.tgsupport.core.ServerErrorException("Telegram hiccup");
        }
        return worker.sender().send(message);
      }

      @Override
      public void edit(long chatId, long telegramMessageId, String text) {
        worker.sender().edit(chatId, telegramMessageId, text);
      }
    };
    receiver.startPolling(pipeline(storage, receiver.sender()));
    worker.startWorker(pipeline(storage, flaky));
    for (int i = 1; i <= 6; i++) {
      fake.enqueue(UpdateSamples.privateText(i, 1600 + (i % 2), i, QUESTION + " #" + i));
    }
    fake.enqueue(UpdateSamples.callbackQuery(7, "cbq-7", 1600, 1600, 1, "x"));
    fake.awaitSentMessages(6, Duration.ofSeconds(15));
    fake.awaitRequests("answerCallbackQuery", 1, Duration.ofSeconds(10));
    await("confirmed", Duration.ofSeconds(10), () -> fake.confirmedUpTo() >= 7 || receiver.dispatcherStats()
        .accepted() >= 7);
    // Each chat's answers come in the order its questions were asked, the failed first one included.
    for (long chat : List.of(1600L, 1601L)) {
      List<Integer> repliedTo = fake.sentMessages(chat).stream().map(m -> m.replyToMessageId()).toList();
      assertThat(repliedTo).isSorted().doesNotHaveDuplicates().hasSize(3);
    }
    await("the worker finished all seven", Duration.ofSeconds(5), () -> worker.dispatcherStats().processed() == 7);
    assertThat(receiver.dispatcherStats().processed()).isZero();
    assertThat(queue.deadLetters()).isEmpty();
  }

  @Test
  void removingTheBotArchivesTheChatAndAddingItBackRestoresIt() throws Exception {
    FakeTelegramServer fake = fake(Limits.unlimited());
    InMemoryStorage storage = InMemoryStorage.create();
    TelegramAdapter adapter = started(adapterFor(fake, storage));
    fake.enqueue(UpdateSamples.botAdded(1, -4501, 1501));
    fake.enqueue(UpdateSamples.botRemoved(2, -4501, 1501, true));
    adapter.startPolling(pipeline(storage, adapter.sender()));
    await("both membership updates", Duration.ofSeconds(10), () -> adapter.dispatcherStats().accepted() == 2);
    assertThat(storage.inTransaction(s -> s.chats().find(-4501)).orElseThrow().archived()).isTrue();
    fake.enqueue(UpdateSamples.botAdded(3, -4501, 1501));
    await("re-added", Duration.ofSeconds(10), () -> adapter.dispatcherStats().accepted() == 3);
    assertThat(storage.inTransaction(s -> s.chats().find(-4501)).orElseThrow().archived()).isFalse();
    assertThat(fake.sentMessages()).isEmpty();
  }

  @Test
  void aWebhookOrAnotherPollerStopsPollingWithAClearError() throws Exception {
    FakeTelegramServer fake = fake(Limits.unlimited());
    InMemoryStorage storage = InMemoryStorage.create();
    TelegramAdapter adapter = started(adapterFor(fake, storage));
    adapter.setWebhook("https://example.org/hook", "s3cret-token", false);
    adapter.startPolling(pipeline(storage, adapter.sender()));
    await("polling stops", Duration.ofSeconds(10), () -> !adapter.isPolling());
    assertThat(adapter.pollingFailure()).isInstanceOf(ConflictException.class)
        .hasMessageContaining("webhook is active");
    assertThat(adapter.webhookInfo().url()).isEqualTo("https://example.org/hook");
    adapter.deleteWebhook(false);
    assertThat(adapter.webhookInfo().isSet()).isFalse();
  }

  @Test
  void networkFailuresAnd5xxBackOffAndPollingRecovers() throws Exception {
    FakeTelegramServer fake = fake(Limits.unlimited());
    InMemoryStorage storage = InMemoryStorage.create();
    TelegramAdapter adapter = started(adapterFor(fake, storage));
    fake.failNext(Fault.badGateway().forMethod("getUpdates").times(2));
    fake.failNext(Fault.drop().forMethod("getUpdates"));
    fake.failNext(Fault.tooManyRequests(1).forMethod("getUpdates"));
    fake.enqueue(UpdateSamples.privateText(1, 1201, 1, QUESTION));
    adapter.startPolling(pipeline(storage, adapter.sender()));
    fake.awaitSentMessages(1, Duration.ofSeconds(15));
    assertThat(adapter.isPolling()).isTrue();
    assertThat(fake.requests("getUpdates").size()).isGreaterThanOrEqualTo(5);
  }

  @Test
  void theWebhookPathAnswersLikePolling() throws Exception {
    FakeTelegramServer fake = fake(Limits.unlimited());
    InMemoryStorage storage = InMemoryStorage.create();
    TelegramAdapter adapter = started(adapterFor(fake, storage));
    WebhookServer server = adapter.startWebhook(pipeline(storage, adapter.sender()),
        WebhookServer.builder().port(0).secretToken("hook-secret_1"));
    adapter.setWebhook("http://127.0.0.1:" + server.port() + "/telegram/webhook", "hook-secret_1", false);
    fake.enqueue(UpdateSamples.privateText(1, 1301, 1, QUESTION));
    fake.enqueue(UpdateSamples.privateText(2, 1301, 2, "спасибо"));
    fake.awaitSentMessages(1, Duration.ofSeconds(10));
    await("both delivered", Duration.ofSeconds(10), () -> server.stats().accepted() == 2);
    assertThat(fake.sentMessages(1301)).extracting(m -> m.text()).containsExactly(ANSWER);
  }

  @Test
  void tenThousandFuzzedUpdatesNeverStopThePollerAndTheOffsetKeepsMoving() throws Exception {
    FakeTelegramServer fake = fake(Limits.unlimited());
    InMemoryStorage storage = InMemoryStorage.create();
    TelegramAdapter adapter = started(adapterFor(fake, storage).sendLimits(
        new SendLimits(Limit.perSecond(5000), Limit.perSecond(5000), Limit.perSecond(5000))));
    Random random = new Random(20261123);
    List<String> seeds = UpdateSamples.corpus(1);
    int total = 10_000;
    for (int i = 1; i <= total; i++) {
      JsonObject update = JsonParser.parseString(seeds.get(random.nextInt(seeds.size()))).getAsJsonObject();
      update.addProperty("update_id", i);
      mutate(update, random, 1 + random.nextInt(3));
      fake.enqueueRaw(i, update.toString());
    }
    PrintStream realErr = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      adapter.startPolling(pipeline(storage, adapter.sender()));
      await("every fuzzed update accepted", Duration.ofSeconds(120),
          () -> adapter.dispatcherStats().accepted() >= total);
      assertThat(adapter.isPolling()).isTrue();
      adapter.close();
    } finally {
      System.setErr(realErr);
    }
    assertThat(fake.confirmedUpTo()).isGreaterThanOrEqualTo(total);
    String log = captured.toString(StandardCharsets.UTF_8);
    long skipped = log.lines().filter(l -> l.contains("skipped")).count();
    realErr.println("fuzz: " + adapter.dispatcherStats() + ", skipped lines logged: " + skipped);
    assertThat(skipped).isPositive();
    assertThat(log).contains("update ").doesNotContain(fake.token().substring(7));
  }

  @Test
  void theTokenNeverAppearsInLogsErrorsOrToString() throws Exception {
    FakeTelegramServer fake = fake(Limits.telegramDefaults());
    InMemoryStorage storage = InMemoryStorage.create();
    PrintStream realErr = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    List<String> texts = new ArrayList<>();
    try {
      TelegramAdapter adapter = started(adapterFor(fake, storage).sendMaxAttempts(2));
      texts.add(adapter.toString());
      fake.failNext(Fault.drop().forMethod("sendMessage"));
      fake.failNext(Fault.internalServerError().forMethod("sendMessage"));
      fake.failNext(Fault.error(400, "Bad Request: chat not found").forMethod("sendMessage"));
      for (int i = 0; i < 3; i++) {
        try {
          adapter.sender().send(OutgoingMessage.to(1401, "x"));
        } catch (RuntimeException e) {
          for (Throwable t = e; t != null; t = t.getCause()) {
            texts.add(t.toString());
          }
        }
      }
      TelegramAdapter wrongToken = started(TelegramAdapter.builder().token("999:" + "Z".repeat(35))
          .apiUrl(fake.apiUrl()));
      try {
        wrongToken.getMe();
      } catch (RuntimeException e) {
        texts.add(e.toString());
      }
      TelegramAdapter unreachable = started(TelegramAdapter.builder().token(fake.token())
          .apiUrl("http://127.0.0.1:1").connectTimeout(Duration.ofMillis(300)));
      try {
        unreachable.getMe();
      } catch (RuntimeException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
          texts.add(t.toString());
        }
      }
      fake.enqueue(UpdateSamples.privateText(1, 1402, 1, QUESTION));
      adapter.startPolling(pipeline(storage, adapter.sender()));
      fake.awaitSentMessages(1, Duration.ofSeconds(10));
      adapter.close();
    } finally {
      System.setErr(realErr);
    }
    texts.add(captured.toString(StandardCharsets.UTF_8));
    String secret = fake.token().substring(fake.token().indexOf(':') + 1);
    assertThat(texts).hasSizeGreaterThan(4).allSatisfy(t -> assertThat(t).doesNotContain(secret));
    assertThat(String.join("\n", texts)).contains("chat not found").contains("Unauthorized");
  }

  /** A few random mutations of an update's fields: other JSON types, removals, extreme numbers, garbage text. */
  private static void mutate(JsonObject root, Random random, int times) {
    for (int i = 0; i < times; i++) {
      List<JsonObject> objects = new ArrayList<>();
      collect(root, objects);
      JsonObject target = objects.get(random.nextInt(objects.size()));
      List<String> keys = new ArrayList<>(target.keySet());
      keys.remove("update_id");
      if (keys.isEmpty()) {
        continue;
      }
      String key = keys.get(random.nextInt(keys.size()));
      switch (random.nextInt(9)) {
        case 0 -> target.remove(key);
        case 1 -> target.add(key, JsonNull.INSTANCE);
        case 2 -> target.add(key, new JsonPrimitive("not a number \uD800 \u0000"));
        case 3 -> target.add(key, new JsonPrimitive(-random.nextInt(1000)));
        case 4 -> target.add(key, new JsonPrimitive(new java.math.BigInteger("9223372036854775808")));
        case 5 -> target.add(key, new JsonPrimitive(1.5e300));
        case 6 -> target.add(key, new JsonArray());
        case 7 -> target.add(key, new JsonObject());
        default -> target.add(key, new JsonPrimitive(random.nextBoolean()));
      }
    }
  }

  private static void collect(JsonElement e, List<JsonObject> into) {
    if (e.isJsonObject()) {
      into.add(e.getAsJsonObject());
      e.getAsJsonObject().entrySet().forEach(en -> collect(en.getValue(), into));
    } else if (e.isJsonArray()) {
      e.getAsJsonArray().forEach(x -> collect(x, into));
    }
  }

  /** Parks the calling thread until the JVM ends; an "interrupt" from halt() ends the wait. */
  private static final class LockSupportSleep {
    static void forever() {
      try {
        Thread.sleep(Long.MAX_VALUE);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
