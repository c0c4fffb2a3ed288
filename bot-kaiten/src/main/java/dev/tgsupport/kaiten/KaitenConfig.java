package dev.tgsupport.kaiten;

import static dev.tgsupport.core.InvalidInputException.check;
import static dev.tgsupport.core.InvalidInputException.requireNonNull;

import dev.tgsupport.core.InvalidInputException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/**
 * Where the Kaiten bridge finds Kaiten and where it puts tickets: the API address and token, the board, column and
 * (optionally) lane and card type of new cards, the custom properties that carry the Telegram user and chat, the tags
 * added to every card, how often to poll for changes, and the client's timeouts and request rate.
 *
 * <pre>{@code
 * KaitenConfig config = KaitenConfig.builder()
 *     .baseUrl("https://acme.kaiten.ru")          // or .../api/v1, .../api/latest, an on-prem host
 *     .token(System.getenv("KAITEN_TOKEN"))
 *     .boardId(101).columnId(1001)
 *     .laneId(2001).cardTypeId(7)
 *     .telegramUserPropertyId(15).telegramChatPropertyId(16)
 *     .tags(List.of("telegram"))
 *     .build();
 * }</pre>
 *
 * <p>Every setter and {@link Builder#build()} validate at once and throw {@link InvalidInputException} naming the
 * field ({@code kaiten.boardId}) and the refused value, except the token, whose value is never shown: not in error
 * messages, not in {@link #toString()}, not in logs.
 *
 * <p>Immutable and thread-safe; derive variants with {@link #toBuilder()}.
 */
public final class KaitenConfig {

