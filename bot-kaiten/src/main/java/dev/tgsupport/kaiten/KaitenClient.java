package dev.tgsupport.kaiten;

import static dev.tgsupport.core.InvalidInputException.check;
import static dev.tgsupport.core.InvalidInputException.requireNonBlank;
import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tgsupport.core.BotException;
import dev.tgsupport.core.ConflictException;
import dev.tgsupport.core.RetriableException;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small Kaiten REST client on the JDK {@link HttpClient} and Jackson: cards, comments, tags, members, board
 * columns and the current user, as the contract in {@code contracts/kaiten.md} describes them.
 *
 * <p>Rate: every caller of one client shares one {@link RequestGate}, which spaces requests a quarter wider than the
 * configured rate (5 per second by default, so one every 250 ms) and holds everyone back after a 429 or an answer
 * saying no requests are left. A 429 is honoured ({@code Retry-After}, else {@code X-RateLimit-Reset}, else a backoff with jitter). GETs are
 * retried on 429, 5xx and network failures; POST and PATCH never are, because a retry could repeat the side effect:
 * the caller decides (for a card, by looking it up by {@code external_id}).
 *
 * <p>Errors are bot-core exceptions, mapped in {@link KaitenErrors}. Every logical call (retries included) is reported
 * once to the {@link KaitenCallListener}. Thread-safe; one instance per token.
 */
final class KaitenClient implements CardReader {

  private static final Logger log = LoggerFactory.getLogger(KaitenClient.class);
  private static final int MAX_PAGES = 1000;

  /**
   * Knobs tests turn and users need not: retry counts and waits.
   *
   * @param maxGetAttempts attempts of a GET that fails with 5xx or on the network
   * @param maxRateLimitRetries how many 429s in a row a GET waits out before giving up
   * @param backoffBase first wait after a failure, doubled each time, with jitter
   * @param backoffMax the longest backoff
   * @param rateLimitFallback the wait after a 429 that says nothing about when to come back
   * @param maxRateLimitWait the longest a call waits for the limit; longer waits surface as rate-limited errors
   * @param remainingZeroPauseCap the longest pause taken when an answer says no requests are left, because a wrong
   *     clock on either side must not stall the client for long
   * @param spacingMargin how much wider than 1/rate requests are spaced (250 ms at 5 per second), so that a
   *     request delayed between its permit and the wire (scheduling, GC, a new connection) cannot land next to the
   *     following ones and make six in one of Kaiten's seconds
   * @param columnsRefreshMinAge a card in an unknown column re-reads the board's columns at most this often
   */
  record Tuning(
      int maxGetAttempts,
      int maxRateLimitRetries,
      Duration backoffBase,
      Duration backoffMax,
      Duration rateLimitFallback,
      Duration maxRateLimitWait,
      Duration remainingZeroPauseCap,
      double spacingMargin,
      Duration columnsRefreshMinAge) {

    static Tuning defaults() {
      return new Tuning(3, 5, Duration.ofMillis(500), Duration.ofSeconds(8), Duration.ofSeconds(1),
          Duration.ofSeconds(30), Duration.ofSeconds(2), 1.25, Duration.ofSeconds(5));
    }

    Tuning withBackoff(Duration base, Duration max) {
      return new Tuning(maxGetAttempts, maxRateLimitRetries, base, max, rateLimitFallback, maxRateLimitWait,
          remainingZeroPauseCap, spacingMargin, columnsRefreshMinAge);
    }

    Tuning withRateLimitFallback(Duration fallback) {
      return new Tuning(maxGetAttempts, maxRateLimitRetries, backoffBase, backoffMax, fallback, maxRateLimitWait,
          remainingZeroPauseCap, spacingMargin, columnsRefreshMinAge);
    }

    Tuning withMaxRateLimitWait(Duration maxWait) {
      return new Tuning(maxGetAttempts, maxRateLimitRetries, backoffBase, backoffMax, rateLimitFallback, maxWait,
          remainingZeroPauseCap, spacingMargin, columnsRefreshMinAge);
    }
  }

