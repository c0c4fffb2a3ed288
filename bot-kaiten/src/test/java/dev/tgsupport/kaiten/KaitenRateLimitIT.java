package dev.tgsupport.kaiten;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tgsupport.kaiten.fake.FakeKaitenServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The client keeps to Kaiten's 5 requests per second however many threads share it, and learns from the headers. */
class KaitenRateLimitIT {

  private final FakeKaitenServer kaiten = FakeKaitenServer.start();

  @AfterEach
  void stop() {
    kaiten.close();
  }

  @Test
  void eightThreadsOfTwentyCallsShareOneLimitOfFivePerSecondWithout429s() throws Exception {
    KaitenClient client = new KaitenClient(TestClients.config(kaiten).build(), TestClients.fastTuning());
    // The very first exchange of a JDK HttpClient is slow (class loading, first connection); one that arrives late
    // lands next to the one permitted after it. Warm up, then measure the steady state.
    client.currentUser();
    Thread.sleep(1100);
    kaiten.clearRequests();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<Future<Integer>> results = new ArrayList<>();
    long started = System.nanoTime();
    try {
      for (int t = 0; t < 8; t++) {
        Callable<Integer> calls = () -> {
          int ok = 0;
          for (int i = 0; i < 20; i++) {
            // Alternate endpoints: the limit is per token, not per path.
            if (i % 2 == 0) {
              client.currentUser();
            } else {
              client.listCards(CardQuery.board(FakeKaitenServer.BOARD_ID));
            }
            ok++;
          }
          return ok;
        };
        results.add(pool.submit(calls));
      }
      int ok = 0;
      for (Future<Integer> result : results) {
        ok += result.get(2, TimeUnit.MINUTES);
      }
      assertThat(ok).isEqualTo(160);
    } finally {
      pool.shutdownNow();
    }
    Duration took = Duration.ofNanos(System.nanoTime() - started);

    assertThat(kaiten.requests()).hasSize(160);
    assertThat(kaiten.http429()).isZero();
    assertThat(kaiten.violations()).isZero();
    // What Kaiten counts: requests per UTC second (X-RateLimit-Reset is "UTC epoch when the limit will be reset").
    assertThat(kaiten.maxRequestsInOneEpochSecond()).isLessThanOrEqualTo(5);
    // A sliding window over arrivals also sees how late a request reached the wire after its permit (scheduling on
    // a busy machine); the gate's own spacing is asserted exactly in RequestGateTest. One extra is jitter, not burst.
    assertThat(kaiten.maxRequestsPerSecond()).isLessThanOrEqualTo(6);
    // 160 requests, one per 250 ms: 159 gaps.
    assertThat(took).isGreaterThan(Duration.ofMillis(159 * 250));
  }

  @Test
  void aClientSetFasterThanKaitenStopsAtRemainingZeroInsteadOfRunningInto429s() {
    KaitenClient eager = new KaitenClient(TestClients.config(kaiten).requestsPerSecond(50).build(),
        TestClients.fastTuning());
    for (int i = 0; i < 20; i++) {
      eager.currentUser();
    }
    assertThat(kaiten.requests()).hasSize(20);
    assertThat(kaiten.http429()).isZero();
    assertThat(kaiten.violations()).isZero();
  }
}
