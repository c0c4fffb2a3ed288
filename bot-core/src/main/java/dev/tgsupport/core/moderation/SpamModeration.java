package dev.tgsupport.core.moderation;

import dev.tgsupport.core.RetriableException;
import dev.tgsupport.core.model.Direction;
import dev.tgsupport.core.model.IncomingMessage;
import dev.tgsupport.core.model.SpamSample;
import dev.tgsupport.core.model.StoredMessage;
import dev.tgsupport.core.model.TelegramUser;
import dev.tgsupport.core.pipeline.BotActions;
import dev.tgsupport.core.pipeline.Command;
import dev.tgsupport.core.pipeline.MessageContext;
import dev.tgsupport.core.pipeline.Outcome;
import dev.tgsupport.core.pipeline.Plugin;
import dev.tgsupport.core.pipeline.PluginContext;
import dev.tgsupport.core.pipeline.Stage;
import dev.tgsupport.core.pipeline.Stages;
import dev.tgsupport.core.port.Moderator;
import dev.tgsupport.core.port.Transactions;
import dev.tgsupport.core.text.SpamDetector;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Acts on spam and lets staff teach the spam detector, as a {@link Plugin}:
 *
 * <ul>
 *   <li>A message the noise filter judged {@code spam:<check>} is deleted (unless {@link Builder#deleteSpam} is off)
 *       and its author restricted for {@link Builder#restrictSpammers} (off by default). Messages of staff (users
 *       marked internal) are never acted on.
 *   <li>{@code /spam}, sent by staff as a reply to a message (or as {@code /spam N} with the message's id in the
 *       chat), marks that message {@code spam:manual}, adds its text to the spam samples in storage, retrains the
 *       detector, deletes the message and, when configured, restricts its author.
 *   <li>{@code /notspam} undoes it: the message's spam sample goes, its text becomes a ham sample, the message is
 *       no longer noise and its author's restriction is lifted. It also corrects the detector's own mistakes.
 * </ul>
 *
 * <p>Wire the detector into the noise filter through {@link #detector()}, so teaching takes effect at once:
 *
 * <pre>{@code
 * SpamModeration moderation = SpamModeration.builder(SpamDetector.fromFiles(spam, ham, stopWords))
 *     .moderator(telegram.moderator())
 *     .restrictSpammers(Duration.ofHours(1))
 *     .build();
 * Pipeline pipeline = Pipeline.builder(storage, replies)
 *     .noiseFilter(DefaultNoiseFilter.builder().spamDetectorSource(moderation::detector).build())
 *     .plugin(moderation)
 *     .build();
 * }</pre>
 *
 * <p>The detector learns from its own samples plus every sample in storage; it reloads them when installed, after
 * each teaching, and every {@link Builder#reloadEvery} (so what staff teach through one instance reaches the
 * others). Moderation is best effort: a bot that may not delete or restrict says so to staff and carries on.
 */
public final class SpamModeration implements Plugin {
  /** The noise reason of a message staff marked with {@code /spam}. */
  public static final String MANUAL_REASON = "spam:manual";

  private static final Logger log = LoggerFactory.getLogger(SpamModeration.class);

  private final SpamDetector base;
  private final Moderator moderator;
  private final boolean deleteSpam;
  private final Duration restrictFor;
  private final Duration reloadEvery;
  private final Object reloadLock = new Object();
  private volatile SpamDetector current;
  private volatile Transactions transactions;
  private volatile Clock clock;
  /** When the samples were last read from storage; null until the first successful read. */
  private volatile Instant loadedAt;
  private volatile Instant lastAttempt;

  private SpamModeration(Builder b) {
    this.base = b.base;
    this.current = b.base;
    this.moderator = b.moderator;
    this.deleteSpam = b.deleteSpam;
    this.restrictFor = b.restrictFor;
    this.reloadEvery = b.reloadEvery;
  }

  /** A builder around {@code base}, the detector trained on the sample files. */
  public static Builder builder(SpamDetector base) {
    return new Builder(base);
  }

  /** The detector to ask now: the base one plus what staff taught. Never null. */
  public SpamDetector detector() {
    return current;
  }

  @Override
  public String name() {
    return "spam-moderation";
  }

  @Override
  public void install(PluginContext context) {
    this.transactions = context.transactions();
    this.clock = context.clock();
    reloadQuietly();
    context.addCommand(Command.of("spam", "(staff) reply to a message: it is spam", this::markSpam));
    context.addCommand(Command.of("notspam", "(staff) reply to a message: it is not spam", this::markNotSpam));
    context.addStageBefore(Stages.NOISE, Stage.of("spam-moderation", (ctx, chain) -> {
      Outcome outcome = chain.proceed(ctx);
      if (outcome.kind() == Outcome.Kind.NOISE) {
        enforce(outcome.context());
      }
      reloadIfDue();
      return outcome;
    }));
  }

  /**
   * Reads the taught samples from storage and retrains the detector.
   *
   * @throws IllegalStateException before the plugin is installed
   * @throws RetriableException when storage is unavailable (the detector in use stays)
   */
  public void reload() {
    Transactions tx = transactions;
    if (tx == null) {
      throw new IllegalStateException("SpamModeration is not installed in a pipeline yet");
    }
    synchronized (reloadLock) {
      lastAttempt = clock.instant();
      Taught taught = tx.inTransaction(s -> new Taught(texts(s.spamSamples().list(SpamSample.Kind.SPAM)),
          texts(s.spamSamples().list(SpamSample.Kind.HAM))));
      current = taught.spam().isEmpty() && taught.ham().isEmpty()
          ? base : base.withSamples(taught.spam(), taught.ham());
      loadedAt = lastAttempt;
      log.debug("spam detector retrained with {} taught spam and {} ham samples", taught.spam().size(),
          taught.ham().size());
    }
  }

  private record Taught(List<String> spam, List<String> ham) {}

  private static List<String> texts(List<SpamSample> samples) {
    return samples.stream().map(SpamSample::text).toList();
  }

  private void reloadQuietly() {
    try {
      reload();
    } catch (RetriableException e) {
      log.warn("cannot read the taught spam samples now; using the detector without them until the next try: {}",
          e.getMessage());
    }
  }

  private void reloadIfDue() {
    Instant last = lastAttempt;
    if (last != null && Duration.between(last, clock.instant()).compareTo(reloadEvery) < 0) {
      return;
    }
    reloadQuietly();
  }

  private void enforce(MessageContext context) {
    String reason = context.noise() == null ? null : context.noise().reason();
    if (reason == null || !reason.startsWith("spam:")) {
      return;
    }
    IncomingMessage m = context.message();
    if (isStaff(m.user().id())) {
      log.info("message {} in chat {} looks like spam ({}) but its author is staff: left alone",
          m.telegramMessageId(), m.chat().id(), reason);
      return;
    }
    act(m.chat().id(), m.telegramMessageId(), m.user().id(), reason);
  }

  /** Deletes and restricts as configured; returns whether the message was deleted. */
  private boolean act(long chatId, long telegramMessageId, Long authorId, String reason) {
    boolean deleted = false;
    if (deleteSpam) {
      deleted = safely(() -> moderator.deleteMessage(chatId, telegramMessageId), "delete message "
          + telegramMessageId + " in chat " + chatId);
    }
    if (restrictFor != null && authorId != null) {
      safely(() -> moderator.restrict(chatId, authorId, restrictFor), "restrict user " + authorId + " in chat "
          + chatId);
    }
    log.info("spam ({}) message {} in chat {} by user {}: {}", reason, telegramMessageId, chatId, authorId,
        deleted ? "deleted" : "not deleted");
    return deleted;
  }

  private boolean safely(java.util.function.BooleanSupplier action, String what) {
    try {
      boolean done = action.getAsBoolean();
      if (!done) {
        log.warn("could not {}: the bot lacks the right, or the message is gone", what);
      }
      return done;
    } catch (RuntimeException e) {
      log.warn("could not {}: {}", what, e.toString());
      return false;
    }
  }

  private boolean isStaff(long userId) {
    return transactions.inTransaction(s -> s.users().find(userId)).map(TelegramUser::internal).orElse(false);
  }

  /** What a teaching command found. */
  private record Target(StoredMessage message, boolean authorIsStaff) {}

  private Outcome markSpam(MessageContext context, String arguments, BotActions actions) {
    boolean ru = "ru".equals(context.language());
    Optional<Outcome> refused = refuse(context, arguments, "spam", ru);
    if (refused.isPresent()) {
      return refused.get();
    }
    IncomingMessage m = context.message();
    long chatId = m.chat().id();
    long targetId = targetId(m, arguments);
    Instant now = clock.instant();
    Optional<Target> found = transactions.inTransaction(s -> {
      Optional<StoredMessage> t = s.messages().find(chatId, targetId, Direction.IN);
      if (t.isEmpty()) {
        return Optional.<Target>empty();
      }
      StoredMessage msg = t.get();
      boolean staff = msg.userId() != null
          && s.users().find(msg.userId()).map(TelegramUser::internal).orElse(false);
      if (staff) {
        return Optional.of(new Target(msg, true));
      }
      s.messages().markNoise(msg.id(), MANUAL_REASON);
      s.spamSamples().removeForMessage(chatId, targetId, SpamSample.Kind.HAM);
      if (!msg.text().isBlank()) {
        s.spamSamples().add(SpamSample.Draft.of(SpamSample.Kind.SPAM, msg, m.user().id()), now);
      }
      return Optional.of(new Target(msg, false));
    });
    if (found.isEmpty()) {
      return Outcome.handled(context, notFound(ru, targetId));
    }
    if (found.get().authorIsStaff()) {
      return Outcome.handled(context, ru
          ? "Это сообщение сотрудника поддержки: не помечаю его как спам."
          : "That message is by support staff: not marking it as spam.");
    }
    reloadQuietly();
    StoredMessage msg = found.get().message();
    boolean deleted = safely(() -> moderator.deleteMessage(chatId, targetId), "delete message " + targetId
        + " in chat " + chatId);
    boolean restricted = restrictFor != null && msg.userId() != null
        && safely(() -> moderator.restrict(chatId, msg.userId(), restrictFor), "restrict user " + msg.userId());
    log.info("staff user {} marked message {} in chat {} as spam (deleted: {}, author restricted: {})",
        m.user().id(), targetId, chatId, deleted, restricted);
    StringBuilder reply = new StringBuilder(ru
        ? "Помечено как спам и добавлено в образцы."
        : "Marked as spam and added to the samples.");
    if (deleted) {
      reply.append(ru ? " Сообщение удалено." : " The message is deleted.");
    } else {
      reply.append(ru
          ? " Удалить сообщение не получилось: сделайте бота администратором с правом удалять сообщения."
          : " I could not delete it: make the bot an administrator who may delete messages.");
    }
    if (restricted) {
      reply.append(ru ? " Автор ограничен." : " Its author is restricted.");
    }
    return Outcome.handled(context, reply.toString());
  }

  private Outcome markNotSpam(MessageContext context, String arguments, BotActions actions) {
    boolean ru = "ru".equals(context.language());
    Optional<Outcome> refused = refuse(context, arguments, "notspam", ru);
    if (refused.isPresent()) {
      return refused.get();
    }
    IncomingMessage m = context.message();
    long chatId = m.chat().id();
    long targetId = targetId(m, arguments);
    Instant now = clock.instant();
    Optional<StoredMessage> found = transactions.inTransaction(s -> {
      Optional<StoredMessage> t = s.messages().find(chatId, targetId, Direction.IN);
      if (t.isEmpty()) {
        return t;
      }
      StoredMessage msg = t.get();
      s.spamSamples().removeForMessage(chatId, targetId, SpamSample.Kind.SPAM);
      if (!msg.text().isBlank()) {
        s.spamSamples().add(SpamSample.Draft.of(SpamSample.Kind.HAM, msg, m.user().id()), now);
      }
      if (msg.isNoise() && msg.noiseReason().startsWith("spam:")) {
        s.messages().clearNoise(msg.id());
      }
      return t;
    });
    if (found.isEmpty()) {
      return Outcome.handled(context, notFound(ru, targetId));
    }
    reloadQuietly();
    StoredMessage msg = found.get();
    if (restrictFor != null && msg.userId() != null) {
      safely(() -> moderator.unrestrict(chatId, msg.userId()), "lift the restriction of user " + msg.userId());
    }
    log.info("staff user {} marked message {} in chat {} as not spam", m.user().id(), targetId, chatId);
    return Outcome.handled(context, ru
        ? "Помечено как не спам: детектор запомнил это сообщение как обычное."
        : "Marked as not spam: the detector learnt it as an ordinary message.");
  }

  /** Why a teaching command cannot run: not staff, or no message named. Empty when it can. */
  private Optional<Outcome> refuse(MessageContext context, String arguments, String command, boolean ru) {
    IncomingMessage m = context.message();
    if (!isStaff(m.user().id())) {
      return Optional.of(Outcome.handled(context, ru
          ? "Команда /" + command + " только для сотрудников поддержки."
          : "Only support staff may use /" + command + "."));
    }
    if (targetId(m, arguments) <= 0) {
      return Optional.of(Outcome.handled(context, ru
          ? "Ответьте командой /" + command + " на нужное сообщение (или напишите /" + command + " N, где N —"
              + " номер сообщения в чате)."
          : "Reply with /" + command + " to the message (or send /" + command + " N with the message's number in"
              + " this chat)."));
    }
    return Optional.empty();
  }

  /** The message a command names: the one it replies to, else the number given; 0 when neither. */
  private static long targetId(IncomingMessage m, String arguments) {
    if (m.replyToMessageId() != null) {
      return m.replyToMessageId();
    }
    String a = arguments.strip();
    if (a.matches("\\d{1,18}")) {
      return Long.parseLong(a);
    }
    return 0;
  }

  private static String notFound(boolean ru, long targetId) {
    return ru
        ? "Сообщения " + targetId + " в этом чате у меня нет."
        : "I have no message " + targetId + " of this chat stored.";
  }

  @Override
  public String toString() {
    return "SpamModeration[deleteSpam=" + deleteSpam + ", restrictSpammers=" + restrictFor + ", moderator="
        + moderator + "]";
  }

  /** Settings of a {@link SpamModeration}. */
  public static final class Builder {
    private final SpamDetector base;
    private Moderator moderator = Moderator.none();
    private boolean deleteSpam = true;
    private Duration restrictFor;
    private Duration reloadEvery = Duration.ofMinutes(1);

    private Builder(SpamDetector base) {
      this.base = Objects.requireNonNull(base, "base");
    }

    /** Who deletes and restricts: the Telegram adapter's moderator. Default: {@link Moderator#none()}. */
    public Builder moderator(Moderator moderator) {
      this.moderator = Objects.requireNonNull(moderator, "moderator");
      return this;
    }

    /** Whether messages judged spam are deleted. Default true (when the bot has the right). */
    public Builder deleteSpam(boolean delete) {
      this.deleteSpam = delete;
      return this;
    }

    /**
     * Restricts the author of a spam message for {@code duration}; null (the default) leaves authors alone. A
     * detector's false positive then silences a real user, so turn this on only with a detector you trust.
     */
    public Builder restrictSpammers(Duration duration) {
      if (duration != null && (duration.isNegative() || duration.isZero())) {
        throw new IllegalArgumentException("restrictSpammers must be positive or null, was " + duration);
      }
      this.restrictFor = duration;
      return this;
    }

    /** How often the taught samples are re-read from storage, for samples taught through other instances. */
    public Builder reloadEvery(Duration every) {
      Objects.requireNonNull(every, "every");
      if (every.isNegative() || every.isZero()) {
        throw new IllegalArgumentException("reloadEvery must be positive, was " + every);
      }
      this.reloadEvery = every;
      return this;
    }

    public SpamModeration build() {
      return new SpamModeration(this);
    }
  }
}