  private record CachedColumns(BoardColumns columns, long loadedAtNanos) {}

  private final KaitenConfig config;
  private final String apiBase;
  private final String authorization;
  private final Redactor redactor;
  private final HttpClient http;
  private final RequestGate gate;
  private final Tuning tuning;
  private final KaitenCallListener listener;
  private final Map<Long, CachedColumns> columnCache = new ConcurrentHashMap<>();

  KaitenClient(KaitenConfig config) {
    this(config, Tuning.defaults());
  }

  KaitenClient(KaitenConfig config, Tuning tuning) {
    this(config, tuning, KaitenCallListener.NONE);
  }

  KaitenClient(KaitenConfig config, Tuning tuning, KaitenCallListener listener) {
    this.config = config;
    this.tuning = tuning;
    this.listener = listener;
    this.apiBase = config.apiUrl().toString();
    this.authorization = "Bearer " + config.token();
    this.redactor = new Redactor(config.token());
    // HTTP/1.1 everywhere: what the tests exercise, and plenty at five requests a second. Redirects are refused
    // rather than followed: one means a wrong base URL, and following it could send the token to another host.
    this.http = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(config.connectTimeout())
        .followRedirects(HttpClient.Redirect.NEVER)
        .build();
    this.gate = new RequestGate(config.requestsPerSecond() / tuning.spacingMargin(), System::nanoTime);
  }

  // ------------------------------------------------------------------------------------------------ users, boards

  /** {@code GET /users/current}: who the token belongs to; the cheapest health check. */
  @Override
  public User currentUser() {
    return read("users_current", "GET", "/users/current", null, KaitenJson::user);
  }

  Board getBoard(long boardId) {
    return read("get_board", "GET", "/boards/" + boardId, null, KaitenJson::board);
  }

  List<Lane> listLanes(long boardId) {
    return readList("list_lanes", "GET", "/boards/" + boardId + "/lanes", n -> KaitenJson.lane(n, boardId));
  }

  /** The board's columns and sub-columns, flattened; cached for {@link KaitenConfig#columnsCacheTtl()}. */
  BoardColumns columns(long boardId) {
    CachedColumns cached = columnCache.get(boardId);
    if (cached != null && System.nanoTime() - cached.loadedAtNanos() < config.columnsCacheTtl().toNanos()) {
      return cached.columns();
    }
    return refreshColumns(boardId);
  }

  /** {@link #columns(long)} read from Kaiten now, whatever the cache holds. */
  BoardColumns refreshColumns(long boardId) {
    String op = "GET /boards/" + boardId + "/columns";
    BoardColumns columns = call("list_columns", attempts -> {
      JsonNode array = exchange(attempts, "GET", "/boards/" + boardId + "/columns", null, true);
      try {
        return new BoardColumns(boardId, KaitenJson.columns(array, boardId));
      } catch (KaitenJson.ShapeException e) {
        throw KaitenErrors.unreadable(op, e.getMessage(), redactor);
      }
    });
    columnCache.put(boardId, new CachedColumns(columns, System.nanoTime()));
    return columns;
  }

  List<Column> listColumns(long boardId) {
    return columns(boardId).columns();
  }

  /**
   * Whether the card is done: its column (or a parent of its sub-column) has type 3, or Kaiten's own {@code state}
   * is 3. A card in a column the cache does not know yet (staff just added it) makes the client re-read the columns,
   * at most once per {@code columnsRefreshMinAge}.
   */
  @Override
  public boolean isDone(Card card) {
    if (card.boardId() <= 0) {
      return card.stateDone();
    }
    BoardColumns columns = columns(card.boardId());
    if (columns.find(card.columnId()).isEmpty()) {
      CachedColumns cached = columnCache.get(card.boardId());
      if (cached == null
          || System.nanoTime() - cached.loadedAtNanos() >= tuning.columnsRefreshMinAge().toNanos()) {
        columns = refreshColumns(card.boardId());
      }
    }
    return columns.isDone(card);
  }

  // ------------------------------------------------------------------------------------------------ cards

