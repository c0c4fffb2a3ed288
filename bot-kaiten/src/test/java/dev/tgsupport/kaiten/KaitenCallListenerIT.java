package dev.tgsupport.kaiten;

import static dev.tgsupport.kaiten.fake.FakeKaitenServer.BOARD_ID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.tgsupport.core.InvalidInputException;
import dev.tgsupport.core.RateLimitedException;
import dev.tgsupport.core.ServerErrorException;
import dev.tgsupport.core.memory.InMemoryReplyGateway;
import dev.tgsupport.core.memory.InMemoryStorage;
import dev.tgsupport.kaiten.fake.FakeKaitenServer;
import dev.tgsupport.kaiten.fake.Fault;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What a {@link KaitenCallListener} hears of the client's calls, over real HTTP against the fake Kaiten. */
class KaitenCallListenerIT {

  private final FakeKaitenServer kaiten = FakeKaitenServer.builder().noRateLimit().start();
  private final List<KaitenCall> calls = new CopyOnWriteArrayList<>();
  private final KaitenClient client = new KaitenClient(TestClients.config(kaiten).requestsPerSecond(50).build(),
      TestClients.fastTuning(), calls::add);

  @AfterEach
  void stop() {
    kaiten.close();
  }

  @Test
  void theBridgeReportsEachCallOfItsCheckByOperation() {
    try (KaitenBridge bridge = KaitenBridge.builder().config(TestClients.config(kaiten).requestsPerSecond(50).build())
        .transactions(InMemoryStorage.create()).replies(InMemoryReplyGateway.create()).callListener(calls::add)
        .build()) {
      assertThat(bridge.check().ok()).isTrue();
    }

    assertThat(calls).extracting(KaitenCall::operation, KaitenCall::outcome, KaitenCall::attempts, KaitenCall::error)
        .containsExactly(tuple("users_current", "ok", 1, null), tuple("get_board", "ok", 1, null),
            tuple("list_columns", "ok", 1, null));
    assertThat(calls).allSatisfy(c -> assertThat(c.duration()).isPositive());
  }

  @Test
  void cardsCommentsAndTagsHaveTheirOwnOperations() {
    Card card = client.createCard(NewCard.of("Cannot log in", BOARD_ID).withExternalId("op-1")
        .withTags(List.of("telegram")));
    client.addComment(card.id(), "The user wrote again", false);
    client.listComments(card.id());
    client.getCard(card.id());
    client.findCardsByExternalId("op-1");

    assertThat(calls).extracting(KaitenCall::operation).containsExactly("create_card", "add_tag", "add_comment",
        "list_comments", "get_card", "list_cards");
    assertThat(calls).allMatch(KaitenCall::ok);
  }

  @Test
  void retriesOfAGetAreOneCallWithTheirAttemptsCounted() {
    kaiten.failNext("GET", "/users/current", 503, 2);
    client.currentUser();

    assertThat(kaiten.requests()).hasSize(3);
    assertThat(calls).singleElement().satisfies(c -> {
      assertThat(c.operation()).isEqualTo("users_current");
      assertThat(c.ok()).isTrue();
      assertThat(c.attempts()).isEqualTo(3);
    });
  }

  @Test
  void failuresCarryTheExceptionTheCallerGot() {
    kaiten.failNext("GET", "/users/current", 502, 5);
    assertThatThrownBy(client::currentUser).isInstanceOf(ServerErrorException.class);
    kaiten.failNext("POST", "/cards", Fault.tooManyRequests().retryAfter(Duration.ofSeconds(1)));
    assertThatThrownBy(() -> client.createCard(NewCard.of("Rate limited", BOARD_ID)))
        .isInstanceOf(RateLimitedException.class);
    kaiten.failNext("POST", "/cards", 500, 1);
    assertThatThrownBy(() -> client.createCard(NewCard.of("Broken", BOARD_ID)))
        .isInstanceOf(ServerErrorException.class);

    assertThat(calls).extracting(KaitenCall::operation, KaitenCall::outcome, KaitenCall::attempts, KaitenCall::error)
        .containsExactly(tuple("users_current", "error", 3, "ServerErrorException"),
            tuple("create_card", "error", 1, "RateLimitedException"),
            tuple("create_card", "error", 1, "ServerErrorException"));
  }

  @Test
  void aListenerThatThrowsChangesNothingForTheCaller() {
    KaitenClient withBrokenListener = new KaitenClient(TestClients.config(kaiten).requestsPerSecond(50).build(),
        TestClients.fastTuning(), call -> {
          throw new IllegalStateException("listener bug");
        });
    assertThat(withBrokenListener.currentUser().id()).isEqualTo(FakeKaitenServer.BOT_USER_ID);
    kaiten.failNext("POST", "/cards", 500, 1);
    assertThatThrownBy(() -> withBrokenListener.createCard(NewCard.of("Broken", BOARD_ID)))
        .isInstanceOf(ServerErrorException.class);
  }

  @Test
  void aCallIsValidated() {
    assertThatThrownBy(() -> new KaitenCall("GET /cards/1", Duration.ZERO, 1, null))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("kaitenCall.operation");
    assertThatThrownBy(() -> new KaitenCall("get_card", Duration.ofMillis(-1), 1, null))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("kaitenCall.duration");
    assertThatThrownBy(() -> KaitenBridge.builder().callListener(null))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("kaiten.callListener");
  }
}
