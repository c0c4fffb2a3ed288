package dev.tgsupport.core.contract;

import static dev.tgsupport.core.contract.Fixtures.EMOJI;
import static dev.tgsupport.core.contract.Fixtures.RUSSIAN;
import static dev.tgsupport.core.contract.Fixtures.SQL_INJECTION;
import static dev.tgsupport.core.contract.Fixtures.alice;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.tgsupport.core.NotFoundException;
import dev.tgsupport.core.model.Ticket;
import dev.tgsupport.core.model.TicketEvent;
import dev.tgsupport.core.model.TicketEventKind;
import dev.tgsupport.core.port.Transactions;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The behaviour of {@link dev.tgsupport.core.port.TicketEventStore} every storage must have: appending, dedup by
 * the tracker's event id per ticket, and the history oldest first. Extend it and return a fresh, empty storage from
 * {@link #transactions()} for each test.
 */
public abstract class TicketEventStoreContract {
  /** A fresh, empty storage for the current test. */
  protected abstract Transactions transactions();

  private Optional<TicketEvent> append(
      long ticketId, TicketEventKind kind, String author, String body, String externalId) {
    return transactions().inTransaction(s -> s.ticketEvents().append(ticketId, kind, author, body, externalId));
  }

  private List<TicketEvent> list(long ticketId) {
    return transactions().inTransaction(s -> s.ticketEvents().list(ticketId));
  }

  @Test
  void appendingStoresTheEventAndReturnsIt() {
    Ticket t = Fixtures.ticket(transactions(), alice(), 1, "help");

    TicketEvent e = append(t.id(), TicketEventKind.COMMENT, "anna", "We are on it", "comment-1").orElseThrow();

    assertThat(e.id()).isPositive();
    assertThat(e.ticketId()).isEqualTo(t.id());
    assertThat(e.kind()).isEqualTo(TicketEventKind.COMMENT);
    assertThat(e.author()).isEqualTo("anna");
    assertThat(e.body()).isEqualTo("We are on it");
    assertThat(e.externalId()).isEqualTo("comment-1");
    assertThat(e.createdAt()).isNotNull();
    assertThat(list(t.id())).containsExactly(e);
  }

  @Test
  void anEventWhoseExternalIdTheTicketAlreadyHasIsNotStoredAgain() {
    Ticket t = Fixtures.ticket(transactions(), alice(), 1, "help");
    TicketEvent first = append(t.id(), TicketEventKind.COMMENT, "anna", "first", "comment-1").orElseThrow();

    Optional<TicketEvent> duplicate = append(t.id(), TicketEventKind.COMMENT, "anna", "edited", "comment-1");

    assertThat(duplicate).isEmpty();
    assertThat(list(t.id())).containsExactly(first);
  }

  @Test
  void theSameExternalIdOnAnotherTicketIsADifferentEvent() {
    Ticket one = Fixtures.ticket(transactions(), alice(), 1, "one");
    Ticket two = Fixtures.ticket(transactions(), alice(), 2, "two");
    append(one.id(), TicketEventKind.STATUS, "kaiten", "resolved", "evt-7").orElseThrow();

    Optional<TicketEvent> onOther = append(two.id(), TicketEventKind.STATUS, "kaiten", "resolved", "evt-7");

    assertThat(onOther).isPresent();
    assertThat(list(one.id())).hasSize(1);
    assertThat(list(two.id())).hasSize(1);
  }

  @Test
  void eventsWithoutExternalIdAreNeverDeduplicated() {
    Ticket t = Fixtures.ticket(transactions(), alice(), 1, "help");

    append(t.id(), TicketEventKind.COMMENT, "user:42", "still broken", null).orElseThrow();
    append(t.id(), TicketEventKind.COMMENT, "user:42", "still broken", null).orElseThrow();

    assertThat(list(t.id())).hasSize(2).allMatch(e -> e.externalId() == null);
  }

  @Test
  void appendingToAnUnknownTicketThrowsNotFoundNamingIt() {
    assertThatThrownBy(() -> append(404, TicketEventKind.COMMENT, "anna", "hello", null))
        .isInstanceOf(NotFoundException.class)
        .hasMessageContaining("ticket")
        .hasMessageContaining("404");
  }

  @Test
  void theHistoryListsEventsOldestFirstAndOnlyThoseOfTheTicket() {
    Ticket t = Fixtures.ticket(transactions(), alice(), 1, "help");
    Ticket other = Fixtures.ticket(transactions(), alice(), 2, "other");
    TicketEvent assigned = append(t.id(), TicketEventKind.ASSIGNMENT, "kaiten", "anna", "a-1").orElseThrow();
    append(other.id(), TicketEventKind.COMMENT, "bob", "elsewhere", null);
    TicketEvent comment = append(t.id(), TicketEventKind.COMMENT, "anna", "on it", "c-1").orElseThrow();
    TicketEvent status = append(t.id(), TicketEventKind.STATUS, "anna", "resolved", "s-1").orElseThrow();

    assertThat(list(t.id())).containsExactly(assigned, comment, status);
  }

  @Test
  void theHistoryOfAnUnknownTicketIsEmpty() {
    assertThat(list(404)).isEmpty();
  }

  @Test
  void unicodeAndSqlLookingBodiesAreStoredVerbatim() {
    Ticket t = Fixtures.ticket(transactions(), alice(), 1, "help");

    append(t.id(), TicketEventKind.COMMENT, "Анна " + EMOJI, RUSSIAN, "Комментарий-1");
    append(t.id(), TicketEventKind.COMMENT, SQL_INJECTION, SQL_INJECTION, SQL_INJECTION);

    assertThat(list(t.id()))
        .extracting(TicketEvent::author, TicketEvent::body, TicketEvent::externalId)
        .containsExactly(
            tuple("Анна " + EMOJI, RUSSIAN, "Комментарий-1"),
            tuple(SQL_INJECTION, SQL_INJECTION, SQL_INJECTION));
  }

  @Test
  void anEditEventIsStoredWithItsKind() {
    Ticket t = Fixtures.ticket(transactions(), alice(), 1, "help");

    TicketEvent e = append(t.id(), TicketEventKind.EDIT, "@user42", "Исправил опечатку " + EMOJI, null).orElseThrow();

    assertThat(e.kind()).isEqualTo(TicketEventKind.EDIT);
    assertThat(list(t.id())).singleElement().satisfies(stored -> {
      assertThat(stored.kind()).isEqualTo(TicketEventKind.EDIT);
      assertThat(stored.author()).isEqualTo("@user42");
      assertThat(stored.body()).isEqualTo("Исправил опечатку " + EMOJI);
      assertThat(stored.externalId()).isNull();
    });
  }

  @Test
  void everyEventKindIsStoredAndReadBackAsItself() {
    Ticket t = Fixtures.ticket(transactions(), alice(), 1, "help");
    for (TicketEventKind kind : TicketEventKind.values()) {
      append(t.id(), kind, "kaiten", kind.wireName(), null);
    }

    assertThat(list(t.id())).extracting(TicketEvent::kind).containsExactly(TicketEventKind.values());
  }
}
