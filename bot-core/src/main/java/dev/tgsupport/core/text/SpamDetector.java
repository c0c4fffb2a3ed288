package dev.tgsupport.core.text;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Tells spam from members' messages in group chats, in the manner of tg-spam: stop words, similarity to known spam,
 * a classifier trained on spam and ham samples, and hand-written signals (invite links, "пиши в лс", earnings and
 * crypto talk, links, @mentions, phone numbers, emoji, capitals), with stricter limits for a newcomer's first
 * messages. Russian and English.
 *
 * <p>Every verdict names the checks that fired, in {@link SpamVerdict#checks()}:
 *
 * <ul>
 *   <li>{@code "stop_words"}: the text contains a stop phrase (compared after normalisation, so "пиши в лc" with a
 *       Latin "c" matches "пиши в лс"). Spam on its own.
 *   <li>{@code "similarity"}: TF-IDF cosine similarity of word stems and stem pairs to some spam sample is at least
 *       {@link Builder#similarityThreshold}. Spam on its own for texts of at least {@link Builder#minLength}.
 *   <li>{@code "classifier"}: the logistic-regression probability (hashed words, word pairs, character 3- and
 *       4-grams, the signals below, length, emoji and capitals buckets; class-balanced) is at least
 *       {@link Builder#classifierThreshold}. Spam on its own for texts of at least {@link Builder#minLength}.
 *   <li>signals: {@code "invite_link"} (t.me/+…, joinchat, wa.me), {@code "contact_me"} ("пиши в лс", "dm me"),
 *       {@code "earnings"} ("заработок", "доход от … в день", "$500 a day"), {@code "crypto"} (USDT, BTC, трейдинг),
 *       {@code "link"}, {@code "mention"} (@username), {@code "phone"}, {@code "emoji"} (more than
 *       {@link Builder#maxEmoji}), {@code "caps"} (more than {@link Builder#maxCapsRatio} of 20 or more letters).
 *       Members post links and numbers too, so a signal alone is only evidence: {@link Builder#signalsForSpam}
 *       distinct signals together make spam.
 * </ul>
 *
 * <p>When the verdict is spam, the first check is the one that decided (stop words, then similarity, then the
 * classifier, then the signals); the rest follow. A clean verdict may still list signals that fired.
 *
 * <p>Newcomers: spammers join and post at once, so {@code check(text, true)} (the caller says the message is among
 * the author's first few in the chat) uses the {@code firstMessages…} limits: a lower classifier threshold, a
 * shorter minimum length and one signal fewer.
 *
 * <pre>{@code
 * SpamDetector spam = SpamDetector.builder()
 *     .spamSamples(spamLines).hamSamples(hamLines).stopWords(List.of("пиши в лс", "заработок в интернете"))
 *     .build();
 * SpamDetector.SpamVerdict v = spam.check("Зaрaбoтoк от 300$ в день, пиши в лс", true);
 * // v.spam() == true; v.checks() starts with "stop_words" and also names "contact_me" and "earnings"
 * }</pre>
 *
 * <p>Training takes milliseconds for a few hundred samples and is done by {@link Builder#build()}; the detector is
 * immutable and thread-safe. {@link #check} takes tens of microseconds and never throws on odd text.
 */
public final class SpamDetector {
  public static final String STOP_WORDS = "stop_words";
  public static final String SIMILARITY = "similarity";
  public static final String CLASSIFIER = "classifier";

  private final Builder settings;
  private final List<String> stopPhrases;
  private final SpamModel model;

  private SpamDetector(Builder b) {
    this.settings = b.copy();
    List<String> phrases = new ArrayList<>();
    for (String w : b.stopWords) {
      String n = SpamText.of(w).words();
      if (!n.isEmpty()) {
        phrases.add(' ' + n + ' ');
      }
    }
    this.stopPhrases = List.copyOf(phrases);
    this.model = SpamModel.train(texts(b.spamSamples), texts(b.hamSamples));
  }

  /** A builder with no samples and the default limits. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A detector trained on tg-spam style files: one message a line (blank lines skipped), UTF-8; stop words one
   * phrase a line. Any path may be null to go without.
   *
   * @throws UncheckedIOException when a file cannot be read
   */
  public static SpamDetector fromFiles(Path spamSamples, Path hamSamples, Path stopWords) {
    return builder().spamSamples(lines(spamSamples)).hamSamples(lines(hamSamples)).stopWords(lines(stopWords))
        .build();
  }

  /**
   * A new detector with this one's settings, trained on its samples plus {@code spam} and {@code ham} (the ones staff
   * taught), for example. Null or blank entries are skipped.
   */
  public SpamDetector withSamples(List<String> spam, List<String> ham) {
    Builder b = settings.copy();
    List<String> allSpam = new ArrayList<>(b.spamSamples);
    allSpam.addAll(spam);
    List<String> allHam = new ArrayList<>(b.hamSamples);
    allHam.addAll(ham);
    return b.spamSamples(allSpam).hamSamples(allHam).build();
  }

  /** A builder holding this detector's samples and settings; building it trains a new model. */
  public Builder toBuilder() {
    return settings.copy();
  }

  /** The verdict for a text seen in a group, by the ordinary limits. */
  public SpamVerdict check(String text) {
    return check(text, false);
  }

  /**
   * The verdict for a text.
   *
   * @param firstMessages true when the text is among its author's first messages in the chat, as the caller
   *     counts them: the stricter limits apply
   */
  public SpamVerdict check(String text, boolean firstMessages) {
    SpamText t = SpamText.of(text);
    if (t.words().isEmpty() && t.emoji() == 0) {
      return new SpamVerdict(false, 0, List.of());
    }
    List<String> signals = SpamSignals.fired(t);
    List<String> decisive = new ArrayList<>(3);
    double score = 0;
    if (containsStopPhrase(t)) {
      decisive.add(STOP_WORDS);
      score = 1;
    }
    int minLength = firstMessages ? settings.firstMessagesMinLength : settings.minLength;
    boolean longEnough = t.flat().strip().length() >= minLength;
    double similarity = model.similarity(t);
    if (longEnough && similarity >= settings.similarityThreshold) {
      decisive.add(SIMILARITY);
    }
    double p = model.probability(t, signals);
    double threshold = firstMessages ? settings.firstMessagesClassifierThreshold : settings.classifierThreshold;
    if (longEnough && model.trained() && p >= threshold) {
      decisive.add(CLASSIFIER);
    }
    List<String> fired = new ArrayList<>(signals);
    if (settings.maxEmoji >= 0 && t.emoji() > settings.maxEmoji) {
      fired.add(SpamSignals.EMOJI);
    }
    if (t.letters() >= 20 && t.upper() > settings.maxCapsRatio * t.letters()) {
      fired.add(SpamSignals.CAPS);
    }
    int needed = Math.max(1, settings.signalsForSpam - (firstMessages ? 1 : 0));
    // Disguised words are rare in honest chat and deliberate in spam: they count twice.
    int weight = fired.size() + (fired.contains(SpamSignals.LOOKALIKES) ? 1 : 0);
    boolean bySignals = weight >= needed;
    boolean spam = !decisive.isEmpty() || bySignals;
    score = Math.max(score, Math.max(longEnough ? similarity : 0, longEnough ? p : 0));
    score = Math.max(score, Math.min(1, weight / (double) needed) * (bySignals ? 1 : 0.99));
    if (!spam) {
      score = Math.min(score, 0.99);
    }
    List<String> checks = new ArrayList<>(decisive.size() + fired.size());
    checks.addAll(decisive);
    checks.addAll(fired);
    return new SpamVerdict(spam, score, checks);
  }

  /** How many spam samples the model learnt from. */
  public int spamSamples() {
    return settings.spamSamples.size();
  }

  /** How many ham samples the model learnt from. */
  public int hamSamples() {
    return settings.hamSamples.size();
  }

  private boolean containsStopPhrase(SpamText t) {
    if (stopPhrases.isEmpty()) {
      return false;
    }
    String padded = ' ' + t.words() + ' ';
    for (String phrase : stopPhrases) {
      if (padded.contains(phrase)) {
        return true;
      }
    }
    return false;
  }

  private static List<SpamText> texts(List<String> samples) {
    List<SpamText> out = new ArrayList<>(samples.size());
    for (String s : samples) {
      out.add(SpamText.of(s));
    }
    return out;
  }

  private static List<String> lines(Path file) {
    if (file == null) {
      return List.of();
    }
    try {
      List<String> out = new ArrayList<>();
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        if (!line.isBlank()) {
          out.add(line.strip());
        }
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read spam detector samples from " + file + ": " + e.getMessage(), e);
    }
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "SpamDetector{spamSamples=%d, hamSamples=%d, stopWords=%d, similarity=%.2f,"
            + " classifier=%.2f/%.2f, minLength=%d/%d, signals=%d, maxEmoji=%d, maxCapsRatio=%.2f}",
        spamSamples(), hamSamples(), stopPhrases.size(), settings.similarityThreshold,
        settings.classifierThreshold, settings.firstMessagesClassifierThreshold, settings.minLength,
        settings.firstMessagesMinLength, settings.signalsForSpam, settings.maxEmoji, settings.maxCapsRatio);
  }

  /**
   * A spam verdict.
   *
   * @param spam true when the text is spam
   * @param score how sure, 0 to 1; at least the classifier's probability or the similarity when those counted
   * @param checks the checks that fired, the deciding one first when {@code spam}; stable names such as
   *     {@code "stop_words"}, {@code "similarity"}, {@code "classifier"}, {@code "invite_link"}, {@code "caps"}
   */
  public record SpamVerdict(boolean spam, double score, List<String> checks) {
    public SpamVerdict {
      checks = List.copyOf(Objects.requireNonNull(checks, "checks"));
      if (spam && checks.isEmpty()) {
        throw new IllegalArgumentException("a spam verdict must name a check");
      }
      if (!(score >= 0 && score <= 1)) {
        throw new IllegalArgumentException("score must be in [0, 1], was " + score);
      }
    }

    /** The check that decided, for a spam verdict; empty otherwise. */
    public Optional<String> reason() {
      return spam ? Optional.of(checks.get(0)) : Optional.empty();
    }
  }

  /** Samples and limits of a {@link SpamDetector}. Not thread-safe; {@link #build()} validates, copies and trains. */
  public static final class Builder {
    private List<String> spamSamples = List.of();
    private List<String> hamSamples = List.of();
    private List<String> stopWords = List.of();
    private double classifierThreshold = 0.45;
    private double firstMessagesClassifierThreshold = 0.4;
    private double similarityThreshold = 0.5;
    private int minLength = 50;
    private int firstMessagesMinLength = 20;
    private int signalsForSpam = 3;
    private int maxEmoji = 3;
    private double maxCapsRatio = 0.6;

    private Builder() {}

    /** Known spam, one message each; replaces earlier calls. Null or blank entries are skipped. */
    public Builder spamSamples(List<String> samples) {
      this.spamSamples = clean(samples, "spamSamples");
      return this;
    }

    /** Ordinary messages of the same groups, one each; replaces earlier calls. Null or blank entries are skipped. */
    public Builder hamSamples(List<String> samples) {
      this.hamSamples = clean(samples, "hamSamples");
      return this;
    }

    /** Phrases that make a message spam wherever they occur, whole words; replaces earlier calls. */
    public Builder stopWords(List<String> phrases) {
      this.stopWords = clean(phrases, "stopWords");
      return this;
    }

    /**
     * Cosine similarity to a spam sample that is spam by itself. Default 0.5, as tg-spam's; cross-validation showed
     * no difference between 0.3 and 0.6 on its samples; in (0, 1], 1 only for copies.
     */
    public Builder similarityThreshold(double threshold) {
      this.similarityThreshold = threshold;
      return this;
    }

    /**
     * The classifier's probability that is spam by itself. Default 0.45, chosen by 5-fold cross-validation on
     * tg-spam's samples (recall rises and false positives stay flat from 0.5 down to 0.45, then climb); in (0, 1].
     */
    public Builder classifierThreshold(double threshold) {
      this.classifierThreshold = threshold;
      return this;
    }

    /** The same for a newcomer's first messages. Default 0.4; in (0, 1]. */
    public Builder firstMessagesClassifierThreshold(double threshold) {
      this.firstMessagesClassifierThreshold = threshold;
      return this;
    }

    /**
     * Shorter texts (in characters) are judged only by stop words and signals: too little for the models to tell
     * chat from spam. Default 50 (as tg-spam); 0 or more.
     */
    public Builder minLength(int minLength) {
      this.minLength = minLength;
      return this;
    }

    /** The same for a newcomer's first messages. Default 20; 0 or more. */
    public Builder firstMessagesMinLength(int minLength) {
      this.firstMessagesMinLength = minLength;
      return this;
    }

    /**
     * How many distinct signals together make spam; one fewer for first messages; {@code "lookalikes"} counts twice.
     * Default 3 (no ham sample of tg-spam's has three); at least 1.
     */
    public Builder signalsForSpam(int signals) {
      this.signalsForSpam = signals;
      return this;
    }

    /** More emoji than this is the {@code "emoji"} signal. Default 3 (tg-spam's is 2); -1 disables. */
    public Builder maxEmoji(int maxEmoji) {
      this.maxEmoji = maxEmoji;
      return this;
    }

    /** A larger share of capitals (of 20 letters or more) is the {@code "caps"} signal. Default 0.6; in (0, 1]. */
    public Builder maxCapsRatio(double ratio) {
      this.maxCapsRatio = ratio;
      return this;
    }

    /**
     * Trains the detector.
     *
     * @throws IllegalArgumentException naming the first invalid setting
     */
    public SpamDetector build() {
      requireUnit(similarityThreshold, "similarityThreshold");
      requireUnit(classifierThreshold, "classifierThreshold");
      requireUnit(firstMessagesClassifierThreshold, "firstMessagesClassifierThreshold");
      requireUnit(maxCapsRatio, "maxCapsRatio");
      if (minLength < 0) {
        throw new IllegalArgumentException("minLength must be >= 0, was " + minLength);
      }
      if (firstMessagesMinLength < 0) {
        throw new IllegalArgumentException("firstMessagesMinLength must be >= 0, was " + firstMessagesMinLength);
      }
      if (signalsForSpam < 1) {
        throw new IllegalArgumentException("signalsForSpam must be >= 1, was " + signalsForSpam);
      }
      if (maxEmoji < -1) {
        throw new IllegalArgumentException("maxEmoji must be >= -1, was " + maxEmoji);
      }
      return new SpamDetector(this);
    }

    private Builder copy() {
      Builder b = new Builder();
      b.spamSamples = spamSamples;
      b.hamSamples = hamSamples;
      b.stopWords = stopWords;
      b.similarityThreshold = similarityThreshold;
      b.classifierThreshold = classifierThreshold;
      b.firstMessagesClassifierThreshold = firstMessagesClassifierThreshold;
      b.minLength = minLength;
      b.firstMessagesMinLength = firstMessagesMinLength;
      b.signalsForSpam = signalsForSpam;
      b.maxEmoji = maxEmoji;
      b.maxCapsRatio = maxCapsRatio;
      return b;
    }

    private static void requireUnit(double value, String name) {
      if (!(value > 0 && value <= 1)) {
        throw new IllegalArgumentException(name + " must be in (0, 1], was " + value);
      }
    }

    private static List<String> clean(List<String> items, String name) {
      Objects.requireNonNull(items, name);
      List<String> out = new ArrayList<>(items.size());
      for (String s : items) {
        if (s != null && !s.isBlank()) {
          out.add(s.strip());
        }
      }
      return List.copyOf(out);
    }
  }
}