  /**
   * {@code POST /cards}, then one {@code POST /cards/{id}/tags} per tag, since the create endpoint takes no tags. A
   * tag that cannot be added is logged and skipped: the card exists, and it is the one side effect that must happen
   * exactly once. The returned card lists the tags that were added.
   *
   * <p>Never retried: after a timeout or a lost answer the card may exist, so look it up by external id first.
   */
  Card createCard(NewCard card) {
    Card created = read("create_card", "POST", "/cards", KaitenJson.newCardBody(card), KaitenJson::card);
    if (card.tags().isEmpty()) {
      return created;
    }
    List<Tag> tags = new ArrayList<>(created.tags());
    for (String name : card.tags()) {
      try {
        Tag tag = addTag(created.id(), name);
        if (tags.stream().noneMatch(t -> t.id() == tag.id())) {
          tags.add(tag);
        }
      } catch (BotException e) {
        log.warn("Kaiten card {} was created, but tag '{}' could not be added: {}", created.id(), name,
            e.getMessage());
      }
    }
    return created.withTags(tags);
  }

  /** {@code GET /cards/{id}}: the full card. @throws dev.tgsupport.core.NotFoundException for an unknown card */
  @Override
  public Card getCard(long cardId) {
    return read("get_card", "GET", "/cards/" + cardId + "?broken_api=false", null, KaitenJson::card);
  }

  /** {@code PATCH /cards/{id}}. Never retried. */
  Card updateCard(long cardId, CardUpdate update) {
    return read("update_card", "PATCH", "/cards/" + cardId, KaitenJson.updateBody(update), KaitenJson::card);
  }

  /**
   * Moves a card to a column (and lane, when not null) of its board and checks that Kaiten's answer shows it there.
   *
   * @throws ConflictException when Kaiten answered but left the card elsewhere (a board rule, a WIP limit)
   */
  Card moveCard(long cardId, long columnId, Long laneId) {
    CardUpdate move = laneId == null ? CardUpdate.move(columnId) : CardUpdate.move(columnId, laneId);
    Card moved = updateCard(cardId, move);
    if (moved.columnId() != columnId) {
      throw new ConflictException("Kaiten did not move card " + cardId + " to column " + columnId
          + ": it is in column " + moved.columnId());
    }
    return moved;
  }

  /**
   * Every card matching the query, page by page until a page comes back short. A card seen on two pages (it changed
   * while we paged) appears once, in its latest form. Paging stops, with a warning, when a full page brings nothing
   * new, since a server that ignores {@code offset} would otherwise be asked forever.
   */
  @Override
  public List<Card> listCards(CardQuery query) {
    Map<Long, Card> cards = new LinkedHashMap<>();
    for (int page = 0; page < MAX_PAGES; page++) {
      int offset = page * query.pageSize();
      List<Card> batch = listCardsPage(query, offset);
      int fresh = 0;
      for (Card card : batch) {
        if (cards.put(card.id(), card) == null) {
          fresh++;
        }
      }
      if (batch.size() < query.pageSize()) {
        return List.copyOf(cards.values());
      }
      if (fresh == 0) {
        log.warn("Kaiten answered GET /cards at offset {} with only cards already seen; stopping there", offset);
        return List.copyOf(cards.values());
      }
    }
    log.warn("Kaiten GET /cards still had cards after {} pages; returning the first {}", MAX_PAGES, cards.size());
    return List.copyOf(cards.values());
  }

