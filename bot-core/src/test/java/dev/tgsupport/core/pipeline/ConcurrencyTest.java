package dev.tgsupport.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tgsupport.core.memory.InMemoryStorage;
import dev.tgsupport.core.model.IncomingMessage;
import dev.tgsupport.core.model.OutboxEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class ConcurrencyTest {
  @Test
  void theSameMessageProcessedByEightThreadsOpensOneTicketWithOneOutboxRow() throws Exception {
    InMemoryStorage storage = InMemoryStorage.create();
    Pipeline p = Pipeline.builder().transactions(storage).build();
    IncomingMessage q = Messages.text("Two-factor codes never arrive by SMS");
    ExecutorService pool = Executors.newFixedThreadPool(8);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<Outcome>> futures = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      futures.add(pool.submit(() -> {
        go.await();
        return p.process(q);
      }));
    }
    go.countDown();
    List<Long> ticketIds = new ArrayList<>();
    for (Future<Outcome> f : futures) {
      Outcome o = f.get();
      if (o.context().ticket() != null) {
        ticketIds.add(o.context().ticket().id());
      }
    }
    pool.shutdown();
    assertThat(ticketIds).isNotEmpty().allMatch(id -> id.equals(ticketIds.get(0)));
    List<OutboxEntry> pending = storage.inTransaction(s -> s.outbox().listPending(100));
    assertThat(pending).hasSize(1);
  }

  @Test
  void manyDifferentMessagesFromManyThreadsAreAllStoredAndHandled() throws Exception {
    InMemoryStorage storage = InMemoryStorage.create();
    Pipeline p = Pipeline.builder().transactions(storage).build();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    List<Future<Outcome>> futures = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      String text = i % 2 == 0 ? "спасибо" : "Question number " + i + " about invoices";
      futures.add(pool.submit(() -> p.process(Messages.text(text))));
    }
    int noise = 0;
    int tickets = 0;
    for (Future<Outcome> f : futures) {
      switch (f.get().kind()) {
        case NOISE -> noise++;
        case TICKET -> tickets++;
        default -> { }
      }
    }
    pool.shutdown();
    assertThat(noise).isEqualTo(200);
    assertThat(tickets).isEqualTo(200);
    List<OutboxEntry> pending = storage.inTransaction(s -> s.outbox().listPending(1000));
    assertThat(pending).hasSize(200);
  }
}
