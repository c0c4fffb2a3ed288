package dev.tgsupport.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tgsupport.core.port.WorkQueue;
import io.lettuce.core.Consumer;
import io.lettuce.core.Range;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.XReadArgs.StreamOffset;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The Redis work queue in one JVM, against the shared test Redis, each test on its own key prefix. */
class RedisWorkQueueIT {
  private final String prefix = TestRedis.prefix(RedisWorkQueueIT.class);
  private final RedisCommands<String, String> redis = TestRedis.raw();
  private final List<RedisWorkQueue> queues = new ArrayList<>();
  private final RecordingSignal signal = new RecordingSignal();

  /** Short leases and timeouts so that takeovers happen within a test. */
  private static QueueSettings.Builder fast() {
    return QueueSettings.builder().leaseTtl(Duration.ofMillis(1500)).blockTimeout(Duration.ofMillis(200))
        .retryBackoff(Duration.ofMillis(20)).commandTimeout(Duration.ofSeconds(2));
  }

  private RedisWorkQueue queue(QueueSettings settings) {
    RedisWorkQueue q = RedisWorkQueue.create(TestRedis.URL, prefix, settings, signal);
    queues.add(q);
    return q;
  }

  @AfterEach
  void cleanUp() {
    queues.forEach(q -> q.close(Duration.ofSeconds(2)));
    TestRedis.deleteKeys(prefix);
  }

  @Test
  void publishAppendsTheEntryToThePartitionStreamOfItsKeyInOneXadd() {
    QueueSettings settings = fast().build();
    RedisWorkQueue q = queue(settings);
    StreamKeys keys = StreamKeys.of(prefix, settings);

    String id = q.publish("chat-42", "{\"update\":1}");

    String stream = prefix + "queue:" + keys.partitionOf("chat-42");
    List<StreamMessage<String, String>> all = redis.xrange(stream, Range.create("-", "+"));
    assertThat(all).singleElement().satisfies(m -> {
      assertThat(m.getId()).isEqualTo(id);
      assertThat(m.getBody()).containsExactlyInAnyOrderEntriesOf(Map.of("key", "chat-42", "payload",
          "{\"update\":1}"));
    });
    assertThat(signal.degraded).hasValue(0);
  }

  @Test
  void entriesOfOneKeyAreHandledInOrderWhilePublishersAndWorkersRaceAcrossKeys() throws Exception {
    RedisWorkQueue q = queue(fast().workers(4).batchSize(50).build());
    int chats = 100;
    int perChat = 40;
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

    List<Thread> publishers = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      int first = t * chats / 4;
      publishers.add(new Thread(() -> {
        for (int seq = 0; seq < perChat; seq++) {
          for (int c = first; c < first + chats / 4; c++) {
            q.publish("chat-" + c, Integer.toString(seq));
          }
        }
      }));
    }
    publishers.forEach(Thread::start);
    for (Thread p : publishers) {
      p.join();
    }

