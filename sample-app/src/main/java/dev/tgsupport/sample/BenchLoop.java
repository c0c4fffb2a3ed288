package dev.tgsupport.sample;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The timing loop of the storage and pipeline benchmarks: worker threads, started together, take message indexes
 * from their source and time each message; the first failure stops them all.
 */
final class BenchLoop {
  private BenchLoop() {}

  /** One message's work, called from many threads. */
  interface Step {
    void handle(int index) throws Exception;
  }

  /** Where one worker takes its next message index from; -1 when it has none left. Called by that worker only. */
  interface Source {
    int next();
  }

  /** Latencies in nanoseconds, in message order, and the wall time of the whole run. */
  record Timing(long[] latencies, long wallNanos) {
    double rate() {
      return latencies.length * 1e9 / wallNanos;
    }

    double percentileMs(double q) {
      long[] sorted = latencies.clone();
      Arrays.sort(sorted);
      int rank = (int) Math.ceil(q * sorted.length);
      return sorted[Math.max(0, rank - 1)] / 1e6;
    }
  }

  /** Every run's latencies together, over their summed wall time: for percentiles across rounds. */
  static Timing pooled(List<Timing> runs) {
    long[] all = runs.stream().flatMapToLong(r -> Arrays.stream(r.latencies())).toArray();
    return new Timing(all, Math.max(1, runs.stream().mapToLong(Timing::wallNanos).sum()));
  }

  /** The median of the runs' rates (the mean of the middle two for an even count); 0 for no runs. */
  static double medianRate(List<Timing> runs) {
    double[] rates = runs.stream().mapToDouble(Timing::rate).sorted().toArray();
    int n = rates.length;
    if (n == 0) {
      return 0;
    }
    return n % 2 == 1 ? rates[n / 2] : (rates[n / 2 - 1] + rates[n / 2]) / 2;
  }

  /** {@code threads} sources that share one counter: each message goes to whichever worker is free first. */
  static List<Source> shared(int messages, int threads) {
    AtomicInteger next = new AtomicInteger();
    List<Source> sources = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      sources.add(() -> {
        int i = next.getAndIncrement();
        return i < messages ? i : -1;
      });
    }
    return sources;
  }

  /** One source per list: each worker takes its own indexes, in order. */
  static List<Source> partitioned(List<List<Integer>> partitions) {
    List<Source> sources = new ArrayList<>();
    for (List<Integer> mine : partitions) {
      int[] position = {0};
      sources.add(() -> position[0] < mine.size() ? mine.get(position[0]++) : -1);
    }
    return sources;
  }

  /**
   * Runs messages {@code 0..messages-1} on one worker thread per source (named {@code bench-<name>-N}) and returns
   * their latencies and the wall time.
   *
   * @throws IllegalStateException naming {@code name} when a step failed (its exception is the cause)
   */
  static Timing run(String name, int messages, List<Source> sources, Step step) throws InterruptedException {
    long[] latencies = new long[messages];
    AtomicReference<Exception> failure = new AtomicReference<>();
    AtomicBoolean stop = new AtomicBoolean();
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < sources.size(); t++) {
      Source source = sources.get(t);
      Thread thread = new Thread(() -> {
        try {
          start.await();
        } catch (InterruptedException e) {
          return;
        }
        for (int i = source.next(); i >= 0 && !stop.get(); i = source.next()) {
          long t0 = System.nanoTime();
          try {
            step.handle(i);
          } catch (Exception e) {
            failure.compareAndSet(null, e);
            stop.set(true);
            return;
          }
          latencies[i] = System.nanoTime() - t0;
        }
      }, "bench-" + name.replace(' ', '-') + "-" + t);
      thread.setDaemon(true);
      thread.start();
      workers.add(thread);
    }
    long t0 = System.nanoTime();
    start.countDown();
    for (Thread thread : workers) {
      thread.join();
    }
    long wall = System.nanoTime() - t0;
    if (failure.get() != null) {
      throw new IllegalStateException(name + " failed: " + failure.get().getMessage(), failure.get());
    }
    return new Timing(latencies, Math.max(1, wall));
  }
}