  /** One page of {@code GET /cards}. */
  List<Card> listCardsPage(CardQuery query, int offset) {
    check(offset >= 0, "query.offset", "must be >= 0", offset);
    StringJoiner q = new StringJoiner("&", "?", "");
    if (query.boardId() != null) {
      q.add("board_id=" + query.boardId());
    }
    if (query.columnId() != null) {
      q.add("column_id=" + query.columnId());
    }
    if (query.laneId() != null) {
      q.add("lane_id=" + query.laneId());
    }
    if (query.externalId() != null) {
      q.add("external_id=" + encode(query.externalId()));
    }
    if (query.updatedAfter() != null) {
      // Oldest change first, so that changes made while paging land on later pages instead of shifting earlier ones.
      q.add("updated_after=" + encode(KaitenJson.format(query.updatedAfter())));
      q.add("order_by=updated");
      q.add("order_direction=asc");
    }
    if (!query.states().isEmpty()) {
      StringJoiner states = new StringJoiner(",");
      query.states().forEach(s -> states.add(String.valueOf(s)));
      q.add("states=" + encode(states.toString()));
    }
    if (query.withDescription()) {
      q.add("additional_card_fields=description");
    }
    if (query.liveOnly()) {
      q.add("condition=1");
    }
    q.add("broken_api=false");
    q.add("limit=" + query.pageSize());
    q.add("offset=" + offset);
    return readList("list_cards", "GET", "/cards" + q, KaitenJson::card);
  }

  /** The cards carrying this external id: normally none or one, more if duplicates were made by hand. */
  List<Card> findCardsByExternalId(String externalId) {
    requireNonBlank(externalId, "externalId");
    return listCards(CardQuery.externalId(externalId));
  }

  // ------------------------------------------------------------------------------------------------ comments, tags

  /**
   * {@code POST /cards/{id}/comments}. {@code internal} is sent only when true, because whether Kaiten accepts it on
   * create is not documented. Never retried.
   */
  Comment addComment(long cardId, String text, boolean internal) {
    requireNonBlank(text, "comment.text");
    ObjectNode body = KaitenJson.MAPPER.createObjectNode();
    body.put("text", text);
    if (internal) {
      body.put("internal", true);
    }
    return read("add_comment", "POST", "/cards/" + cardId + "/comments", body, KaitenJson::comment);
  }

  /** {@code GET /cards/{id}/comments}: the whole list in one answer; the endpoint is not paginated. */
  @Override
  public List<Comment> listComments(long cardId) {
    return readList("list_comments", "GET", "/cards/" + cardId + "/comments", KaitenJson::comment);
  }

  /** {@code POST /cards/{id}/tags}: adds a tag by name; Kaiten creates it when new. Never retried. */
  Tag addTag(long cardId, String name) {
    requireNonBlank(name, "tag.name");
    check(name.length() <= KaitenConfig.MAX_TAG_LENGTH, "tag.name", "must be at most 128 characters", name);
    ObjectNode body = KaitenJson.MAPPER.createObjectNode();
    body.put("name", name);
    return read("add_tag", "POST", "/cards/" + cardId + "/tags", body, KaitenJson::tag);
  }

  List<Member> listMembers(long cardId) {
    return readList("list_members", "GET", "/cards/" + cardId + "/members", KaitenJson::member);
  }

  /** {@code POST /cards/{id}/members}. Never retried. */
  Member addMember(long cardId, long userId) {
    ObjectNode body = KaitenJson.MAPPER.createObjectNode();
    body.put("user_id", userId);
    return read("add_member", "POST", "/cards/" + cardId + "/members", body, KaitenJson::member);
  }

  @Override
  public String toString() {
    return "KaitenClient{" + apiBase + ", " + config.requestsPerSecond() + " req/s}";
  }

  // ------------------------------------------------------------------------------------------------ HTTP

  private <T> T read(String operation, String method, String path, JsonNode body, Function<JsonNode, T> mapper) {
    return call(operation, attempts -> {
      JsonNode node = exchange(attempts, method, path, body, false);
      try {
        return mapper.apply(node);
      } catch (KaitenJson.ShapeException e) {
        throw KaitenErrors.unreadable(method + " " + path, e.getMessage(), redactor);
      }
    });
  }

  private <T> List<T> readList(String operation, String method, String path, Function<JsonNode, T> mapper) {
    return call(operation, attempts -> {
      JsonNode array = exchange(attempts, method, path, null, true);
      List<T> out = new ArrayList<>(array.size());
      try {
        for (JsonNode item : array) {
          out.add(mapper.apply(item));
        }
      } catch (KaitenJson.ShapeException e) {
        throw KaitenErrors.unreadable(method + " " + path, e.getMessage(), redactor);
      }
      return out;
    });
  }

