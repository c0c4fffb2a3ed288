package dev.tgsupport.telegram.fake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A loopback fake of the Telegram Bot API that behaves like the real one on the wire, so that tests of the adapter
 * prove what production sees: Telegram's envelopes and error texts, long polling with offset confirmation and 409
 * conflicts, flood control with {@code retry_after} locks, webhook delivery with the secret header and retries, and
 * scripted faults (error envelopes, 5xx, slow answers, dropped connections).
 *
 * <pre>{@code
 * try (FakeTelegramServer fake = FakeTelegramServer.builder().limits(Limits.unlimited()).start()) {
 *   TelegramBot bot = new TelegramBot.Builder(fake.token()).apiUrl(fake.apiUrl()).build();
 *   fake.enqueue(UpdateSamples.privateText(1, 42, 10, "hello"));
 *   ...
 *   assertThat(fake.sentMessages(42)).extracting(SentMessage::text).containsExactly("Hi!");
 * }
 * }</pre>
 *
 * <p>Serves {@code POST|GET /bot<token>/<method>} (query, form, JSON or multipart parameters) and file downloads at
 * {@code /file/bot<token>/<file_path>}. Chats are registered on first use (positive id private, {@code -100…}
 * supergroup, other negative group) or from enqueued updates, which also make their messages known for replies and
 * their callback query ids answerable.
 *
 * <p>Thread-safe: tests call it from any thread while HTTP requests run on its own daemon threads. Each instance owns
 * an HTTP server, a thread pool and a webhook delivery thread; {@link #close()} releases them. Neither the token nor
 * any secret appears in {@link #toString()} or log lines.
 */
public final class FakeTelegramServer implements AutoCloseable {

  /** Telegram's documented example token; its bot id is {@link UpdateSamples#BOT_ID}. */
  public static final String DEFAULT_TOKEN = "123456:ABC-DEF1234ghIkl-zyx57W2v1u123ew11";

  private static final Logger log = LoggerFactory.getLogger(FakeTelegramServer.class);
  private static final Pattern TOKEN = Pattern.compile("(\\d{1,19}):[A-Za-z0-9_-]{1,128}");
  private static final Pattern UPDATE_ID = Pattern.compile("\"update_id\"\\s*:\\s*(-?\\d{1,18})");
  private static final AtomicInteger INSTANCES = new AtomicInteger();

  private final String token;
  private final long botId;
  private final String botUsername;
  private final HttpServer server;
  private final ExecutorService executor;
  private final UpdateQueue queue = new UpdateQueue();
  private final FloodControl flood;
  private final BotMethods bot;
  private final WebhookDeliverer deliverer;
  private final Thread deliveryThread;

  private final List<ArmedFault> faults = new ArrayList<>();
  private final List<Recorded> recorded = new ArrayList<>();
  private final AtomicLong sequence = new AtomicLong();
  private final AtomicLong http429 = new AtomicLong();
  private long lastEnqueuedId;
  private volatile boolean closed;

  private static final class ArmedFault {
    final Fault fault;
    int remaining;

    ArmedFault(Fault fault) {
      this.fault = fault;
      this.remaining = fault.times;
    }
  }

  private record Recorded(long sequence, RecordedRequest request) {}

  private record Answer(int status, String contentType, String body, String description) {}

  private FakeTelegramServer(Builder builder) throws IOException {
    this.token = builder.token;
    Matcher matcher = TOKEN.matcher(builder.token);
    if (!matcher.matches()) {
      // The message must not echo the token: it may be a real one pasted by mistake.
      throw new IllegalArgumentException("token must look like <bot id>:<secret> ([A-Za-z0-9_-]), it does not");
    }
    this.botId = Long.parseLong(matcher.group(1));
    this.botUsername = builder.botUsername;
    this.flood = new FloodControl(builder.limits);
    this.bot = new BotMethods(botId, builder.botUsername, builder.botFirstName, builder.canReadAllGroupMessages,
        builder.autoRegisterChats, builder.strictReplies, queue, flood);
    int instance = INSTANCES.incrementAndGet();
    AtomicInteger threads = new AtomicInteger();
    this.executor = Executors.newCachedThreadPool(runnable -> {
      Thread thread = new Thread(runnable, "fake-telegram-" + instance + "-http-" + threads.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    });
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 64);
    server.createContext("/", this::handle);
    server.setExecutor(executor);
    this.deliverer = new WebhookDeliverer(queue, bot, builder.webhookRetryBackoff, builder.webhookMaxAttempts,
        builder.webhookRetryPause, builder.webhookTimeout, this::handleWebhookReply);
    this.deliveryThread = new Thread(deliverer, "fake-telegram-" + instance + "-webhook");
    deliveryThread.setDaemon(true);
    server.start();
    deliveryThread.start();
  }

  /** A builder with Telegram's defaults; {@link Builder#start()} binds the server. */
  public static Builder builder() {
    return new Builder();
  }

  /** Starts a fake with every default: {@link #DEFAULT_TOKEN}, {@link Limits#telegramDefaults()}. */
  public static FakeTelegramServer start() {
    return builder().start();
  }

  // ------------------------------------------------------------------------------------------------ addresses

  /** {@code http://127.0.0.1:PORT}, the root where {@code /bot<token>/<method>} is served. */
  public String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** {@code baseUrl() + "/bot"}: what pengrad's {@code TelegramBot.Builder#apiUrl} takes. */
  public String apiUrl() {
    return baseUrl() + "/bot";
  }

  /** {@code baseUrl() + "/file/bot"}: what pengrad's {@code TelegramBot.Builder#fileApiUrl} takes. */
  public String fileApiUrl() {
    return baseUrl() + "/file/bot";
  }

  /** The only token this fake accepts; any other gets 401. */
  public String token() {
    return token;
  }

  /** The bot's user id, the numeric prefix of the token. */
  public long botId() {
    return botId;
  }

  public String botUsername() {
    return botUsername;
  }

  // ------------------------------------------------------------------------------------------------ updates

  /**
   * Stores an update for getUpdates or webhook delivery, exactly as given. The JSON carries its own
   * {@code update_id}; updates are served in update_id order. An update whose type the current
   * {@code allowed_updates} excludes is dropped, as Telegram never creates it (see {@link #filteredUpdates()}).
   *
   * @throws IllegalArgumentException when the text is not a JSON object with a numeric {@code update_id}; use
   *     {@link #enqueueRaw(String)} for deliberately broken input
   */
  public void enqueue(String updateJson) {
    Objects.requireNonNull(updateJson, "updateJson");
    JsonNode update = Json.tryParse(updateJson)
        .filter(JsonNode::isObject)
        .filter(node -> node.path("update_id").canConvertToLong() && node.path("update_id").isIntegralNumber())
        .orElseThrow(() -> new IllegalArgumentException(
            "update must be a JSON object with a numeric update_id; use enqueueRaw for broken input"));
    String type = null;
    for (Iterator<String> names = update.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!name.equals("update_id")) {
        type = name;
        break;
      }
    }
    long updateId = update.get("update_id").asLong();
    bot.observe(update);
    synchronized (this) {
      lastEnqueuedId = Math.max(lastEnqueuedId, updateId);
    }
    queue.enqueue(new UpdateQueue.Entry(updateId, updateJson, type == null ? "unknown" : type));
  }

  /** {@link #enqueue(String)} for each, in order. */
  public void enqueueAll(Collection<String> updatesJson) {
    updatesJson.forEach(this::enqueue);
  }

  /**
   * Inserts text verbatim into getUpdates' result array (and webhook bodies), valid JSON or not; never filtered by
   * allowed_updates. It is ordered and confirmed by the {@code "update_id":N} found in it, or else by the id of the
   * previously enqueued update, so it is forgotten together with that one.
   */
  public void enqueueRaw(String raw) {
    Objects.requireNonNull(raw, "raw");
    Matcher matcher = UPDATE_ID.matcher(raw);
    long updateId;
    synchronized (this) {
      updateId = matcher.find() ? Long.parseLong(matcher.group(1)) : lastEnqueuedId;
    }
    enqueueRaw(updateId, raw);
  }

  /** {@link #enqueueRaw(String)} with an explicit position/confirmation id. */
  public void enqueueRaw(long updateId, String raw) {
    Objects.requireNonNull(raw, "raw");
    synchronized (this) {
      lastEnqueuedId = Math.max(lastEnqueuedId, updateId);
    }
    queue.enqueue(new UpdateQueue.Entry(updateId, raw, null));
  }

  /** Updates stored and not yet confirmed (by offset) or delivered (to the webhook). */
  public int pendingUpdates() {
    return queue.pending();
  }

  /** The highest update_id confirmed by a getUpdates offset or a webhook delivery; 0 before any. */
  public long confirmedUpTo() {
    return queue.confirmedUpTo();
  }

  /** getUpdates calls received, including rejected ones. */
  public long getUpdatesCalls() {
    return queue.getUpdatesCalls();
  }

  /** Updates dropped on {@link #enqueue} because allowed_updates excluded their type. */
  public long filteredUpdates() {
    return queue.filtered();
  }

  // ------------------------------------------------------------------------------------------------ scenarios

  /**
   * Declares a chat's type; {@code isForum} makes it accept {@code message_thread_id} (any topic not deleted).
   * Without this, chats are registered on first use with the type their id implies and no forum.
   */
  public void registerChat(long chatId, ChatType type, boolean isForum) {
    registerChat(chatId, type, isForum, null);
  }

  /** {@link #registerChat(long, ChatType, boolean)} with the title getChat and messages show. */
  public void registerChat(long chatId, ChatType type, boolean isForum, String title) {
    Objects.requireNonNull(type, "type");
    bot.registerChat(chatId, type, isForum, title);
  }

  /**
   * The group became a supergroup: every call naming {@code oldChatId} gets 400 {@code Bad Request: group chat was
   * upgraded to a supergroup chat} with {@code parameters.migrate_to_chat_id = newChatId}.
   */
  public void migrateChat(long oldChatId, long newChatId) {
    bot.migrate(oldChatId, newChatId);
  }

  /** Sends to the chat get 403 {@code Forbidden: bot was blocked by the user}. */
  public void blockedBy(long chatId) {
    bot.forbid(chatId, true);
  }

  /**
   * Sends to the chat get 403 {@code Forbidden: bot was kicked from the group chat} ({@code supergroup chat},
   * {@code channel chat} for those types, and the "blocked" text for private chats).
   */
  public void kickedFrom(long chatId) {
    bot.forbid(chatId, true);
  }

  /**
   * The bot's administrator rights in a group (all granted by default): without {@code canDeleteMessages},
   * deleteMessage of another member's message gets 400 {@code message can't be deleted}; without
   * {@code canRestrictMembers}, restrictChatMember gets 400 {@code not enough rights to restrict/unrestrict chat
   * member}.
   */
  public void botRights(long chatId, boolean canDeleteMessages, boolean canRestrictMembers) {
    bot.botRights(chatId, canDeleteMessages, canRestrictMembers);
  }

  /**
   * Until when restrictChatMember restricted the user in the chat (epoch seconds, 0 for ever); empty when the user is
   * not restricted (never was, or all permissions were given back).
   */
  public Optional<Long> restrictedUntil(long chatId, long userId) {
    return bot.restrictedUntil(chatId, userId);
  }

  /** Undoes {@link #blockedBy}, {@link #kickedFrom} and {@link #migrateChat} for this chat. */
  public void restoreChat(long chatId) {
    bot.restore(chatId);
  }

  /** Content served for a file id through getFile and the download URL; unknown ids get a small placeholder. */
  public void addFile(String fileId, byte[] content) {
    bot.addFile(Objects.requireNonNull(fileId, "fileId"), Objects.requireNonNull(content, "content"));
  }

  // ------------------------------------------------------------------------------------------------ faults

  /** Arms a fault; faults are tried in the order armed and each matching request consumes one occurrence. */
  public void failNext(Fault fault) {
    Objects.requireNonNull(fault, "fault");
    synchronized (faults) {
      faults.add(new ArmedFault(fault));
    }
  }

  /** The next request to {@code method} gets this error envelope. */
  public void failNext(String method, int status, String description) {
    failNext(Fault.error(status, description).forMethod(method));
  }

  /** The next request to {@code method} is answered normally after {@code delay}. */
  public void delayNext(String method, Duration delay) {
    failNext(Fault.delay(delay).forMethod(method));
  }

  /** The next request to {@code method} sees its connection dropped mid-answer (an I/O error in the client). */
  public void dropNext(String method) {
    failNext(Fault.drop().forMethod(method));
  }

  public void clearFaults() {
    synchronized (faults) {
      faults.clear();
    }
  }

  /** Armed faults with occurrences left. */
  public int pendingFaults() {
    synchronized (faults) {
      return faults.size();
    }
  }

  // ------------------------------------------------------------------------------------------------ recordings

  /** Every request answered so far, in arrival order (long polls appear once answered). */
  public List<RecordedRequest> requests() {
    synchronized (recorded) {
      return recorded.stream()
          .sorted(Comparator.comparingLong(Recorded::sequence))
          .map(Recorded::request)
          .toList();
    }
  }

  /** {@link #requests()} to one method, matched case-insensitively. */
  public List<RecordedRequest> requests(String method) {
    return requests().stream().filter(r -> r.method().equalsIgnoreCase(method)).toList();
  }

  /** Waits until at least {@code count} requests to {@code method} were answered, then returns them all. */
  public List<RecordedRequest> awaitRequests(String method, int count, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (recorded) {
      while (true) {
        List<RecordedRequest> matching = requests(method);
        long remaining = deadline - System.nanoTime();
        if (matching.size() >= count || remaining <= 0) {
          return matching;
        }
        TimeUnit.NANOSECONDS.timedWait(recorded, remaining);
      }
    }
  }

  /** Messages the bot created, in order. */
  public List<SentMessage> sentMessages() {
    return bot.sent();
  }

  public List<SentMessage> sentMessages(long chatId) {
    return bot.sent().stream().filter(m -> m.chatId() == chatId).toList();
  }

  /** Waits until at least {@code count} messages were sent, then returns them all. */
  public List<SentMessage> awaitSentMessages(int count, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<SentMessage> sent = bot.sent();
    while (sent.size() < count && System.nanoTime() < deadline) {
      Thread.sleep(5);
      sent = bot.sent();
    }
    return sent;
  }

  /** The current text (or caption) of a message after edits; empty when unknown or deleted. */
  public Optional<String> messageText(long chatId, int messageId) {
    return bot.messageText(chatId, messageId);
  }

  public boolean isDeleted(long chatId, int messageId) {
    return bot.isDeleted(chatId, messageId);
  }

  // ------------------------------------------------------------------------------------------------ counters

  /** 429 answers, flood control and scripted ones alike. */
  public long http429() {
    return http429.get();
  }

  /**
   * Message-producing requests that arrived while their chat (or the whole bot) was locked by an earlier 429, i.e.
   * before its {@code retry_after} had passed. A well-behaved sender makes none.
   */
  public long violationsDuringRetryAfter() {
    return flood.violations();
  }

  /** The most messages any one chat received within any 1-second window. */
  public int maxPerChatPerSecond() {
    return flood.maxPerChatInWindow(Duration.ofSeconds(1), false);
  }

  public int maxPerChatPerSecond(long chatId) {
    return flood.maxInWindow(chatId, Duration.ofSeconds(1));
  }

  /** The most messages any one group (negative chat id) received within any 60-second window. */
  public int maxPerGroupPerMinute() {
    return flood.maxPerChatInWindow(Duration.ofMinutes(1), true);
  }

  public int maxPerGroupPerMinute(long chatId) {
    return flood.maxInWindow(chatId, Duration.ofMinutes(1));
  }

  /** The most messages to all chats within any 1-second window. */
  public int maxGlobalPerSecond() {
    return flood.maxGlobalInWindow(Duration.ofSeconds(1));
  }

  /** The most messages one chat received within any window of this length. */
  public int maxInWindow(long chatId, Duration window) {
    return flood.maxInWindow(chatId, window);
  }

  /** Webhook POSTs answered 2xx. */
  public long webhookDeliveries() {
    return deliverer.deliveries();
  }

  /** Webhook POSTs that failed (non-2xx or I/O error); each is retried. */
  public long webhookFailures() {
    return deliverer.failures();
  }

  /** The webhook URL currently set, if any. */
  public Optional<String> webhookUrl() {
    return bot.webhookUrl();
  }

  // ------------------------------------------------------------------------------------------------ lifecycle

  /** Stops serving: pending long polls answer empty, delivery stops, threads end. Idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    deliverer.stop();
    deliveryThread.interrupt();
    queue.close();
    server.stop(0);
    executor.shutdownNow();
    try {
      deliveryThread.join(1000);
      executor.awaitTermination(1, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String toString() {
    return "FakeTelegramServer{" + baseUrl() + ", bot=@" + botUsername + (closed ? ", closed" : "") + "}";
  }

  // ------------------------------------------------------------------------------------------------ HTTP

  private void handle(HttpExchange exchange) {
    long seq = sequence.incrementAndGet();
    Instant arrival = Instant.now();
    String method = "?";
    Params params = Params.of(Map.of());
    try {
      byte[] body = exchange.getRequestBody().readAllBytes();
      String path = exchange.getRequestURI().getRawPath();
      if (path.startsWith("/file/bot")) {
        serveFile(exchange, path.substring("/file/bot".length()));
        return;
      }
      if (!path.startsWith("/bot") || path.indexOf('/', 4) < 0) {
        finish(exchange, seq, method, params, arrival, error(404, "Not Found", null, null));
        return;
      }
      int slash = path.indexOf('/', 4);
      String requestToken = URLDecoder.decode(path.substring(4, slash), StandardCharsets.UTF_8);
      method = path.substring(slash + 1);
      if (method.endsWith("/")) {
        method = method.substring(0, method.length() - 1);
      }
      try {
        params = Params.parse(exchange.getRequestURI().getRawQuery(),
            exchange.getRequestHeaders().getFirst("Content-Type"), body);
      } catch (ApiException e) {
        finish(exchange, seq, method, params, arrival, error(e));
        return;
      }
      if (!MessageDigest.isEqual(requestToken.getBytes(StandardCharsets.UTF_8),
          token.getBytes(StandardCharsets.UTF_8))) {
        finish(exchange, seq, method, params, arrival, error(401, "Unauthorized", null, null));
        return;
      }
      String canonical = method.isEmpty() ? null : bot.canonicalName(method);
      if (canonical == null) {
        finish(exchange, seq, method, params, arrival,
            error(404, method.isEmpty() ? "Not Found" : "Not Found: method not found", null, null));
        return;
      }
      method = canonical;
      Fault fault = takeFault(canonical, params);
      if (fault != null && !fault.afterProcessing) {
        switch (fault.kind) {
          case ERROR -> {
            finish(exchange, seq, method, params, arrival,
                error(fault.status, fault.description, fault.retryAfter, fault.migrateToChatId));
            return;
          }
          case RAW -> {
            finish(exchange, seq, method, params, arrival,
                new Answer(fault.status, fault.rawContentType, fault.rawBody, null));
            return;
          }
          case DROP -> {
            drop(exchange, seq, method, params, arrival, "{\"ok\":true,\"result\":{}}");
            return;
          }
          case DELAY -> Thread.sleep(fault.delay.toMillis());
        }
      }
      Answer answer = call(canonical, params);
      if (fault != null && fault.afterProcessing) {
        if (fault.kind == Fault.Kind.DELAY) {
          Thread.sleep(fault.delay.toMillis());
        } else {
          drop(exchange, seq, method, params, arrival, answer.body());
          return;
        }
      }
      finish(exchange, seq, method, params, arrival, answer);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      exchange.close();
    } catch (IOException e) {
      // The client went away; nothing left to answer.
      exchange.close();
    } catch (RuntimeException e) {
      log.warn("fake telegram: {} failed inside the fake", method, e);
      try {
        finish(exchange, seq, method, params, arrival, error(500, "Internal Server Error", null, null));
      } catch (IOException ignored) {
        exchange.close();
      }
    }
  }

  private Answer call(String canonical, Params params) throws InterruptedException {
    try {
      BotMethods.Result result = bot.dispatch(canonical, params);
      String body = "{\"ok\":true,\"result\":" + result.resultJson()
          + (result.description() == null ? "" : ",\"description\":" + Json.quote(result.description())) + "}";
      return new Answer(200, "application/json", body, null);
    } catch (ApiException e) {
      return error(e);
    }
  }

  private Fault takeFault(String canonical, Params params) {
    String lower = canonical.toLowerCase(Locale.ROOT);
    Long chatId = params.optLong("chat_id").orElse(null);
    synchronized (faults) {
      for (Iterator<ArmedFault> it = faults.iterator(); it.hasNext(); ) {
        ArmedFault armed = it.next();
        if (armed.fault.matches(lower, chatId)) {
          if (--armed.remaining == 0) {
            it.remove();
          }
          return armed.fault;
        }
      }
    }
    return null;
  }

  private void finish(HttpExchange exchange, long seq, String method, Params params, Instant arrival, Answer answer)
      throws IOException {
    // Record before answering: a test that got its response must find the request already recorded.
    if (answer.status() == 429) {
      http429.incrementAndGet();
    }
    record(seq, method, params, arrival, answer.status(), answer.description(), false);
    log.debug("fake telegram: {} -> {}", method, answer.status());
    byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", answer.contentType());
    exchange.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  /**
   * Announces a longer body than it writes, then closes: the client has the status line but fails reading the body,
   * so it sees an I/O error and cannot retry the call transparently (OkHttp may for failures before the headers).
   */
  private void drop(HttpExchange exchange, long seq, String method, Params params, Instant arrival, String body)
      throws IOException {
    record(seq, method, params, arrival, 0, "connection dropped", false);
    log.debug("fake telegram: {} -> dropped", method);
    try {
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, bytes.length + 512L);
      OutputStream out = exchange.getResponseBody();
      out.write(bytes, 0, bytes.length / 2);
      out.flush();
    } finally {
      // Closing with bytes missing makes the JDK server close the socket instead of reusing it.
      exchange.close();
    }
  }

  private void serveFile(HttpExchange exchange, String rest) throws IOException {
    int slash = rest.indexOf('/');
    String requestToken = slash < 0 ? "" : URLDecoder.decode(rest.substring(0, slash), StandardCharsets.UTF_8);
    Optional<byte[]> content = slash < 0 || !MessageDigest.isEqual(requestToken.getBytes(StandardCharsets.UTF_8),
        token.getBytes(StandardCharsets.UTF_8))
        ? Optional.empty()
        : bot.download(rest.substring(slash + 1));
    if (content.isEmpty()) {
      byte[] notFound = "{\"ok\":false,\"error_code\":404,\"description\":\"Not Found\"}"
          .getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(404, notFound.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(notFound);
      }
      return;
    }
    exchange.getResponseHeaders().set("Content-Type", "application/octet-stream");
    exchange.sendResponseHeaders(200, content.get().length == 0 ? -1 : content.get().length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(content.get());
    }
  }

  /** A webhook answer may itself be a method call ({@code {"method":"sendMessage",...}}); Telegram performs it. */
  private void handleWebhookReply(String body) {
    Optional<JsonNode> json = Json.tryParse(body);
    if (json.isEmpty() || !json.get().isObject() || !json.get().path("method").isTextual()) {
      return;
    }
    ObjectNode call = ((ObjectNode) json.get()).deepCopy();
    String method = call.remove("method").asText();
    long seq = sequence.incrementAndGet();
    Instant arrival = Instant.now();
    Params params;
    try {
      params = Params.parse(null, "application/json", Json.write(call).getBytes(StandardCharsets.UTF_8));
    } catch (ApiException e) {
      return;
    }
    String canonical = bot.canonicalName(method);
    try {
      Answer answer = canonical == null ? error(404, "Not Found: method not found", null, null)
          : call(canonical, params);
      record(seq, canonical == null ? method : canonical, params, arrival, answer.status(), answer.description(),
          true);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void record(long seq, String method, Params params, Instant arrival, int status, String description,
      boolean viaWebhookReply) {
    RecordedRequest request = new RecordedRequest(method, params.values, params.files, arrival, status, description,
        viaWebhookReply);
    synchronized (recorded) {
      recorded.add(new Recorded(seq, request));
      recorded.notifyAll();
    }
  }

  private static Answer error(ApiException e) {
    return error(e.status, e.description, e.retryAfter, e.migrateToChatId);
  }

  private static Answer error(int status, String description, Integer retryAfter, Long migrateToChatId) {
    ObjectNode envelope = Json.object();
    envelope.put("ok", false);
    envelope.put("error_code", status);
    envelope.put("description", description);
    if (retryAfter != null || migrateToChatId != null) {
      ObjectNode parameters = envelope.putObject("parameters");
      if (migrateToChatId != null) {
        parameters.put("migrate_to_chat_id", migrateToChatId);
      }
      if (retryAfter != null) {
        parameters.put("retry_after", retryAfter);
      }
    }
    return new Answer(status, "application/json", Json.write(envelope), description);
  }

  // ------------------------------------------------------------------------------------------------ builder

  /** Configuration with defaults in place; not thread-safe, build on one thread. */
  public static final class Builder {

    private String token = DEFAULT_TOKEN;
    private String botUsername = UpdateSamples.BOT_USERNAME;
    private String botFirstName = UpdateSamples.BOT_FIRST_NAME;
    private boolean canReadAllGroupMessages;
    private Limits limits = Limits.telegramDefaults();
    private boolean autoRegisterChats = true;
    private boolean strictReplies = true;
    private Duration webhookRetryBackoff = Duration.ofMillis(100);
    private int webhookMaxAttempts = 3;
    private Duration webhookRetryPause = Duration.ofSeconds(1);
    private Duration webhookTimeout = Duration.ofSeconds(5);

    private Builder() {}

    /** {@code <bot id>:<secret>}; the bot id becomes getMe's id. Default {@link #DEFAULT_TOKEN}. */
    public Builder token(String token) {
      this.token = Objects.requireNonNull(token, "token");
      return this;
    }

    public Builder botUsername(String botUsername) {
      this.botUsername = Objects.requireNonNull(botUsername, "botUsername");
      return this;
    }

    public Builder botFirstName(String botFirstName) {
      this.botFirstName = Objects.requireNonNull(botFirstName, "botFirstName");
      return this;
    }

    /** getMe's {@code can_read_all_group_messages}: true means privacy mode is off. Default false. */
    public Builder canReadAllGroupMessages(boolean canReadAllGroupMessages) {
      this.canReadAllGroupMessages = canReadAllGroupMessages;
      return this;
    }

    /** Flood control; default {@link Limits#telegramDefaults()}. */
    public Builder limits(Limits limits) {
      this.limits = Objects.requireNonNull(limits, "limits");
      return this;
    }

    /** When false, chats never registered or seen in an update get 400 {@code chat not found}. Default true. */
    public Builder autoRegisterChats(boolean autoRegisterChats) {
      this.autoRegisterChats = autoRegisterChats;
      return this;
    }

    /**
     * When true (default), replying to a message the fake has not seen gets 400 {@code message to be replied not
     * found} unless {@code allow_sending_without_reply} is set, as on Telegram.
     */
    public Builder strictReplies(boolean strictReplies) {
      this.strictReplies = strictReplies;
      return this;
    }

    /** Wait between attempts to deliver one update to the webhook. Default 100 ms. */
    public Builder webhookRetryBackoff(Duration backoff) {
      this.webhookRetryBackoff = requirePositive(backoff, "webhookRetryBackoff");
      return this;
    }

    /** Attempts in a row before the longer {@link #webhookRetryPause}. Default 3. */
    public Builder webhookMaxAttempts(int attempts) {
      if (attempts <= 0) {
        throw new IllegalArgumentException("webhookMaxAttempts must be > 0, was " + attempts);
      }
      this.webhookMaxAttempts = attempts;
      return this;
    }

    /** Wait after {@link #webhookMaxAttempts} failures before trying the same update again. Default 1 s. */
    public Builder webhookRetryPause(Duration pause) {
      this.webhookRetryPause = requirePositive(pause, "webhookRetryPause");
      return this;
    }

    /** Connect and answer timeout of one webhook POST. Default 5 s. */
    public Builder webhookTimeout(Duration timeout) {
      this.webhookTimeout = requirePositive(timeout, "webhookTimeout");
      return this;
    }

    /** Binds 127.0.0.1 on an ephemeral port and starts serving. */
    public FakeTelegramServer start() {
      try {
        return new FakeTelegramServer(this);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot start the fake Telegram server on 127.0.0.1", e);
      }
    }

    private static Duration requirePositive(Duration value, String name) {
      Objects.requireNonNull(value, name);
      if (value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException(name + " must be > 0, was " + value);
      }
      return value;
    }
  }
}
