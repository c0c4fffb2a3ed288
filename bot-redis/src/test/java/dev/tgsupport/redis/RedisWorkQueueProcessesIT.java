package dev.tgsupport.redis;

import static dev.tgsupport.redis.RedisWorkQueueIT.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.api.sync.RedisCommands;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The acceptance test: two worker JVMs on one stream, 10,000 updates across 200 chats, one worker killed
 * mid-run. Every update must be handled at least once (exactly once by effect, see {@link RedisWorkQueueWorker}),
 * in order per chat, and the killed worker's pending entries must be finished by the other.
 */
class RedisWorkQueueProcessesIT {
  private static final int CHATS = 200;
  private static final int PER_CHAT = 50;
  private static final int TOTAL = CHATS * PER_CHAT;

  private final String prefix = TestRedis.prefix(RedisWorkQueueProcessesIT.class);
  private final RedisCommands<String, String> redis = TestRedis.raw();
  private final List<Process> workers = new ArrayList<>();

  @AfterEach
  void cleanUp() throws Exception {
    for (Process p : workers) {
      if (p.isAlive()) {
        p.getOutputStream().close(); // a graceful stop: the worker closes its queue
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
      }
    }
    TestRedis.deleteKeys(prefix);
  }

  @Test
  void twoWorkerJvmsHandleEveryUpdateOnceByEffectInOrderPerChatAndOneTakesOverWhenTheOtherIsKilled()
      throws Exception {
    Process w1 = startWorker("w1");
    Process w2 = startWorker("w2");
    waitUntil(30, () -> leaseHolders().equals(Map.of("w1", 8L, "w2", 8L)));

    // Publishing runs beside the workers, as a webhook would, so the kill lands while both are busy.
    RedisWorkQueue publisher = RedisWorkQueue.create(TestRedis.URL, prefix, RedisWorkQueueWorker.settings("publisher"),
        DegradationSignal.NONE);
    Thread publishing = new Thread(() -> {
      for (int seq = 0; seq < PER_CHAT; seq++) {
        for (int chat = 0; chat < CHATS; chat++) {
          publisher.publish("chat-" + chat, Integer.toString(seq));
        }
      }
    });
    publishing.start();

    waitUntil(30, () -> redis.hlen(prefix + "done") >= TOTAL / 4);
    w1.destroyForcibly();
    assertThat(w1.waitFor(10, TimeUnit.SECONDS)).isTrue();
    long doneAtKill = redis.hlen(prefix + "done");
    assertThat(doneAtKill).as("killed mid-run").isLessThan(TOTAL * 3 / 4);
    publishing.join();
    publisher.close(Duration.ofSeconds(2));

    waitUntil(45, () -> redis.hlen(prefix + "done") == TOTAL);

    assertThat(redis.lrange(prefix + "violations", 0, -1)).as("order violations").isEmpty();
    Map<String, String> last = redis.hgetall(prefix + "last");
    assertThat(last).hasSize(CHATS);
    assertThat(last.values()).containsOnly(Integer.toString(PER_CHAT - 1));
    Map<String, String> by = redis.hgetall(prefix + "by");
    assertThat(by.keySet()).containsExactlyInAnyOrder("w1", "w2");
    // w1 died with entries read but not acknowledged: w2 claimed them (deliveries > 1) and finished them.
    assertThat(redis.hget(prefix + "redelivered", "w2")).isNotNull();
    long handled = by.values().stream().mapToLong(Long::parseLong).sum();
    System.out.printf("handled %d times for %d updates (%d redelivered after the kill at %d done); by worker %s%n",
        handled, TOTAL, handled - TOTAL, doneAtKill, by);
    waitUntil(10, () -> leaseHolders().equals(Map.of("w2", 16L)));
    assertThat(w2.isAlive()).isTrue();
  }

  private Process startWorker(String name) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Path log = Path.of("target", "queue-worker-" + name + ".log");
    Files.createDirectories(log.getParent());
    Process p = new ProcessBuilder(java, "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp",
        System.getProperty("java.class.path"), RedisWorkQueueWorker.class.getName(), TestRedis.URL, prefix, name, "2")
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
    workers.add(p);
    return p;
  }

  private Map<String, Long> leaseHolders() {
    Map<String, Long> holders = new java.util.TreeMap<>();
    for (int p = 0; p < 16; p++) {
      String holder = redis.get(prefix + "queue:lease:" + p);
      if (holder != null) {
        holders.merge(holder, 1L, Long::sum);
      }
    }
    return holders;
  }
}
