package dev.tgsupport.kaiten;

import static dev.tgsupport.core.InvalidInputException.requireNonNull;

import com.sun.net.httpserver.HttpHandler;
import dev.tgsupport.core.BotException;
import dev.tgsupport.core.InvalidInputException;
import dev.tgsupport.core.knowledge.KnowledgeBase;
import dev.tgsupport.core.port.ReplyGateway;
import dev.tgsupport.core.port.TicketTracker;
import dev.tgsupport.core.port.Transactions;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kaiten ticket bridge: creates one Kaiten card per ticket from the outbox the pipeline's ticket stage writes,
 * adds users' follow-ups as comments, and brings staff replies and resolutions back to the chat (by webhook and by a
 * reconciliation poller), drafting knowledge entries from resolved tickets. An archived or deleted card closes its
 * ticket, and a card the bridge resolved or closed that staff move back to a live column reopens it; the user is told
 * each time.
 *
 * <pre>{@code
 * KaitenBridge bridge = KaitenBridge.builder()
 *     .config(KaitenConfig.builder().baseUrl("https://acme.kaiten.ru").token(System.getenv("KAITEN_TOKEN"))
 *         .boardId(101).columnId(1001).build())
 *     .transactions(storage)            // the same storage the pipeline writes tickets and outbox rows to
 *     .replies(telegramGateway)         // staff replies go to users through it
 *     .knowledge(knowledgeBase)         // optional: drafts from resolved tickets
 *     .callListener(call -> ...)        // optional: every API call, for metrics
 *     .build();
 * bridge.start();                                                   // outbox worker + poller threads
 * httpServer.createContext("/kaiten/webhook/" + secret, bridge.webhookHandler(secret));   // optional
 * ...
 * bridge.close();
 * }</pre>
 *
 * <p><b>Guarantees.</b> Each ticket gets exactly one card, across crashes, timeouts and lost answers (the card's
 * {@code external_id} is the ticket key and is looked up before any create). Staff replies and resolution notices
 * reach the user at least once. Failing outbox rows are retried with exponential backoff and jitter and parked after
 * {@link Builder#maxAttempts} attempts ({@code OutboxStore.listParked}). Every run writes a {@code sync_log} row
 * (integration {@code kaiten}, kind {@code outbox}, {@code poll} or {@code webhook}).
 *
 * <p><b>Threads.</b> {@link #start()} starts two daemon threads (outbox, poll) and {@link #webhookHandler} syncs on
 * a third; {@link #close()} stops them. {@link #drainOutboxOnce()} and {@link #syncOnce()} run one pass on the
 * caller's thread, for tests and CLI commands, with or without {@code start()}. Thread-safe; one per application.
 */
public final class KaitenBridge implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(KaitenBridge.class);
  /** The shortest webhook secret accepted: 128 bits of base64. */
  public static final int MIN_SECRET_LENGTH = 22;

  private final KaitenConfig config;
  private final KaitenClient client;
  private final OutboxWorker worker;
  private final KaitenSync sync;
  private final Duration drainInterval;
  private final int batch;
  private final Duration webhookDedupeWindow;
  private final ThreadPoolExecutor webhookExecutor;
  private ScheduledExecutorService scheduler;
  private volatile boolean closed;

  private KaitenBridge(Builder b) {
    this.config = b.config;
    this.client = b.client != null ? b.client
        : new KaitenClient(b.config, KaitenClient.Tuning.defaults(), b.callListener);
    TicketTracker tracker = b.tracker != null ? b.tracker : new KaitenTicketTracker(b.config, client);
    SyncRuns runs = new SyncRuns(b.transactions, b.clock);
    this.worker = new OutboxWorker(b.transactions, tracker, b.clock,
        new OutboxWorker.Options(b.batch, b.lease, b.maxAttempts, b.backoffBase, b.backoffMax), runs);
    this.sync = new KaitenSync(b.config, client, b.transactions, b.replies, b.knowledge, b.clock, runs);
    this.drainInterval = b.drainInterval;
    this.batch = b.batch;
    this.webhookDedupeWindow = b.webhookDedupeWindow;
    AtomicInteger n = new AtomicInteger();
    // One thread, a bounded queue: a burst of events beyond it is dropped, and the poller catches up.
    this.webhookExecutor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(1000),
        r -> daemon(r, "kaiten-webhook-" + n.incrementAndGet()));
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A random URL-safe secret of 32 characters (192 bits) for {@link #webhookHandler}. */
  public static String newWebhookSecret() {
    byte[] bytes = new byte[24];
    new SecureRandom().nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** Starts the outbox worker (every drain interval) and the poller (every {@link KaitenConfig#pollInterval()}). */
  public synchronized void start() {
    if (closed) {
      throw new IllegalStateException("the Kaiten bridge is closed");
    }
    if (scheduler != null) {
      return;
    }
    AtomicInteger n = new AtomicInteger();
    ScheduledThreadPoolExecutor s = new ScheduledThreadPoolExecutor(2,
        r -> daemon(r, "kaiten-bridge-" + n.incrementAndGet()));
    s.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    s.scheduleWithFixedDelay(() -> guarded("outbox", this::drainUntilIdle), 0, drainInterval.toMillis(),
        TimeUnit.MILLISECONDS);
    s.scheduleWithFixedDelay(() -> guarded("poll", sync::poll), 0, config.pollInterval().toMillis(),
        TimeUnit.MILLISECONDS);
    scheduler = s;
    log.info("Kaiten bridge started: {}", config);
  }

  /** Claims and handles one batch of due outbox rows; returns how many rows were claimed. */
  public int drainOutboxOnce() {
    return worker.drainOnce();
  }

  /** One reconciliation pass over the board; returns how many changes reached storage or users. */
  public int syncOnce() {
    return sync.poll();
  }

  /**
   * Syncs one card now, as a webhook does: re-reads it through the API. For the CLI ({@code tickets sync}) and
   * tests. Returns the number of changes made.
   */
  public int syncCard(long cardId) {
    return sync.syncCardById(cardId, "webhook");
  }

  /**
   * An {@link HttpHandler} for Kaiten's external webhook, to mount on the application's own
   * {@link com.sun.net.httpserver.HttpServer} at {@code /kaiten/webhook/<secret>}: register that URL (HTTPS) in the
   * Kaiten space's settings. Requests whose path does not end in exactly that get 404; a body over 256 KiB gets
   * 413, one that is not a JSON object 400, and the same body within a minute is ignored. The body only says which
   * card changed: the card is re-read through the API on a background thread, after the 200 answer.
   *
   * @param secret at least {@value #MIN_SECRET_LENGTH} URL-safe characters; see {@link #newWebhookSecret()}
   */
  public HttpHandler webhookHandler(String secret) {
    requireNonNull(secret, "kaiten.webhookSecret");
    InvalidInputException.check(secret.length() >= MIN_SECRET_LENGTH && secret.matches("[A-Za-z0-9_-]+"),
        "kaiten.webhookSecret",
        "must be at least " + MIN_SECRET_LENGTH + " URL-safe characters (A-Z a-z 0-9 _ -)",
        secret.length() + " characters, value not shown");
    return new WebhookHandler(secret, webhookExecutor, id -> sync.syncCardById(id, "webhook"), webhookDedupeWindow);
  }

  /** Checks the token, the board and its columns; never throws for Kaiten failures, it reports them. */
  public KaitenCheck check() {
    List<String> problems = new ArrayList<>();
    String tokenUser = null;
    String board = null;
    List<String> columns = new ArrayList<>();
    List<Long> done = new ArrayList<>();
    try {
      User u = client.currentUser();
      tokenUser = u.displayName() + " (" + u.username() + ", id " + u.id() + ")";
    } catch (BotException e) {
      problems.add("token: " + e.getMessage());
    }
    if (tokenUser != null) {
      try {
        Board b = client.getBoard(config.boardId());
        board = b.title() + " (id " + b.id() + ")";
        BoardColumns cols = client.refreshColumns(config.boardId());
        for (Column c : cols.columns()) {
          columns.add(c.id() + " " + c.title() + " (type " + c.type() + (c.isSubColumn() ? ", sub-column" : "")
              + ")");
          if (cols.isDoneColumn(c.id())) {
            done.add(c.id());
          }
        }
        if (cols.find(config.columnId()).isEmpty()) {
          problems.add("column " + config.columnId() + " (kaiten.columnId) is not on board " + config.boardId());
        }
        if (done.isEmpty()) {
          problems.add("board " + config.boardId() + " has no done column (type 3): tickets would never resolve");
        }
      } catch (BotException e) {
        problems.add("board " + config.boardId() + ": " + e.getMessage());
      }
    }
    return new KaitenCheck(problems.isEmpty(), tokenUser, board, columns, done, problems);
  }

  /** Stops the threads; a pass in progress finishes its current row. Idempotent. */
  @Override
  public synchronized void close() {
    closed = true;
    if (scheduler != null) {
      scheduler.shutdownNow();
    }
    webhookExecutor.shutdownNow();
    try {
      if (scheduler != null) {
        scheduler.awaitTermination(5, TimeUnit.SECONDS);
      }
      webhookExecutor.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Waits until queued webhook syncs ran; for tests. */
  boolean awaitWebhookIdle(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (webhookExecutor.getActiveCount() > 0 || !webhookExecutor.getQueue().isEmpty()) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(5);
    }
    return true;
  }

  private void drainUntilIdle() {
    // Full batches mean a backlog: keep going rather than waiting a whole interval per batch.
    while (!closed && !Thread.currentThread().isInterrupted() && worker.drainOnce() >= batch) {
      // a full batch: there may be more
    }
  }

  private static void guarded(String what, Runnable task) {
    try {
      task.run();
    } catch (RuntimeException e) {
      // A scheduled task that throws is never run again: log and keep the schedule alive.
      log.warn("Kaiten {} run failed: {}", what, e.getMessage());
    }
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  @Override
  public String toString() {
    return "KaitenBridge{" + config + "}";
  }

  /** Collects the bridge's collaborators and options. Not thread-safe; build on one thread. */
  public static final class Builder {
    private KaitenConfig config;
    private Transactions transactions;
    private ReplyGateway replies;
    private KnowledgeBase knowledge;
    private Clock clock = Clock.systemUTC();
    private int batch = OutboxWorker.Options.defaults().batch();
    private Duration lease = OutboxWorker.Options.defaults().lease();
    private int maxAttempts = OutboxWorker.Options.defaults().maxAttempts();
    private Duration backoffBase = OutboxWorker.Options.defaults().backoffBase();
    private Duration backoffMax = OutboxWorker.Options.defaults().backoffMax();
    private Duration drainInterval = Duration.ofSeconds(1);
    private Duration webhookDedupeWindow = Duration.ofMinutes(1);
    private KaitenCallListener callListener = KaitenCallListener.NONE;
    private KaitenClient client;
    private TicketTracker tracker;

    private Builder() {}

    /** Where Kaiten is and where cards go. Required. */
    public Builder config(KaitenConfig config) {
      this.config = requireNonNull(config, "kaiten.config");
      return this;
    }

    /** The storage the pipeline writes tickets and outbox rows to. Required. */
    public Builder transactions(Transactions transactions) {
      this.transactions = requireNonNull(transactions, "kaiten.transactions");
      return this;
    }

    /** Sends staff replies and resolution notices to users. Required. */
    public Builder replies(ReplyGateway replies) {
      this.replies = requireNonNull(replies, "kaiten.replies");
      return this;
    }

    /** Where resolved tickets become draft entries; without it no drafts are made. */
    public Builder knowledge(KnowledgeBase knowledge) {
      this.knowledge = requireNonNull(knowledge, "kaiten.knowledge");
      return this;
    }

    /** The clock of outbox due times and sync_log rows. Default: system UTC. */
    public Builder clock(Clock clock) {
      this.clock = requireNonNull(clock, "kaiten.clock");
      return this;
    }

    /** Outbox rows claimed per pass, 1 to 1000. Default 20. */
    public Builder outboxBatch(int batch) {
      InvalidInputException.check(batch >= 1 && batch <= 1000, "kaiten.outboxBatch", "must be 1..1000", batch);
      this.batch = batch;
      return this;
    }

    /**
     * How long a claimed row stays invisible to other workers; a crashed worker's row comes back after it. Must
     * exceed two request timeouts (the look-up and the create). Default 2 minutes.
     */
    public Builder outboxLease(Duration lease) {
      this.lease = positive(lease, "kaiten.outboxLease");
      return this;
    }

    /** Attempts before a row is parked, 1 to 100. Default 8. */
    public Builder maxAttempts(int maxAttempts) {
      InvalidInputException.check(maxAttempts >= 1 && maxAttempts <= 100, "kaiten.maxAttempts", "must be 1..100",
          maxAttempts);
      this.maxAttempts = maxAttempts;
      return this;
    }

    /** First retry delay (doubled per attempt, with jitter) and the longest. Default 5 seconds and 10 minutes. */
    public Builder backoff(Duration base, Duration max) {
      this.backoffBase = positive(base, "kaiten.backoffBase");
      this.backoffMax = positive(max, "kaiten.backoffMax");
      InvalidInputException.check(max.compareTo(base) >= 0, "kaiten.backoffMax", "must be >= the base " + base, max);
      return this;
    }

    /** How often the started bridge looks for due outbox rows. Default 1 second. */
    public Builder drainInterval(Duration interval) {
      this.drainInterval = positive(interval, "kaiten.drainInterval");
      return this;
    }

    /** How long an identical webhook body is ignored. Default 1 minute. */
    public Builder webhookDedupeWindow(Duration window) {
      this.webhookDedupeWindow = positive(window, "kaiten.webhookDedupeWindow");
      return this;
    }

    /**
     * Told about every call to Kaiten's API (operation, duration, attempts, error), for metrics: {@code bot-metrics}
     * times them as client {@code kaiten}. Default: none.
     */
    public Builder callListener(KaitenCallListener listener) {
      this.callListener = requireNonNull(listener, "kaiten.callListener");
      return this;
    }

    // For tests: a client with fast retries, or a tracker that fails on purpose.
    Builder client(KaitenClient client) {
      this.client = client;
      return this;
    }

    Builder tracker(TicketTracker tracker) {
      this.tracker = tracker;
      return this;
    }

    /** @throws dev.tgsupport.core.InvalidInputException naming a missing collaborator */
    public KaitenBridge build() {
      requireNonNull(config, "kaiten.config");
      requireNonNull(transactions, "kaiten.transactions");
      requireNonNull(replies, "kaiten.replies");
      return new KaitenBridge(this);
    }

    private static Duration positive(Duration d, String field) {
      requireNonNull(d, field);
      InvalidInputException.check(!d.isNegative() && !d.isZero(), field, "must be positive", d);
      return d;
    }
  }
}
