package dev.tgsupport.kaiten;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tgsupport.core.InvalidInputException;
import dev.tgsupport.core.RetriableException;
import dev.tgsupport.core.model.Ticket;
import dev.tgsupport.core.model.TicketStatus;
import dev.tgsupport.core.port.TicketTracker.ExternalTicket;
import dev.tgsupport.kaiten.fake.FakeCard;
import dev.tgsupport.kaiten.fake.FakeKaitenServer;
import dev.tgsupport.kaiten.fake.Fault;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class KaitenTicketTrackerIT {
  private FakeKaitenServer kaiten;
  private KaitenTicketTracker tracker;

  @BeforeEach
  void setUp() {
    kaiten = FakeKaitenServer.builder().noRateLimit().start();
    KaitenConfig config = TestClients.config(kaiten).requestsPerSecond(50).build();
    tracker = new KaitenTicketTracker(config, new KaitenClient(config, TestClients.fastTuning()));
  }

  @AfterEach
  void tearDown() {
    kaiten.close();
  }

  private static Ticket ticket(long id) {
    return new Ticket(id, 1, -1001234567890L, 42, "Cannot log in", TicketStatus.OPEN, null,
        Instant.parse("2026-11-23T10:00:00Z"), null);
  }

  @Test
  void createIsIdempotentByTicketKey() {
    ExternalTicket first = tracker.create(ticket(7), "**Question**");
    ExternalTicket again = tracker.create(ticket(7), "**Question**");

    assertThat(again).isEqualTo(first);
    assertThat(kaiten.cards()).singleElement().satisfies(c -> {
      assertThat(c.externalId()).isEqualTo("tgsupport-7");
      assertThat(c.title()).isEqualTo("#7 Cannot log in");
      assertThat(c.description()).isEqualTo("**Question**");
    });
    assertThat(first.url()).isEqualTo(kaiten.baseUrl() + "/" + first.id());
    assertThat(kaiten.requests("POST", "/cards")).hasSize(1);
  }

  @Test
  void aLostAnswerFailsRetriablyAndTheRetryReturnsTheCardMadeTheFirstTime() {
    kaiten.failNext("POST", "/cards", Fault.answerLost());
    assertThatThrownBy(() -> tracker.create(ticket(7), "d")).isInstanceOf(RetriableException.class);
    assertThat(kaiten.cards()).hasSize(1);

    ExternalTicket t = tracker.create(ticket(7), "d");

    assertThat(t.id()).isEqualTo(Long.toString(kaiten.cards().get(0).id()));
    assertThat(kaiten.cards()).hasSize(1);
  }

  @Test
  void aCardStaffMadeByHandWithTheKeyIsAdoptedTheOldestWinning() {
    FakeCard first = kaiten.seedCard("made by hand", "tgsupport-7");
    kaiten.seedCard("copy", "tgsupport-7");

    assertThat(tracker.create(ticket(7), "d").id()).isEqualTo(Long.toString(first.id()));
    assertThat(kaiten.requests("POST", "/cards")).isEmpty();
  }

  @Test
  void commentAddsAPublicComment() {
    ExternalTicket t = tracker.create(ticket(7), "d");
    tracker.comment(t.id(), "More details from the user");

    assertThat(kaiten.comments(Long.parseLong(t.id()))).singleElement().satisfies(c -> {
      assertThat(c.text()).isEqualTo("More details from the user");
      assertThat(c.internal()).isFalse();
    });
    assertThatThrownBy(() -> tracker.comment("not-a-card", "x")).isInstanceOf(InvalidInputException.class);
  }
}
