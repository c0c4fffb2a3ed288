package dev.tgsupport.kaiten;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.tgsupport.core.knowledge.KnowledgeBase;
import dev.tgsupport.core.memory.InMemoryReplyGateway;
import dev.tgsupport.core.memory.InMemoryReplyGateway.Delivery;
import dev.tgsupport.core.memory.InMemoryStorage;
import dev.tgsupport.core.model.KnowledgeEntry;
import dev.tgsupport.core.model.KnowledgeSource;
import dev.tgsupport.core.model.KnowledgeStatus;
import dev.tgsupport.core.model.Ticket;
import dev.tgsupport.core.model.TicketEvent;
import dev.tgsupport.core.model.TicketEventKind;
import dev.tgsupport.core.model.TicketStatus;
import dev.tgsupport.core.port.Stores;
import dev.tgsupport.core.port.SyncLogStore.SyncRun;
import dev.tgsupport.core.text.LexicalKnowledgeRetriever;
import dev.tgsupport.kaiten.fake.FakeCard;
import dev.tgsupport.kaiten.fake.FakeKaitenServer;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The whole loop against the fake: question, card, staff reply, user gets it, card done, user told, draft. */
class KaitenBridgeIT {
  private static final String QUESTION = "How do I reset my password?\nThe link in the mail has expired.";
  private static final String ANSWER = "Use 'Forgot password' again: links live for 24 hours.";

  private FakeKaitenServer kaiten;
  private InMemoryStorage storage;
  private InMemoryReplyGateway replies;
  private KnowledgeBase knowledge;
  private KaitenBridge bridge;
  private HttpServer http;

  @BeforeEach
  void setUp() {
    kaiten = FakeKaitenServer.builder().noRateLimit().start();
    storage = InMemoryStorage.create();
    replies = InMemoryReplyGateway.create();
    knowledge = new KnowledgeBase(storage, LexicalKnowledgeRetriever.create(), Clock.systemUTC());
  }

  @AfterEach
  void tearDown() {
    if (bridge != null) {
      bridge.close();
    }
    if (http != null) {
      http.stop(0);
    }
    kaiten.close();
  }

  private KaitenBridge.Builder builder(KaitenConfig config) {
    return KaitenBridge.builder().config(config).transactions(storage).replies(replies).knowledge(knowledge)
        .client(new KaitenClient(config, TestClients.fastTuning()));
  }

  @Test
  void webhooksBringStaffRepliesAndTheResolutionBackToTheUser() throws Exception {
    ByteArrayOutputStream logs = new ByteArrayOutputStream();
    PrintStream originalErr = System.err;
    System.setErr(new PrintStream(new Tee(originalErr, logs), true, StandardCharsets.UTF_8));
    try {
      KaitenConfig config = TestClients.config(kaiten).requestsPerSecond(50).build();
      bridge = builder(config).build();
      http = TestClients.listenToWebhooks(kaiten, bridge);

      Ticket t = TestTickets.open(storage, 77, QUESTION);
      bridge.drainOutboxOnce();
      FakeCard card = kaiten.cards().get(0);
      assertThat(card.title()).isEqualTo("#" + t.id() + " " + t.title());
      assertThat(card.externalId()).isEqualTo("tgsupport-" + t.id());
      assertThat(card.description()).contains("> How do I reset my password?\n> The link in the mail has expired.");

      kaiten.internalNote(card.id(), "looks like the mail template again");
      kaiten.staffComment(card.id(), "Automated note", FakeKaitenServer.BOT_USER_ID);
      kaiten.staffComment(card.id(), ANSWER);
      await(() -> replies.sent().size() >= 1);
      kaiten.moveToDone(card.id());
      await(() -> ticket(t.id()).status() == TicketStatus.RESOLVED);
      assertThat(kaiten.awaitWebhooksIdle(Duration.ofSeconds(5))).isTrue();
      assertThat(bridge.awaitWebhookIdle(Duration.ofSeconds(5))).isTrue();

      assertLoopDone(t, card);
      List<SyncRun> runs = storage.inTransaction((Stores s) -> s.syncLog().recent("kaiten", 50));
      assertThat(runs).extracting(SyncRun::kind).contains("outbox", "webhook");
    } finally {
      System.setErr(originalErr);
    }
    assertThat(logs.toString(StandardCharsets.UTF_8)).contains("Kaiten").doesNotContain(kaiten.token());
  }