  /** The Kaiten API limit: "5 requests per second", per token as far as is known. */
  public static final double DEFAULT_REQUESTS_PER_SECOND = 5;
  public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofMinutes(1);
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);
  public static final Duration DEFAULT_COLUMNS_CACHE_TTL = Duration.ofMinutes(10);

  /** Kaiten's limit on a tag name. */
  static final int MAX_TAG_LENGTH = 128;

  private static final String LATEST = "/api/latest";
  private static final Pattern API_ROOT = Pattern.compile(".*/api/(latest|v\\d+)");

  private final URI apiUrl;
  private final String token;
  private final long boardId;
  private final long columnId;
  private final Long laneId;
  private final Long cardTypeId;
  private final Long telegramUserPropertyId;
  private final Long telegramChatPropertyId;
  private final List<String> tags;
  private final Duration pollInterval;
  private final Duration connectTimeout;
  private final Duration requestTimeout;
  private final double requestsPerSecond;
  private final Duration columnsCacheTtl;

  private KaitenConfig(Builder b) {
    this.apiUrl = b.apiUrl;
    this.token = b.token;
    this.boardId = b.boardId;
    this.columnId = b.columnId;
    this.laneId = b.laneId;
    this.cardTypeId = b.cardTypeId;
    this.telegramUserPropertyId = b.telegramUserPropertyId;
    this.telegramChatPropertyId = b.telegramChatPropertyId;
    this.tags = List.copyOf(b.tags);
    this.pollInterval = b.pollInterval;
    this.connectTimeout = b.connectTimeout;
    this.requestTimeout = b.requestTimeout;
    this.requestsPerSecond = b.requestsPerSecond;
    this.columnsCacheTtl = b.columnsCacheTtl;
  }

  /** A builder with the defaults; base URL, token, board and column have none and must be set. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this configuration, to change a few settings. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.apiUrl = apiUrl;
    b.token = token;
    b.boardId = boardId;
    b.columnId = columnId;
    b.laneId = laneId;
    b.cardTypeId = cardTypeId;
    b.telegramUserPropertyId = telegramUserPropertyId;
    b.telegramChatPropertyId = telegramChatPropertyId;
    b.tags = new ArrayList<>(tags);
    b.pollInterval = pollInterval;
    b.connectTimeout = connectTimeout;
    b.requestTimeout = requestTimeout;
    b.requestsPerSecond = requestsPerSecond;
    b.columnsCacheTtl = columnsCacheTtl;
    return b;
  }

  /** The API root every path is resolved against, ending in {@code /api/latest} or {@code /api/v1}; no slash. */
  public URI apiUrl() {
    return apiUrl;
  }

  /**
   * The web address of a card, {@code https://<company>.kaiten.ru/<card_id>}: the API root without its
   * {@code /api/...} suffix, then the card id.
   */
  public URI cardUrl(long cardId) {
    String api = apiUrl.toString();
    int at = api.lastIndexOf("/api/");
    return URI.create((at >= 0 ? api.substring(0, at) : api) + "/" + cardId);
  }

  // Package-private on purpose: nothing outside the bridge needs the token back.
  String token() {
    return token;
  }

  public long boardId() {
    return boardId;
  }

  public long columnId() {
    return columnId;
  }

  public OptionalLong laneId() {
    return optional(laneId);
  }

  public OptionalLong cardTypeId() {
    return optional(cardTypeId);
  }

  /** The custom property ({@code properties.id_<N>}) that receives the Telegram user id; empty when not used. */
  public OptionalLong telegramUserPropertyId() {
    return optional(telegramUserPropertyId);
  }

  /** The custom property ({@code properties.id_<N>}) that receives the Telegram chat id; empty when not used. */
  public OptionalLong telegramChatPropertyId() {
    return optional(telegramChatPropertyId);
  }

  /** Tags added to every new card, in order, without duplicates. */
  public List<String> tags() {
    return tags;
  }

  /** How often the reconciliation poller asks Kaiten for changed cards. */
  public Duration pollInterval() {
    return pollInterval;
  }

  public Duration connectTimeout() {
    return connectTimeout;
  }

  /** The longest one HTTP exchange may take, from sending the request to the end of the answer. */
  public Duration requestTimeout() {
    return requestTimeout;
  }

  /**
   * The client's own limit, shared by every caller of one client; lower it when several processes share a token.
   * Requests are spaced a quarter wider than this (250 ms at 5 per second) to absorb network and scheduling jitter.
   */
  public double requestsPerSecond() {
    return requestsPerSecond;
  }

  /** How long a board's columns are cached before they are read again. */
  public Duration columnsCacheTtl() {
    return columnsCacheTtl;
  }

  @Override
  public String toString() {
    return "KaitenConfig{apiUrl=" + apiUrl + ", token=<hidden>, boardId=" + boardId + ", columnId=" + columnId
        + (laneId == null ? "" : ", laneId=" + laneId)
        + (cardTypeId == null ? "" : ", cardTypeId=" + cardTypeId)
        + (telegramUserPropertyId == null ? "" : ", telegramUserPropertyId=" + telegramUserPropertyId)
        + (telegramChatPropertyId == null ? "" : ", telegramChatPropertyId=" + telegramChatPropertyId)
        + ", tags=" + tags + ", pollInterval=" + pollInterval + ", connectTimeout=" + connectTimeout
        + ", requestTimeout=" + requestTimeout + ", requestsPerSecond=" + requestsPerSecond
        + ", columnsCacheTtl=" + columnsCacheTtl + "}";
  }

  private static OptionalLong optional(Long value) {
    return value == null ? OptionalLong.empty() : OptionalLong.of(value);
  }

  /**
   * Collects and validates the settings; each setter throws {@link InvalidInputException} for a bad value. Not
   * thread-safe; build on one thread.
   */
  public static final class Builder {
    private URI apiUrl;
    private String token;
    private long boardId;
    private long columnId;
    private Long laneId;
    private Long cardTypeId;
    private Long telegramUserPropertyId;
    private Long telegramChatPropertyId;
    private List<String> tags = new ArrayList<>();
    private Duration pollInterval = DEFAULT_POLL_INTERVAL;
    private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
    private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
    private double requestsPerSecond = DEFAULT_REQUESTS_PER_SECOND;
    private Duration columnsCacheTtl = DEFAULT_COLUMNS_CACHE_TTL;

    private Builder() {}

    /**
     * The Kaiten address: the company host ({@code https://acme.kaiten.ru}), the API root ({@code .../api/v1},
     * {@code .../api/latest}) or any on-prem or custom-domain host, with or without a path prefix. Without a scheme
     * {@code https://} is assumed; without an {@code /api/...} suffix {@code /api/latest} is added.
     */
    public Builder baseUrl(String baseUrl) {
      this.apiUrl = normalize(baseUrl);
      return this;
    }

    /**
     * The personal API key from {@code https://<company>.kaiten.ru/profile/api-key}, sent as a Bearer token.
     * Surrounding whitespace is dropped. It never appears in messages, logs or {@code toString()}.
     */
    public Builder token(String token) {
      if (token == null || token.isBlank()) {
        throw new InvalidInputException("kaiten.token", "is required (set KAITEN_TOKEN)");
      }
      String t = token.strip();
      for (int i = 0; i < t.length(); i++) {
        char c = t.charAt(i);
        if (c <= 0x20 || c >= 0x7f) {
          // Say what is wrong with its shape, never what it is: it may be a real key pasted by mistake.
          throw new InvalidInputException("kaiten.token", "is malformed: it must be printable ASCII without spaces ("
              + t.length() + " characters given, a bad one at position " + (i + 1) + "; value not shown)");
        }
      }
      this.token = t;
      return this;
    }

    /** The board new cards go to. Required. */
    public Builder boardId(long boardId) {
      this.boardId = positive(boardId, "kaiten.boardId");
      return this;
    }

    /** The column new cards go to, usually the board's queue column. Required. */
    public Builder columnId(long columnId) {
      this.columnId = positive(columnId, "kaiten.columnId");
      return this;
    }

    /** The lane (swimlane) of new cards; unset means Kaiten's default lane. */
    public Builder laneId(long laneId) {
      this.laneId = positive(laneId, "kaiten.laneId");
      return this;
    }

    /** The card type of new cards; unset means the lane's or board's default type. */
    public Builder cardTypeId(long cardTypeId) {
      this.cardTypeId = positive(cardTypeId, "kaiten.cardTypeId");
      return this;
    }

    /** A company custom property (from {@code GET /company/custom-properties}) set to the Telegram user id. */
    public Builder telegramUserPropertyId(long propertyId) {
      this.telegramUserPropertyId = positive(propertyId, "kaiten.telegramUserPropertyId");
      return this;
    }

    /** A company custom property (from {@code GET /company/custom-properties}) set to the Telegram chat id. */
    public Builder telegramChatPropertyId(long propertyId) {
      this.telegramChatPropertyId = positive(propertyId, "kaiten.telegramChatPropertyId");
      return this;
    }

    /** Tags added to every card, each 1 to 128 characters; Kaiten creates unknown ones. Replaces earlier tags. */
    public Builder tags(Collection<String> tags) {
      requireNonNull(tags, "kaiten.tags");
      LinkedHashSet<String> unique = new LinkedHashSet<>();
      for (String tag : tags) {
        check(tag != null && !tag.isBlank(), "kaiten.tags", "must not contain blank names", tag);
        String name = tag.strip();
        check(name.length() <= MAX_TAG_LENGTH, "kaiten.tags",
            "must contain names of at most " + MAX_TAG_LENGTH + " characters", name);
        unique.add(name);
      }
      this.tags = new ArrayList<>(unique);
      return this;
    }

    /** How often to poll Kaiten for changed cards (webhooks may be missed); 1 second to 1 day. Default 1 minute. */
    public Builder pollInterval(Duration interval) {
      requireNonNull(interval, "kaiten.pollInterval");
      check(interval.compareTo(Duration.ofSeconds(1)) >= 0 && interval.compareTo(Duration.ofDays(1)) <= 0,
          "kaiten.pollInterval", "must be between 1 second and 1 day", interval);
      this.pollInterval = interval;
      return this;
    }

    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = positive(timeout, "kaiten.connectTimeout");
      return this;
    }

    /** The longest one HTTP exchange may take. Default 30 seconds. */
    public Builder requestTimeout(Duration timeout) {
      this.requestTimeout = positive(timeout, "kaiten.requestTimeout");
      return this;
    }

    /** The client's request rate, more than 0 and at most 50; default 5, Kaiten's documented limit. */
    public Builder requestsPerSecond(double requestsPerSecond) {
      check(requestsPerSecond > 0 && requestsPerSecond <= 50, "kaiten.requestsPerSecond",
          "must be > 0 and <= 50", requestsPerSecond);
      this.requestsPerSecond = requestsPerSecond;
      return this;
    }

    /** How long board columns stay cached; staff rarely change columns. Default 10 minutes. */
    public Builder columnsCacheTtl(Duration ttl) {
      this.columnsCacheTtl = positive(ttl, "kaiten.columnsCacheTtl");
      return this;
    }

    /** Checks that the required settings are present. @throws InvalidInputException naming the missing field */
    public KaitenConfig build() {
      if (apiUrl == null) {
        throw new InvalidInputException("kaiten.baseUrl", "is required (set KAITEN_BASE_URL, "
            + "e.g. https://<company>.kaiten.ru)");
      }
      if (token == null) {
        throw new InvalidInputException("kaiten.token", "is required (set KAITEN_TOKEN)");
      }
      check(boardId > 0, "kaiten.boardId", "is required and must be > 0", boardId);
      check(columnId > 0, "kaiten.columnId", "is required and must be > 0", columnId);
      return new KaitenConfig(this);
    }

    @Override
    public String toString() {
      return "KaitenConfig.Builder{apiUrl=" + apiUrl + ", token=" + (token == null ? "unset" : "<set>")
          + ", boardId=" + boardId + ", columnId=" + columnId + "}";
    }

    private static long positive(long value, String field) {
      check(value > 0, field, "must be > 0", value);
      return value;
    }

    private static Duration positive(Duration value, String field) {
      requireNonNull(value, field);
      check(!value.isNegative() && !value.isZero(), field, "must be positive", value);
      return value;
    }

    static URI normalize(String baseUrl) {
      if (baseUrl == null || baseUrl.isBlank()) {
        throw new InvalidInputException("kaiten.baseUrl", "must not be blank, was " + (baseUrl == null ? "null"
            : "\"" + baseUrl + "\"") + " (e.g. https://<company>.kaiten.ru)");
      }
      String text = baseUrl.strip();
      if (!text.contains("://")) {
        text = "https://" + text;
      }
      URI uri;
      try {
        uri = new URI(text);
      } catch (URISyntaxException e) {
        throw new InvalidInputException("kaiten.baseUrl", "is not a URL (" + e.getReason() + ")"
            + (text.contains("@") ? "" : ", was \"" + baseUrl.strip() + "\""));
      }
      if (uri.getRawUserInfo() != null) {
        // The user info may hold a password, so the value is not shown.
        throw new InvalidInputException("kaiten.baseUrl", "must not contain user info (user:password@); "
            + "Kaiten authenticates with kaiten.token (value not shown)");
      }
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      check(scheme.equals("https") || scheme.equals("http"), "kaiten.baseUrl", "must be an http(s) URL", baseUrl);
      check(uri.getHost() != null && !uri.getHost().isBlank(), "kaiten.baseUrl", "must name a host", baseUrl);
      check(uri.getRawQuery() == null && uri.getRawFragment() == null, "kaiten.baseUrl",
          "must not have a query or fragment", baseUrl);
      String path = uri.getRawPath() == null ? "" : uri.getRawPath();
      while (path.endsWith("/")) {
        path = path.substring(0, path.length() - 1);
      }
      if (path.endsWith("/api")) {
        path = path + "/latest";
      } else if (!API_ROOT.matcher(path).matches()) {
        check(!path.contains("/api/"), "kaiten.baseUrl",
            "must be the company host or the API root (.../api/latest or .../api/v1), not an endpoint", baseUrl);
        // The company host, perhaps with an on-prem path prefix.
        path = path + LATEST;
      }
      String authority = uri.getRawAuthority();
      return URI.create(scheme + "://" + authority + path);
    }
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof KaitenConfig other)) {
      return false;
    }
    return boardId == other.boardId && columnId == other.columnId
        && Double.compare(requestsPerSecond, other.requestsPerSecond) == 0 && apiUrl.equals(other.apiUrl)
        && token.equals(other.token) && Objects.equals(laneId, other.laneId)
        && Objects.equals(cardTypeId, other.cardTypeId)
        && Objects.equals(telegramUserPropertyId, other.telegramUserPropertyId)
        && Objects.equals(telegramChatPropertyId, other.telegramChatPropertyId) && tags.equals(other.tags)
        && pollInterval.equals(other.pollInterval) && connectTimeout.equals(other.connectTimeout)
        && requestTimeout.equals(other.requestTimeout) && columnsCacheTtl.equals(other.columnsCacheTtl);
  }

  @Override
  public int hashCode() {
    return Objects.hash(apiUrl, boardId, columnId, laneId, cardTypeId, tags);
  }
}
