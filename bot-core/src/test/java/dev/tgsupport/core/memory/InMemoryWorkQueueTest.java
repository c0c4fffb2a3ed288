package dev.tgsupport.core.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tgsupport.core.OperationTimeoutException;
import dev.tgsupport.core.port.WorkQueue;
import dev.tgsupport.core.port.WorkQueue.Entry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class InMemoryWorkQueueTest {
  private final List<InMemoryWorkQueue> queues = new ArrayList<>();

  @AfterEach
  void closeQueues() {
    queues.forEach(q -> q.close(Duration.ZERO));
  }

  private InMemoryWorkQueue queue(InMemoryWorkQueue.Builder builder) {
    InMemoryWorkQueue q = builder.build();
    queues.add(q);
    return q;
  }

  @Test
  void entriesOfOneKeyAreHandledOneAtATimeInPublishOrder() throws Exception {
    InMemoryWorkQueue q = queue(InMemoryWorkQueue.builder().workers(4).capacity(500));
    int keys = 50;
    int perKey = 200;
    Map<String, List<Integer>> seen = new ConcurrentHashMap<>();
    Map<String, AtomicInteger> running = new ConcurrentHashMap<>();
    AtomicInteger overlaps = new AtomicInteger();
    q.consume(e -> {
      AtomicInteger r = running.computeIfAbsent(e.partitionKey(), k -> new AtomicInteger());
      if (r.incrementAndGet() > 1) {
        overlaps.incrementAndGet();
      }
      seen.computeIfAbsent(e.partitionKey(), k -> Collections.synchronizedList(new ArrayList<>()))
          .add(Integer.parseInt(e.payload()));
      r.decrementAndGet();
    });

    // One publisher thread per group of keys keeps a defined order per key, while publishes race across keys.
    List<Thread> publishers = new ArrayList<>();
    for (int t = 0; t < 5; t++) {
      int first = t * (keys / 5);
      publishers.add(new Thread(() -> {
        for (int seq = 0; seq < perKey; seq++) {
          for (int k = first; k < first + keys / 5; k++) {
            q.publish("chat-" + k, Integer.toString(seq));
          }
        }
      }));
    }
    publishers.forEach(Thread::start);
    for (Thread p : publishers) {
      p.join();
    }

    assertThat(q.awaitIdle(Duration.ofSeconds(10))).isTrue();
    assertThat(overlaps).hasValue(0);
    assertThat(seen).hasSize(keys);
    List<Integer> expected = new ArrayList<>();
    for (int i = 0; i < perKey; i++) {
      expected.add(i);
    }
    seen.values().forEach(list -> assertThat(list).isEqualTo(expected));
  }

  @Test
  void aSlowKeyDoesNotStopTheOtherLanes() throws Exception {
    InMemoryWorkQueue q = queue(InMemoryWorkQueue.builder().workers(4));
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger others = new AtomicInteger();
    q.consume(e -> {
      if (e.partitionKey().equals("slow")) {
        release.await();
      } else {
        others.incrementAndGet();
      }
    });

    q.publish("slow", "x");
    for (int i = 0; i < 40; i++) {
      q.publish("k" + i, "x");
    }

    // At least the keys hashed to the three other lanes go through while "slow" blocks its lane.
    waitUntil(() -> others.get() >= 10);
    release.countDown();
    assertThat(q.awaitIdle(Duration.ofSeconds(5))).isTrue();
    assertThat(others).hasValue(40);
  }

  @Test
  void aFailedEntryIsRedeliveredAfterItsBackoffAndTheEntriesOfItsKeyWaitForIt() throws Exception {
    InMemoryWorkQueue q = queue(InMemoryWorkQueue.builder().workers(1).retryBackoff(Duration.ofMillis(50)));
    List<String> handled = new CopyOnWriteArrayList<>();
    List<Long> attemptsAt = new CopyOnWriteArrayList<>();
    q.consume(e -> {
      if (e.payload().equals("a1")) {
        attemptsAt.add(System.nanoTime());
        if (e.deliveries() < 3) {
          throw new IllegalStateException("transient failure " + e.deliveries());
        }
      }
      handled.add(e.payload() + "#" + e.deliveries());
    });

    q.publish("a", "a1");
    q.publish("a", "a2");
    q.publish("b", "b1");
    q.publish("a", "a3");

    assertThat(q.awaitIdle(Duration.ofSeconds(5))).isTrue();
    // "b" (same single lane) did not wait for "a"'s backoff; "a"'s later entries did, in order.
    assertThat(handled).containsExactly("b1#1", "a1#3", "a2#1", "a3#1");
    assertThat(attemptsAt).hasSize(3);
    assertThat(attemptsAt.get(1) - attemptsAt.get(0)).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(50));
    assertThat(attemptsAt.get(2) - attemptsAt.get(1)).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(100));
    assertThat(q.deadLetters()).isEmpty();
  }

  @Test
  void anEntryFailingMaxDeliveriesTimesIsDeadLetteredAndItsKeyProceeds() {
    List<InMemoryWorkQueue.DeadLetter> reported = new CopyOnWriteArrayList<>();
    InMemoryWorkQueue q = queue(InMemoryWorkQueue.builder().workers(2).maxDeliveries(3)
        .retryBackoff(Duration.ofMillis(1)).onDeadLetter(reported::add));
    List<String> handled = new CopyOnWriteArrayList<>();
    q.consume(e -> {
      if (e.payload().equals("poison")) {
        throw new IllegalArgumentException("cannot parse");
      }
      handled.add(e.payload());
    });

    String poisonId = q.publish("chat-1", "poison");
    q.publish("chat-1", "after");

    assertThat(q.awaitIdle(Duration.ofSeconds(5))).isTrue();
    assertThat(handled).containsExactly("after");
    assertThat(q.deadLetters()).singleElement().satisfies(dl -> {
      assertThat(dl.entry()).isEqualTo(new Entry(poisonId, "chat-1", "poison", 3));
      assertThat(dl.error()).isEqualTo("java.lang.IllegalArgumentException: cannot parse");
    });
    assertThat(reported).isEqualTo(q.deadLetters());
    assertThat(q.pending()).isZero();
  }

  @Test
  void theDeadLetterListKeepsOnlyTheMostRecent() {
    InMemoryWorkQueue q = queue(InMemoryWorkQueue.builder().maxDeliveries(1).deadLetterCapacity(3));
    q.consume(e -> {
      throw new IllegalStateException(e.payload());
    });
    for (int i = 0; i < 5; i++) {
      q.publish("k", "p" + i);
    }

    assertThat(q.awaitIdle(Duration.ofSeconds(5))).isTrue();
    assertThat(q.deadLetters()).extracting(dl -> dl.entry().payload()).containsExactly("p2", "p3", "p4");
  }

  @Test
  void publishBlocksWhileTheQueueIsFull() throws Exception {
    InMemoryWorkQueue q = queue(InMemoryWorkQueue.builder().capacity(2));
    q.publish("k", "1");
    q.publish("k", "2");
    AtomicReference<String> third = new AtomicReference<>();
    Thread publisher = new Thread(() -> third.set(q.publish("k", "3")));
    publisher.start();

    publisher.join(200);
    assertThat(publisher.isAlive()).as("publish blocks at capacity").isTrue();
    assertThat(q.pending()).isEqualTo(2);

    List<String> handled = new CopyOnWriteArrayList<>();
    q.consume(e -> handled.add(e.payload()));
    publisher.join(5_000);
    assertThat(third.get()).isNotNull();
    assertThat(q.awaitIdle(Duration.ofSeconds(5))).isTrue();
    assertThat(handled).containsExactly("1", "2", "3");
  }

  @Test
  void anInterruptedPublishFailsAsRetriableAndKeepsTheFlag() throws Exception {
    InMemoryWorkQueue q = queue(InMemoryWorkQueue.builder().capacity(1));
    q.publish("k", "1");
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    AtomicReference<Boolean> flag = new AtomicReference<>();
    Thread publisher = new Thread(() -> {
      try {
        q.publish("k", "2");
      } catch (RuntimeException e) {
        thrown.set(e);
        flag.set(Thread.currentThread().isInterrupted());
      }
    });
    publisher.start();
    publisher.join(100);
    publisher.interrupt();
    publisher.join(5_000);

    assertThat(thrown.get()).isInstanceOf(OperationTimeoutException.class)
        .hasMessageContaining("interrupted while waiting for capacity");
    assertThat(flag.get()).isTrue();
    assertThat(q.pending()).isEqualTo(1);
  }

  @Test
  void closeHandlesEverythingPublishedThenRefusesNewEntries() {
    InMemoryWorkQueue q = queue(InMemoryWorkQueue.builder().workers(2));
    AtomicInteger handled = new AtomicInteger();
    q.consume(e -> {
      Thread.sleep(1);
      handled.incrementAndGet();
    });
    for (int i = 0; i < 200; i++) {
      q.publish("k" + (i % 7), "p");
    }

    q.close(Duration.ofSeconds(10));

    assertThat(handled).hasValue(200);
    assertThatThrownBy(() -> q.publish("k", "late")).isInstanceOf(IllegalStateException.class)
        .hasMessage("queue 'tgsupport-queue' is closed: entry of key k refused");
    assertThatThrownBy(() -> q.consume(e -> {})).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void entriesLeftByAClosedConsumerGoToTheNextOne() throws Exception {
    InMemoryWorkQueue q = queue(InMemoryWorkQueue.builder().workers(1));
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    List<String> first = new CopyOnWriteArrayList<>();
    WorkQueue.Consumer c1 = q.consume(e -> {
      first.add(e.payload());
      started.countDown();
      release.await();
    });
    q.publish("k", "1");
    q.publish("k", "2");
    q.publish("k", "3");
    assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();

    Thread closer = new Thread(() -> c1.close(Duration.ofSeconds(5)));
    closer.start();
    Thread.sleep(50);
    release.countDown(); // the entry in progress finishes within the grace
    closer.join();

    List<String> second = new CopyOnWriteArrayList<>();
    q.consume(e -> second.add(e.payload()));
    assertThat(q.awaitIdle(Duration.ofSeconds(5))).isTrue();
    assertThat(first).containsExactly("1");
    assertThat(second).containsExactly("2", "3");
  }

  @Test
  void aSecondOpenConsumerIsRefused() {
    InMemoryWorkQueue q = queue(InMemoryWorkQueue.builder());
    WorkQueue.Consumer c = q.consume(e -> {});

    assertThatThrownBy(() -> q.consume(e -> {})).isInstanceOf(IllegalStateException.class)
        .hasMessage("queue 'tgsupport-queue' already has an open consumer; close it first");

    c.close(Duration.ofSeconds(1));
    q.consume(e -> {}).close(Duration.ofSeconds(1));
  }

  @Test
  void theBuilderNamesTheFieldItRefuses() {
    assertThatThrownBy(() -> InMemoryWorkQueue.builder().workers(0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("workers must be > 0, was 0");
    assertThatThrownBy(() -> InMemoryWorkQueue.builder().capacity(-1)).hasMessage("capacity must be > 0, was -1");
    assertThatThrownBy(() -> InMemoryWorkQueue.builder().maxDeliveries(0))
        .hasMessage("maxDeliveries must be > 0, was 0");
    assertThatThrownBy(() -> InMemoryWorkQueue.builder().retryBackoff(Duration.ofSeconds(-1)))
        .hasMessage("retryBackoff must be >= 0, was PT-1S");
    assertThatThrownBy(() -> InMemoryWorkQueue.builder().name(" ")).hasMessage("name must not be blank, was \"\"");
  }

  private static void waitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("condition not met within 5 s").isLessThan(deadline);
      Thread.sleep(5);
    }
  }
}
