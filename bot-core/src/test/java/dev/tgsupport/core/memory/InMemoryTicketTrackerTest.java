package dev.tgsupport.core.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tgsupport.core.NotFoundException;
import dev.tgsupport.core.memory.InMemoryTicketTracker.Card;
import dev.tgsupport.core.model.Ticket;
import dev.tgsupport.core.model.TicketStatus;
import dev.tgsupport.core.port.TicketTracker.ExternalTicket;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class InMemoryTicketTrackerTest {
  private final InMemoryTicketTracker tracker = InMemoryTicketTracker.create();

  private static Ticket ticket(long id, String title) {
    return new Ticket(id, id * 10, 42, 42, title, TicketStatus.OPEN, null, Instant.parse("2026-11-23T10:00:00Z"), null);
  }

  @Test
  void createMakesACardForTheTicket() {
    ExternalTicket card = tracker.create(ticket(1, "Refund"), "User asks for a refund");

    assertThat(card).isEqualTo(new ExternalTicket("1", "memory://tracker/cards/1"));
    assertThat(tracker.cards()).containsExactly(new Card(1, card, "Refund", "User asks for a refund", List.of()));
  }

  @Test
  void creatingAgainForTheSameTicketReturnsTheSameCard() {
    ExternalTicket first = tracker.create(ticket(1, "Refund"), "first");

    ExternalTicket retry = tracker.create(ticket(1, "Refund"), "retry after a lost answer");

    assertThat(retry).isEqualTo(first);
    assertThat(tracker.cards()).singleElement().extracting(Card::description).isEqualTo("first");
  }

  @Test
  void eachTicketGetsItsOwnCardInCreationOrder() {
    ExternalTicket a = tracker.create(ticket(5, "a"), "");
    ExternalTicket b = tracker.create(ticket(3, "b"), "");

    assertThat(a.id()).isNotEqualTo(b.id());
    assertThat(tracker.cards()).extracting(Card::ticketId).containsExactly(5L, 3L);
  }

  @Test
  void commentsAreKeptPerCardOldestFirst() {
    ExternalTicket a = tracker.create(ticket(1, "a"), "");
    ExternalTicket b = tracker.create(ticket(2, "b"), "");

    tracker.comment(a.id(), "Пользователь уточнил 🙂");
    tracker.comment(b.id(), "other");
    tracker.comment(a.id(), "second");

    assertThat(tracker.cards().get(0).comments()).containsExactly("Пользователь уточнил 🙂", "second");
    assertThat(tracker.cards().get(1).comments()).containsExactly("other");
  }

  @Test
  void commentingOnAnUnknownCardIsNotFound() {
    assertThatThrownBy(() -> tracker.comment("999", "hello"))
        .isInstanceOf(NotFoundException.class)
        .hasMessage("card \"999\" not found");
  }

  @Test
  void cardsAreSnapshots() {
    ExternalTicket a = tracker.create(ticket(1, "a"), "");
    List<Card> before = tracker.cards();

    tracker.comment(a.id(), "later");

    assertThat(before.get(0).comments()).isEmpty();
    assertThatThrownBy(() -> before.get(0).comments().add("x")).isInstanceOf(UnsupportedOperationException.class);
  }
}
