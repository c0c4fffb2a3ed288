package dev.tgsupport.kaiten;

import static dev.tgsupport.kaiten.InMemoryCardReader.DONE;
import static dev.tgsupport.kaiten.InMemoryCardReader.IN_PROGRESS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tgsupport.core.knowledge.KnowledgeBase;
import dev.tgsupport.core.memory.InMemoryReplyGateway;
import dev.tgsupport.core.memory.InMemoryReplyGateway.Delivery;
import dev.tgsupport.core.memory.InMemoryStorage;
import dev.tgsupport.core.model.KnowledgeEntry;
import dev.tgsupport.core.model.KnowledgeStatus;
import dev.tgsupport.core.model.Ticket;
import dev.tgsupport.core.model.TicketEvent;
import dev.tgsupport.core.model.TicketEventKind;
import dev.tgsupport.core.model.TicketStatus;
import dev.tgsupport.core.port.Stores;
import dev.tgsupport.core.text.LexicalKnowledgeRetriever;
import dev.tgsupport.kaiten.CardLifecycle.CardState;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The card lifecycle as the sync applies it, on an in-memory board and storage: no server, no threads of its own. */
class KaitenSyncTest {
  private static final long CARD = 501;
  private static final String QUESTION = "How do I export my data?";

  private InMemoryStorage storage;
  private InMemoryReplyGateway replies;
  private KnowledgeBase knowledge;
  private InMemoryCardReader kaiten;
  private KaitenSync sync;
  private Ticket ticket;
  private ExecutorService threads;

  @BeforeEach
  void setUp() {
    storage = InMemoryStorage.create();
    replies = InMemoryReplyGateway.create();
    knowledge = new KnowledgeBase(storage, LexicalKnowledgeRetriever.create(), Clock.systemUTC());
    kaiten = new InMemoryCardReader();
    KaitenConfig config = KaitenConfig.builder().baseUrl("http://127.0.0.1:9/api/latest").token("unit-test-token")
        .boardId(InMemoryCardReader.BOARD_ID).columnId(InMemoryCardReader.QUEUE).build();
    sync = new KaitenSync(config, kaiten, storage, replies, knowledge, Clock.systemUTC(),
        new SyncRuns(storage, Clock.systemUTC()));
    ticket = linkedTicket(77, CARD);
  }

  @AfterEach
  void tearDown() {
    if (threads != null) {
      threads.shutdownNow();
    }
  }

  private Ticket linkedTicket(long telegramMessageId, long cardId) {
    Ticket t = TestTickets.open(storage, telegramMessageId, QUESTION);
    storage.run(s -> s.tickets().setExternalId(t.id(), Long.toString(cardId)));
    kaiten.add(cardId, t.id());
    return storage.inTransaction(s -> s.tickets().find(t.id())).orElseThrow();
  }

  // ------------------------------------------------------------------------------------------------ done

  @Test
  void aDoneCardResolvesOnceHoweverOftenItIsSynced() {
    kaiten.staffComment(CARD, "Settings → Export.");
    kaiten.moveTo(CARD, DONE);

    assertThat(sync.syncById(CARD)).isEqualTo(2);
    assertThat(sync.syncById(CARD)).isZero();
    assertThat(sync.syncListed(listed(CARD))).isZero();

    assertThat(texts()).containsExactly(reply("Settings → Export."),
        "Your ticket #" + ticket.id() + " is resolved. The last answer from support:\n\nSettings → Export.");
    assertThat(status()).isEqualTo(TicketStatus.RESOLVED);
    assertThat(statusKeys()).singleElement().asString()
        .isEqualTo("kaiten-done-" + CARD + "-1-" + kaiten.snapshot(CARD).lastMovedToDoneAt());
    assertThat(drafts()).singleElement().satisfies(d -> {
      assertThat(d.question()).isEqualTo(QUESTION);
      assertThat(d.answer()).isEqualTo("Settings → Export.");
      assertThat(d.tags()).containsExactly("kaiten", "ticket-" + ticket.id());
    });
  }