  /** The requests one logical call sent; counted by {@link #exchange}, reported by {@link #call}. */
  private static final class Attempts {
    int sent;
  }

  /** Runs one logical call (its retries included) and tells the listener about it, whether it worked or not. */
  private <T> T call(String operation, Function<Attempts, T> work) {
    Attempts attempts = new Attempts();
    long started = System.nanoTime();
    String error = null;
    try {
      return work.apply(attempts);
    } catch (RuntimeException | Error e) {
      // An anonymous class has no simple name; the event must still name something.
      error = e.getClass().getSimpleName().isEmpty() ? e.getClass().getName() : e.getClass().getSimpleName();
      throw e;
    } finally {
      report(operation, System.nanoTime() - started, attempts.sent, error);
    }
  }

  private void report(String operation, long nanos, int attempts, String error) {
    try {
      listener.onCall(new KaitenCall(operation, Duration.ofNanos(nanos), attempts, error));
    } catch (RuntimeException e) {
      // A broken listener must not turn a call that worked into a failure, nor hide the failure that happened.
      log.warn("Kaiten call listener {} threw on {}; ignored: {}", listener.getClass().getName(), operation,
          e.toString());
    }
  }

  /**
   * One call with the shared limit and the retry rules. {@code list} answers are JSON arrays, and an empty body
   * counts as an empty one (Kaiten sometimes answers an empty list with 200 and no body).
   */
  private JsonNode exchange(Attempts attempts, String method, String path, JsonNode body, boolean list) {
    String op = method + " " + path;
    boolean idempotent = method.equals("GET");
    int failures = 0;
    int rateLimited = 0;
    while (true) {
      awaitPermit(op);
      HttpResponse<String> response;
      long started = System.nanoTime();
      attempts.sent++;
      try {
        response = http.send(request(method, path, body), HttpResponse.BodyHandlers.ofString(UTF_8));
      } catch (HttpTimeoutException e) {
        // A timed-out GET is not repeated: it has used up its time already.
        throw KaitenErrors.forTransport(op, e, idempotent, failures + 1, config.requestTimeout(), redactor);
      } catch (IOException e) {
        failures++;
        if (idempotent && failures < tuning.maxGetAttempts()) {
          Duration wait = backoff(failures);
          log.warn("Kaiten {} failed on the network ({}); retrying in {} ms", op, e.getClass().getSimpleName(),
              wait.toMillis());
          sleep(wait, op);
          continue;
        }
        throw KaitenErrors.forTransport(op, e, idempotent, failures, config.requestTimeout(), redactor);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new RetriableException("interrupted while calling Kaiten " + op
            + (idempotent ? "" : "; it may have been applied, look it up before repeating it"), e);
      }
      int status = response.statusCode();
      Instant now = Instant.now();
      RateHints hints = RateHints.from(response.headers(), now);
      log.debug("Kaiten {} -> {} in {} ms", op, status, (System.nanoTime() - started) / 1_000_000);
      if (status != 429) {
        holdBackWhenExhausted(hints, now);
      }
      if (status >= 200 && status < 300) {
        return parse(op, response.body(), list);
      }
      if (status == 429) {
        rateLimited++;
        Duration wait = rateLimitWait(hints, now, rateLimited);
        gate.pauseFor(wait);
        if (idempotent && rateLimited <= tuning.maxRateLimitRetries()
            && wait.compareTo(tuning.maxRateLimitWait()) <= 0) {
          log.info("Kaiten rate limit on {}; retrying in {} ms (retry {} of {})", op, wait.toMillis(), rateLimited,
              tuning.maxRateLimitRetries());
          continue;
        }
        throw KaitenErrors.rateLimited(op, wait, "429");
      }
      if (status >= 500 && idempotent && ++failures < tuning.maxGetAttempts()) {
        Duration wait = backoff(failures);
        log.warn("Kaiten {} failed ({}); retrying in {} ms", op, status, wait.toMillis());
        sleep(wait, op);
        continue;
      }
      BotException error = KaitenErrors.forStatus(op, status, response.body(),
          response.headers().firstValue("Location"), redactor);
      log.debug("Kaiten {} failed: {}", op, error.getMessage());
      throw error;
    }
  }

