package dev.tgsupport.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tgsupport.core.port.Cache;
import dev.tgsupport.core.port.RateLimiter.Limit;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Measures the Redis round trips of each decision on a private redis-server with {@code MONITOR}, which shows every
 * command a client sent, and the commands a script ran inside Redis marked {@code [.. lua]}: the client's lines are
 * the round trips. {@code INFO commandstats} deltas show what Redis executed in all. Writes
 * {@code target/redis-round-trips.txt}.
 */
class RoundTripsIT {
  private static final int N = 500;

  private RedisServerProcess server;
  private RedisSupport redis;
  private RedisClient rawClient;
  private RedisCommands<String, String> raw;
  private Socket monitor;
  private final List<String> monitored = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws IOException {
    server = RedisServerProcess.start();
    redis = RedisSupport.builder().url(server.url()).build();
    rawClient = RedisClient.create(server.url());
    StatefulRedisConnection<String, String> c = rawClient.connect();
    raw = c.sync();
    monitor = new Socket("127.0.0.1", server.port());
    monitor.getOutputStream().write("MONITOR\r\n".getBytes(StandardCharsets.US_ASCII));
    BufferedReader in =
        new BufferedReader(new InputStreamReader(monitor.getInputStream(), StandardCharsets.UTF_8));
    assertThat(in.readLine()).isEqualTo("+OK");
    Thread reader = new Thread(() -> {
      try {
        for (String line = in.readLine(); line != null; line = in.readLine()) {
          monitored.add(line);
        }
      } catch (IOException closed) {
        // the test is over
      }
    }, "monitor");
    reader.setDaemon(true);
    reader.start();
  }

  @AfterEach
  void stop() throws IOException {
    monitor.close();
    redis.close();
    rawClient.shutdown();
    server.close();
  }

  private record Measured(String operation, double roundTrips, String clientCommands, String executed,
      double micros) {}

  /** Runs {@code op} N times between two markers and counts what MONITOR and commandstats saw. */
  private Measured measure(String operation, LongConsumer op) {
    String marker = "marker-" + operation;
    raw.configResetstat();
    raw.echo(marker + "-start");
    long t = System.nanoTime();
    for (long i = 0; i < N; i++) {
      op.accept(i);
    }
    double micros = (System.nanoTime() - t) / 1_000.0 / N;
    Map<String, Long> stats = commandStats();
    raw.echo(marker + "-end");
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (monitored.stream().noneMatch(l -> l.contains(marker + "-end"))) {
      assertThat(System.nanoTime()).as("MONITOR saw the end marker").isLessThan(deadline);
      RedisServerProcess.sleep(10);
    }
    List<String> between = new ArrayList<>();
    boolean in = false;
    for (String line : monitored) {
      if (line.contains(marker + "-start")) {
        in = true;
      } else if (line.contains(marker + "-end")) {
        break;
      } else if (in && !line.contains(" lua]") && !line.contains("\"config|resetstat\"")
          && !line.contains("\"INFO\"") && !line.contains("\"info\"")) {
        between.add(line);
      }
    }
    Map<String, Long> byCommand = new TreeMap<>();
    for (String line : between) {
      String cmd = line.substring(line.indexOf("] \"") + 3);
      cmd = cmd.substring(0, cmd.indexOf('"')).toUpperCase();
      byCommand.merge(cmd, 1L, Long::sum);
    }
    Map<String, Long> executed = new TreeMap<>();
    stats.forEach((cmd, calls) -> {
      if (!cmd.equals("config|resetstat") && !cmd.equals("echo")) {
        executed.put(cmd, calls);
      }
    });
    return new Measured(operation, between.size() / (double) N, perDecision(byCommand), perDecision(executed),
        micros);
  }

  private static String perDecision(Map<String, Long> counts) {
    StringBuilder s = new StringBuilder();
    counts.forEach((cmd, n) -> s.append(s.isEmpty() ? "" : " + ").append(String.format("%.3f %s", n / (double) N,
        cmd.toUpperCase())));
    return s.toString();
  }

  private Map<String, Long> commandStats() {
    Map<String, Long> out = new LinkedHashMap<>();
    for (String line : raw.info("commandstats").split("\r?\n")) {
      if (line.startsWith("cmdstat_")) {
        String cmd = line.substring(8, line.indexOf(':'));
        String calls = line.substring(line.indexOf("calls=") + 6, line.indexOf(','));
        if (!cmd.equals("info")) {
          out.put(cmd, Long.parseLong(calls));
        }
      }
    }
    return out;
  }

  @Test
  void everyDecisionIsOneRoundTrip() throws IOException {
    Cache<String, String> cache = redis.cache("answers", RedisSupport.Codec.string());
    // Warm up: the first script calls load the scripts (EVALSHA answered NOSCRIPT, then EVAL).
    redis.rateLimiter().tryAcquire("warm", Limit.perSecond(1));
    redis.floodCounter().record(0, 0, 0, 0, Duration.ofSeconds(1));

    List<Measured> results = List.of(
        measure("rate limit (granted or not)", i -> redis.rateLimiter().tryAcquire("chat:" + i % 7,
            Limit.perSecond(30))),
        measure("flood count", i -> redis.floodCounter().record(-100, i % 13, i, i % 3, Duration.ofSeconds(60))),
        measure("dedup claim", i -> redis.deduplicator().firstSeen("update:" + i % 250, Duration.ofMinutes(10))),
        measure("dedup release", i -> redis.deduplicator().release("update:" + i)),
        measure("cache put", i -> cache.put("q" + i, "answer " + i, Duration.ofMinutes(5))),
        measure("cache get", i -> cache.get("q" + i % 700)),
        measure("dialog put", i -> redis.dialogStates().put(1, i, "waiting", Duration.ofMinutes(15))),
        measure("dialog get", i -> redis.dialogStates().get(1, i)),
        measure("dialog clear", i -> redis.dialogStates().clear(1, i)));

    raw.scriptFlush();
    Measured afterFlush = measure("rate limit after SCRIPT FLUSH", i -> redis.rateLimiter().tryAcquire("chat:x",
        Limit.perSecond(30)));

    StringBuilder report = new StringBuilder(String.format(
        "Redis round trips per decision (%d decisions each, MONITOR on a private redis-server)%n", N));
    report.append(String.format("%-32s %7s  %-34s %-58s %8s%n", "operation", "trips", "client sends",
        "Redis executes (commandstats)", "µs/call"));
    List<Measured> all = new ArrayList<>(results);
    all.add(afterFlush);
    for (Measured m : all) {
      report.append(String.format("%-32s %7.3f  %-34s %-58s %8.1f%n", m.operation(), m.roundTrips(),
          m.clientCommands(), m.executed(), m.micros()));
    }
    System.out.print(report);
    Path out = Path.of("target", "redis-round-trips.txt");
    try {
      Files.writeString(out, report.toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }

    for (Measured m : results) {
      assertThat(m.roundTrips()).as(m.operation()).isEqualTo(1.0);
    }
    assertThat(results.get(0).clientCommands()).isEqualTo("1.000 EVALSHA");
    assertThat(results.get(1).clientCommands()).isEqualTo("1.000 EVALSHA");
    // After a flush the first call sends the script once more (NOSCRIPT, then EVAL); the rest are single EVALSHAs.
    assertThat(afterFlush.roundTrips()).isEqualTo((N + 1) / (double) N);
    assertThat(redis.isDegraded()).isFalse();
  }
}