    waitUntil(20, () -> seen.values().stream().mapToInt(List::size).sum() >= chats * perChat);
    List<Integer> expected = new ArrayList<>();
    for (int i = 0; i < perChat; i++) {
      expected.add(i);
    }
    assertThat(seen).hasSize(chats);
    seen.forEach((chat, list) -> assertThat(list).as(chat).isEqualTo(expected));
    assertThat(overlaps).hasValue(0);
    waitUntil(5, () -> pendingCount(q) == 0);
  }

  @Test
  void aFailingEntryIsRedeliveredUntilItSucceedsAndTheLaterEntriesOfItsKeyWait() throws Exception {
    RedisWorkQueue q = queue(fast().partitions(1).build());
    List<String> handled = new CopyOnWriteArrayList<>();
    q.consume(e -> {
      if (e.payload().equals("a1") && e.deliveries() < 3) {
        throw new IllegalStateException("database down");
      }
      handled.add(e.payload() + "#" + e.deliveries());
    });

    q.publish("a", "a1");
    q.publish("a", "a2");
    q.publish("b", "b1");
    q.publish("a", "a3");

    waitUntil(10, () -> handled.size() == 4);
    // One partition: "b" still did not wait for "a"'s backoff, and "a" kept its order.
    assertThat(handled).containsExactly("b1#1", "a1#3", "a2#1", "a3#1");
    waitUntil(5, () -> pendingCount(q) == 0);
    assertThat(redis.xlen(prefix + "queue:dead")).isZero();
  }

  @Test
  void anEntryFailingMaxDeliveriesTimesGoesToTheDeadLetterStreamAndItsKeyProceeds() throws Exception {
    RedisWorkQueue q = queue(fast().partitions(2).maxDeliveries(3).build());
    List<String> handled = new CopyOnWriteArrayList<>();
    AtomicInteger attempts = new AtomicInteger();
    q.consume(e -> {
      if (e.payload().equals("poison")) {
        attempts.incrementAndGet();
        throw new IllegalArgumentException("cannot parse update");
      }
      handled.add(e.payload());
    });

    String poisonId = q.publish("chat-7", "poison");
    q.publish("chat-7", "after");

    waitUntil(10, () -> handled.contains("after"));
    assertThat(attempts).hasValue(3);
    waitUntil(5, () -> redis.xlen(prefix + "queue:dead") == 1);
    StreamMessage<String, String> dead = redis.xrange(prefix + "queue:dead", Range.create("-", "+")).get(0);
    assertThat(dead.getBody()).containsAllEntriesOf(Map.of("id", poisonId, "key", "chat-7", "payload", "poison",
        "error", "java.lang.IllegalArgumentException: cannot parse update", "deliveries", "3"));
    waitUntil(5, () -> pendingCount(q) == 0);
  }

  @Test
  void streamsAreTrimmedToAboutTheirMaximumLength() {
    RedisWorkQueue q = queue(fast().partitions(1).maxLength(200).build());

    for (int i = 0; i < 3_000; i++) {
      q.publish("chat", Integer.toString(i));
    }

    // MAXLEN ~ trims whole macro nodes (100 entries by default), so the length stays near, not at, the cap.
    long length = redis.xlen(prefix + "queue:0");
    assertThat(length).isBetween(200L, 400L);
    List<StreamMessage<String, String>> newest = redis.xrevrange(prefix + "queue:0", Range.create("-", "+"),
        io.lettuce.core.Limit.from(1));
    assertThat(newest.get(0).getBody()).containsEntry("payload", "2999");
  }

  @Test
  void twoConsumersSplitThePartitionsAndHandleEveryEntry() throws Exception {
    QueueSettings settings = fast().partitions(8).build();
    RedisWorkQueue a = queue(settings.toBuilder().consumerName("a").build());
    RedisWorkQueue b = queue(settings.toBuilder().consumerName("b").build());
    Map<String, String> handledBy = new ConcurrentHashMap<>();
    a.consume(e -> handledBy.put(e.payload(), "a"));
    b.consume(e -> handledBy.put(e.payload(), "b"));

    waitUntil(10, () -> leaseHolders(8).equals(Map.of("a", 4L, "b", 4L)));
    for (int i = 0; i < 400; i++) {
      a.publish("chat-" + (i % 40), Integer.toString(i));
    }

    waitUntil(10, () -> handledBy.size() == 400);
    assertThat(handledBy.values()).contains("a", "b");
  }

  @Test
  void aClosedConsumerGivesItsPartitionsBackAndTheOtherOneTakesThemOver() throws Exception {
    QueueSettings settings = fast().partitions(4).build();
    RedisWorkQueue a = queue(settings.toBuilder().consumerName("a").build());
    RedisWorkQueue b = queue(settings.toBuilder().consumerName("b").build());
    List<String> handledByB = new CopyOnWriteArrayList<>();
    WorkQueue.Consumer ca = a.consume(e -> {});
    b.consume(e -> handledByB.add(e.payload()));
    waitUntil(10, () -> leaseHolders(4).equals(Map.of("a", 2L, "b", 2L)));

    ca.close(Duration.ofSeconds(2));
    for (int i = 0; i < 100; i++) {
      a.publish("chat-" + i, Integer.toString(i));
    }

    waitUntil(10, () -> handledByB.size() == 100);
    assertThat(leaseHolders(4)).isEqualTo(Map.of("b", 4L));
  }

  @Test
  void aNewHolderFirstFinishesTheEntriesADeadConsumerLeftPendingThenGoesOnInOrder() throws Exception {
    QueueSettings settings = fast().partitions(1).build();
    RedisWorkQueue q = queue(settings);
    String stream = prefix + "queue:0";
    for (int i = 0; i < 10; i++) {
      q.publish("chat", Integer.toString(i));
    }
    // A consumer that read 0..5, held the lease, and died: its lease still runs for 1 s.
    redis.xgroupCreate(StreamOffset.from(stream, "0"), "tgsupport", io.lettuce.core.XGroupCreateArgs.Builder
        .mkstream());
    redis.xreadgroup(Consumer.from("tgsupport", "dead"), XReadArgs.Builder.count(6), StreamOffset.lastConsumed(stream));
    redis.set(prefix + "queue:lease:0", "dead", io.lettuce.core.SetArgs.Builder.px(1000));
    List<String> handled = new CopyOnWriteArrayList<>();
    List<Integer> deliveries = new CopyOnWriteArrayList<>();
    long start = System.nanoTime();

    q.consume(e -> {
      handled.add(e.payload());
      deliveries.add(e.deliveries());
    });
    for (int i = 10; i < 15; i++) {
      q.publish("chat", Integer.toString(i));
    }

    waitUntil(10, () -> handled.size() == 15);
    assertThat(System.nanoTime() - start).as("waited for the dead consumer's lease")
        .isGreaterThan(TimeUnit.MILLISECONDS.toNanos(900));
    assertThat(handled).containsExactly("0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13",
        "14");
    assertThat(deliveries.subList(0, 6)).containsOnly(2);
    assertThat(deliveries.subList(6, 15)).containsOnly(1);
    waitUntil(5, () -> pendingCount(q) == 0);
  }

  @Test
  void aSecondOpenConsumerOnOneQueueIsRefused() {
    RedisWorkQueue q = queue(fast().consumerName("solo").build());
    q.consume(e -> {});

    org.assertj.core.api.Assertions.assertThatThrownBy(() -> q.consume(e -> {}))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("work queue " + prefix + "queue:* already has an open consumer (solo); close it first");
  }

  private long pendingCount(RedisWorkQueue q) {
    long n = 0;
    for (int p = 0; p < q.settings.partitions(); p++) {
      n += redis.xpending(prefix + "queue:" + p, "tgsupport").getCount();
    }
    return n;
  }

  private Map<String, Long> leaseHolders(int partitions) {
    Map<String, Long> holders = new java.util.TreeMap<>();
    for (int p = 0; p < partitions; p++) {
      String holder = redis.get(prefix + "queue:lease:" + p);
      if (holder != null) {
        holders.merge(holder, 1L, Long::sum);
      }
    }
    return holders;
  }

  static void waitUntil(int seconds, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within " + seconds + " s");
      }
      Thread.sleep(10);
    }
  }

  /** Counts what the queue reported. */
  static final class RecordingSignal implements DegradationSignal {
    final AtomicInteger degraded = new AtomicInteger();
    final AtomicInteger recovered = new AtomicInteger();

    @Override
    public void degraded(String component, Throwable cause) {
      assertThat(component).isEqualTo("queue");
      degraded.incrementAndGet();
    }

    @Override
    public void recovered(String component) {
      assertThat(component).isEqualTo("queue");
      recovered.incrementAndGet();
    }
  }
}