  private HttpRequest request(String method, String path, JsonNode body) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(apiBase + path))
        .timeout(config.requestTimeout())
        .header("Authorization", authorization)
        .header("Accept", "application/json");
    if (body == null) {
      return builder.method(method, HttpRequest.BodyPublishers.noBody()).build();
    }
    String json;
    try {
      json = KaitenJson.MAPPER.writeValueAsString(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the body of " + method + " " + path, e);
    }
    return builder.header("Content-Type", "application/json; charset=utf-8")
        .method(method, HttpRequest.BodyPublishers.ofString(json, UTF_8))
        .build();
  }

  private JsonNode parse(String op, String body, boolean list) {
    if (body == null || body.isBlank()) {
      if (list) {
        return KaitenJson.MAPPER.createArrayNode();
      }
      throw KaitenErrors.unreadable(op, "an empty body", redactor);
    }
    JsonNode node;
    try {
      node = KaitenJson.MAPPER.readTree(body);
    } catch (JsonProcessingException e) {
      String start = body.strip();
      throw KaitenErrors.unreadable(op, "something that is not JSON: "
          + (start.length() > 80 ? start.substring(0, 80) + "…" : start), redactor);
    }
    if (list && !node.isArray()) {
      String type = node.getNodeType().name().toLowerCase(Locale.ROOT);
      throw KaitenErrors.unreadable(op, "a JSON " + type + " where a list was due", redactor);
    }
    return node;
  }

  private void awaitPermit(String op) {
    Duration wouldWait;
    try {
      wouldWait = gate.acquire(tuning.maxRateLimitWait());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RetriableException("interrupted while waiting for the Kaiten rate limit before " + op, e);
    }
    if (!wouldWait.isZero()) {
      throw KaitenErrors.rateLimited(op, wouldWait, "the client would have to wait longer than "
          + tuning.maxRateLimitWait().toMillis() + " ms");
    }
  }

  /** An answer saying no requests are left in this window holds everyone back until the window resets. */
  private void holdBackWhenExhausted(RateHints hints, Instant now) {
    if (hints.remaining() == null || hints.remaining() > 0) {
      return;
    }
    Duration untilReset = hints.untilReset(now);
    if (untilReset != null) {
      Duration cap = tuning.remainingZeroPauseCap();
      gate.pauseFor(untilReset.compareTo(cap) > 0 ? cap : untilReset);
    }
  }

  /** {@code Retry-After}, else {@code X-RateLimit-Reset}, else a backoff with jitter from the fallback. */
  private Duration rateLimitWait(RateHints hints, Instant now, int attempt) {
    if (hints.retryAfter() != null) {
      return hints.retryAfter();
    }
    Duration untilReset = hints.untilReset(now);
    if (untilReset != null) {
      // A few milliseconds more, so that we do not knock on the door at the very instant it opens.
      return untilReset.plusMillis(10);
    }
    return jitter(tuning.rateLimitFallback().multipliedBy(1L << Math.min(attempt - 1, 5)));
  }

  private Duration backoff(int failures) {
    Duration wait = tuning.backoffBase().multipliedBy(1L << Math.min(failures - 1, 10));
    return jitter(wait.compareTo(tuning.backoffMax()) > 0 ? tuning.backoffMax() : wait);
  }

  /** Between half and all of {@code wait}, so that callers failing together do not come back together. */
  private static Duration jitter(Duration wait) {
    long millis = Math.max(1, wait.toMillis());
    return Duration.ofMillis(millis / 2 + ThreadLocalRandom.current().nextLong(millis / 2 + 1));
  }

  private static void sleep(Duration wait, String op) {
    try {
      Thread.sleep(wait.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RetriableException("interrupted while waiting to retry Kaiten " + op, e);
    }
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, UTF_8);
  }
}