  @Test
  void aCardArchivedInADoneColumnResolvesAsDoneDoes() {
    kaiten.staffComment(CARD, "Settings → Export.");
    kaiten.moveTo(CARD, DONE);
    kaiten.archive(CARD);

    sync.syncById(CARD);

    assertThat(status()).isEqualTo(TicketStatus.RESOLVED);
    assertThat(texts()).last().asString().startsWith("Your ticket #" + ticket.id() + " is resolved.");
    assertThat(drafts()).hasSize(1);
  }

  // ------------------------------------------------------------------------------------------------ archived

  @Test
  void anArchivedCardClosesTheTicketAfterItsPendingCommentsAndDraftsNothing() {
    kaiten.staffComment(CARD, "We cannot reproduce this.");
    kaiten.archive(CARD);

    assertThat(sync.syncById(CARD)).isEqualTo(2);
    assertThat(sync.syncById(CARD)).isZero();

    assertThat(texts()).containsExactly(reply("We cannot reproduce this."), "Your ticket #" + ticket.id()
        + " was closed by support. The last answer from support:\n\nWe cannot reproduce this.");
    assertThat(status()).isEqualTo(TicketStatus.CLOSED);
    assertThat(statusEvents()).singleElement().satisfies(e -> {
      assertThat(e.externalId()).isEqualTo("kaiten-closed-" + CARD + "-1");
      assertThat(e.body()).isEqualTo("closed");
      assertThat(e.author()).isEqualTo("kaiten");
    });
    assertThat(drafts()).isEmpty();
  }

  @Test
  void anArchivedCardWithoutStaffAnswerClosesWithTheBareNotice() {
    kaiten.archive(CARD);

    sync.syncById(CARD);

    assertThat(texts()).containsExactly("Your ticket #" + ticket.id() + " was closed by support.");
  }

  @Test
  void aClosedCardRestoredFromTheArchiveReopensTheTicket() {
    kaiten.archive(CARD);
    sync.syncById(CARD);
    kaiten.restore(CARD);

    assertThat(sync.syncById(CARD)).isEqualTo(1);

    assertThat(status()).isEqualTo(TicketStatus.IN_PROGRESS);
    assertThat(texts()).last().isEqualTo("Support reopened your ticket #" + ticket.id() + ".");
    assertThat(statusKeys()).containsExactly("kaiten-closed-" + CARD + "-1", "kaiten-reopened-" + CARD + "-2");
  }

  // ------------------------------------------------------------------------------------------------ deleted

  @Test
  void aDeletedCardClosesTheTicketQuotingTheLastAnswerBroughtBack() {
    kaiten.staffComment(CARD, "Try the desktop app.");
    sync.syncById(CARD);
    kaiten.delete(CARD);

    assertThat(sync.syncById(CARD)).isEqualTo(1);
    assertThat(sync.syncById(CARD)).isZero();

    assertThat(texts()).containsExactly(reply("Try the desktop app."), "Your ticket #" + ticket.id()
        + " was closed by support. The last answer from support:\n\nTry the desktop app.");
    assertThat(status()).isEqualTo(TicketStatus.CLOSED);
    assertThat(statusKeys()).containsExactly("kaiten-closed-" + CARD + "-1");
    assertThat(drafts()).isEmpty();
  }

  @Test
  void aResolvedCardArchivedOrDeletedLaterChangesNothing() {
    kaiten.moveTo(CARD, DONE);
    sync.syncById(CARD);
    kaiten.moveTo(CARD, IN_PROGRESS);
    kaiten.archive(CARD);
    long other = 502;
    Ticket second = linkedTicket(78, other);
    kaiten.moveTo(other, DONE);
    sync.syncById(other);
    kaiten.delete(other);

    assertThat(sync.syncById(CARD)).isZero();
    assertThat(sync.syncById(other)).isZero();

    assertThat(status()).isEqualTo(TicketStatus.RESOLVED);
    assertThat(storage.inTransaction(s -> s.tickets().find(second.id())).orElseThrow().status())
        .isEqualTo(TicketStatus.RESOLVED);
    assertThat(replies.sent()).hasSize(2);
  }

  // ------------------------------------------------------------------------------------------------ reopened

