package dev.tgsupport.core.memory;

import dev.tgsupport.core.contract.MutableClock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.tgsupport.core.NotFoundException;
import dev.tgsupport.core.RateLimitedException;
import dev.tgsupport.core.ServerErrorException;
import dev.tgsupport.core.memory.InMemoryReplyGateway.Delivery;
import dev.tgsupport.core.model.OutgoingMessage;
import dev.tgsupport.core.model.SentMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class InMemoryReplyGatewayTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T10:00:00Z"));
  private final InMemoryReplyGateway gateway = InMemoryReplyGateway.create(clock);

  @Test
  void sendRecordsTheMessageAndAnswersWithTheIdAndDate() {
    SentMessage sent = gateway.send(new OutgoingMessage(42, "Ticket #1 is open", 7L, 3L));

    assertThat(sent).isEqualTo(new SentMessage(42, 1, clock.instant()));
    assertThat(gateway.sent())
        .containsExactly(new Delivery(42, 1, "Ticket #1 is open", 7L, 3L, false, clock.instant()));
  }

  @Test
  void idsIncreasePerChatIndependently() {
    long a1 = gateway.send(OutgoingMessage.to(42, "a")).telegramMessageId();
    long a2 = gateway.send(OutgoingMessage.to(42, "b")).telegramMessageId();
    long g1 = gateway.send(OutgoingMessage.to(-100, "c")).telegramMessageId();
    long a3 = gateway.send(OutgoingMessage.to(42, "d")).telegramMessageId();

    assertThat(List.of(a1, a2, a3)).containsExactly(1L, 2L, 3L);
    assertThat(g1).isEqualTo(1);
  }

  @Test
  void editsOfSentMessagesAreRecordedInCallOrder() {
    SentMessage sent = gateway.send(OutgoingMessage.to(42, "Searching…"));
    clock.advance(Duration.ofSeconds(1));

    gateway.edit(42, sent.telegramMessageId(), "Found it");

    assertThat(gateway.sent()).extracting(Delivery::text, Delivery::edited)
        .containsExactly(tuple("Searching…", false),
            tuple("Found it", true));
    assertThat(gateway.sent().get(1).at()).isEqualTo(clock.instant());
  }

  @Test
  void editingAMessageTheGatewayNeverSentIsNotFound() {
    gateway.send(OutgoingMessage.to(42, "hi"));

    assertThatThrownBy(() -> gateway.edit(43, 1, "x"))
        .isInstanceOf(NotFoundException.class)
        .hasMessage("message 1 in chat 43 not found: it was not sent by this gateway");
    assertThatThrownBy(() -> gateway.edit(42, 2, "x")).isInstanceOf(NotFoundException.class);
  }

  @Test
  void sentReturnsACopy() {
    gateway.send(OutgoingMessage.to(42, "a"));
    List<Delivery> before = gateway.sent();

    gateway.send(OutgoingMessage.to(42, "b"));

    assertThat(before).hasSize(1);
    assertThatThrownBy(() -> before.add(null)).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void clearForgetsDeliveriesButIdsKeepIncreasing() {
    gateway.send(OutgoingMessage.to(42, "a"));

    gateway.clear();

    assertThat(gateway.sent()).isEmpty();
    assertThat(gateway.send(OutgoingMessage.to(42, "b")).telegramMessageId()).isEqualTo(2);
  }

  @Test
  void queuedFailuresAreThrownOnceEachInOrderAndNothingIsRecordedForThem() {
    RateLimitedException limited = new RateLimitedException("429", Duration.ofSeconds(3));
    ServerErrorException down = new ServerErrorException("502");
    gateway.failNext(limited);
    gateway.failNext(down);

    assertThatThrownBy(() -> gateway.send(OutgoingMessage.to(42, "a"))).isSameAs(limited);
    assertThatThrownBy(() -> gateway.send(OutgoingMessage.to(42, "a"))).isSameAs(down);
    SentMessage ok = gateway.send(OutgoingMessage.to(42, "a"));

    assertThat(ok.telegramMessageId()).isEqualTo(1);
    assertThat(gateway.sent()).hasSize(1);
  }

  @Test
  void aQueuedFailureAlsoFailsAnEdit() {
    SentMessage sent = gateway.send(OutgoingMessage.to(42, "a"));
    ServerErrorException down = new ServerErrorException("502");
    gateway.failNext(down);

    assertThatThrownBy(() -> gateway.edit(42, sent.telegramMessageId(), "b")).isSameAs(down);
    assertThat(gateway.sent()).hasSize(1);
  }

  @Test
  void concurrentSendsGetDistinctIdsAndAreAllRecorded() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<SentMessage>> futures = new ArrayList<>();
      for (int i = 0; i < 400; i++) {
        futures.add(pool.submit(() -> gateway.send(OutgoingMessage.to(42, "m"))));
      }
      HashSet<Long> ids = new HashSet<>();
      for (Future<SentMessage> f : futures) {
        ids.add(f.get().telegramMessageId());
      }

      assertThat(ids).hasSize(400);
      assertThat(gateway.sent()).hasSize(400);
    } finally {
      pool.shutdownNow();
    }
  }
}
