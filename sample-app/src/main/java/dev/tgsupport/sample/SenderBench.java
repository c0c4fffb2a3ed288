package dev.tgsupport.sample;

import dev.tgsupport.core.model.OutgoingMessage;
import dev.tgsupport.core.port.RateLimiter.Limit;
import dev.tgsupport.core.port.ReplyGateway;
import dev.tgsupport.telegram.SendLimits;
import dev.tgsupport.telegram.TelegramAdapter;
import dev.tgsupport.telegram.fake.FakeTelegramServer;
import dev.tgsupport.telegram.fake.Limits;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The sender benchmark: many threads answer many private chats at once through the adapter's rate-limited sender,
 * against an in-process fake Telegram that enforces Telegram's flood control. A good sender goes as fast as the global
 * limit allows and never earns a 429.
 */
final class SenderBench {
  /** More threads than this add contention, not throughput: a chat sends at most one message a second anyway. */
  static final int MAX_THREADS = 64;
  static final long FIRST_CHAT_ID = 1_000_001;

  /**
   * What to run.
   *
   * @param limitPerSecond the sender's global limit, and the fake's
   */
  record Settings(int messages, int chats, int limitPerSecond) {
    int threads() {
      return Math.min(chats, MAX_THREADS);
    }
  }

  /**
   * What came out.
   *
   * @param elapsedNanos from the start of the first send to the end of the last
   * @param maxPerChatPerSecond the most messages one chat got within any second, as the fake saw it
   */
  record Result(Settings settings, int sent, long elapsedNanos, long http429, int maxPerChatPerSecond, int failed,
      String firstFailure, long violationsDuringRetryAfter, int maxGlobalPerSecond, long[] sentAt) {

    double sentPerSecond() {
      return elapsedNanos <= 0 ? 0 : sent / (elapsedNanos / 1e9);
    }

    /**
     * Where the time went, for stderr: the rate of the first 90 % of the answers against the time the rest took.
     * A long tail means some chats fell behind while the others finished (each chat gets one answer a second at
     * most), not that the sender slowed down.
     */
    String pace() {
      int n = sentAt.length;
      int bulk = (int) Math.ceil(n * 0.9);
      if (n < 10 || bulk >= n) {
        return "";
      }
      long[] t = sentAt.clone();
      Arrays.sort(t);
      double bulkSeconds = (t[bulk - 1] - t[0]) / 1e9;
      double tailSeconds = (t[n - 1] - t[bulk - 1]) / 1e9;
      return String.format(Locale.ROOT, "the first %d answers went out at %.2f/s; the last %d took %.2f s more",
          bulk, (bulk - 1) / bulkSeconds, n - bulk, tailSeconds);
    }

    /** The {@code key: value} lines of stdout. */
    List<String> lines() {
      return List.of(
          "messages: " + settings.messages(),
          "chats: " + settings.chats(),
          "limit_per_s: " + settings.limitPerSecond(),
          String.format(Locale.ROOT, "elapsed_s: %.3f", elapsedNanos / 1e9),
          String.format(Locale.ROOT, "sent_per_s: %.2f", sentPerSecond()),
          "http_429: " + http429,
          "max_per_chat_per_s: " + maxPerChatPerSecond);
    }
  }

  private final Settings settings;
  private final PrintWriter err;

  SenderBench(Settings settings, PrintWriter err) {
    this.settings = settings;
    this.err = err;
  }

  /** The fake's flood control: Telegram's defaults with the global rate at the limit (and its default burst). */
  static Limits fakeLimits(int limitPerSecond) {
    return Limits.telegramDefaults().withGlobal(Limits.Rate.of(limitPerSecond, Duration.ofSeconds(1)));
  }

  /** The sender's pace: the SDK's Telegram defaults with the global limit at L per second. */
  static SendLimits senderLimits(int limitPerSecond) {
    SendLimits defaults = SendLimits.telegramDefaults();
    return defaults.withGlobal(new Limit(limitPerSecond, Duration.ofSeconds(1), defaults.global().burst()));
  }

  /**
   * Which messages each thread sends, in order, as global message numbers: message {@code i} goes to chat
   * {@code i % chats}, and a chat always belongs to the same thread, so one chat's answers go out one after the other,
   * as the adapter's dispatcher (one worker per chat) sends them.
   */
  static List<List<Integer>> plan(Settings s) {
    List<List<Integer>> perThread = new ArrayList<>();
    for (int t = 0; t < s.threads(); t++) {
      perThread.add(new ArrayList<>());
    }
    for (int i = 0; i < s.messages(); i++) {
      perThread.get(i % s.chats() % s.threads()).add(i);
    }
    return perThread;
  }

  static long chatOf(int message, Settings s) {
    return FIRST_CHAT_ID + message % s.chats();
  }

  Result run() throws InterruptedException {
    try (FakeTelegramServer fake = FakeTelegramServer.builder().limits(fakeLimits(settings.limitPerSecond())).start();
        TelegramAdapter adapter = TelegramAdapter.builder()
            .token(fake.token())
            .apiUrl(fake.baseUrl())
            .sendLimits(senderLimits(settings.limitPerSecond()))
            .build()) {
      // Checks the wiring and opens the first connection before anything is timed.
      adapter.getMe();
      return send(adapter.sender(), fake);
    }
  }

  private Result send(ReplyGateway sender, FakeTelegramServer fake) throws InterruptedException {
    List<List<Integer>> plan = plan(settings);
    CountDownLatch go = new CountDownLatch(1);
    AtomicLong first = new AtomicLong(Long.MAX_VALUE);
    AtomicLong last = new AtomicLong(Long.MIN_VALUE);
    AtomicInteger sent = new AtomicInteger();
    long[] sentAt = new long[settings.messages()];
    AtomicInteger failed = new AtomicInteger();
    AtomicReference<String> firstFailure = new AtomicReference<>();
    AtomicInteger seq = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(plan.size(), r -> {
      Thread t = new Thread(r, "bench-sender-" + seq.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    for (List<Integer> messages : plan) {
      pool.execute(() -> {
        try {
          go.await();
          for (int i : messages) {
            long chat = chatOf(i, settings);
            long started = System.nanoTime();
            try {
              sender.send(OutgoingMessage.to(chat, "Bench answer " + (i / settings.chats() + 1) + " to chat " + chat));
              long now = System.nanoTime();
              sentAt[sent.getAndIncrement()] = now;
              first.accumulateAndGet(started, Math::min);
              last.accumulateAndGet(now, Math::max);
            } catch (RuntimeException e) {
              failed.incrementAndGet();
              firstFailure.compareAndSet(null, e.getClass().getSimpleName() + ": " + e.getMessage());
            }
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
    }
    err.println("bench: sending with " + plan.size() + " threads ...");
    err.flush();
    go.countDown();
    pool.shutdown();
    // Generous: at the limit the run takes messages / limit seconds, and a sender that earns 429s waits more.
    long budget = 120 + 4L * settings.messages() / settings.limitPerSecond();
    if (!pool.awaitTermination(budget, TimeUnit.SECONDS)) {
      pool.shutdownNow();
      throw new TgSupportCli.CliFailure("the sends did not finish within " + budget + " s");
    }
    long elapsed = sent.get() == 0 ? 0 : last.get() - first.get();
    return new Result(settings, sent.get(), elapsed, fake.http429(), fake.maxPerChatPerSecond(), failed.get(),
        firstFailure.get(), fake.violationsDuringRetryAfter(), fake.maxGlobalPerSecond(),
        Arrays.copyOf(sentAt, sent.get()));
  }
}
