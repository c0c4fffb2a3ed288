package dev.tgsupport.core.contract;

import static dev.tgsupport.core.contract.Fixtures.EMOJI;
import static dev.tgsupport.core.contract.Fixtures.RUSSIAN;
import static dev.tgsupport.core.contract.Fixtures.SQL_INJECTION;
import static dev.tgsupport.core.contract.Fixtures.alice;
import static dev.tgsupport.core.contract.Fixtures.bob;
import static dev.tgsupport.core.contract.Fixtures.privateChat;
import static dev.tgsupport.core.contract.Fixtures.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tgsupport.core.ConflictException;
import dev.tgsupport.core.InvalidInputException;
import dev.tgsupport.core.NonRetriableException;
import dev.tgsupport.core.NotFoundException;
import dev.tgsupport.core.model.StoredMessage;
import dev.tgsupport.core.model.Ticket;
import dev.tgsupport.core.model.TicketStatus;
import dev.tgsupport.core.port.Stores;
import dev.tgsupport.core.port.TicketStore;
import dev.tgsupport.core.port.Transactions;
import java.util.Set;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The behaviour of {@link dev.tgsupport.core.port.TicketStore} every storage must have: one ticket per message, the
 * active list, status changes and the link to the tracker. Extend it and return a fresh, empty storage from
 * {@link #transactions()} for each test.
 */
public abstract class TicketStoreContract {
  /** A fresh, empty storage for the current test. */
  protected abstract Transactions transactions();

  private Ticket open(long messageId, String title) {
    return transactions().inTransaction(s -> s.tickets().open(messageId, title));
  }

  private Ticket find(long id) {
    return transactions().inTransaction(s -> s.tickets().find(id)).orElseThrow();
  }

  private Ticket updateStatus(long id, TicketStatus status) {
    return transactions().inTransaction(s -> s.tickets().updateStatus(id, status));
  }

  @Test
  void openingATicketTakesChatAndUserFromTheMessage() {
    StoredMessage m = Fixtures.record(transactions(), text(Fixtures.group(), alice(), 31, "Invoices are wrong"));

    Ticket t = open(m.id(), "Invoices are wrong");

    assertThat(t.id()).isPositive();
    assertThat(t.messageId()).isEqualTo(m.id());
    assertThat(t.chatId()).isEqualTo(Fixtures.GROUP_ID);
    assertThat(t.userId()).isEqualTo(Fixtures.ALICE_ID);
    assertThat(t.title()).isEqualTo("Invoices are wrong");
    assertThat(t.status()).isEqualTo(TicketStatus.OPEN);
    assertThat(t.externalId()).isNull();
    assertThat(t.createdAt()).isNotNull();
    assertThat(t.resolvedAt()).isNull();
    assertThat(find(t.id())).isEqualTo(t);
    assertThat(transactions().inTransaction((Stores s) -> s.tickets().findByMessage(m.id()))).contains(t);
  }

  @Test
  void openingATicketForAnUnknownMessageThrowsNotFoundNamingIt() {
    assertThatThrownBy(() -> open(404, "lost"))
        .isInstanceOf(NotFoundException.class)
        .hasMessageContaining("message")
        .hasMessageContaining("404");
  }

  @Test
  void aSecondTicketForTheSameMessageIsAConflictAndTheFirstStays() {
    StoredMessage m = Fixtures.record(transactions(), text(privateChat(alice()), alice(), 1, "help"));
    Ticket first = open(m.id(), "help");

    assertThatThrownBy(() -> open(m.id(), "help again"))
        .isInstanceOf(ConflictException.class)
        .hasMessageContaining(String.valueOf(m.id()));

    assertThat(transactions().inTransaction((Stores s) -> s.tickets().findByMessage(m.id()))).contains(first);
    assertThat(transactions().inTransaction((Stores s) -> s.tickets().listActiveByUser(Fixtures.ALICE_ID)))
        .containsExactly(first);
  }

  @Test
  void aMessageTheBotSentCannotOpenATicket() {
    transactions().run(s -> s.chats().upsert(privateChat(alice())));
    StoredMessage out = transactions().inTransaction(
        s -> s.messages().recordOutgoing(Fixtures.reply(Fixtures.ALICE_ID, "hi"), Fixtures.sent(Fixtures.ALICE_ID, 2)));

    assertThatThrownBy(() -> open(out.id(), "from the bot"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith("messageId must be an incoming message with an author");
    assertThat(transactions().inTransaction((Stores s) -> s.tickets().findByMessage(out.id()))).isEmpty();
  }

  @Test
  void unknownTicketsAreNotFound() {
    assertThat(transactions().inTransaction((Stores s) -> s.tickets().find(404))).isEmpty();
    assertThat(transactions().inTransaction((Stores s) -> s.tickets().findByMessage(404))).isEmpty();
    assertThat(transactions().inTransaction((Stores s) -> s.tickets().findByExternalId("card-404"))).isEmpty();
  }

  @Test
  void ticketIdsIncreaseInOpeningOrder() {
    Ticket first = Fixtures.ticket(transactions(), alice(), 1, "first");
    Ticket second = Fixtures.ticket(transactions(), alice(), 2, "second");

    assertThat(second.id()).isGreaterThan(first.id());
  }

  @Test
  void listActiveByUserReturnsOpenAndInProgressTicketsOldestFirst() {
    Ticket open1 = Fixtures.ticket(transactions(), alice(), 1, "one");
    Ticket resolved = Fixtures.ticket(transactions(), alice(), 2, "two");
    Ticket inProgress = Fixtures.ticket(transactions(), alice(), 3, "three");
    Ticket closed = Fixtures.ticket(transactions(), alice(), 4, "four");
    Ticket open2 = Fixtures.ticket(transactions(), alice(), 5, "five");
    Fixtures.ticket(transactions(), bob(), 6, "bob's");
    updateStatus(resolved.id(), TicketStatus.RESOLVED);
    updateStatus(closed.id(), TicketStatus.CLOSED);
    Ticket progressing = updateStatus(inProgress.id(), TicketStatus.IN_PROGRESS);

    assertThat(transactions().inTransaction((Stores s) -> s.tickets().listActiveByUser(Fixtures.ALICE_ID)))
        .containsExactly(open1, progressing, open2);
  }

  @Test
  void listRecentIsNewestFirstFilteredByStatusAndLimited() {
    Ticket one = Fixtures.ticket(transactions(), alice(), 1, "one");
    Ticket two = Fixtures.ticket(transactions(), alice(), 2, "two");
    Ticket three = Fixtures.ticket(transactions(), bob(), 3, "three");
    Ticket resolved = updateStatus(two.id(), TicketStatus.RESOLVED);

    List<Ticket> all = transactions().inTransaction((Stores s) -> s.tickets().listRecent(Set.of(), 10));
    assertThat(all).containsExactly(three, resolved, one);
    List<Ticket> open = transactions().inTransaction(
        (Stores s) -> s.tickets().listRecent(EnumSet.of(TicketStatus.OPEN, TicketStatus.IN_PROGRESS), 10));
    assertThat(open).containsExactly(three, one);
    List<Ticket> newest = transactions().inTransaction((Stores s) -> s.tickets().listRecent(Set.of(), 2));
    assertThat(newest).containsExactly(three, resolved);
    assertThatThrownBy(() -> transactions().inTransaction((Stores s) -> s.tickets().listRecent(Set.of(), 0)))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("tickets.limit");
  }

  @Test
  void listActiveLinkedPagesThroughActiveTicketsWithACardOldestFirst() {
    Ticket first = Fixtures.ticket(transactions(), alice(), 1, "one");
    Fixtures.ticket(transactions(), alice(), 2, "no card yet");
    Ticket second = Fixtures.ticket(transactions(), alice(), 3, "three");
    Ticket resolved = Fixtures.ticket(transactions(), alice(), 4, "four");
    Ticket bobs = Fixtures.ticket(transactions(), bob(), 5, "bob's");
    transactions().run(s -> {
      s.tickets().setExternalId(first.id(), "card-1");
      s.tickets().setExternalId(second.id(), "card-3");
      s.tickets().setExternalId(resolved.id(), "card-4");
      s.tickets().setExternalId(bobs.id(), "card-5");
    });
    updateStatus(resolved.id(), TicketStatus.RESOLVED);
    Ticket progressing = updateStatus(second.id(), TicketStatus.IN_PROGRESS);
    Ticket linkedFirst = find(first.id());
    Ticket linkedBobs = find(bobs.id());

    for (boolean viaDefault : new boolean[] {false, true}) {
      assertThat(activeLinked(viaDefault, 0, 10)).as("default method: %s", viaDefault)
          .containsExactly(linkedFirst, progressing, linkedBobs);
      assertThat(activeLinked(viaDefault, 0, 2)).containsExactly(linkedFirst, progressing);
      assertThat(activeLinked(viaDefault, progressing.id(), 2)).containsExactly(linkedBobs);
      assertThat(activeLinked(viaDefault, linkedBobs.id(), 2)).isEmpty();
      assertThatThrownBy(() -> activeLinked(viaDefault, 0, 0))
          .isInstanceOf(InvalidInputException.class).hasMessageContaining("tickets.limit");
    }
  }

  /** {@code listActiveLinked} of the storage, or the port's default built on the storage's other methods. */
  private List<Ticket> activeLinked(boolean viaDefault, long afterId, int limit) {
    return transactions().inTransaction((Stores s) -> {
      TicketStore store = viaDefault ? new WithoutOverrides(s.tickets()) : s.tickets();
      return store.listActiveLinked(afterId, limit);
    });
  }

  /** Delegates every abstract method, so that the port's default methods run on top of a real storage. */
  private record WithoutOverrides(TicketStore store) implements TicketStore {
    @Override
    public Ticket open(long messageId, String title) {
      return store.open(messageId, title);
    }

    @Override
    public Optional<Ticket> find(long id) {
      return store.find(id);
    }

    @Override
    public Optional<Ticket> findByMessage(long messageId) {
      return store.findByMessage(messageId);
    }

    @Override
    public Optional<Ticket> findByExternalId(String externalId) {
      return store.findByExternalId(externalId);
    }

    @Override
    public List<Ticket> listActiveByUser(long userId) {
      return store.listActiveByUser(userId);
    }

    @Override
    public List<Ticket> listRecent(Set<TicketStatus> statuses, int limit) {
      return store.listRecent(statuses, limit);
    }

    @Override
    public Ticket updateStatus(long id, TicketStatus status) {
      return store.updateStatus(id, status);
    }

    @Override
    public void setExternalId(long id, String externalId) {
      store.setExternalId(id, externalId);
    }
  }

  @Test
  void listActiveByUserOfAUserWithoutTicketsIsEmpty() {
    assertThat(transactions().inTransaction((Stores s) -> s.tickets().listActiveByUser(999))).isEmpty();
  }

  @Test
  void resolvingSetsResolvedAtAndReturnsTheUpdatedTicket() {
    Ticket t = Fixtures.ticket(transactions(), alice(), 1, "help");

    Ticket resolved = updateStatus(t.id(), TicketStatus.RESOLVED);

    assertThat(resolved.status()).isEqualTo(TicketStatus.RESOLVED);
    assertThat(resolved.resolvedAt()).isNotNull();
    assertThat(resolved.id()).isEqualTo(t.id());
    assertThat(resolved.title()).isEqualTo("help");
    assertThat(find(t.id())).isEqualTo(resolved);
  }

  @Test
  void closingAResolvedTicketKeepsItsResolutionTime() {
    Ticket t = Fixtures.ticket(transactions(), alice(), 1, "help");
    Ticket resolved = updateStatus(t.id(), TicketStatus.RESOLVED);

    Ticket closed = updateStatus(t.id(), TicketStatus.CLOSED);

    assertThat(closed.status()).isEqualTo(TicketStatus.CLOSED);
    assertThat(closed.resolvedAt()).isEqualTo(resolved.resolvedAt());
  }

  @Test
  void reopeningAResolvedTicketClearsResolvedAtAndMakesItActive() {
    Ticket t = Fixtures.ticket(transactions(), alice(), 1, "help");
    updateStatus(t.id(), TicketStatus.RESOLVED);

    Ticket reopened = updateStatus(t.id(), TicketStatus.OPEN);

    assertThat(reopened.resolvedAt()).isNull();
    assertThat(transactions().inTransaction((Stores s) -> s.tickets().listActiveByUser(Fixtures.ALICE_ID)))
        .containsExactly(reopened);
  }

  @Test
  void changingTheStatusOfAnUnknownTicketThrowsNotFoundNamingIt() {
    assertThatThrownBy(() -> updateStatus(404, TicketStatus.RESOLVED))
        .isInstanceOf(NotFoundException.class)
        .hasMessageContaining("ticket")
        .hasMessageContaining("404");
  }

  @Test
  void aTicketLinkedToItsCardIsFoundByTheExternalId() {
    Ticket t = Fixtures.ticket(transactions(), alice(), 1, "help");
    Fixtures.ticket(transactions(), alice(), 2, "other");

    transactions().run(s -> s.tickets().setExternalId(t.id(), "kaiten-123"));

    Ticket linked = transactions().inTransaction(s -> s.tickets().findByExternalId("kaiten-123")).orElseThrow();
    assertThat(linked.id()).isEqualTo(t.id());
    assertThat(linked.externalId()).isEqualTo("kaiten-123");
    assertThat(find(t.id()).externalId()).isEqualTo("kaiten-123");
  }

  @Test
  void linkingAnUnknownTicketThrowsNotFoundNamingIt() {
    assertThatThrownBy(() -> transactions().run(s -> s.tickets().setExternalId(404, "kaiten-1")))
        .isInstanceOf(NotFoundException.class)
        .hasMessageContaining("ticket")
        .hasMessageContaining("404");
  }

  @Test
  void aTicketInAGroupKeepsTheNegativeChatId() {
    StoredMessage m = Fixtures.record(transactions(), text(Fixtures.group(-1009876543210L), bob(), 3, "?"));

    Ticket t = open(m.id(), "?");

    assertThat(t.chatId()).isEqualTo(-1009876543210L);
    assertThat(t.userId()).isEqualTo(Fixtures.BOB_ID);
  }

  @Test
  void unicodeAndSqlLookingTitlesAreStoredVerbatim() {
    Ticket russian = Fixtures.ticket(transactions(), alice(), 1, RUSSIAN + " " + EMOJI);
    Ticket injection = Fixtures.ticket(transactions(), alice(), 2, SQL_INJECTION);

    assertThat(find(russian.id()).title()).isEqualTo(RUSSIAN + " " + EMOJI);
    assertThat(find(injection.id()).title()).isEqualTo(SQL_INJECTION);
  }
}
