package dev.tgsupport.kaiten;

import static dev.tgsupport.kaiten.KaitenBridgeIT.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
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
import dev.tgsupport.kaiten.fake.FakeKaitenServer;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The card lifecycle beyond "done" against the fake over HTTP, through the real client: archived and deleted cards
 * close their tickets (found by the webhook and by the poller), and a card moved back from done reopens its ticket.
 */
class KaitenLifecycleIT {
  private static final String QUESTION = "The export button does nothing.";

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
    KaitenConfig config = TestClients.config(kaiten).requestsPerSecond(50).build();
    bridge = KaitenBridge.builder().config(config).transactions(storage).replies(replies).knowledge(knowledge)
        .client(new KaitenClient(config, TestClients.fastTuning())).build();
  }

  @AfterEach
  void tearDown() {
    bridge.close();
    if (http != null) {
      http.stop(0);
    }
    kaiten.close();
  }

  private void listenToWebhooks() throws Exception {
    http = TestClients.listenToWebhooks(kaiten, bridge);
  }

  /** A ticket whose card exists; returns the card id. */
  private long ticketWithCard(Ticket t) {
    bridge.drainOutboxOnce();
    return kaiten.cardsByExternalId("tgsupport-" + t.id()).get(0).id();
  }

  @Test
  void anArchivedCardClosesTheTicketAndTellsTheUserByWebhook() throws Exception {
    listenToWebhooks();
    Ticket t = TestTickets.open(storage, 77, QUESTION);
    long card = ticketWithCard(t);
    kaiten.staffComment(card, "Duplicate of a known bug; follow the status page.");
    await(() -> replies.sent().size() == 1);

    kaiten.archive(card);
    await(() -> status(t) == TicketStatus.CLOSED);
    idle();

    assertThat(texts()).containsExactly(
        "Support replied to your ticket #" + t.id() + ":\n\nDuplicate of a known bug; follow the status page.",
        "Your ticket #" + t.id() + " was closed by support. The last answer from support:\n\n"
            + "Duplicate of a known bug; follow the status page.");
    assertThat(replies.sent()).extracting(Delivery::replyToMessageId).containsOnly(77L);
    assertThat(lifecycleKeys(t)).containsExactly("kaiten-closed-" + card + "-1");
    assertThat(knowledge.list(KnowledgeStatus.DRAFT)).isEmpty();
  }

  @Test
  void aDeletedCardClosesTheTicketByWebhook() throws Exception {
    listenToWebhooks();
    Ticket t = TestTickets.open(storage, 77, QUESTION);
    long card = ticketWithCard(t);

    kaiten.deleteCard(card);
    await(() -> status(t) == TicketStatus.CLOSED);
    idle();

    assertThat(texts()).containsExactly("Your ticket #" + t.id() + " was closed by support.");
    assertThat(kaiten.requests("GET", "/cards/" + card)).extracting(r -> r.status()).contains(404);
  }

  @Test
  void thePollerFindsArchivedAndDeletedCardsTheBoardNoLongerLists() {
    kaiten.webhooksEnabled(false);
    Ticket archived = TestTickets.open(storage, 77, QUESTION);
    Ticket deleted = TestTickets.open(storage, 78, "Where is my invoice?");
    Ticket open = TestTickets.open(storage, 79, "Can I change my plan?");
    bridge.drainOutboxOnce();
    long archivedCard = kaiten.cardsByExternalId("tgsupport-" + archived.id()).get(0).id();
    long deletedCard = kaiten.cardsByExternalId("tgsupport-" + deleted.id()).get(0).id();
    kaiten.staffComment(deletedCard, "Sent again to your mail.");
    assertThat(bridge.syncOnce()).isEqualTo(1);
    kaiten.archive(archivedCard);
    kaiten.deleteCard(deletedCard);
    kaiten.clearRequests();

    assertThat(bridge.syncOnce()).isEqualTo(2);
    assertThat(bridge.syncOnce()).isZero();

    assertThat(status(archived)).isEqualTo(TicketStatus.CLOSED);
    assertThat(status(deleted)).isEqualTo(TicketStatus.CLOSED);
    assertThat(status(open)).isEqualTo(TicketStatus.OPEN);
    assertThat(texts()).containsExactly(
        "Support replied to your ticket #" + deleted.id() + ":\n\nSent again to your mail.",
        "Your ticket #" + archived.id() + " was closed by support.",
        "Your ticket #" + deleted.id() + " was closed by support. The last answer from support:\n\n"
            + "Sent again to your mail.");
    // The board listings ask for live cards only; the two missing cards were read by id, once each.
    assertThat(kaiten.requests("GET", "/cards")).allSatisfy(r -> assertThat(r.param("condition")).hasValue("1"));
    assertThat(kaiten.requests("GET", "/cards/*")).extracting(r -> r.path())
        .containsExactlyInAnyOrder("/cards/" + archivedCard, "/cards/" + deletedCard);
  }

  @Test
  void aCardMovedBackFromDoneReopensTheTicketAndResolvesAgainWithOneDraftOfTheLatestAnswer() {
    kaiten.webhooksEnabled(false);
    Ticket t = TestTickets.open(storage, 77, QUESTION);
    long card = ticketWithCard(t);
    kaiten.staffComment(card, "Use the CSV export instead.");
    kaiten.moveToDone(card);
    assertThat(bridge.syncOnce()).isEqualTo(2);
    assertThat(status(t)).isEqualTo(TicketStatus.RESOLVED);

    kaiten.moveTo(card, FakeKaitenServer.IN_PROGRESS_COLUMN_ID);
    kaiten.staffComment(card, "The CSV export is broken too; we are on it.");
    assertThat(bridge.syncOnce()).isEqualTo(2);
    assertThat(status(t)).isEqualTo(TicketStatus.IN_PROGRESS);

    kaiten.staffComment(card, "Fixed: the export button works again.");
    kaiten.moveToDone(card);
    assertThat(bridge.syncOnce()).isEqualTo(2);
    assertThat(bridge.syncOnce()).isZero();

    String prefix = "Support replied to your ticket #" + t.id() + ":\n\n";
    assertThat(texts()).containsExactly(prefix + "Use the CSV export instead.",
        "Your ticket #" + t.id() + " is resolved. The last answer from support:\n\nUse the CSV export instead.",
        "Support reopened your ticket #" + t.id() + ".",
        prefix + "The CSV export is broken too; we are on it.",
        prefix + "Fixed: the export button works again.",
        "Your ticket #" + t.id() + " is resolved. The last answer from support:\n\n"
            + "Fixed: the export button works again.");
    assertThat(status(t)).isEqualTo(TicketStatus.RESOLVED);
    List<String> keys = lifecycleKeys(t);
    assertThat(keys).hasSize(3).doesNotHaveDuplicates();
    assertThat(keys.get(1)).isEqualTo("kaiten-reopened-" + card + "-2");
    assertThat(keys.get(2)).isEqualTo("kaiten-done-" + card + "-3-"
        + kaiten.card(card).orElseThrow().lastMovedToDoneAt());
    List<KnowledgeEntry> drafts = knowledge.list(KnowledgeStatus.DRAFT);
    assertThat(drafts).singleElement().satisfies(d -> {
      assertThat(d.question()).isEqualTo(QUESTION);
      assertThat(d.answer()).isEqualTo("Fixed: the export button works again.");
    });
  }

  @Test
  void aReopeningByWebhookBringsTheNewCommentBack() throws Exception {
    listenToWebhooks();
    Ticket t = TestTickets.open(storage, 77, QUESTION);
    long card = ticketWithCard(t);
    kaiten.moveToDone(card);
    await(() -> status(t) == TicketStatus.RESOLVED);

    kaiten.moveTo(card, FakeKaitenServer.DOING_SUBCOLUMN_ID);
    await(() -> status(t) == TicketStatus.IN_PROGRESS);
    kaiten.staffComment(card, "Could you send a screenshot?");
    await(() -> replies.sent().size() == 3);
    idle();

    assertThat(texts()).containsExactly("Your ticket #" + t.id() + " is resolved.",
        "Support reopened your ticket #" + t.id() + ".",
        "Support replied to your ticket #" + t.id() + ":\n\nCould you send a screenshot?");
  }

  private void idle() throws InterruptedException {
    assertThat(kaiten.awaitWebhooksIdle(Duration.ofSeconds(5))).isTrue();
    assertThat(bridge.awaitWebhookIdle(Duration.ofSeconds(5))).isTrue();
  }

  private TicketStatus status(Ticket t) {
    return storage.inTransaction(s -> s.tickets().find(t.id())).orElseThrow().status();
  }

  private List<String> texts() {
    return replies.sent().stream().map(Delivery::text).toList();
  }

  /** The external ids of the status events the card lifecycle wrote (not the outbox's "card created"). */
  private List<String> lifecycleKeys(Ticket t) {
    return storage.inTransaction((Stores s) -> s.ticketEvents().list(t.id())).stream()
        .filter(e -> e.kind() == TicketEventKind.STATUS && e.author().equals("kaiten"))
        .map(TicketEvent::externalId).toList();
  }
}