  @Test
  void aCardMovedBackFromDoneReopensTheTicketOnceAndNewCommentsFlowAgain() {
    kaiten.staffComment(CARD, "Settings → Export.");
    kaiten.moveTo(CARD, DONE);
    sync.syncById(CARD);
    kaiten.moveTo(CARD, IN_PROGRESS);
    kaiten.staffComment(CARD, "Sorry, the export is broken today; we are fixing it.");

    assertThat(sync.syncById(CARD)).isEqualTo(2);
    assertThat(sync.syncById(CARD)).isZero();

    assertThat(texts()).containsExactly(reply("Settings → Export."),
        "Your ticket #" + ticket.id() + " is resolved. The last answer from support:\n\nSettings → Export.",
        "Support reopened your ticket #" + ticket.id() + ".",
        reply("Sorry, the export is broken today; we are fixing it."));
    assertThat(status()).isEqualTo(TicketStatus.IN_PROGRESS);
    assertThat(statusEvents()).extracting(TicketEvent::body).containsExactly("resolved", "in_progress");
    assertThat(statusKeys()).last().isEqualTo("kaiten-reopened-" + CARD + "-2");
  }

  @Test
  void resolvedAgainTheTicketKeepsOneDraftWithTheLatestAnswer() {
    kaiten.staffComment(CARD, "Settings → Export.");
    kaiten.moveTo(CARD, DONE);
    sync.syncById(CARD);
    KnowledgeEntry first = drafts().get(0);
    kaiten.moveTo(CARD, IN_PROGRESS);
    sync.syncById(CARD);
    kaiten.staffComment(CARD, "Fixed: Settings → Data → Export.");
    kaiten.moveTo(CARD, DONE);

    assertThat(sync.syncById(CARD)).isEqualTo(2);
    assertThat(sync.syncById(CARD)).isZero();

    assertThat(status()).isEqualTo(TicketStatus.RESOLVED);
    assertThat(texts()).last().isEqualTo("Your ticket #" + ticket.id()
        + " is resolved. The last answer from support:\n\nFixed: Settings → Data → Export.");
    assertThat(drafts()).singleElement().satisfies(d -> {
      assertThat(d.id()).isEqualTo(first.id());
      assertThat(d.answer()).isEqualTo("Fixed: Settings → Data → Export.");
      assertThat(d.question()).isEqualTo(QUESTION);
    });
    List<String> keys = statusKeys();
    assertThat(keys).hasSize(3).doesNotHaveDuplicates();
    assertThat(keys.get(0)).startsWith("kaiten-done-" + CARD + "-1-");
    assertThat(keys.get(2)).isEqualTo("kaiten-done-" + CARD + "-3-" + kaiten.snapshot(CARD).lastMovedToDoneAt());
  }

  @Test
  void aValidatedEntryIsLeftAloneAndTheNewAnswerBecomesADraft() {
    kaiten.staffComment(CARD, "Settings → Export.");
    kaiten.moveTo(CARD, DONE);
    sync.syncById(CARD);
    KnowledgeEntry validated = knowledge.validate(drafts().get(0).id(), "anna");
    kaiten.moveTo(CARD, IN_PROGRESS);
    sync.syncById(CARD);
    kaiten.staffComment(CARD, "Also: Settings → Data.");
    kaiten.moveTo(CARD, DONE);

    sync.syncById(CARD);

    assertThat(knowledge.list(KnowledgeStatus.VALIDATED)).containsExactly(validated);
    assertThat(drafts()).singleElement().extracting(KnowledgeEntry::answer).isEqualTo("Also: Settings → Data.");
  }

  @Test
  void aCardMovedToDoneAgainWhileNobodyLookedResolvesAgainWithTheCommentsInBetween() {
    kaiten.moveTo(CARD, DONE);
    sync.syncById(CARD);
    // Webhooks lost, and the poller ran neither while the card was back in progress nor before it was done again.
    kaiten.moveTo(CARD, IN_PROGRESS);
    kaiten.staffComment(CARD, "One more step: log out and in.");
    kaiten.moveTo(CARD, DONE);

    assertThat(sync.syncById(CARD)).isEqualTo(2);

    assertThat(texts()).containsExactly("Your ticket #" + ticket.id() + " is resolved.",
        reply("One more step: log out and in."),
        "Your ticket #" + ticket.id() + " is resolved. The last answer from support:\n\n"
            + "One more step: log out and in.");
    assertThat(statusKeys()).hasSize(2).doesNotHaveDuplicates();
  }

