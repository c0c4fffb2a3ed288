package dev.tgsupport.redis;

import dev.tgsupport.core.port.RateLimiter;
import dev.tgsupport.core.port.RateLimiter.Limit;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The other process of {@link RateLimiterTwoProcessesIT}: hammers one limit from several threads from a given wall
 * clock moment for a given time, then prints the wall-clock microsecond of each grant, one per line, and a summary.
 *
 * <p>Arguments: url, key prefix, key, threads, permits, period ms, burst, start epoch ms, duration ms.
 */
public final class LimiterHammer {
  private LimiterHammer() {}

  public static void main(String[] args) throws Exception {
    String url = args[0];
    String prefix = args[1];
    String key = args[2];
    int threads = Integer.parseInt(args[3]);
    Limit limit = new Limit(Integer.parseInt(args[4]), Duration.ofMillis(Long.parseLong(args[5])),
        Integer.parseInt(args[6]));
    long startAt = Long.parseLong(args[7]);
    long duration = Long.parseLong(args[8]);
    try (RedisSupport redis =
        RedisSupport.builder().url(url).keyPrefix(prefix).commandTimeout(Duration.ofSeconds(5)).build()) {
      Result r = hammer(redis.rateLimiter(), key, limit, threads, startAt, duration);
      StringBuilder out = new StringBuilder();
      for (long g : r.grants()) {
        out.append("G ").append(g).append('\n');
      }
      out.append("DONE ").append(r.calls()).append(' ').append(r.grants().size()).append(' ')
          .append(redis.isDegraded()).append('\n');
      System.out.print(out);
      System.out.flush();
    }
  }

  record Result(long calls, List<Long> grants) {}

  /** Runs {@code threads} threads calling {@code tryAcquire} in a tight loop; grants are wall-clock µs. */
  static Result hammer(RateLimiter limiter, String key, Limit limit, int threads, long startAtEpochMs,
      long durationMs) throws InterruptedException {
    ConcurrentLinkedQueue<Long> grants = new ConcurrentLinkedQueue<>();
    long[] calls = new long[threads];
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int id = t;
      Thread w = new Thread(() -> {
        long wait = startAtEpochMs - System.currentTimeMillis();
        if (wait > 0) {
          RedisServerProcess.sleep(wait);
        }
        long end = startAtEpochMs + durationMs;
        while (System.currentTimeMillis() < end) {
          calls[id]++;
          if (limiter.tryAcquire(key, limit).isZero()) {
            grants.add(nowMicros());
          }
        }
      }, "hammer-" + t);
      w.start();
      workers.add(w);
    }
    for (Thread w : workers) {
      w.join();
    }
    long total = 0;
    for (long c : calls) {
      total += c;
    }
    return new Result(total, new ArrayList<>(grants));
  }

  static long nowMicros() {
    java.time.Instant now = java.time.Instant.now();
    return now.getEpochSecond() * 1_000_000 + now.getNano() / 1_000;
  }
}
