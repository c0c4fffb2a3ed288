package dev.tgsupport.redis;

import static dev.tgsupport.redis.RedisWorkQueueIT.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Redis dies mid-run and comes back: publishing never fails, nothing is lost, and the queue says so. The private
 * server persists every write (AOF, fsync always), as a production Redis for a queue must, so a restart keeps the
 * streams, the consumer group and its pending lists.
 */
class RedisWorkQueueOutageIT {
  private final String prefix = "tgsupport-test:RedisWorkQueueOutageIT:";
  private DurableRedis server;
  private RedisWorkQueue queue;

  @AfterEach
  void stop() {
    if (queue != null) {
      queue.close(Duration.ofSeconds(2));
    }
    if (server != null) {
      server.kill();
    }
  }

  @Test
  void publishingSurvivesAKilledAndRestartedRedisAndEveryEntryIsHandled() throws Exception {
    server = DurableRedis.launch();
    RedisWorkQueueIT.RecordingSignal signal = new RedisWorkQueueIT.RecordingSignal();
    queue = RedisWorkQueue.create(server.url(), prefix, QueueSettings.builder().partitions(4)
        .leaseTtl(Duration.ofMillis(1500)).blockTimeout(Duration.ofMillis(200)).commandTimeout(Duration.ofMillis(300))
        .retryBackoff(Duration.ofMillis(20)).build(), signal);
    Set<String> done = ConcurrentHashMap.newKeySet();
    AtomicInteger handled = new AtomicInteger();
    AtomicInteger inProcess = new AtomicInteger();
    queue.consume(e -> {
      done.add(e.partitionKey() + ":" + e.payload());
      handled.incrementAndGet();
      if (!e.id().contains("-")) {
        inProcess.incrementAndGet(); // an id of the in-process fallback, not a stream id
      }
    });
    List<Throwable> publishFailures = new CopyOnWriteArrayList<>();
    int chats = 20;
    int perChat = 150;
    AtomicInteger published = new AtomicInteger();
    Thread publisher = new Thread(() -> {
      for (int seq = 0; seq < perChat; seq++) {
        for (int chat = 0; chat < chats; chat++) {
          try {
            queue.publish("chat-" + chat, Integer.toString(seq));
            published.incrementAndGet();
          } catch (Throwable t) {
            publishFailures.add(t);
          }
          LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(700));
        }
      }
    });
    publisher.start();

    waitUntil(10, () -> published.get() >= 600);
    server.kill();
    Thread.sleep(1_000);
    server.restart();
    publisher.join();

    waitUntil(30, () -> signal.recovered.get() > 0);
    List<String> afterIds = new CopyOnWriteArrayList<>();
    for (int i = 0; i < 20; i++) {
      afterIds.add(queue.publish("chat-" + i, "after"));
    }
    waitUntil(30, () -> done.size() == chats * perChat + 20);

    assertThat(publishFailures).isEmpty();
    assertThat(signal.degraded.get()).isPositive();
    assertThat(inProcess.get()).as("entries delivered in-process during the outage").isPositive();
    assertThat(afterIds).allMatch(id -> id.contains("-"), "stream ids: back on Redis");
    assertThat(queue.fallbackPending()).isZero();
    System.out.printf("outage: %d entries, %d handled (%d duplicates), %d in-process, degraded %d, recovered %d%n",
        done.size(), handled.get(), handled.get() - done.size(), inProcess.get(), signal.degraded.get(),
        signal.recovered.get());
  }

  @Test
  void aProcessThatOnlyPublishesHandsWhatItHeldDuringTheOutageToRedisInOrder() throws Exception {
    server = DurableRedis.launch();
    RedisWorkQueueIT.RecordingSignal signal = new RedisWorkQueueIT.RecordingSignal();
    QueueSettings settings = QueueSettings.builder().partitions(2).commandTimeout(Duration.ofMillis(300)).build();
    queue = RedisWorkQueue.create(server.url(), prefix, settings, signal);
    queue.publish("chat-1", "before");

    server.kill();
    for (int i = 0; i < 50; i++) {
      queue.publish("chat-1", "during-" + i);
    }
    assertThat(signal.degraded.get()).isPositive();
    assertThat(queue.fallbackPending()).as("held in memory").isEqualTo(50);
    server.restart();

    waitUntil(30, () -> queue.fallbackPending() == 0);
    io.lettuce.core.RedisClient client = io.lettuce.core.RedisClient.create(server.url());
    try (var connection = client.connect()) {
      String stream = prefix + "queue:" + StreamKeys.of(prefix, settings).partitionOf("chat-1");
      List<String> payloads = connection.sync().xrange(stream, io.lettuce.core.Range.create("-", "+")).stream()
          .map(m -> m.getBody().get("payload")).toList();
      List<String> expected = new java.util.ArrayList<>(List.of("before"));
      for (int i = 0; i < 50; i++) {
        expected.add("during-" + i);
      }
      assertThat(payloads).isEqualTo(expected);
    } finally {
      client.shutdown();
    }
    assertThat(signal.recovered.get()).isPositive();
  }

  /** A private redis-server on a free port that persists every write, so it can be killed and restarted. */
  static final class DurableRedis {
    private final int port;
    private final Path dir;
    private Process process;

    private DurableRedis(int port, Path dir) {
      this.port = port;
      this.dir = dir;
    }

    static DurableRedis launch() throws IOException {
      int port;
      try (ServerSocket s = new ServerSocket(0)) {
        port = s.getLocalPort();
      }
      DurableRedis r = new DurableRedis(port, Files.createTempDirectory("tgsupport-queue-redis"));
      r.startProcess();
      return r;
    }

    String url() {
      return "redis://127.0.0.1:" + port;
    }

    /** Starts the server again on the same port; it reloads what it had from its append-only file. */
    void restart() {
      startProcess();
    }

    private void startProcess() {
      try {
        process = new ProcessBuilder("/usr/bin/redis-server", "--port", Integer.toString(port), "--bind",
            "127.0.0.1", "--save", "", "--appendonly", "yes", "--appendfsync", "always", "--dir", dir.toString())
            .redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!answersPing()) {
          if (System.nanoTime() > deadline || !process.isAlive()) {
            throw new IllegalStateException("redis-server did not start: " + Files.readString(dir.resolve(
                "redis.log")));
          }
          Thread.sleep(20);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }

    private boolean answersPing() {
      try (Socket s = new Socket("127.0.0.1", port)) {
        s.setSoTimeout(1000);
        s.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
        byte[] buf = new byte[64];
        int n = s.getInputStream().read(buf);
        return n > 0 && new String(buf, 0, n, StandardCharsets.US_ASCII).startsWith("+PONG");
      } catch (IOException notYet) {
        return false;
      }
    }

    /** SIGKILL, like a crash; with fsync always nothing acknowledged is lost. */
    void kill() {
      if (process != null) {
        process.destroyForcibly();
        try {
          process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }
  }
}
