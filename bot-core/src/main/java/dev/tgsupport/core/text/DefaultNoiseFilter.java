package dev.tgsupport.core.text;

import dev.tgsupport.core.memory.InMemoryFloodCounter;
import dev.tgsupport.core.model.IncomingMessage;
import dev.tgsupport.core.model.MessageType;
import dev.tgsupport.core.model.NoiseVerdict;
import dev.tgsupport.core.port.FloodCounter;
import dev.tgsupport.core.port.NoiseFilter;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The default {@link NoiseFilter}: Russian and English small talk, stickers, and flood.
 *
 * <p>A message is noise only when it says nothing a support agent could act on. The verdict's reason is one of
 * these stable strings:
 *
 * <ul>
 *   <li>{@code "empty"}: a text message that is blank or only punctuation ("...", "???");
 *   <li>{@code "sticker"}: any sticker;
 *   <li>{@code "emoji_only"}: only emoji or emoticons ("🔥🔥", ")))");
 *   <li>{@code "greeting"}, {@code "thanks"}, {@code "ack"}: the text consists <em>entirely</em> of greetings,
 *       thanks or acknowledgements ("ok", "понятно", "+1", "👍", "got it"), in any mix with punctuation, emoji,
 *       addressing words ("всем", "guys", "ребята", an @mention, the bot's name) and intensifiers ("большое",
 *       "a lot"); a message that both thanks and greets is "thanks", one that greets and acknowledges is
 *       "greeting". Common variants, stretched letters ("спасибооо") and one typo in longer words ("спосибо") are
 *       recognised. A single word beyond these makes the message content: "спасибо, а как сбросить пароль?" and
 *       "hi, how do I export my data?" are not noise;
 *   <li>{@code "flood"}: the same text (compared after {@link TextNormalizer#normalize}) sent by one user in one
 *       chat for the {@code floodRepeats}-th time within {@code floodWindow}. Every text counts towards flood,
 *       noise or not, but a message that is already small talk keeps its more specific reason. A redelivery of
 *       the same Telegram message (same chat and message id) is not a repeat: it gets the verdict it got first;
 *   <li>{@code "no_text"}: a photo, document or other media without caption in a group or supergroup, where
 *       it is chatter between members. In a private chat such a message is not noise: the user is showing the
 *       problem;
 *   <li>{@code "spam:<check>"}: only with a {@link Builder#spamDetector}: the text or caption of a group message
 *       (and of a private one with {@link Builder#spamInPrivateChats}) is spam, and {@code <check>} is the check
 *       that decided, such as {@code "spam:stop_words"} or {@code "spam:classifier"} (see {@link SpamDetector}).
 *       The author's first {@link Builder#firstMessages} messages in a chat get the detector's stricter limits.
 *       Spam is stored and never answered like all noise; deleting it or restricting its author is the Telegram
 *       adapter's business, not this filter's.
 * </ul>
 *
 * <p>Commands ({@link IncomingMessage#isCommand()}) are never noise and do not count towards flood; neither do voice
 * messages, which always carry content. The caption of a media message in a private chat is not judged as small
 * talk either (a screenshot captioned "привет" shows the problem), though it counts towards flood.
 *
 * <pre>{@code
 * NoiseFilter filter = DefaultNoiseFilter.builder()
 *     .floodWindow(Duration.ofSeconds(30))
 *     .botNames("HelpDeskBot", "Хелпер")
 *     .build();
 * }</pre>
 *
 * <p>Thread-safe: {@link #check} may be called from any thread. Flood counts live in a {@link FloodCounter}: by
 * default an {@link InMemoryFloodCounter} of this process, per (chat, user), bounded by {@code maxTrackedUsers}. When
 * several instances serve one bot, give them a shared counter, so a flood spread over instances is still seen:
 *
 * <pre>{@code
 * NoiseFilter shared = DefaultNoiseFilter.builder().floodCounter(redisSupport.floodCounter()).build();
 * }</pre>
 */
public final class DefaultNoiseFilter implements NoiseFilter {
  private final Duration floodWindow;
  private final int floodRepeats;
  private final Clock clock;
  private final int maxTrackedUsers;
  private final List<String> botNames;
  private final NoiseLexicon lexicon;
  /** The counter given to the builder, or null for a private in-memory one. */
  private final FloodCounter sharedCounter;
  private final FloodCounter flood;
  private final TextNormalizer normalizer = TextNormalizer.create();
  /** Null without spam detection; asked per message, so a detector that staff teach takes effect at once. */
  private final Supplier<SpamDetector> spamDetector;
  private final boolean spamInPrivateChats;
  private final int firstMessages;
  private final FirstMessages newcomers;

  private DefaultNoiseFilter(Builder b) {
    this.spamDetector = b.spamDetector;
    this.spamInPrivateChats = b.spamInPrivateChats;
    this.firstMessages = b.firstMessages;
    this.newcomers = new FirstMessages(b.maxTrackedUsers);
    this.floodWindow = b.floodWindow;
    this.floodRepeats = b.floodRepeats;
    this.clock = b.clock;
    this.maxTrackedUsers = b.maxTrackedUsers;
    this.botNames = List.copyOf(b.botNames);
    this.lexicon = new NoiseLexicon(botNames);
    this.sharedCounter = b.floodCounter;
    this.flood = b.floodCounter != null ? b.floodCounter : InMemoryFloodCounter.create(clock, maxTrackedUsers);
  }

  /** A builder with the defaults: 60 s window, the 3rd repeat is flood, system UTC clock, 100,000 users. */
  public static Builder builder() {
    return new Builder();
  }

  /** A filter with every default. */
  public static DefaultNoiseFilter ofDefaults() {
    return builder().build();
  }

  /**
   * A builder holding this filter's settings. The new filter starts with no flood history, unless a counter was
   * given with {@link Builder#floodCounter}: that one is shared.
   */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.floodWindow = floodWindow;
    b.floodRepeats = floodRepeats;
    b.clock = clock;
    b.maxTrackedUsers = maxTrackedUsers;
    b.botNames.addAll(botNames);
    b.floodCounter = sharedCounter;
    b.spamDetector = spamDetector;
    b.spamInPrivateChats = spamInPrivateChats;
    b.firstMessages = firstMessages;
    return b;
  }

  @Override
  public NoiseVerdict check(IncomingMessage message) {
    Objects.requireNonNull(message, "message");
    if (message.isCommand()) {
      return NoiseVerdict.clean();
    }
    if (message.type() == MessageType.STICKER) {
      return NoiseVerdict.noise("sticker");
    }
    String text = message.text();
    if (text.isBlank()) {
      return blankVerdict(message);
    }
    if (message.type() == MessageType.VOICE) {
      return NoiseVerdict.clean();
    }
    String normalized = normalizer.normalize(text);
    long hash = hash(normalized.isEmpty() ? text.strip() : normalized);
    int seen = flood.record(message.chat().id(), message.user().id(), message.telegramMessageId(), hash, floodWindow);
    // A screenshot captioned "привет" in a private chat is the user showing a problem; in a group it is chatter.
    boolean judgeText = message.type() == MessageType.TEXT || message.chat().isGroup();
    if (spamDetector != null && (message.chat().isGroup() || spamInPrivateChats)) {
      int seenBefore = newcomers.record(message.chat().id(), message.user().id(), message.telegramMessageId());
      SpamDetector.SpamVerdict spam = spamDetector.get().check(text, seenBefore < firstMessages);
      if (spam.spam()) {
        return NoiseVerdict.noise("spam:" + spam.checks().get(0));
      }
    }
    String reason = judgeText ? lexicon.classify(text) : null;
    if (reason != null) {
      return NoiseVerdict.noise(reason);
    }
    return seen >= floodRepeats ? NoiseVerdict.noise("flood") : NoiseVerdict.clean();
  }

  private static NoiseVerdict blankVerdict(IncomingMessage message) {
    return switch (message.type()) {
      case TEXT -> NoiseVerdict.noise("empty");
      // A GIF with nothing said is a reaction, in any chat.
      case ANIMATION -> NoiseVerdict.noise("animation");
      case PHOTO, DOCUMENT, VIDEO, CONTACT, LOCATION, OTHER ->
          message.chat().isGroup() ? NoiseVerdict.noise("no_text") : NoiseVerdict.clean();
      default -> NoiseVerdict.clean();
    };
  }

  /** 64-bit FNV-1a: enough to tell a user's few recent texts apart. */
  static long hash(CharSequence s) {
    long h = 0xcbf29ce484222325L;
    for (int i = 0; i < s.length(); i++) {
      h ^= s.charAt(i);
      h *= 0x100000001b3L;
    }
    return h;
  }

  /**
   * How many messages each (chat, user) pair has sent, the least recently active pair forgotten first. A redelivered
   * message (an id not above the last one seen) does not count again.
   */
  private static final class FirstMessages {
    private final int capacity;
    private final Map<Pair, long[]> seen;

    FirstMessages(int capacity) {
      this.capacity = capacity;
      this.seen = new LinkedHashMap<>(16, 0.75f, true);
    }

    /** The number of messages of this pair seen before this one. */
    synchronized int record(long chat, long user, long messageId) {
      Pair key = new Pair(chat, user);
      long[] state = seen.get(key);
      if (state == null) {
        state = new long[] {0, Long.MIN_VALUE};
        seen.put(key, state);
        if (seen.size() > capacity) {
          seen.remove(seen.keySet().iterator().next());
        }
      }
      int before = (int) Math.min(Integer.MAX_VALUE, state[0]);
      if (messageId > state[1]) {
        state[0]++;
        state[1] = messageId;
      } else {
        before = (int) Math.max(0, state[0] - 1);
      }
      return before;
    }

    private record Pair(long chat, long user) {}
  }

  /** How many (chat, user) pairs the default flood counter holds now (0 with a given counter); for tests. */
  int trackedPairs() {
    return flood instanceof InMemoryFloodCounter own ? own.trackedPairs() : 0;
  }

  @Override
  public String toString() {
    return "DefaultNoiseFilter{floodWindow=" + floodWindow + ", floodRepeats=" + floodRepeats
        + ", maxTrackedUsers=" + maxTrackedUsers + ", botNames=" + botNames
        + (spamDetector == null ? "" : ", spamDetector=" + spamDetector.get() + ", spamInPrivateChats=" + spamInPrivateChats
            + ", firstMessages=" + firstMessages) + "}";
  }

  /** Settings of a {@link DefaultNoiseFilter}. Not thread-safe; {@link #build()} validates and copies. */
  public static final class Builder {
    private Duration floodWindow = Duration.ofSeconds(60);
    private int floodRepeats = 3;
    private Clock clock = Clock.systemUTC();
    private int maxTrackedUsers = 100_000;
    private FloodCounter floodCounter;
    private final List<String> botNames = new ArrayList<>();
    private Supplier<SpamDetector> spamDetector;
    private boolean spamInPrivateChats;
    private int firstMessages = 3;

    private Builder() {}

    /** How far back identical texts count towards flood. Default 60 seconds; must be positive. */
    public Builder floodWindow(Duration floodWindow) {
      this.floodWindow = floodWindow;
      return this;
    }

    /**
     * Which repeat of the same text within the window is flood: with the default 3, the first two copies pass and
     * the third is noise. Must be at least 2.
     */
    public Builder floodRepeats(int floodRepeats) {
      this.floodRepeats = floodRepeats;
      return this;
    }

    /**
     * The time source of the default flood counter. Default {@link Clock#systemUTC()}; not used with a
     * {@link #floodCounter} of your own, which keeps its own time.
     */
    public Builder clock(Clock clock) {
      this.clock = clock;
      return this;
    }

    /**
     * How many (chat, user) pairs the flood state remembers; beyond it the least recently active is forgotten.
     * Default 100,000; must be positive. Applies to the default flood counter only.
     */
    public Builder maxTrackedUsers(int maxTrackedUsers) {
      this.maxTrackedUsers = maxTrackedUsers;
      return this;
    }

    /**
     * Where repeats are counted. Default: a new {@link InMemoryFloodCounter} per filter, on {@link #clock} and
     * bounded by {@link #maxTrackedUsers}. Give a shared one (such as {@code RedisSupport.floodCounter()} from
     * {@code bot-redis}) when several instances serve one bot. It is asked once per judged text, with
     * {@link #floodWindow}, on the caller's thread.
     */
    public Builder floodCounter(FloodCounter floodCounter) {
      this.floodCounter = Objects.requireNonNull(floodCounter, "floodCounter");
      return this;
    }

    /**
     * Names people address the bot by, such as its first name or username ("HelpDeskBot"): like "всем" or "guys",
     * they may accompany a greeting without making it content. @mentions are always treated so. Adds to earlier
     * calls.
     */
    public Builder botNames(String... names) {
      for (String n : Objects.requireNonNull(names, "botNames")) {
        if (n == null || n.isBlank()) {
          throw new IllegalArgumentException("botNames must not contain a blank name, was " + show(n));
        }
        botNames.add(n.strip());
      }
      return this;
    }

    /**
     * Turns on spam detection: group messages the detector calls spam become {@code "spam:<check>"} noise. Default:
     * none, so nothing is judged spam. Train the detector once and share it; it is thread-safe.
     */
    public Builder spamDetector(SpamDetector spamDetector) {
      Objects.requireNonNull(spamDetector, "spamDetector");
      this.spamDetector = () -> spamDetector;
      return this;
    }

    /**
     * Turns on spam detection with a detector that may change while the bot runs, such as
     * {@code SpamModeration::detector}, which staff teach with {@code /spam} and {@code /notspam}. Asked for every
     * message checked; it must be fast and never return null.
     */
    public Builder spamDetectorSource(Supplier<SpamDetector> source) {
      this.spamDetector = Objects.requireNonNull(source, "source");
      return this;
    }

    /**
     * Whether private chats are checked for spam too. Default false: a user writing to support in private is
     * rarely a spammer, and a false positive there leaves a customer unanswered.
     */
    public Builder spamInPrivateChats(boolean check) {
      this.spamInPrivateChats = check;
      return this;
    }

    /**
     * How many of a user's first messages in a chat get the detector's stricter limits (spammers post as soon as
     * they join). Default 3; 0 turns the strict limits off. Counted per (chat, user) in this process, bounded by
     * {@link #maxTrackedUsers}; a user forgotten there counts as new again.
     */
    public Builder firstMessages(int firstMessages) {
      this.firstMessages = firstMessages;
      return this;
    }

    /**
     * @throws IllegalArgumentException naming the first invalid setting
     */
    public DefaultNoiseFilter build() {
      if (floodWindow == null || floodWindow.isZero() || floodWindow.isNegative()) {
        throw new IllegalArgumentException("floodWindow must be positive, was " + floodWindow);
      }
      if (floodRepeats < 2) {
        throw new IllegalArgumentException("floodRepeats must be >= 2, was " + floodRepeats);
      }
      if (clock == null) {
        throw new IllegalArgumentException("clock must not be null");
      }
      if (maxTrackedUsers < 1) {
        throw new IllegalArgumentException("maxTrackedUsers must be > 0, was " + maxTrackedUsers);
      }
      if (firstMessages < 0) {
        throw new IllegalArgumentException("firstMessages must be >= 0, was " + firstMessages);
      }
      return new DefaultNoiseFilter(this);
    }

    private static String show(String s) {
      return s == null ? "null" : "\"" + s + "\"";
    }
  }
}
