package dev.tgsupport.kaiten;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tgsupport.core.contract.MutableClock;
import dev.tgsupport.core.memory.InMemoryReplyGateway;
import dev.tgsupport.core.memory.InMemoryStorage;
import dev.tgsupport.core.model.OutboxEntry;
import dev.tgsupport.core.model.Ticket;
import dev.tgsupport.core.model.TicketEvent;
import dev.tgsupport.core.port.Stores;
import dev.tgsupport.core.port.SyncLogStore.SyncRun;
import dev.tgsupport.core.port.TicketTracker;
import dev.tgsupport.kaiten.fake.FakeCard;
import dev.tgsupport.kaiten.fake.FakeKaitenServer;
import dev.tgsupport.kaiten.fake.Fault;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OutboxWorkerIT {
  private FakeKaitenServer kaiten;
  private MutableClock clock;
  private InMemoryStorage storage;
  private KaitenClient client;

  /** Stands for the process dying: the worker never catches an Error, so the row stays claimed. */
  static final class Killed extends Error {
    Killed() {
      super("killed between the POST and the outbox update");
    }
  }

  /** Creates the card, then "dies" the first {@code kills} times. */
  static final class KillAfterCreate implements TicketTracker {
    private final TicketTracker delegate;
    private int kills;

    KillAfterCreate(TicketTracker delegate, int kills) {
      this.delegate = delegate;
      this.kills = kills;
    }

    @Override
    public ExternalTicket create(Ticket ticket, String description) {
      ExternalTicket t = delegate.create(ticket, description);
      if (kills-- > 0) {
        throw new Killed();
      }
      return t;
    }

    @Override
    public void comment(String externalId, String text) {
      delegate.comment(externalId, text);
    }
  }

  @BeforeEach
  void setUp() {
    kaiten = FakeKaitenServer.builder().noRateLimit().start();
    clock = new MutableClock(Instant.parse("2026-11-23T10:00:00Z"));
    storage = InMemoryStorage.create(clock);
    client = new KaitenClient(TestClients.config(kaiten).requestsPerSecond(50).build(), TestClients.fastTuning());
  }

  @AfterEach
  void tearDown() {
    kaiten.close();
  }

  private KaitenBridge.Builder bridge() {
    return KaitenBridge.builder().config(TestClients.config(kaiten).build()).transactions(storage)
        .replies(InMemoryReplyGateway.create()).clock(clock).client(client)
        .backoff(Duration.ofSeconds(1), Duration.ofSeconds(10)).outboxLease(Duration.ofMinutes(1));
  }

  private Ticket ticket(long id) {
    return storage.inTransaction(s -> s.tickets().find(id)).orElseThrow();
  }

  private List<OutboxEntry> pending() {
    return storage.inTransaction(s -> s.outbox().listPending(100));
  }

  @Test
  void createsOneCardWithTitleDescriptionKeyPropertiesAndTagsAndLinksIt() {
    Ticket t = TestTickets.open(storage, 77, "Cannot log in since morning");
    KaitenBridge b = bridge().build();

    assertThat(b.drainOutboxOnce()).isEqualTo(1);

    FakeCard card = kaiten.cards().get(0);
    assertThat(kaiten.cards()).hasSize(1);
    assertThat(card.title()).isEqualTo("#" + t.id() + " Cannot log in since morning");
    assertThat(card.externalId()).isEqualTo("tgsupport-" + t.id());
    assertThat(card.description()).contains("> Cannot log in since morning").contains("@alice").contains("id 42")
        .contains("https://t.me/c/1234567890/77");
    assertThat(card.columnId()).isEqualTo(FakeKaitenServer.QUEUE_COLUMN_ID);
    assertThat(card.laneId()).isEqualTo(FakeKaitenServer.LANE_ID);
    assertThat(card.typeId()).isEqualTo(FakeKaitenServer.CARD_TYPE_ID);
    assertThat(card.tags()).containsExactly("telegram");
    assertThat(card.properties().get("id_15").asLong()).isEqualTo(42);
    assertThat(card.properties().get("id_16").asText()).isEqualTo("-1001234567890");
    Ticket linked = ticket(t.id());
    assertThat(linked.externalId()).isEqualTo(Long.toString(card.id()));
    List<TicketEvent> events = storage.inTransaction((Stores s) -> s.ticketEvents().list(t.id()));
    assertThat(events).singleElement().satisfies(e -> {
      assertThat(e.body()).isEqualTo("Kaiten card created: " + kaiten.baseUrl() + "/" + card.id());
      assertThat(e.externalId()).isEqualTo("kaiten-card-" + card.id());
    });
    assertThat(pending()).isEmpty();
    List<SyncRun> runs = storage.inTransaction((Stores s) -> s.syncLog().recent("kaiten", 10));
    assertThat(runs).singleElement().satisfies(r -> {
      assertThat(r.kind()).isEqualTo("outbox");
      assertThat(r.records()).isEqualTo(1);
      assertThat(r.errors()).isNull();
    });
  }

  @Test
  void aLostAnswerIsRetriedAndFindsTheCardInsteadOfCreatingASecond() {
    Ticket t = TestTickets.open(storage, 77, "Refund please");
    kaiten.failNext("POST", "/cards", Fault.answerLost());
    KaitenBridge b = bridge().build();

    b.drainOutboxOnce();
    assertThat(kaiten.cards()).hasSize(1);
    assertThat(ticket(t.id()).externalId()).isNull();
    assertThat(pending()).singleElement().satisfies(e -> {
      assertThat(e.attempts()).isEqualTo(1);
      assertThat(e.lastError()).isNotBlank();
    });
    List<SyncRun> runs = storage.inTransaction((Stores s) -> s.syncLog().recent("kaiten", 10));
    assertThat(runs.get(0).errors()).isNotBlank();

    clock.advance(Duration.ofSeconds(2));
    b.drainOutboxOnce();

    assertThat(kaiten.cards()).hasSize(1);
    assertThat(kaiten.requests("POST", "/cards")).hasSize(1);
    assertThat(ticket(t.id()).externalId()).isEqualTo(Long.toString(kaiten.cards().get(0).id()));
    assertThat(pending()).isEmpty();
  }

  @Test
  void aKillBetweenThePostAndTheOutboxUpdateLeavesOneCardAfterTheLeaseRunsOut() {
    Ticket t = TestTickets.open(storage, 77, "Refund please");
    TicketTracker real = new KaitenTicketTracker(TestClients.config(kaiten).build(), client);
    KaitenBridge b = bridge().tracker(new KillAfterCreate(real, 1)).build();

    assertThatThrownBy(b::drainOutboxOnce).isInstanceOf(Killed.class);
    assertThat(kaiten.cards()).hasSize(1);

    clock.advance(Duration.ofSeconds(30));
    assertThat(b.drainOutboxOnce()).as("still leased").isZero();
    clock.advance(Duration.ofSeconds(31));
    assertThat(b.drainOutboxOnce()).isEqualTo(1);

    assertThat(kaiten.cards()).hasSize(1);
    assertThat(kaiten.requests("POST", "/cards")).hasSize(1);
    assertThat(ticket(t.id()).externalId()).isEqualTo(Long.toString(kaiten.cards().get(0).id()));
    assertThat(pending()).isEmpty();
  }

  @Test
  void aRowThatKeepsFailingIsParkedAfterMaxAttemptsWithItsError() {
    Ticket t = TestTickets.open(storage, 77, "Refund please");
    kaiten.failNext("POST", "/cards", Fault.status(503).times(100));
    KaitenBridge b = bridge().maxAttempts(3).build();

    for (int i = 0; i < 6; i++) {
      b.drainOutboxOnce();
      clock.advance(Duration.ofSeconds(30));
    }

    assertThat(kaiten.requests("POST", "/cards")).hasSize(3);
    assertThat(pending()).isEmpty();
    List<OutboxEntry> parked = storage.inTransaction((Stores s) -> s.outbox().listParked(10));
    assertThat(parked).singleElement().satisfies(e -> {
      assertThat(e.attempts()).isEqualTo(3);
      assertThat(e.lastError()).contains("503");
      assertThat(e.isParked()).isTrue();
    });
    assertThat(ticket(t.id()).externalId()).isNull();
  }

  @Test
  void aRefusedCardIsParkedAtOnce() {
    TestTickets.open(storage, 77, "Refund please");
    kaiten.failNext("POST", "/cards", Fault.badRequest("title is invalid"));
    KaitenBridge b = bridge().build();

    b.drainOutboxOnce();

    List<OutboxEntry> parked = storage.inTransaction((Stores s) -> s.outbox().listParked(10));
    assertThat(parked).singleElement().satisfies(e -> assertThat(e.lastError()).contains("title is invalid"));
  }

  @Test
  void aFollowUpWaitsForTheCardThenBecomesAComment() {
    Ticket t = TestTickets.open(storage, 77, "Refund please");
    storage.run(s -> s.outbox().enqueue(OutboxEntry.TICKET_COMMENT,
        "{\"ticketId\":" + t.id() + ",\"messageId\":" + t.messageId()
            + ",\"text\":\"Order 1234\",\"author\":\"Alice Kim (@alice_k)\"}",
        Instant.EPOCH));
    kaiten.failNext("POST", "/cards", Fault.status(500));
    KaitenBridge b = bridge().build();

    b.drainOutboxOnce();
    assertThat(pending()).hasSize(2);
    assertThat(pending()).filteredOn(e -> e.kind().equals(OutboxEntry.TICKET_COMMENT)).singleElement()
        .satisfies(e -> assertThat(e.lastError()).contains("does not exist yet"));

    clock.advance(Duration.ofSeconds(30));
    b.drainOutboxOnce();

    assertThat(pending()).isEmpty();
    long cardId = kaiten.cards().get(0).id();
    assertThat(kaiten.comments(cardId)).singleElement()
        .satisfies(c -> assertThat(c.text()).isEqualTo("Follow-up from Alice Kim (@alice_k):\n\nOrder 1234"));
  }

  @Test
  void otherKindsAreLeftAlone() {
    storage.run(s -> s.outbox().enqueue("mail.send", "{}", Instant.EPOCH));
    KaitenBridge b = bridge().build();

    // Never claimed at all: its attempts stay untouched for the worker that owns it.
    assertThat(b.drainOutboxOnce()).isZero();

    assertThat(pending()).singleElement().satisfies(e -> {
      assertThat(e.lastError()).isNull();
      assertThat(e.attempts()).isZero();
    });
    assertThat(kaiten.requests()).isEmpty();
  }
}
