package dev.tgsupport.telegram;

import static dev.tgsupport.core.InvalidInputException.check;
import static dev.tgsupport.core.InvalidInputException.requireNonNull;

import com.pengrad.telegrambot.model.User;
import com.pengrad.telegrambot.model.WebhookInfo;
import com.pengrad.telegrambot.request.DeleteWebhook;
import com.pengrad.telegrambot.request.GetMe;
import com.pengrad.telegrambot.request.GetWebhookInfo;
import com.pengrad.telegrambot.request.SetWebhook;
import com.pengrad.telegrambot.response.GetMeResponse;
import com.pengrad.telegrambot.response.GetWebhookInfoResponse;
import dev.tgsupport.core.BotException;
import dev.tgsupport.core.InvalidInputException;
import dev.tgsupport.core.memory.InMemoryRateLimiter;
import dev.tgsupport.core.pipeline.Pipeline;
import dev.tgsupport.core.port.RateLimiter;
import dev.tgsupport.core.port.Moderator;
import dev.tgsupport.core.port.ReplyGateway;
import dev.tgsupport.core.port.Transactions;
import dev.tgsupport.core.port.WorkQueue;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Telegram side of a bot: a rate-limited {@link ReplyGateway} for the pipeline's answers, and the two ways of
 * receiving updates, long polling and a webhook, both of which acknowledge an update only once its message is stored.
 * Nothing of the underlying client (pengrad's java-telegram-bot-api) appears in this API: errors are the bot-core
 * exceptions.
 *
 * <pre>{@code
 * TelegramAdapter telegram = TelegramAdapter.builder()
 *     .token(System.getenv("TELEGRAM_BOT_TOKEN"))
 *     .transactions(storage)                 // marks blocked users, follows chat migrations, keeps unknown updates
 *     .build();
 * Pipeline pipeline = Pipeline.builder()
 *     .transactions(storage)
 *     .replyGateway(telegram.sender())
 *     .build();
 * telegram.startPolling(pipeline);           // or telegram.startWebhook(pipeline, WebhookServer.builder()...)
 * ...
 * telegram.close();                          // drains messages in flight and confirms the offset
 * }</pre>
 */
public final class TelegramAdapter implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(TelegramAdapter.class);
  // "<bot id>:<secret>" as BotFather issues it; the secret part is 35 characters today, but don't insist on that.
  private static final Pattern TOKEN = Pattern.compile("\\d{1,20}:[A-Za-z0-9_-]{20,200}");
  /** The update types the SDK handles; others are not requested (the setting is sticky on Telegram's side). */
  public static final List<String> DEFAULT_ALLOWED_UPDATES =
      List.of("message", "edited_message", "callback_query", "my_chat_member");

  private final Builder config;
  private final BotApi api;
  private final TelegramSender sender;
  private final TelegramModerator moderator;
  private final String botId;
  private volatile UpdateDispatcher dispatcher;
  private volatile PollingLoop polling;
  private volatile WebhookServer webhook;

  private TelegramAdapter(Builder b) {
    this.config = b;
    this.botId = b.token.substring(0, b.token.indexOf(':'));
    this.api = new BotApi(b.token, b.apiUrl, b.connectTimeout, b.requestTimeout, b.pollTimeoutSeconds + 5);
    this.moderator = new TelegramModerator(api, java.time.Clock.systemUTC());
    this.sender = new TelegramSender(api, b.rateLimiter, b.sendLimits, b.transactions, botId, b.sendMaxWait,
        b.sendMaxAttempts, b.retryBackoff);
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Deletes messages and restricts members in the bot's groups, for
   * {@link dev.tgsupport.core.moderation.SpamModeration}. It needs the bot to be an administrator with the rights
   * "delete messages" and "ban users"; without them every call answers false.
   */
  public Moderator moderator() {
    return moderator;
  }

  /** The rate-limited sender; hand it to {@link Pipeline.Builder#replyGateway}. */
  public ReplyGateway sender() {
    return sender;
  }

  /**
   * Asks Telegram who the bot is; the cheapest check that the token and the API URL work.
   *
   * @throws dev.tgsupport.core.AuthenticationException when the token is rejected
   */
  public BotIdentity getMe() {
    GetMeResponse r = api.execute(new GetMe(), 0);
    User u = r.user();
    return new BotIdentity(u.id(), u.username(), u.firstName(), Boolean.TRUE.equals(u.canReadAllGroupMessages()));
  }

  /**
   * Starts long polling: updates are recorded through the pipeline and the offset confirmed only after that; the
   * pipeline runs on worker threads, one chat always on the same worker. Messages recorded but not answered before
   * the last stop (at most 24 hours old, Telegram's own redelivery horizon) are processed again first.
   *
   * @throws IllegalStateException when already receiving
   */
  public synchronized void startPolling(Pipeline pipeline) {
    UpdateDispatcher d = startDispatcher(pipeline);
    PollingLoop loop = new PollingLoop(api, config.pollTimeoutSeconds, config.pollLimit, config.allowedUpdates,
        config.retryBackoff, config.maxBackoff);
    polling = loop;
    api.setUpdatesListener(loop, new PollingLoop.SinkListener(d), null);
    log.info("long polling started ({} s polls, up to {} updates)", config.pollTimeoutSeconds, config.pollLimit);
  }

  /**
   * Starts the webhook receiver described by {@code server} (its port, path and secret), feeding the pipeline. It
   * does not register the webhook with Telegram: call {@link #setWebhook} once with the public URL.
   */
  public synchronized WebhookServer startWebhook(Pipeline pipeline, WebhookServer.Builder server) {
    UpdateDispatcher d = startDispatcher(pipeline);
    WebhookServer s = server.sink(d).start();
    webhook = s;
    return s;
  }

  private UpdateDispatcher startDispatcher(Pipeline pipeline) {
    Objects.requireNonNull(pipeline, "pipeline");
    if (dispatcher != null) {
      throw new IllegalStateException("this adapter is already receiving updates");
    }
    UpdateDispatcher d = new UpdateDispatcher(pipeline,
        new UpdateMapper(new UpdateMapper.Options(config.acceptBotMessages, config.acceptChannelPosts)), api,
        config.callbackHandler, config.workers, config.workQueue);
    dispatcher = d;
    if (config.workQueue == null) {
      d.recover(Duration.ofHours(24), config.recoverLimit);
    } else if (config.consume) {
      d.startConsuming();
    }
    return d;
  }

  /**
   * Processes updates from the configured {@link Builder#workQueue work queue} without receiving any: a worker
   * instance behind receivers that run elsewhere.
   *
   * @throws IllegalStateException when no work queue is configured, or already started
   */
  public synchronized void startWorker(Pipeline pipeline) {
    if (config.workQueue == null) {
      throw new IllegalStateException("startWorker needs a work queue (TelegramAdapter.Builder.workQueue)");
    }
    startDispatcher(pipeline);
    log.info("worker started on the work queue");
  }

  /** True while long polling runs; false after {@link #close()} or when it stopped on a fatal error. */
  public boolean isPolling() {
    PollingLoop p = polling;
    return p != null && p.isRunning();
  }

  /** Why long polling stopped by itself (409 conflict, 401 token, 404 URL), or null while it runs. */
  public BotException pollingFailure() {
    PollingLoop p = polling;
    return p == null ? null : p.failure();
  }

  /**
   * Registers the webhook with Telegram.
   *
   * @param url the public HTTPS URL Telegram will POST to (ports 443, 80, 88 or 8443)
   * @param secretToken sent back by Telegram in {@code X-Telegram-Bot-Api-Secret-Token}; 1–256 of
   *     {@code A-Z a-z 0-9 _ -}
   */
  public void setWebhook(String url, String secretToken, boolean dropPendingUpdates) {
    InvalidInputException.requireNonBlank(url, "webhook.url");
    URI uri;
    try {
      uri = URI.create(url);
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException("webhook.url", "is not a URL: " + url);
    }
    check("https".equalsIgnoreCase(uri.getScheme()) || "http".equalsIgnoreCase(uri.getScheme()),
        "webhook.url", "must be an https URL", url);
    WebhookServer.validateSecret(secretToken);
    api.execute(new SetWebhook().url(url).secretToken(secretToken).dropPendingUpdates(dropPendingUpdates)
        .allowedUpdates(config.allowedUpdates.toArray(String[]::new)), 0);
    log.info("webhook set to {}", url);
  }

  /** Removes the webhook; Telegram then keeps updates for {@code getUpdates} (polling). */
  public void deleteWebhook(boolean dropPendingUpdates) {
    api.execute(new DeleteWebhook().dropPendingUpdates(dropPendingUpdates), 0);
    log.info("webhook deleted");
  }

  public WebhookStatus webhookInfo() {
    GetWebhookInfoResponse r = api.execute(new GetWebhookInfo(), 0);
    WebhookInfo w = r.webhookInfo();
    Integer errorDate = w.lastErrorDate();
    String[] allowed = w.allowedUpdates();
    return new WebhookStatus(w.url() == null ? "" : w.url(),
        w.pendingUpdateCount() == null ? 0 : w.pendingUpdateCount(),
        errorDate == null || errorDate == 0 ? null : Instant.ofEpochSecond(errorDate),
        w.lastErrorMessage(), w.maxConnections(), allowed == null ? List.of() : Arrays.asList(allowed));
  }

  /**
   * Stops receiving, lets the messages already taken finish (up to the builder's shutdown grace), confirms the
   * polling offset so a restart does not see them again, and releases the HTTP client.
   */
  @Override
  public synchronized void close() {
    PollingLoop p = polling;
    if (p != null) {
      api.removeUpdatesListener();
    }
    WebhookServer w = webhook;
    if (w != null) {
      w.close();
    }
    UpdateDispatcher d = dispatcher;
    if (d != null) {
      d.close(config.shutdownGrace);
    }
    if (p != null) {
      p.confirmOffset();
    }
    api.close();
  }

  /**
   * Stops everything at once, as a killed process would: no draining, no offset confirmation. Messages accepted but
   * not answered stay recorded and unhandled; updates not confirmed come again. For crash tests.
   */
  synchronized void halt() {
    PollingLoop p = polling;
    if (p != null) {
      api.removeUpdatesListener();
    }
    WebhookServer w = webhook;
    if (w != null) {
      w.stop(Duration.ZERO);
    }
    UpdateDispatcher d = dispatcher;
    if (d != null) {
      d.close(Duration.ZERO);
    }
    api.close();
  }

  /** The dispatcher's counters, for tests. */
  UpdateDispatcher.Stats dispatcherStats() {
    UpdateDispatcher d = dispatcher;
    return d == null ? null : d.stats();
  }

  /** What the reply sender did so far, for metrics: messages sent, 429 answers, failures, waits, its queue. */
  public SenderStats senderStats() {
    return sender.stats();
  }

  @Override
  public String toString() {
    return "TelegramAdapter{bot=" + botId + ", api=" + api + "}";
  }

  /** Configuration; only the token is required. */
  public static final class Builder {
    private String token;
    private String apiUrl = "https://api.telegram.org";
    private Transactions transactions;
    private RateLimiter rateLimiter;
    private SendLimits sendLimits = SendLimits.telegramDefaults();
    private Duration connectTimeout = Duration.ofSeconds(10);
    private Duration requestTimeout = Duration.ofSeconds(30);
    private Duration sendMaxWait = Duration.ofMinutes(2);
    private int sendMaxAttempts = 5;
    private Duration retryBackoff = Duration.ofMillis(500);
    private Duration maxBackoff = Duration.ofSeconds(30);
    private int pollTimeoutSeconds = 50;
    private int pollLimit = 100;
    private List<String> allowedUpdates = DEFAULT_ALLOWED_UPDATES;
    private int workers = 8;
    private int recoverLimit = 10_000;
    private boolean acceptBotMessages;
    private boolean acceptChannelPosts;
    private CallbackHandler callbackHandler = CallbackHandler.SILENT;
    private Duration shutdownGrace = Duration.ofSeconds(20);
    private WorkQueue workQueue;
    private boolean consume = true;

    private Builder() {}

    /**
     * Puts received updates on a work queue (a Redis stream shared by several instances) instead of processing them
     * in this process: an update is acknowledged to Telegram once the queue holds it, and consumers record and
     * process it, acknowledging the queue only when the pipeline finished.
     *
     * @param consume whether this instance also consumes the queue after {@code startPolling}/{@code startWebhook};
     *     false for a receiver-only instance
     */
    public Builder workQueue(WorkQueue queue, boolean consume) {
      this.workQueue = requireNonNull(queue, "telegram.workQueue");
      this.consume = consume;
      return this;
    }

    /** The token from BotFather, {@code <bot id>:<secret>}. It never appears in logs, errors or toString. */
    public Builder token(String token) {
      if (token == null || token.isBlank()) {
        throw new InvalidInputException("telegram.token", "is required (set TELEGRAM_BOT_TOKEN)");
      }
      String t = token.strip();
      if (!TOKEN.matcher(t).matches()) {
        // Say what is wrong with its shape, never what it is.
        throw new InvalidInputException("telegram.token", "is malformed: expected <bot id>:<secret> as BotFather "
            + "issues it (" + t.length() + " characters given, " + tokenProblem(t) + ")");
      }
      this.token = t;
      return this;
    }

    /** What is wrong with a token's shape, without quoting any of it. */
    private static String tokenProblem(String t) {
      int colon = t.indexOf(':');
      if (colon < 0) {
        return "no ':'";
      }
      if (colon == 0 || !t.substring(0, colon).chars().allMatch(Character::isDigit)) {
        return "the part before ':' must be the bot's numeric id";
      }
      String secret = t.substring(colon + 1);
      if (secret.length() < 20) {
        return "the part after ':' is too short";
      }
      if (secret.length() > 200) {
        return "the part after ':' is too long";
      }
      return "the part after ':' has characters other than A-Z a-z 0-9 _ -";
    }

    /** The Bot API server, {@code https://api.telegram.org} by default; a self-hosted server or a test fake. */
    public Builder apiUrl(String apiUrl) {
      InvalidInputException.requireNonBlank(apiUrl, "telegram.apiUrl");
      URI uri;
      try {
        uri = URI.create(apiUrl.strip());
      } catch (IllegalArgumentException e) {
        throw new InvalidInputException("telegram.apiUrl", "is not a URL: " + apiUrl);
      }
      check(uri.getScheme() != null && (uri.getScheme().equals("https") || uri.getScheme().equals("http"))
          && uri.getHost() != null, "telegram.apiUrl", "must be an http(s) URL", apiUrl);
      this.apiUrl = apiUrl.strip();
      return this;
    }

    /** Storage, to mark users who blocked the bot, follow chat migrations and keep unknown updates. */
    public Builder transactions(Transactions transactions) {
      this.transactions = transactions;
      return this;
    }

    /** Where send permits come from; in-process by default, Redis to share Telegram's limits among instances. */
    public Builder rateLimiter(RateLimiter rateLimiter) {
      this.rateLimiter = requireNonNull(rateLimiter, "telegram.rateLimiter");
      return this;
    }

    public Builder sendLimits(SendLimits sendLimits) {
      this.sendLimits = requireNonNull(sendLimits, "telegram.sendLimits");
      return this;
    }

    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = positive(timeout, "telegram.connectTimeout");
      return this;
    }

    /** How long one request may take (long polls get their poll timeout on top). */
    public Builder requestTimeout(Duration timeout) {
      this.requestTimeout = positive(timeout, "telegram.requestTimeout");
      return this;
    }

    /** The longest a send may wait for rate limits and 429 pauses before failing with a rate-limited error. */
    public Builder sendMaxWait(Duration maxWait) {
      this.sendMaxWait = positive(maxWait, "telegram.sendMaxWait");
      return this;
    }

    /** Attempts per message part, counting 429s, migrations and retriable failures. */
    public Builder sendMaxAttempts(int attempts) {
      check(attempts >= 1 && attempts <= 20, "telegram.sendMaxAttempts", "must be 1..20", attempts);
      this.sendMaxAttempts = attempts;
      return this;
    }

    /** The first backoff after a failure (doubled each time, with jitter, up to {@code maxBackoff}). */
    public Builder retryBackoff(Duration base, Duration max) {
      this.retryBackoff = positive(base, "telegram.retryBackoff");
      this.maxBackoff = positive(max, "telegram.maxBackoff");
      check(max.compareTo(base) >= 0, "telegram.maxBackoff", "must be >= retryBackoff", max);
      return this;
    }

    /** Seconds a long poll waits for updates (Telegram's {@code timeout}); 50 by default, 0 for short polling. */
    public Builder pollTimeoutSeconds(int seconds) {
      check(seconds >= 0 && seconds <= 600, "telegram.pollTimeoutSeconds", "must be 0..600", seconds);
      this.pollTimeoutSeconds = seconds;
      return this;
    }

    public Builder pollLimit(int limit) {
      check(limit >= 1 && limit <= 100, "telegram.pollLimit", "must be 1..100", limit);
      this.pollLimit = limit;
      return this;
    }

    /** The update types to receive; this setting is remembered by Telegram until changed. */
    public Builder allowedUpdates(List<String> types) {
      requireNonNull(types, "telegram.allowedUpdates");
      this.allowedUpdates = List.copyOf(types);
      return this;
    }

    /** Threads running the pipeline; one chat always uses the same one. */
    public Builder workers(int workers) {
      check(workers >= 1 && workers <= 256, "telegram.workers", "must be 1..256", workers);
      this.workers = workers;
      return this;
    }

    /** Also process messages written by other bots (off by default: bots answering bots loop forever). */
    public Builder acceptBotMessages(boolean accept) {
      this.acceptBotMessages = accept;
      return this;
    }

    /** Also process channel posts (off by default: a channel has no one to answer). */
    public Builder acceptChannelPosts(boolean accept) {
      this.acceptChannelPosts = accept;
      return this;
    }

    public Builder callbackHandler(CallbackHandler handler) {
      this.callbackHandler = requireNonNull(handler, "telegram.callbackHandler");
      return this;
    }

    /** How long {@link TelegramAdapter#close()} waits for messages in flight. */
    public Builder shutdownGrace(Duration grace) {
      this.shutdownGrace = requireNonNull(grace, "telegram.shutdownGrace");
      return this;
    }

    public TelegramAdapter build() {
      if (token == null) {
        throw new InvalidInputException("telegram.token", "is required (set TELEGRAM_BOT_TOKEN)");
      }
      if (rateLimiter == null) {
        rateLimiter = InMemoryRateLimiter.create();
      }
      return new TelegramAdapter(this);
    }

    private static Duration positive(Duration d, String field) {
      requireNonNull(d, field);
      check(!d.isNegative() && !d.isZero(), field, "must be positive", d);
      return d;
    }

    @Override
    public String toString() {
      return "TelegramAdapter.Builder{apiUrl=" + apiUrl + ", token=" + (token == null ? "unset" : "<set>") + "}";
    }
  }
}