  @Test
  void aTicketClosedSomeOtherWayStaysClosedWhateverTheCardDoes() {
    storage.run(s -> {
      s.tickets().updateStatus(ticket.id(), TicketStatus.CLOSED);
      s.ticketEvents().append(ticket.id(), TicketEventKind.STATUS, "staff", "closed", null);
    });
    kaiten.moveTo(CARD, IN_PROGRESS);
    kaiten.staffComment(CARD, "Anyone there?");

    assertThat(sync.syncById(CARD)).isZero();
    kaiten.moveTo(CARD, DONE);
    assertThat(sync.syncById(CARD)).isZero();

    assertThat(replies.sent()).isEmpty();
    assertThat(status()).isEqualTo(TicketStatus.CLOSED);
  }

  @Test
  void aTicketTheBridgeResolvedButStaffClosedSinceIsNotReopened() {
    kaiten.moveTo(CARD, DONE);
    sync.syncById(CARD);
    storage.run(s -> s.tickets().updateStatus(ticket.id(), TicketStatus.CLOSED));
    kaiten.moveTo(CARD, IN_PROGRESS);

    assertThat(sync.syncById(CARD)).isZero();

    assertThat(status()).isEqualTo(TicketStatus.CLOSED);
    assertThat(replies.sent()).hasSize(1);
  }

  @Test
  void aTicketResolvedBeforeKeysHadStampsIsNotResolvedTwice() {
    kaiten.moveTo(CARD, DONE);
    storage.run(s -> {
      s.tickets().updateStatus(ticket.id(), TicketStatus.RESOLVED);
      s.ticketEvents().append(ticket.id(), TicketEventKind.STATUS, "kaiten", "resolved", "kaiten-done-" + CARD);
    });

    assertThat(sync.syncById(CARD)).isZero();
    kaiten.moveTo(CARD, IN_PROGRESS);
    assertThat(sync.syncById(CARD)).isEqualTo(1);

    assertThat(texts()).containsExactly("Support reopened your ticket #" + ticket.id() + ".");
    assertThat(statusKeys()).containsExactly("kaiten-done-" + CARD, "kaiten-reopened-" + CARD + "-2");
  }

  // ------------------------------------------------------------------------------------------------ races

  @Test
  void aListingOlderThanTheResolutionCannotReopenTheTicket() {
    CardState stale = listed(CARD);
    kaiten.moveTo(CARD, DONE);
    sync.syncById(CARD);

    assertThat(sync.syncListed(stale)).isZero();

    assertThat(status()).isEqualTo(TicketStatus.RESOLVED);
    assertThat(replies.sent()).hasSize(1);
  }

  @Test
  void aListingOlderThanTheReopeningCannotResolveTheTicketAgain() {
    kaiten.moveTo(CARD, DONE);
    CardState stale = listed(CARD);
    sync.syncById(CARD);
    kaiten.moveTo(CARD, IN_PROGRESS);
    sync.syncById(CARD);

    assertThat(sync.syncListed(stale)).isZero();

    assertThat(status()).isEqualTo(TicketStatus.IN_PROGRESS);
    assertThat(replies.sent()).hasSize(2);
  }

  @Test
  void theWebhookAndThePollerSyncingTheSameMoveAtOnceTellTheUserOnce() throws Exception {
    kaiten.archive(CARD);
    // Every sync reads the card for 50 ms: without the per-card lock all four would see the ticket still open.
    kaiten.slowReads(Duration.ofMillis(50));
    threads = Executors.newFixedThreadPool(4);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<Integer>> runs = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      boolean webhook = i % 2 == 0;
      runs.add(threads.submit(() -> {
        start.await();
        return webhook ? sync.syncCardById(CARD, "webhook") : sync.syncListed(listed(CARD));
      }));
    }
    start.countDown();
    int changes = 0;
    for (Future<Integer> run : runs) {
      changes += run.get(10, TimeUnit.SECONDS);
    }