  @Test
  void withWebhooksOffThePollerAloneGetsTheSameResult() throws Exception {
    kaiten.webhooksEnabled(false);
    KaitenConfig config = TestClients.config(kaiten).requestsPerSecond(50).pollInterval(Duration.ofSeconds(1))
        .build();
    bridge = builder(config).drainInterval(Duration.ofMillis(50)).build();
    bridge.start();

    Ticket t = TestTickets.open(storage, 77, QUESTION);
    await(() -> ticket(t.id()).externalId() != null);
    FakeCard card = kaiten.cards().get(0);
    kaiten.internalNote(card.id(), "looks like the mail template again");
    kaiten.staffComment(card.id(), "Automated note", FakeKaitenServer.BOT_USER_ID);
    kaiten.staffComment(card.id(), ANSWER);
    await(() -> replies.sent().size() >= 1);
    kaiten.moveToDone(card.id());
    await(() -> ticket(t.id()).status() == TicketStatus.RESOLVED);
    bridge.close();
    bridge.syncOnce();

    assertLoopDone(t, card);
    List<SyncRun> runs = storage.inTransaction((Stores s) -> s.syncLog().recent("kaiten", 100));
    assertThat(runs).extracting(SyncRun::kind).contains("outbox", "poll").doesNotContain("webhook");
    assertThat(runs).allSatisfy(r -> assertThat(r.errors()).isNull());
  }

  @Test
  void aSecondPollSendsNothingTwice() {
    KaitenConfig config = TestClients.config(kaiten).requestsPerSecond(50).build();
    bridge = builder(config).build();
    Ticket t = TestTickets.open(storage, 77, QUESTION);
    bridge.drainOutboxOnce();
    long cardId = kaiten.cards().get(0).id();
    long withdrawn = kaiten.staffComment(cardId, "Wrong card, sorry").id();
    kaiten.deleteComment(cardId, withdrawn);
    kaiten.staffComment(cardId, ANSWER);

    assertThat(bridge.syncOnce()).isEqualTo(1);
    assertThat(bridge.syncOnce()).isZero();
    kaiten.staffComment(cardId, "And clear the browser cache.");
    assertThat(bridge.syncOnce()).isEqualTo(1);

    assertThat(replies.sent()).extracting(Delivery::text).containsExactly(
        "Support replied to your ticket #" + t.id() + ":\n\n" + ANSWER,
        "Support replied to your ticket #" + t.id() + ":\n\nAnd clear the browser cache.");
  }

  @Test
  void aFailedSendIsRetriedByTheNextPoll() {
    KaitenConfig config = TestClients.config(kaiten).requestsPerSecond(50).build();
    bridge = builder(config).build();
    TestTickets.open(storage, 77, QUESTION);
    bridge.drainOutboxOnce();
    kaiten.staffComment(kaiten.cards().get(0).id(), ANSWER);
    replies.failNext(new dev.tgsupport.core.ServerErrorException("telegram is down"));

    assertThat(bridge.syncOnce()).isZero();
    assertThat(bridge.syncOnce()).isEqualTo(1);

    assertThat(replies.sent()).hasSize(1);
    List<SyncRun> runs = storage.inTransaction((Stores s) -> s.syncLog().recent("kaiten", 10));
    assertThat(runs).filteredOn(r -> r.kind().equals("poll")).extracting(SyncRun::errors)
        .anySatisfy(e -> assertThat(e).contains("telegram is down"));
  }

