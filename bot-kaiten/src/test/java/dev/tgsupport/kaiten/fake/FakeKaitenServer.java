package dev.tgsupport.kaiten.fake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.tgsupport.kaiten.fake.KaitenModel.CardRec;
import dev.tgsupport.kaiten.fake.KaitenModel.CommentRec;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
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
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A loopback fake of the Kaiten REST API that behaves as {@code contracts/kaiten.md} describes Kaiten, so that tests
 * of the bridge prove what production sees: Bearer auth (401 with a plain-string body), JSON in and out, 5 requests
 * per second per token and then 429 with {@code X-RateLimit-Remaining}/{@code X-RateLimit-Reset}, plain-array lists
 * with {@code limit}/{@code offset} (at most 100 cards a page), {@code GET /cards} without descriptions unless asked,
 * {@code external_id} and {@code updated_after} filters, comments that are not paginated, boards whose columns have
 * types (1 queue, 2 in progress, 3 done) and sub-columns, card states derived from them, tags, members, external
 * webhooks (402 when not in the plan) and their delivery, and scripted faults.
 *
 * <pre>{@code
 * try (FakeKaitenServer kaiten = FakeKaitenServer.start()) {
 *   // point the client at kaiten.apiUrl() with kaiten.token(), board BOARD_ID, column QUEUE_COLUMN_ID
 *   long cardId = kaiten.cards().get(0).id();
 *   kaiten.staffComment(cardId, "Try logging out and in again");
 *   kaiten.moveToDone(cardId);   // or archive(cardId), deleteCard(cardId), moveTo(cardId, IN_PROGRESS_COLUMN_ID)
 *   kaiten.failNext("POST", "/cards", Fault.answerLost());
 * }
 * }</pre>
 *
 * <p>The company it starts with: the integration user {@link #BOT_USER_ID} (owner of {@link #DEFAULT_TOKEN}), staff
 * users {@link #STAFF_USER_ID} and {@link #SECOND_STAFF_USER_ID}; space {@link #SPACE_ID} with board
 * {@link #BOARD_ID} ("Support": Queue, In progress with sub-columns Doing and Review, Done with sub-column Verified
 * whose own type is unset) and board {@link #OTHER_BOARD_ID}; lane {@link #LANE_ID}; card types
 * {@link #CARD_TYPE_ID} and 1; custom properties {@link #TELEGRAM_USER_PROPERTY_ID} and
 * {@link #TELEGRAM_CHAT_PROPERTY_ID}.
 *
 * <p>Where the contract is uncertain the fake takes the stricter reading and says so: a comment does not bump the
 * card's {@code updated} (see {@link Builder#commentBumpsCardUpdated}); webhook events are tried once; moves report
 * {@code card:move} and other edits {@code card:update}, with {@code {old, changes, author}} data.
 *
 * <p>Thread-safe: tests call it from any thread while requests run on its own daemon threads. Each instance owns an
 * HTTP server, a thread pool and a webhook delivery thread; {@link #close()} releases them. No token appears in
 * {@link #toString()} or log lines.
 */
public final class FakeKaitenServer implements AutoCloseable {

  /** The token example from Kaiten's documentation; it belongs to {@link #BOT_USER_ID}. */
  public static final String DEFAULT_TOKEN = "296a5709-99bc-49a7-96e0-c0a1b236091f";

  public static final long BOT_USER_ID = 1;
  public static final long STAFF_USER_ID = 2;
  public static final long SECOND_STAFF_USER_ID = 3;
  public static final long SPACE_ID = 1;
  public static final long BOARD_ID = 10;
  public static final long OTHER_BOARD_ID = 11;
  /** Type 1 (queue), the first column of {@link #BOARD_ID}: where cards go when no column is given. */
  public static final long QUEUE_COLUMN_ID = 100;
  /** Type 2 (in progress). */
  public static final long IN_PROGRESS_COLUMN_ID = 101;
  /** Type 3 (done). */
  public static final long DONE_COLUMN_ID = 102;
  /** Sub-column of {@link #IN_PROGRESS_COLUMN_ID}, type 2. */
  public static final long DOING_SUBCOLUMN_ID = 103;
  /** Sub-column of {@link #IN_PROGRESS_COLUMN_ID}, type 2. */
  public static final long REVIEW_SUBCOLUMN_ID = 104;
  /** Sub-column of {@link #DONE_COLUMN_ID} whose own type is unset (JSON null): done through its parent. */
  public static final long VERIFIED_SUBCOLUMN_ID = 105;
  /** Type 1, first column of {@link #OTHER_BOARD_ID}. */
  public static final long OTHER_BACKLOG_COLUMN_ID = 106;
  /** Type 3 on {@link #OTHER_BOARD_ID}. */
  public static final long OTHER_DONE_COLUMN_ID = 107;
  public static final long LANE_ID = 200;
  public static final long OTHER_LANE_ID = 201;
  public static final long CARD_TYPE_ID = 7;
  public static final long TELEGRAM_USER_PROPERTY_ID = 15;
  public static final long TELEGRAM_CHAT_PROPERTY_ID = 16;

  private static final Logger log = LoggerFactory.getLogger(FakeKaitenServer.class);
  private static final AtomicInteger INSTANCES = new AtomicInteger();

  private final HttpServer server;
  private final ExecutorService executor;
  private final KaitenModel model;
  private final KaitenRoutes routes;
  private final RateWindow window;
  private final WebhookDeliverer deliverer;
  private final Thread deliveryThread;
  private final Map<String, Long> tokens = new LinkedHashMap<>();
  private final String defaultToken;
  private final List<ArmedFault> faults = new ArrayList<>();
  private final List<RecordedRequest> recorded = new ArrayList<>();
  private final AtomicLong sequence = new AtomicLong();
  private volatile boolean emptyListsAsEmptyBody;
  private volatile boolean webhooksEnabled = true;
  private volatile boolean closed;

  private record ArmedFault(String method, Pattern path, Fault fault, int[] remaining) {}

  private FakeKaitenServer(Builder builder) throws IOException {
    this.defaultToken = builder.token;
    this.window = new RateWindow(builder.rateLimit);
    this.emptyListsAsEmptyBody = builder.emptyListsAsEmptyBody;
    this.deliverer = new WebhookDeliverer(builder.webhookAttempts, builder.webhookTimeout);
    this.model = new KaitenModel(builder.clock, this::emit);
    model.commentBumpsCardUpdated = builder.commentBumpsCardUpdated;
    model.webhooksInPlan = builder.webhooksInPlan;
    seed(model);
    tokens.put(builder.token, BOT_USER_ID);
    this.routes = new KaitenRoutes(model);
    int instance = INSTANCES.incrementAndGet();
    AtomicInteger threads = new AtomicInteger();
    this.executor = Executors.newCachedThreadPool(runnable -> {
      Thread thread = new Thread(runnable, "fake-kaiten-" + instance + "-http-" + threads.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    });
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 128);
    server.createContext("/", this::handle);
    server.setExecutor(executor);
    this.deliveryThread = new Thread(deliverer, "fake-kaiten-" + instance + "-webhook");
    deliveryThread.setDaemon(true);
    server.start();
    deliveryThread.start();
  }

  private static void seed(KaitenModel m) {
    m.addUser("Tgsupport Bot", "tgsupport-bot", "bot@example.com");
    m.addUser("Anna Support", "anna", "anna@example.com");
    m.addUser("Boris Support", "boris", "boris@example.com");
    m.addCardType(1, "Card");
    m.addCardType(CARD_TYPE_ID, "Support request");
    m.addCustomProperty(TELEGRAM_USER_PROPERTY_ID, "Telegram user", "number");
    m.addCustomProperty(TELEGRAM_CHAT_PROPERTY_ID, "Telegram chat", "string");
    long space = m.addSpace("Support");
    long board = m.addBoard(space, "Support");
    long other = m.addBoard(space, "Development");
    long queue = m.addColumn(board, null, "Queue", 1);
    long progress = m.addColumn(board, null, "In progress", 2);
    long done = m.addColumn(board, null, "Done", 3);
    m.addColumn(board, progress, "Doing", 2);
    m.addColumn(board, progress, "Review", 2);
    m.addColumn(board, done, "Verified", 0);
    m.addColumn(other, null, "Backlog", 1);
    m.addColumn(other, null, "Done", 3);
    m.addLane(board, "Default", CARD_TYPE_ID);
    m.addLane(other, "Default", null);
    if (space != SPACE_ID || board != BOARD_ID || other != OTHER_BOARD_ID || queue != QUEUE_COLUMN_ID
        || m.columns.size() != 8 || !m.lanes.containsKey(LANE_ID) || !m.lanes.containsKey(OTHER_LANE_ID)) {
      throw new IllegalStateException("the seeded ids drifted from the constants; fix seed()");
    }
  }

  /** A builder with Kaiten's defaults; {@link Builder#start()} binds the server. */
  public static Builder builder() {
    return new Builder();
  }

  /** Starts a fake with every default: {@link #DEFAULT_TOKEN}, 5 requests per second. */
  public static FakeKaitenServer start() {
    return builder().start();
  }

  // ------------------------------------------------------------------------------------------------ addresses

  /** {@code http://127.0.0.1:PORT}: the "company host", what a user would paste as the Kaiten address. */
  public String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** {@code baseUrl() + "/api/latest"}. */
  public String apiUrl() {
    return baseUrl() + "/api/latest";
  }

  /** {@code baseUrl() + "/api/v1"}: served the same way. */
  public String apiV1Url() {
    return baseUrl() + "/api/v1";
  }

  /** The integration's token ({@link #BOT_USER_ID}). */
  public String token() {
    return defaultToken;
  }

  /** Accepts another token, for another user; the rate limit counts per token. */
  public void addToken(String token, long userId) {
    Objects.requireNonNull(token, "token");
    synchronized (model) {
      if (!model.users.containsKey(userId)) {
        throw new IllegalArgumentException("unknown user " + userId);
      }
      tokens.put(token, userId);
    }
  }

  // ------------------------------------------------------------------------------------------------ company

  /** Adds a user (a staff member) and returns its id. */
  public long addUser(String fullName, String username) {
    synchronized (model) {
      return model.addUser(fullName, username, username + "@example.com");
    }
  }

  /** Adds a board in {@link #SPACE_ID} with no columns; add them with {@link #addColumn}. */
  public long addBoard(String title) {
    synchronized (model) {
      return model.addBoard(SPACE_ID, title);
    }
  }

  /** Adds a top-level column of type 1 (queue), 2 (in progress) or 3 (done), after the existing ones. */
  public long addColumn(long boardId, String title, int type) {
    synchronized (model) {
      return model.addColumn(boardId, null, title, type);
    }
  }

  /** Adds a sub-column; type 0 leaves its own type unset (JSON null), so it takes its parent's. */
  public long addSubColumn(long parentColumnId, String title, int type) {
    synchronized (model) {
      KaitenModel.ColumnRec parent = model.columns.get(parentColumnId);
      if (parent == null) {
        throw new IllegalArgumentException("unknown column " + parentColumnId);
      }
      return model.addColumn(parent.boardId, parentColumnId, title, type);
    }
  }

  public long addLane(long boardId, String title) {
    synchronized (model) {
      return model.addLane(boardId, title, null);
    }
  }

  // ------------------------------------------------------------------------------------------------ staff

  /** A staff member ({@link #STAFF_USER_ID}) comments on the card, as in Kaiten's UI; reports {@code comment:add}. */
  public FakeComment staffComment(long cardId, String text) {
    return staffComment(cardId, text, STAFF_USER_ID);
  }

  /** A user comments on the card, as in Kaiten's UI; reports {@code comment:add}. */
  public FakeComment staffComment(long cardId, String text, long authorId) {
    return comment(cardId, text, authorId, false);
  }

  /** A staff member leaves an internal (team-only) note. */
  public FakeComment internalNote(long cardId, String text) {
    return comment(cardId, text, STAFF_USER_ID, true);
  }

  private FakeComment comment(long cardId, String text, long authorId, boolean internal) {
    Objects.requireNonNull(text, "text");
    synchronized (model) {
      if (!model.users.containsKey(authorId)) {
        throw new IllegalArgumentException("unknown user " + authorId);
      }
      return snapshot(model.comment(existing(cardId), text, 1, authorId, internal));
    }
  }

  /** A staff member deletes a comment; it stays listed with {@code deleted: true}. */
  public FakeComment deleteComment(long cardId, long commentId) {
    synchronized (model) {
      existing(cardId);
      return snapshot(model.deleteComment(cardId, commentId, STAFF_USER_ID));
    }
  }

  /** A staff member drags the card to its board's first done column; reports {@code card:move}. */
  public FakeCard moveToDone(long cardId) {
    synchronized (model) {
      CardRec card = existing(cardId);
      long done = model.topColumns(card.boardId).stream().filter(c -> c.type == 3).findFirst()
          .orElseThrow(() -> new IllegalStateException("board " + card.boardId + " has no done column")).id;
      return moveTo(cardId, done);
    }
  }

  /** A staff member drags the card to a column (or sub-column) of its board; reports {@code card:move}. */
  public FakeCard moveTo(long cardId, long columnId) {
    return staffPatch(cardId, Json.object().put("column_id", columnId));
  }

  /** A staff member archives the card (condition 2). */
  public FakeCard archive(long cardId) {
    return staffPatch(cardId, Json.object().put("condition", 2));
  }

  /**
   * A staff member deletes the card, as in Kaiten's UI: it leaves every listing, {@code GET /cards/{id}} and its
   * comments answer 404, and {@code card:remove} is reported with the card as {@code data}.
   */
  public FakeCard deleteCard(long cardId) {
    synchronized (model) {
      existing(cardId);
      return snapshot(model.deleteCard(cardId, STAFF_USER_ID));
    }
  }

  /** A staff member edits the card: any {@code PATCH /cards/{id}} body. */
  public FakeCard staffPatch(long cardId, ObjectNode patch) {
    synchronized (model) {
      existing(cardId);
      return snapshot(model.updateCard(cardId, patch, STAFF_USER_ID));
    }
  }

  /**
   * A staff member creates a card on {@link #BOARD_ID} (queue column) in the UI, e.g. one that already carries a
   * ticket's external id; reports {@code card:add}.
   */
  public FakeCard seedCard(String title, String externalId) {
    ObjectNode body = Json.object().put("title", title).put("board_id", BOARD_ID);
    if (externalId != null) {
      body.put("external_id", externalId);
    }
    synchronized (model) {
      return snapshot(model.createCard(body, STAFF_USER_ID));
    }
  }

  // ------------------------------------------------------------------------------------------------ reading state

  /** Every card not deleted, in id order. */
  public List<FakeCard> cards() {
    synchronized (model) {
      return model.cards.values().stream().filter(c -> c.condition != 3).map(this::snapshot).toList();
    }
  }

  public Optional<FakeCard> card(long cardId) {
    synchronized (model) {
      CardRec card = model.cards.get(cardId);
      return card == null || card.condition == 3 ? Optional.empty() : Optional.of(snapshot(card));
    }
  }

  /** Cards (not deleted) whose external id, as text, is this one. */
  public List<FakeCard> cardsByExternalId(String externalId) {
    return cards().stream().filter(c -> externalId.equals(c.externalId())).toList();
  }

  /** The card's comments in order, deleted and internal ones included. */
  public List<FakeComment> comments(long cardId) {
    synchronized (model) {
      return existing(cardId).comments.stream().map(this::snapshot).toList();
    }
  }

  private CardRec existing(long cardId) {
    CardRec card = model.cards.get(cardId);
    if (card == null || card.condition == 3) {
      throw new IllegalArgumentException("no card " + cardId + " in the fake");
    }
    return card;
  }

  private FakeCard snapshot(CardRec c) {
    Map<String, JsonNode> properties = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = c.properties.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      properties.put(e.getKey(), e.getValue().deepCopy());
    }
    Long responsible = c.members.values().stream().filter(m -> m.type == 2).map(m -> m.userId).findFirst()
        .orElse(null);
    return new FakeCard(c.id, c.title, c.description, c.boardId, c.columnId, c.laneId, c.typeId, c.ownerId,
        model.state(c), c.condition, c.externalId == null ? null : c.externalId.asText(), properties,
        c.tagIds.stream().map(model.tags::get).toList(), List.copyOf(c.members.keySet()), responsible,
        c.comments.size(), c.created, c.updated, c.lastMovedToDoneAt);
  }

  private FakeComment snapshot(CommentRec c) {
    return new FakeComment(c.id, c.cardId, c.text, c.authorId, c.internal, c.deleted, c.edited, c.created);
  }

  // ------------------------------------------------------------------------------------------------ switches

  /** Requests per second per token before 429; 0 turns the limit (and its headers) off. */
  public void rateLimit(int perSecond) {
    if (perSecond < 0) {
      throw new IllegalArgumentException("rateLimit must be >= 0, was " + perSecond);
    }
    window.limit(perSecond);
  }

  /** When on, every empty list is answered with 200 and no body at all, a quirk Kaiten has been seen doing. */
  public void emptyListsAsEmptyBody(boolean on) {
    this.emptyListsAsEmptyBody = on;
  }

  /** When off, external-webhook endpoints answer 402, as on a plan without the webhooks feature. */
  public void webhooksInPlan(boolean inPlan) {
    synchronized (model) {
      model.webhooksInPlan = inPlan;
    }
  }

  // ------------------------------------------------------------------------------------------------ webhooks

  /** Registers the space's external webhook as an admin would in the UI, bypassing the plan check. */
  public long registerWebhook(String url) {
    Objects.requireNonNull(url, "url");
    synchronized (model) {
      model.webhooks.values().removeIf(w -> w.spaceId == SPACE_ID);
      return model.webhook(SPACE_ID, url).id;
    }
  }

  /**
   * The master switch of delivery: when off, events are dropped (not queued), as when Kaiten fails to notify, so that
   * only polling can see the changes. On by default.
   */
  public void webhooksEnabled(boolean enabled) {
    this.webhooksEnabled = enabled;
  }

  /** Every delivery attempt so far, in order. */
  public List<WebhookDelivery> webhookDeliveries() {
    return deliverer.deliveries();
  }

  /** Waits until at least {@code count} events were delivered (2xx), then returns every attempt. */
  public List<WebhookDelivery> awaitWebhookDeliveries(int count, Duration timeout) throws InterruptedException {
    return deliverer.awaitDelivered(count, timeout);
  }

  /** Waits until no event is queued or in flight; false on timeout. */
  public boolean awaitWebhooksIdle(Duration timeout) throws InterruptedException {
    return deliverer.awaitIdle(timeout);
  }

  private void emit(long spaceId, String event, ObjectNode data) {
    if (!webhooksEnabled) {
      return;
    }
    for (KaitenModel.WebhookRec w : model.webhooks.values()) {
      if (w.spaceId == spaceId && w.enabled) {
        ObjectNode payload = Json.object().put("event", event);
        payload.set("data", data);
        deliverer.submit(new WebhookDeliverer.Event(w.url, event, Json.write(payload)));
      }
    }
  }

  // ------------------------------------------------------------------------------------------------ faults

  /**
   * The next {@code times} requests matching {@code method} and {@code pathPattern} get {@code status} with Kaiten's
   * body for it (see {@link Fault#status(int)}).
   */
  public void failNext(String method, String pathPattern, int status, int times) {
    failNext(method, pathPattern, Fault.status(status).times(times));
  }

  /**
   * Arms a fault for requests matching {@code method} ({@code "*"} for any) and {@code pathPattern}, a path under
   * the API base where {@code *} is one segment and {@code **} anything: {@code "/cards"}, {@code "/cards/*"},
   * {@code "/cards/*}{@code /comments"}, {@code "**"}. Faults apply after authentication and the rate limit, in the
   * order armed.
   */
  public void failNext(String method, String pathPattern, Fault fault) {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(fault, "fault");
    Pattern path = glob(Objects.requireNonNull(pathPattern, "pathPattern"));
    synchronized (faults) {
      faults.add(new ArmedFault(method.toUpperCase(Locale.ROOT), path, fault, new int[] {fault.times}));
    }
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

  private Fault takeFault(String method, String path) {
    synchronized (faults) {
      for (Iterator<ArmedFault> it = faults.iterator(); it.hasNext(); ) {
        ArmedFault armed = it.next();
        if ((armed.method().equals("*") || armed.method().equals(method)) && armed.path().matcher(path).matches()) {
          if (--armed.remaining()[0] == 0) {
            it.remove();
          }
          return armed.fault();
        }
      }
    }
    return null;
  }

  static Pattern glob(String pattern) {
    StringBuilder regex = new StringBuilder();
    String p = pattern.startsWith("/") || pattern.startsWith("**") ? pattern : "/" + pattern;
    for (int i = 0; i < p.length(); i++) {
      char c = p.charAt(i);
      if (c == '*' && i + 1 < p.length() && p.charAt(i + 1) == '*') {
        regex.append(".*");
        i++;
      } else if (c == '*') {
        regex.append("[^/]+");
      } else {
        regex.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return Pattern.compile(regex.toString());
  }

  // ------------------------------------------------------------------------------------------------ recordings

  /** Every request so far, in arrival order. */
  public List<RecordedRequest> requests() {
    synchronized (recorded) {
      return recorded.stream().sorted((a, b) -> Long.compare(a.sequence(), b.sequence())).toList();
    }
  }

  /** {@link #requests()} matching a method ({@code "*"} for any) and a path pattern as in {@link #failNext}. */
  public List<RecordedRequest> requests(String method, String pathPattern) {
    Pattern path = glob(pathPattern);
    String m = method.toUpperCase(Locale.ROOT);
    return requests().stream()
        .filter(r -> (m.equals("*") || r.method().equals(m)) && path.matcher(r.path()).matches())
        .toList();
  }

  /** Waits until at least {@code count} requests match, then returns them all. */
  public List<RecordedRequest> awaitRequests(String method, String pathPattern, int count, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (recorded) {
      while (true) {
        List<RecordedRequest> matching = requests(method, pathPattern);
        long remaining = deadline - System.nanoTime();
        if (matching.size() >= count || remaining <= 0) {
          return matching;
        }
        TimeUnit.NANOSECONDS.timedWait(recorded, remaining);
      }
    }
  }

  /** Forgets recorded requests and the rate counters (429s, violations, arrivals); state and faults stay. */
  public void clearRequests() {
    synchronized (recorded) {
      recorded.clear();
    }
    window.reset();
  }

  // ------------------------------------------------------------------------------------------------ counters

  /** 429 answers, from the rate limit and scripted ones alike. */
  public long http429() {
    return window.http429();
  }

  /**
   * Requests that arrived while their token had been told by a 429 to wait (before the reset, or before
   * {@code Retry-After} when that came sooner). A well-behaved client makes none.
   */
  public long violations() {
    return window.violations();
  }

  /**
   * The most requests one token sent within any 1000 ms (a sliding window over arrivals), over all authorized
   * requests since the start or {@link #clearRequests()}. Stricter than what the fake enforces.
   */
  public int maxRequestsPerSecond() {
    return window.maxPerSecond();
  }

  /** The most requests one token sent within one UTC second: the count the limit applies to. */
  public int maxRequestsInOneEpochSecond() {
    return window.maxPerEpochSecond();
  }

  // ------------------------------------------------------------------------------------------------ lifecycle

  /** Stops serving and delivering; threads end. Idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    deliverer.stop();
    deliveryThread.interrupt();
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
    return "FakeKaitenServer{" + apiUrl() + ", rateLimit=" + window.limit() + "/s" + (closed ? ", closed" : "") + "}";
  }

  // ------------------------------------------------------------------------------------------------ HTTP

  private record Response(int status, String contentType, String body, Map<String, String> headers) {}

  private void handle(HttpExchange exchange) {
    long seq = sequence.incrementAndGet();
    Instant arrival = Instant.now();
    String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
    String rawPath = exchange.getRequestURI().getRawPath();
    Params params;
    boolean malformedQuery = false;
    try {
      params = Params.parse(exchange.getRequestURI().getRawQuery());
    } catch (IllegalArgumentException e) {
      params = Params.parse(null);
      malformedQuery = true;
    }
    String version = "";
    String path = rawPath;
    long userId = 0;
    try {
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      for (String v : List.of("latest", "v1")) {
        String base = "/api/" + v;
        if (rawPath.equals(base) || rawPath.startsWith(base + "/")) {
          version = v;
          path = rawPath.substring(base.length());
          path = path.isEmpty() ? "/" : path;
        }
      }
      if (version.isEmpty()) {
        finish(exchange, record(seq, method, path, params, body, version, false, 0, 404, null, arrival),
            error(ApiError.notFound(), Map.of()));
        return;
      }
      String token = bearer(exchange.getRequestHeaders().getFirst("Authorization"));
      Long user = token == null ? null : userFor(token);
      if (user == null) {
        finish(exchange, record(seq, method, path, params, body, version, false, 0, 401, null, arrival),
            error(ApiError.unauthorized(), Map.of()));
        return;
      }
      userId = user;
      RateWindow.Verdict verdict = window.admit(token, arrival.toEpochMilli());
      Map<String, String> rateHeaders = verdict.limited()
          ? Map.of("X-RateLimit-Remaining", String.valueOf(verdict.remaining()),
              "X-RateLimit-Reset", String.valueOf(verdict.resetEpochSecond()))
          : Map.of();
      if (!verdict.allowed()) {
        window.toldToWait(token, verdict.resetEpochSecond() * 1000);
        finish(exchange, record(seq, method, path, params, body, version, true, userId, 429, "rate limit", arrival),
            new Response(429, "text/plain; charset=utf-8", "Too Many Requests", rateHeaders));
        return;
      }
      if (malformedQuery) {
        finish(exchange, record(seq, method, path, params, body, version, true, userId, 400, null, arrival),
            error(ApiError.badRequest("malformed query string"), rateHeaders));
        return;
      }
      Fault fault = takeFault(method, path);
      if (fault != null && !fault.afterProcessing) {
        switch (fault.kind) {
          case STATUS -> {
            ApiError e = fault.body == null ? ApiError.forStatus(fault.status)
                : ApiError.raw(fault.status, fault.contentType, fault.body);
            Map<String, String> headers = new LinkedHashMap<>(rateHeaders);
            if (fault.retryAfter != null) {
              headers.put("Retry-After", String.valueOf(ceilSeconds(fault.retryAfter)));
            }
            finish(exchange, record(seq, method, path, params, body, version, true, userId, fault.status,
                fault.label(), arrival), error(e, headers));
            return;
          }
          case RATE_LIMITED -> {
            long nowMillis = arrival.toEpochMilli();
            long reset = fault.resetIn == null ? Math.floorDiv(nowMillis, 1000) + 1
                : Math.floorDiv(nowMillis + fault.resetIn.toMillis() + 999, 1000);
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put("X-RateLimit-Remaining", "0");
            headers.put("X-RateLimit-Reset", String.valueOf(reset));
            long until = reset * 1000;
            if (fault.retryAfter != null) {
              headers.put("Retry-After", String.valueOf(ceilSeconds(fault.retryAfter)));
              // A client may follow either hint; only the earlier one can be held against it.
              until = Math.min(until, nowMillis + ceilSeconds(fault.retryAfter) * 1000);
            }
            window.toldToWait(token, until);
            finish(exchange, record(seq, method, path, params, body, version, true, userId, 429, fault.label(),
                arrival), new Response(429, "text/plain; charset=utf-8", "Too Many Requests", headers));
            return;
          }
          case EMPTY_BODY -> {
            finish(exchange, record(seq, method, path, params, body, version, true, userId, 200, fault.label(),
                arrival), new Response(200, "application/json; charset=utf-8", "", rateHeaders));
            return;
          }
          case DROP -> {
            record(seq, method, path, params, body, version, true, userId, 0, fault.label(), arrival);
            log.debug("fake kaiten: {} {} -> dropped", method, path);
            // Closing an exchange before its headers were sent closes the connection without an answer.
            exchange.close();
            return;
          }
          case DELAY -> Thread.sleep(fault.delay.toMillis());
          default -> throw new IllegalStateException("unexpected fault " + fault);
        }
      }
      Response response;
      try {
        KaitenRoutes.Answer answer;
        synchronized (model) {
          answer = routes.dispatch(method, path, params, body, userId);
        }
        String json = emptyListsAsEmptyBody && answer.emptyList() ? "" : Json.write(answer.json());
        response = new Response(answer.status(), "application/json; charset=utf-8", json, rateHeaders);
      } catch (ApiError e) {
        response = error(e, rateHeaders);
      }
      if (fault != null && fault.afterProcessing) {
        if (fault.kind == Fault.Kind.ANSWER_LOST) {
          lose(exchange, record(seq, method, path, params, body, version, true, userId, response.status(),
              fault.label(), arrival), response);
          return;
        }
        Thread.sleep(fault.delay.toMillis());
      }
      finish(exchange, record(seq, method, path, params, body, version, true, userId, response.status(),
          fault == null ? null : fault.label(), arrival), response);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      exchange.close();
    } catch (IOException e) {
      // The client went away (it timed out, most likely); nothing left to answer.
      exchange.close();
    } catch (RuntimeException e) {
      log.warn("fake kaiten: {} {} failed inside the fake", method, path, e);
      try {
        finish(exchange, record(seq, method, path, params, "", version, userId > 0, userId, 500, "fake bug",
            arrival), error(ApiError.forStatus(500), Map.of()));
      } catch (IOException ignored) {
        exchange.close();
      }
    }
  }

  private Long userFor(String token) {
    synchronized (model) {
      byte[] given = token.getBytes(StandardCharsets.UTF_8);
      Long found = null;
      for (Map.Entry<String, Long> e : tokens.entrySet()) {
        if (MessageDigest.isEqual(given, e.getKey().getBytes(StandardCharsets.UTF_8))) {
          found = e.getValue();
        }
      }
      return found;
    }
  }

  private static String bearer(String header) {
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return null;
    }
    String token = header.substring(7).strip();
    return token.isEmpty() ? null : token;
  }

  private static long ceilSeconds(Duration d) {
    return (d.toMillis() + 999) / 1000;
  }

  private static Response error(ApiError e, Map<String, String> headers) {
    return new Response(e.status, e.contentType, e.body, headers);
  }

  private RecordedRequest record(long seq, String method, String path, Params params, String body, String version,
      boolean authorized, long userId, int status, String fault, Instant arrival) {
    RecordedRequest request = new RecordedRequest(seq, method, path, params.values, body, version, authorized,
        userId, status, fault, arrival);
    synchronized (recorded) {
      recorded.add(request);
      recorded.notifyAll();
    }
    return request;
  }

  private static void finish(HttpExchange exchange, RecordedRequest request, Response response) throws IOException {
    // Recorded before answering: a test that got its response must find the request already recorded.
    log.debug("fake kaiten: {} -> {}", request.line(), response.status());
    byte[] bytes = response.body().getBytes(StandardCharsets.UTF_8);
    if (response.contentType() != null && bytes.length > 0) {
      exchange.getResponseHeaders().set("Content-Type", response.contentType());
    }
    response.headers().forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
    exchange.sendResponseHeaders(response.status(), bytes.length == 0 ? -1 : bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  /**
   * Announces a longer body than it writes, then closes: the client has the status line but fails reading the body,
   * so it sees an I/O error, and the JDK client cannot retry it transparently.
   */
  private static void lose(HttpExchange exchange, RecordedRequest request, Response response) throws IOException {
    log.debug("fake kaiten: {} -> {} but the answer is lost", request.line(), response.status());
    try {
      byte[] bytes = response.body().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
      exchange.sendResponseHeaders(response.status(), bytes.length + 512L);
      OutputStream out = exchange.getResponseBody();
      out.write(bytes, 0, bytes.length / 2);
      out.flush();
    } finally {
      // Closing with bytes missing makes the JDK server close the socket instead of reusing it.
      exchange.close();
    }
  }

  // ------------------------------------------------------------------------------------------------ builder

  /** Configuration with Kaiten's defaults in place; not thread-safe, build on one thread. */
  public static final class Builder {
    private String token = DEFAULT_TOKEN;
    private int rateLimit = 5;
    private Clock clock = Clock.systemUTC();
    private boolean emptyListsAsEmptyBody;
    private boolean commentBumpsCardUpdated;
    private boolean webhooksInPlan = true;
    private int webhookAttempts = 1;
    private Duration webhookTimeout = Duration.ofSeconds(5);

    private Builder() {}

    /** The integration user's token; default {@link #DEFAULT_TOKEN}. */
    public Builder token(String token) {
      this.token = Objects.requireNonNull(token, "token");
      return this;
    }

    /** Requests per second per token before 429; default 5, Kaiten's documented limit; 0 for none. */
    public Builder rateLimit(int perSecond) {
      if (perSecond < 0) {
        throw new IllegalArgumentException("rateLimit must be >= 0, was " + perSecond);
      }
      this.rateLimit = perSecond;
      return this;
    }

    /** No rate limit and no rate-limit headers. */
    public Builder noRateLimit() {
      return rateLimit(0);
    }

    /** The clock for created/updated timestamps; the rate limit always uses real time. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Answer every empty list with 200 and no body (a Kaiten quirk). Default off. */
    public Builder emptyListsAsEmptyBody(boolean on) {
      this.emptyListsAsEmptyBody = on;
      return this;
    }

    /**
     * Whether a new comment bumps its card's {@code updated}. Not documented; default off, the stricter case, in
     * which a poller must watch {@code comments_total} to see new comments.
     */
    public Builder commentBumpsCardUpdated(boolean on) {
      this.commentBumpsCardUpdated = on;
      return this;
    }

    /** Whether the plan has the external-webhooks feature; without it those endpoints answer 402. Default on. */
    public Builder webhooksInPlan(boolean inPlan) {
      this.webhooksInPlan = inPlan;
      return this;
    }

    /** Delivery attempts per event (Kaiten documents no retries); default 1. */
    public Builder webhookAttempts(int attempts) {
      if (attempts <= 0) {
        throw new IllegalArgumentException("webhookAttempts must be > 0, was " + attempts);
      }
      this.webhookAttempts = attempts;
      return this;
    }

    /** Connect and answer timeout of one webhook POST; default 5 s. */
    public Builder webhookTimeout(Duration timeout) {
      Objects.requireNonNull(timeout, "webhookTimeout");
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("webhookTimeout must be > 0, was " + timeout);
      }
      this.webhookTimeout = timeout;
      return this;
    }

    /** Binds 127.0.0.1 on an ephemeral port and starts serving. */
    public FakeKaitenServer start() {
      try {
        return new FakeKaitenServer(this);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot start the fake Kaiten server on 127.0.0.1", e);
      }
    }
  }
}
