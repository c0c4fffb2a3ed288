package dev.tgsupport.kaiten;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class RequestGateTest {

  private static final Duration NO_LIMIT = Duration.ofMinutes(1);

  private static Thread started(Runnable body) {
    Thread thread = new Thread(body, "gate-test");
    thread.start();
    return thread;
  }

  private static long millisSince(long start) {
    return (System.nanoTime() - start) / 1_000_000;
  }

  @Test
  void permitsAreSpacedEvenlyWithoutABurst() throws InterruptedException {
    RequestGate gate = new RequestGate(50, System::nanoTime);
    long start = System.nanoTime();
    for (int i = 0; i < 11; i++) {
      assertThat(gate.acquire(NO_LIMIT)).isZero();
    }
    // The first goes at once, the other ten 20 ms apart.
    assertThat(millisSince(start)).isBetween(195L, 600L);
    assertThat(gate.interval()).isEqualTo(Duration.ofMillis(20));
  }

  @Test
  void threadsShareTheSameSpacing() throws InterruptedException {
    RequestGate gate = new RequestGate(100, System::nanoTime);
    List<Long> granted = new CopyOnWriteArrayList<>();
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      threads.add(started(() -> {
        for (int i = 0; i < 5; i++) {
          try {
            gate.acquire(NO_LIMIT);
            granted.add(System.nanoTime());
          } catch (InterruptedException e) {
            return;
          }
        }
      }));
    }
    for (Thread thread : threads) {
      thread.join();
    }
    List<Long> sorted = granted.stream().sorted().toList();
    assertThat(sorted).hasSize(20);
    // Twenty permits at 100 per second span at least 19 intervals of 10 ms.
    assertThat((sorted.get(19) - sorted.get(0)) / 1_000_000).isGreaterThanOrEqualTo(185);
  }

  @Test
  void aPauseHoldsTheNextCallerBack() throws InterruptedException {
    RequestGate gate = new RequestGate(50, System::nanoTime);
    gate.acquire(NO_LIMIT);
    gate.pauseFor(Duration.ofMillis(200));
    long start = System.nanoTime();
    gate.acquire(NO_LIMIT);
    assertThat(millisSince(start)).isGreaterThanOrEqualTo(195);
  }

  @Test
  void aPauseVoidsSlotsReservedBeforeIt() throws InterruptedException {
    // At 10 per second a waiting thread holds the slot 100 ms ahead; a 300 ms pause must push it behind the pause.
    RequestGate gate = new RequestGate(10, System::nanoTime);
    gate.acquire(NO_LIMIT);
    long start = System.nanoTime();
    CountDownLatch waiting = new CountDownLatch(1);
    List<Long> grantedAfter = new CopyOnWriteArrayList<>();
    Thread waiter = started(() -> {
      waiting.countDown();
      try {
        gate.acquire(NO_LIMIT);
        grantedAfter.add(millisSince(start));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    waiting.await();
    Thread.sleep(30);
    gate.pauseFor(Duration.ofMillis(300));
    waiter.join();
    assertThat(grantedAfter).singleElement().satisfies(ms -> assertThat(ms).isGreaterThanOrEqualTo(325));
  }

  @Test
  void aShorterPauseDoesNotShortenALongerOne() throws InterruptedException {
    RequestGate gate = new RequestGate(50, System::nanoTime);
    long start = System.nanoTime();
    gate.pauseFor(Duration.ofMillis(300));
    gate.pauseFor(Duration.ofMillis(10));
    gate.pauseFor(Duration.ZERO);
    Duration left = gate.pausedFor();
    gate.acquire(NO_LIMIT);
    assertThat(millisSince(start)).isGreaterThanOrEqualTo(295);
    assertThat(left).isGreaterThan(Duration.ofMillis(250));
  }

  @Test
  void aWaitBeyondTheLimitIsReportedAtOnceWithoutTakingASlot() throws InterruptedException {
    RequestGate gate = new RequestGate(50, System::nanoTime);
    long paused = System.nanoTime();
    gate.pauseFor(Duration.ofSeconds(2));
    Duration wouldWait = gate.acquire(Duration.ofMillis(100));
    Duration sincePause = Duration.ofNanos(System.nanoTime() - paused);
    assertThat(sincePause).as("answered at once, not after waiting").isLessThan(Duration.ofSeconds(1));
    assertThat(wouldWait).isBetween(Duration.ofSeconds(2).minus(sincePause), Duration.ofSeconds(2));
    Duration stillWouldWait = gate.acquire(Duration.ofMillis(100));
    assertThat(stillWouldWait)
        .isBetween(Duration.ofSeconds(2).minus(Duration.ofNanos(System.nanoTime() - paused)), wouldWait);
  }

  @Test
  void anInterruptedWaiterGivesUp() throws InterruptedException {
    RequestGate gate = new RequestGate(50, System::nanoTime);
    gate.pauseFor(Duration.ofSeconds(10));
    List<Throwable> thrown = new CopyOnWriteArrayList<>();
    Thread waiter = started(() -> {
      try {
        gate.acquire(NO_LIMIT);
      } catch (InterruptedException e) {
        thrown.add(e);
      }
    });
    Thread.sleep(50);
    waiter.interrupt();
    waiter.join(1000);
    assertThat(thrown).hasSize(1);
  }
}