  @Test
  void checkReportsTheTokenBoardAndColumns() {
    KaitenConfig config = TestClients.config(kaiten).build();
    bridge = builder(config).build();
    KaitenCheck ok = bridge.check();
    assertThat(ok.ok()).isTrue();
    assertThat(ok.tokenUser()).contains("Tgsupport Bot");
    assertThat(ok.board()).contains("Support");
    assertThat(ok.doneColumns()).contains(FakeKaitenServer.DONE_COLUMN_ID, FakeKaitenServer.VERIFIED_SUBCOLUMN_ID);
    assertThat(ok.problems()).isEmpty();

    KaitenCheck wrongColumn;
    try (KaitenBridge other = builder(config.toBuilder().columnId(FakeKaitenServer.OTHER_BACKLOG_COLUMN_ID).build())
        .build()) {
      wrongColumn = other.check();
    }
    assertThat(wrongColumn.ok()).isFalse();
    assertThat(wrongColumn.problems()).singleElement().asString().contains("kaiten.columnId");

    KaitenCheck badToken;
    try (KaitenBridge other = builder(config.toBuilder().token("wrong-token").build()).build()) {
      badToken = other.check();
    }
    assertThat(badToken.ok()).isFalse();
    assertThat(badToken.tokenUser()).isNull();
    assertThat(badToken.problems()).singleElement().asString().contains("rejected the token");
  }

  private void assertLoopDone(Ticket t, FakeCard card) {
    List<Delivery> sent = replies.sent();
    assertThat(sent).hasSize(2);
    assertThat(sent.get(0).chatId()).isEqualTo(TestTickets.GROUP_ID);
    assertThat(sent.get(0).replyToMessageId()).isEqualTo(77L);
    assertThat(sent.get(0).text()).isEqualTo("Support replied to your ticket #" + t.id() + ":\n\n" + ANSWER);
    assertThat(sent.get(1).replyToMessageId()).isEqualTo(77L);
    assertThat(sent.get(1).text()).startsWith("Your ticket #" + t.id() + " is resolved.").endsWith(ANSWER);

    Ticket resolved = ticket(t.id());
    assertThat(resolved.status()).isEqualTo(TicketStatus.RESOLVED);
    List<TicketEvent> events = storage.inTransaction((Stores s) -> s.ticketEvents().list(t.id()));
    assertThat(events).extracting(TicketEvent::kind)
        .containsExactly(TicketEventKind.STATUS, TicketEventKind.COMMENT, TicketEventKind.STATUS);
    assertThat(events.get(1).body()).isEqualTo(ANSWER);
    assertThat(events.get(1).author()).isEqualTo("Anna Support");
    assertThat(events.get(2).externalId()).startsWith("kaiten-done-" + card.id() + "-1-");

    List<KnowledgeEntry> drafts = knowledge.list(KnowledgeStatus.DRAFT);
    assertThat(drafts).singleElement().satisfies(d -> {
      assertThat(d.question()).isEqualTo(QUESTION);
      assertThat(d.answer()).isEqualTo(ANSWER);
      assertThat(d.source()).isEqualTo(KnowledgeSource.KAITEN);
    });
    assertThat(knowledge.list(KnowledgeStatus.VALIDATED)).isEmpty();
  }

  private Ticket ticket(long id) {
    return storage.inTransaction(s -> s.tickets().find(id)).orElseThrow();
  }

  static void await(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within 10 s");
      }
      Thread.sleep(20);
    }
  }

  /** Writes to the console and to a buffer. */
  static final class Tee extends OutputStream {
    private final OutputStream a;
    private final OutputStream b;

    Tee(OutputStream a, OutputStream b) {
      this.a = a;
      this.b = b;
    }

    @Override
    public synchronized void write(int c) throws java.io.IOException {
      a.write(c);
      b.write(c);
    }

    @Override
    public synchronized void write(byte[] bytes, int off, int len) throws java.io.IOException {
      a.write(bytes, off, len);
      b.write(bytes, off, len);
    }
  }
}
