package dev.tgsupport.kaiten;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tgsupport.core.contract.MutableClock;
import dev.tgsupport.core.memory.InMemoryReplyGateway;
import dev.tgsupport.core.memory.InMemoryStorage;
import dev.tgsupport.core.model.Ticket;
import dev.tgsupport.core.model.TicketEvent;
import dev.tgsupport.core.port.Stores;
import dev.tgsupport.core.port.TicketTracker;
import dev.tgsupport.core.port.Transactions;
import dev.tgsupport.kaiten.fake.FakeCard;
import dev.tgsupport.kaiten.fake.FakeKaitenServer;
import dev.tgsupport.kaiten.fake.Fault;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Exactly one card per ticket, every time: 1,000 tickets drained by four concurrent workers (each with its own
 * client) while the fake injects 5xx, lost answers, 429s and timeouts, and the tracker "dies" right after some
 * successful creates. Workers run in rounds and the clock moves only between rounds, so a lease never runs out under
 * a live worker (the lease's job in production).
 */
class ExactlyOnceIT {
  private static final Logger log = LoggerFactory.getLogger(ExactlyOnceIT.class);

  /** Creates the card and then "dies" with probability {@code p}. */
  static final class RandomKills implements TicketTracker {
    private final TicketTracker delegate;
    private final Random random;
    private final double p;
    final AtomicInteger kills = new AtomicInteger();

    RandomKills(TicketTracker delegate, long seed, double p) {
      this.delegate = delegate;
      this.random = new Random(seed);
      this.p = p;
    }

    @Override
    public ExternalTicket create(Ticket ticket, String description) {
      ExternalTicket t = delegate.create(ticket, description);
      boolean die;
      synchronized (random) {
        die = random.nextDouble() < p;
      }
      if (die) {
        kills.incrementAndGet();
        throw new OutboxWorkerIT.Killed();
      }
      return t;
    }

    @Override
    public void comment(String externalId, String text) {
      delegate.comment(externalId, text);
    }
  }

  @Test
  void oneCardPerTicketAcrossAThousandTicketsWithRandomFaults() throws Exception {
    int tickets = Integer.getInteger("exactlyOnce.tickets", 1000);
    try (FakeKaitenServer kaiten = FakeKaitenServer.builder().noRateLimit().start()) {
      InMemoryStorage storage = InMemoryStorage.create(new MutableClock(Instant.parse("2026-11-23T10:00:00Z")));
      long seed = Long.getLong("exactlyOnce.seed", 20261123L);
      Result r = run(kaiten, storage, tickets, seed);
      assertExactlyOnce(kaiten, storage, r.ids());
      log.info("exactly-once (seed {}): {} tickets, {} cards, {} POST /cards, {} faults armed, {} kills, {} rounds, "
          + "{} ms",
          seed, tickets, kaiten.cards().size(), kaiten.requests("POST", "/cards").size(), r.faults(), r.kills(),
          r.rounds(), r.millis());
    }
  }

  record Result(List<Long> ids, int faults, int kills, int rounds, long millis) {}

  static Result run(FakeKaitenServer kaiten, Transactions storage, int tickets, long seed) throws Exception {
    MutableClock clock = new MutableClock(Instant.parse("2026-11-23T10:00:00Z"));
    List<Long> ids = new ArrayList<>();
    for (int i = 1; i <= tickets; i++) {
      ids.add(TestTickets.open(storage, i, "Question number " + i).id());
    }
    KaitenConfig config = TestClients.config(kaiten).tags(List.of()).requestsPerSecond(50)
        .requestTimeout(Duration.ofMillis(400)).build();
    int workers = 4;
    List<KaitenBridge> bridges = new ArrayList<>();
    List<RandomKills> trackers = new ArrayList<>();
    for (int w = 0; w < workers; w++) {
      KaitenClient client = new KaitenClient(config, TestClients.fastTuning());
      RandomKills tracker = new RandomKills(new KaitenTicketTracker(config, client), seed + w, 0.02);
      trackers.add(tracker);
      bridges.add(KaitenBridge.builder().config(config).transactions(storage).replies(InMemoryReplyGateway.create())
          .clock(clock).client(client).tracker(tracker).outboxBatch(20).maxAttempts(100)
          .outboxLease(Duration.ofMinutes(1)).backoff(Duration.ofSeconds(1), Duration.ofSeconds(20)).build());
    }
    Random random = new Random(seed);
    ExecutorService pool = Executors.newFixedThreadPool(workers);
    long started = System.nanoTime();
    int faults = 0;
    int rounds = 0;
    try {
      while (unlinked(storage, ids) > 0) {
        rounds++;
        if (rounds > 500) {
          throw new AssertionError("not converging: " + unlinked(storage, ids) + " tickets without a card");
        }
        for (int f = 0; f < 6; f++) {
          faults++;
          double roll = random.nextDouble();
          if (roll < 0.35) {
            kaiten.failNext("POST", "/cards", Fault.status(random.nextBoolean() ? 500 : 503));
          } else if (roll < 0.65) {
            kaiten.failNext("POST", "/cards", Fault.answerLost());
          } else if (roll < 0.75) {
            kaiten.failNext("GET", "/cards", Fault.status(502));
          } else if (roll < 0.80) {
            kaiten.failNext("POST", "/cards", Fault.tooManyRequests());
          } else if (roll < 0.90) {
            // Kaiten makes the card, the client times out first.
            kaiten.failNext("POST", "/cards", Fault.delay(Duration.ofMillis(700)).afterProcessing());
          } else {
            kaiten.failNext("POST", "/cards", Fault.drop());
          }
        }
        List<Callable<Void>> round = new ArrayList<>();
        for (KaitenBridge b : bridges) {
          round.add(() -> {
            try {
              b.drainOutboxOnce();
            } catch (OutboxWorkerIT.Killed killed) {
              // the row stays claimed until its lease runs out, as after a real crash
            }
            return null;
          });
        }
        for (Future<Void> f : pool.invokeAll(round)) {
          f.get();
        }
        clock.advance(Duration.ofSeconds(25));
      }
    } finally {
      pool.shutdownNow();
      kaiten.clearFaults();
    }
    long millis = (System.nanoTime() - started) / 1_000_000;
    int kills = trackers.stream().mapToInt(t -> t.kills.get()).sum();
    return new Result(ids, faults, kills, rounds, millis);
  }

  private static long unlinked(Transactions storage, List<Long> ids) {
    return storage.inTransaction(s -> ids.stream()
        .filter(id -> s.tickets().find(id).orElseThrow().externalId() == null).count());
  }

  static void assertExactlyOnce(FakeKaitenServer kaiten, Transactions storage, List<Long> ids) {
    Map<String, List<FakeCard>> byKey = new HashMap<>();
    for (FakeCard c : kaiten.cards()) {
      byKey.computeIfAbsent(c.externalId(), k -> new ArrayList<>()).add(c);
    }
    assertThat(kaiten.cards()).hasSize(ids.size());
    for (long id : ids) {
      List<FakeCard> cards = byKey.get("tgsupport-" + id);
      assertThat(cards).as("cards of ticket %d", id).hasSize(1);
      Ticket t = storage.inTransaction((Stores s) -> s.tickets().find(id)).orElseThrow();
      assertThat(t.externalId()).isEqualTo(Long.toString(cards.get(0).id()));
      List<TicketEvent> events = storage.inTransaction((Stores s) -> s.ticketEvents().list(id));
      assertThat(events).filteredOn(e -> e.externalId() != null && e.externalId().startsWith("kaiten-card-"))
          .hasSize(1);
    }
    assertThat(storage.inTransaction((Stores s) -> s.outbox().listPending(10))).isEmpty();
  }
}
