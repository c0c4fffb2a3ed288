package dev.tgsupport.kaiten;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tgsupport.core.memory.InMemoryReplyGateway;
import dev.tgsupport.core.memory.InMemoryReplyGateway.Delivery;
import dev.tgsupport.core.memory.InMemoryStorage;
import dev.tgsupport.core.model.IncomingMessage;
import dev.tgsupport.core.model.MessageType;
import dev.tgsupport.core.model.Ticket;
import dev.tgsupport.core.model.TicketStatus;
import dev.tgsupport.core.pipeline.Outcome;
import dev.tgsupport.core.pipeline.Pipeline;
import dev.tgsupport.kaiten.fake.FakeCard;
import dev.tgsupport.kaiten.fake.FakeKaitenServer;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The real pipeline writes the outbox rows (ticket stage, /ticket follow-up); the bridge takes them from there. */
class PipelineLoopIT {
  @Test
  void aQuestionThroughThePipelineBecomesACardAndTheAnswerComesBack() {
    try (FakeKaitenServer kaiten = FakeKaitenServer.builder().noRateLimit().start()) {
      InMemoryStorage storage = InMemoryStorage.create();
      InMemoryReplyGateway telegram = InMemoryReplyGateway.create();
      Pipeline pipeline = Pipeline.builder().transactions(storage).replyGateway(telegram).build();
      KaitenConfig config = TestClients.config(kaiten).requestsPerSecond(50).build();
      try (KaitenBridge bridge = KaitenBridge.builder().config(config).transactions(storage).replies(telegram)
          .client(new KaitenClient(config, TestClients.fastTuning())).build()) {
        String question = "I was charged twice for order 1234, please refund one payment";
        Outcome outcome = pipeline.process(new IncomingMessage(TestTickets.group(), TestTickets.alice(), 501, null,
            null, MessageType.TEXT, question, Instant.now()));
        assertThat(outcome.kind()).isEqualTo(Outcome.Kind.TICKET);
        Ticket ticket = outcome.context().ticket();

        bridge.drainOutboxOnce();
        FakeCard card = kaiten.cards().get(0);
        assertThat(card.externalId()).isEqualTo("tgsupport-" + ticket.id());
        assertThat(card.title()).startsWith("#" + ticket.id() + " I was charged twice");
        assertThat(card.description()).contains("> " + question).contains("https://t.me/c/1234567890/501");

        pipeline.process(new IncomingMessage(TestTickets.group(), TestTickets.alice(), 502, null, null,
            MessageType.TEXT, "/ticket " + ticket.id() + " It was on 20 November", Instant.now()));
        bridge.drainOutboxOnce();
        assertThat(kaiten.comments(card.id())).extracting(c -> c.text())
            .anySatisfy(t -> assertThat(t).contains("It was on 20 November"));

        kaiten.staffComment(card.id(), "Refunded, you will see it in 3 days.");
        kaiten.moveToDone(card.id());
        bridge.syncOnce();

        assertThat(telegram.sent()).filteredOn(d -> d.replyToMessageId() != null && d.replyToMessageId() == 501)
            .extracting(Delivery::text)
            .anySatisfy(t -> assertThat(t).contains("Refunded, you will see it in 3 days."))
            .anySatisfy(t -> assertThat(t).startsWith("Your ticket #" + ticket.id() + " is resolved."));
        Ticket resolved = storage.inTransaction(s -> s.tickets().find(ticket.id())).orElseThrow();
        assertThat(resolved.status()).isEqualTo(TicketStatus.RESOLVED);
      }
    }
  }
}