    assertThat(changes).isEqualTo(1);
    assertThat(replies.sent()).hasSize(1);
    assertThat(statusEvents()).hasSize(1);
  }

  // ------------------------------------------------------------------------------------------------ poller

  @Test
  void thePollerReadsTheCardsOfActiveTicketsItDoesNotListAndClosesThem() {
    long archived = 502;
    long deleted = 503;
    Ticket second = linkedTicket(78, archived);
    Ticket third = linkedTicket(79, deleted);
    kaiten.archive(archived);
    kaiten.delete(deleted);

    assertThat(sync.poll()).isEqualTo(2);

    assertThat(status()).isEqualTo(TicketStatus.OPEN);
    for (Ticket t : List.of(second, third)) {
      assertThat(storage.inTransaction(s -> s.tickets().find(t.id())).orElseThrow().status())
          .isEqualTo(TicketStatus.CLOSED);
    }
    assertThat(kaiten.reads()).as("only the two cards no listing showed are read by id").isEqualTo(2);
    assertThat(sync.poll()).isZero();
    assertThat(kaiten.reads()).isEqualTo(2);
  }

  @Test
  void thePollerReadsABoundedTurnOfUnlistedCardsPerPassAndCoversThemAll() {
    int extra = KaitenSync.MAX_REREADS_PER_POLL + 5;
    for (int i = 0; i < extra; i++) {
      linkedTicket(100 + i, 600 + i);
      kaiten.delete(600 + i);
    }

    assertThat(sync.poll()).isEqualTo(KaitenSync.MAX_REREADS_PER_POLL);
    assertThat(kaiten.reads()).isEqualTo(KaitenSync.MAX_REREADS_PER_POLL);
    assertThat(sync.poll()).isEqualTo(5);

    List<Ticket> active = storage.inTransaction(s -> s.tickets().listActiveLinked(0, 100));
    assertThat(active).extracting(Ticket::id).containsExactly(ticket.id());
  }

  @Test
  void thePollerSeesACardMovedBackFromDoneWithoutANewComment() {
    kaiten.moveTo(CARD, DONE);
    assertThat(sync.poll()).isEqualTo(1);
    assertThat(sync.poll()).isZero();
    kaiten.moveTo(CARD, IN_PROGRESS);

    assertThat(sync.poll()).isEqualTo(1);

    assertThat(status()).isEqualTo(TicketStatus.IN_PROGRESS);
    assertThat(texts()).last().isEqualTo("Support reopened your ticket #" + ticket.id() + ".");
  }

  // ------------------------------------------------------------------------------------------------ texts

  @Test
  void longAnswersAreCutToTelegramsLimitWithoutSplittingASurrogatePair() {
    String longText = "😀".repeat(3000);
    String cut = KaitenSync.cut(longText);
    assertThat(cut.length()).isLessThanOrEqualTo(4096);
    assertThat(cut).endsWith("support can send the rest)");
    assertThat(Character.isHighSurrogate(cut.charAt(cut.indexOf("\n\n[…]") - 1))).isFalse();
    assertThat(KaitenSync.cut("short")).isEqualTo("short");
  }

  // ------------------------------------------------------------------------------------------------ helpers

  private CardState listed(long cardId) {
    return CardState.of(kaiten.snapshot(cardId), kaiten.isDone(kaiten.snapshot(cardId)));
  }

  private String reply(String text) {
    return "Support replied to your ticket #" + ticket.id() + ":\n\n" + text;
  }

  private List<String> texts() {
    return replies.sent().stream().map(Delivery::text).toList();
  }

  private TicketStatus status() {
    return storage.inTransaction(s -> s.tickets().find(ticket.id())).orElseThrow().status();
  }

  private List<TicketEvent> statusEvents() {
    return storage.inTransaction((Stores s) -> s.ticketEvents().list(ticket.id())).stream()
        .filter(e -> e.kind() == TicketEventKind.STATUS).toList();
  }

  private List<String> statusKeys() {
    return statusEvents().stream().map(TicketEvent::externalId).toList();
  }

  private List<KnowledgeEntry> drafts() {
    return knowledge.list(KnowledgeStatus.DRAFT);
  }
}
