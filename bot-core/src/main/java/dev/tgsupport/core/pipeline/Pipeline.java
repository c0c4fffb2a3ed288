package dev.tgsupport.core.pipeline;

import dev.tgsupport.core.NonRetriableException;
import dev.tgsupport.core.PipelineException;
import dev.tgsupport.core.knowledge.KnowledgeBase;
import dev.tgsupport.core.memory.InMemoryDialogStates;
import dev.tgsupport.core.memory.InMemoryStorage;
import dev.tgsupport.core.model.Chat;
import dev.tgsupport.core.model.IncomingMessage;
import dev.tgsupport.core.model.OutgoingMessage;
import dev.tgsupport.core.model.SentMessage;
import dev.tgsupport.core.model.StoredMessage;
import dev.tgsupport.core.model.TelegramUser;
import dev.tgsupport.core.model.Ticket;
import dev.tgsupport.core.model.TicketEventKind;
import dev.tgsupport.core.model.TicketStatus;
import dev.tgsupport.core.port.DialogStates;
import dev.tgsupport.core.port.IntentClassifier;
import dev.tgsupport.core.port.KnowledgeRetriever;
import dev.tgsupport.core.port.MessageRecorder;
import dev.tgsupport.core.port.MessageStore.Recorded;
import dev.tgsupport.core.port.NoiseFilter;
import dev.tgsupport.core.port.ReplyGateway;
import dev.tgsupport.core.port.Stores;
import dev.tgsupport.core.port.Transactions;
import dev.tgsupport.core.text.DefaultNoiseFilter;
import dev.tgsupport.core.text.LexicalKnowledgeRetriever;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs incoming messages through the stages: {@code record → noise → followup → intent → knowledge → ticket}, plus
 * whatever plugins added. Build one with {@link #builder()}; every part has an in-memory default, so
 * {@code Pipeline.builder().build()} runs with no server.
 *
 * <pre>{@code
 * Pipeline pipeline = Pipeline.builder()
 *     .plugin(ctx -> ctx.onIntent("billing", (m, a) -> Optional.of(Outcome.handled(m, "Billing: see /plans"))))
 *     .build();
 * pipeline.knowledge().add(KnowledgeDraft.of("How do I reset my password?", "Settings → Security."),
 *     KnowledgeStatus.VALIDATED);
 * Outcome outcome = pipeline.process(message);
 * }</pre>
 *
 * <p><b>Receiving updates.</b> A receiver that must acknowledge an update only once its message is durable calls
 * {@link #record} first, acknowledges, and then {@link #process}; edited messages go to {@link #processEdit}; after
 * a crash, {@link #unhandled} lists what was stored but never answered, to be processed again.
 *
 * <p>Thread-safe and immutable once built: call any method from any number of threads.
 */
public final class Pipeline {
  private static final Logger log = LoggerFactory.getLogger(Pipeline.class);

  private final List<Stage> stages;
  private final Transactions transactions;
  private final MessageRecorder recorder;
  private final ReplyGateway replyGateway;
  private final PipelineListener listener;
  private final ReplyTemplates replies;
  private final KnowledgeBase knowledge;
  private final List<Command> commands;
  private final Clock clock;
  private final boolean asynchronousFinish;

  private Pipeline(
      List<Stage> stages,
      Transactions transactions,
      MessageRecorder recorder,
      ReplyGateway replyGateway,
      PipelineListener listener,
      ReplyTemplates replies,
      KnowledgeBase knowledge,
      List<Command> commands,
      Clock clock,
      boolean asynchronousFinish) {
    this.stages = List.copyOf(stages);
    this.transactions = transactions;
    this.recorder = recorder;
    this.replyGateway = replyGateway;
    this.listener = listener;
    this.replies = replies;
    this.knowledge = knowledge;
    this.commands = List.copyOf(commands);
    this.clock = clock;
    this.asynchronousFinish = asynchronousFinish;
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Runs one message through the pipeline. When a reply gateway is configured, the reply is sent and stored as an
   * outgoing message; either way it is in the returned outcome.
   *
   * <p>Once the {@code record} stage has stored the message, nothing is lost: a stage that fails gives a
   * {@link Outcome.Kind#FAILED} outcome with an apology for the user, and the message stays stored. A message whose
   * processing completed is marked handled; processing the same message again returns
   * {@link Outcome.Kind#DUPLICATE} and sends nothing.
   *
   * @throws PipelineException when the message could not be recorded (its cause says why: a
   *     {@link dev.tgsupport.core.RetriableException} means try again later); do not acknowledge the update then
   * @throws dev.tgsupport.core.RetriableException from the reply gateway when the reply could not be sent for now
   *     (a timeout, a rate limit, a server error): the message stays stored and unhandled, so processing it again is
   *     safe and sends the reply then
   * @throws NonRetriableException from the reply gateway when the reply can never be sent (the user blocked the
   *     bot, the chat is gone): the message is marked handled, since answering it again would only fail again, so
   *     acknowledge the update
   */
  public Outcome process(IncomingMessage message) {
    Objects.requireNonNull(message, "message");
    // Every log line written while the message is processed carries its chat and message (and, once opened, its
    // ticket): see LogContext. The previous values are restored, so nested or reentrant use stays correct.
    try (LogContext ignored = LogContext.message(message.chat().id(), message.telegramMessageId())) {
      return processLogged(message);
    }
  }

  private Outcome processLogged(IncomingMessage message) {
    long started = System.nanoTime();
    listener.messageReceived(message);
    RealChain.Run run = new RealChain.Run();
    Outcome outcome;
    try {
      outcome = new RealChain(stages, 0, listener, run).proceed(MessageContext.of(message));
    } catch (PipelineException e) {
      if (run.recorded == null) {
        throw e;
      }
      log.error("stage '{}' failed for message {} in chat {}; the user gets an apology",
          e.stage(), message.telegramMessageId(), message.chat().id(), e);
      outcome = new Outcome(
          Outcome.Kind.FAILED, replies.apology(run.recorded.language()), run.recorded, e, null);
    }
    outcome = finish(outcome, run);
    listener.messageProcessed(outcome, Duration.ofNanos(System.nanoTime() - started));
    return outcome;
  }

  private Outcome finish(Outcome outcome, RealChain.Run run) {
    if (outcome.kind() == Outcome.Kind.DUPLICATE) {
      return outcome;
    }
    MessageContext ctx = outcome.context().isRecorded() ? outcome.context() : run.recorded;
    if (ctx == null) {
      return outcome; // a plugin stopped the message before it was recorded: nothing of ours to update
    }
    IncomingMessage m = ctx.message();
    if (outcome.reply() == null || replyGateway == null) {
      finishTransaction(s -> saveResult(s, ctx));
      return outcome;
    }
    OutgoingMessage reply = new OutgoingMessage(m.chat().id(), outcome.reply(), m.telegramMessageId(), m.threadId());
    SentMessage sent;
    try {
      sent = replyGateway.send(reply);
    } catch (NonRetriableException e) {
      // Never answerable: a redelivery would only fail again, so the message is done with.
      saveAfterFailedReply(e, s -> saveResult(s, ctx));
      listener.replyFailed(ctx, reply, e);
      throw e;
    } catch (RuntimeException e) {
      listener.replyFailed(ctx, reply, e);
      saveAfterFailedReply(e, s -> saveVerdicts(s, ctx));
      throw e;
    }
    listener.replySent(ctx, reply, sent);
    finishTransaction(
        s -> {
          s.messages().recordOutgoing(reply, sent);
          saveResult(s, ctx);
        });
    return outcome.withSent(sent);
  }

  /** The last write of a message that went well: see {@link Builder#asynchronousFinish}. */
  private void finishTransaction(Consumer<Stores> work) {
    if (asynchronousFinish) {
      transactions.runWithAsynchronousCommit(work);
    } else {
      transactions.run(work);
    }
  }

  /** The reply's failure is what the caller must act on; a storage failure on top of it rides along suppressed. */
  private void saveAfterFailedReply(RuntimeException replyFailure, Consumer<Stores> save) {
    try {
      transactions.run(save);
    } catch (RuntimeException e) {
      replyFailure.addSuppressed(e);
    }
  }

  private void saveResult(Stores s, MessageContext ctx) {
    String noise = ctx.noise() != null && ctx.noise().noise() ? ctx.noise().reason() : null;
    s.messages().markHandled(ctx.messageId(), noise, ctx.intent(), clock.instant());
  }

  private static void saveVerdicts(Stores s, MessageContext ctx) {
    if (ctx.noise() != null && ctx.noise().noise()) {
      s.messages().markNoise(ctx.messageId(), ctx.noise().reason());
    }
    if (ctx.intent() != null) {
      s.messages().setIntent(ctx.messageId(), ctx.intent());
    }
  }

  /**
   * Stores an incoming message durably (with its user and chat) without processing it, through the same
   * {@link MessageRecorder} as the {@code record} stage, so group commit applies. A receiver calls this before it
   * acknowledges an update and {@link #process} later: the {@code record} stage then finds the message recorded but
   * unhandled and runs it normally. Recording the same message again is a no-op that returns the stored one (with
   * its edits, if any). The listener hears nothing: the message is received when it is processed.
   *
   * @return the stored message
   * @throws dev.tgsupport.core.RetriableException when storage is unavailable (a
   *     {@link dev.tgsupport.core.StorageUnavailableException}: nothing was stored; do not acknowledge the update,
   *     try again later)
   * @throws dev.tgsupport.core.BotException another refusal of the storage (a
   *     {@link dev.tgsupport.core.InvalidInputException} naming the field it could not store): retrying will not help
   */
  public StoredMessage record(IncomingMessage message) {
    Objects.requireNonNull(message, "message");
    return recorder.record(message).message();
  }

  /**
   * Applies a user's edit of a message they sent before, in one transaction; nothing is ever sent to the user.
   * <ul>
   *   <li>A stored message gets the new text, type and attachment (its verdicts stay).
   *   <li>A message that was never stored (the original update was lost, or comes later) is stored now, as handled:
   *       an edit is never answered and never opens a ticket, and a later delivery of the original is a duplicate.
   *   <li>A deleted message stays deleted and unchanged.
   *   <li>When the message has an open or in-progress ticket, the ticket gets an
   *       {@link TicketEventKind#EDIT EDIT} event: author the user ({@code @username}, or first name and id), body
   *       the new text.
   * </ul>
   * Then {@link PipelineListener#messageEdited} is told. Safe to repeat for a redelivered edit (the ticket then
   * gets the edit event again).
   *
   * @param edited the new version of the message, keyed by its chat id and Telegram message id
   * @throws dev.tgsupport.core.RetriableException when storage is unavailable (nothing was changed; do not
   *     acknowledge the update, try again later)
   * @throws dev.tgsupport.core.BotException another refusal of the storage: retrying will not help
   */
  public EditResult processEdit(IncomingMessage edited) {
    Objects.requireNonNull(edited, "edited");
    EditResult result = transactions.inTransaction(s -> applyEdit(s, edited));
    listener.messageEdited(result);
    return result;
  }

  private EditResult applyEdit(Stores s, IncomingMessage edited) {
    Optional<StoredMessage> updated = s.messages().updateIncoming(edited);
    if (updated.isEmpty()) {
      s.users().upsert(edited.user());
      s.chats().upsert(edited.chat());
      Recorded recorded = s.messages().recordIncoming(edited);
      if (recorded.created()) {
        s.messages().markHandled(recorded.message().id(), clock.instant());
        return new EditResult(s.messages().findById(recorded.message().id()).orElseThrow(), null, false);
      }
      // Stored meanwhile by a concurrent receiver (the edit applies to it), or deleted (left as it is).
      updated = s.messages().updateIncoming(edited);
      if (updated.isEmpty()) {
        return new EditResult(recorded.message(), null, true);
      }
    }
    StoredMessage message = updated.get();
    Ticket ticket = s.tickets().findByMessage(message.id())
        .filter(t -> t.status() == TicketStatus.OPEN || t.status() == TicketStatus.IN_PROGRESS)
        .orElse(null);
    if (ticket != null) {
      s.ticketEvents().append(ticket.id(), TicketEventKind.EDIT, userDisplay(edited.user()), edited.text(), null);
    }
    return new EditResult(message, ticket, true);
  }

  /** "@username" when the user has one, else "First (id)": staff must be able to tell users apart. */
  static String userDisplay(TelegramUser user) {
    if (user.username() != null) {
      return "@" + user.username();
    }
    return (user.firstName().isBlank() ? "user" : user.firstName()) + " (" + user.id() + ")";
  }

  /**
   * Incoming messages that were stored but never handled (the process stopped between storing and answering),
   * oldest first, rebuilt as they were received (chat and user as stored now, attachment kept): give each to
   * {@link #process} again, typically once at start-up. Deleted messages are left out.
   *
   * @param maxAge only messages stored within this long before now (by the pipeline's clock); older ones are left
   *     alone, as an answer would come too late to help
   * @param limit at most this many, in 0..10000
   * @throws IllegalArgumentException for a negative {@code maxAge} or a {@code limit} out of range
   * @throws dev.tgsupport.core.RetriableException when storage is unavailable
   */
  public List<IncomingMessage> unhandled(Duration maxAge, int limit) {
    Objects.requireNonNull(maxAge, "maxAge");
    if (maxAge.isNegative()) {
      throw new IllegalArgumentException("maxAge must be >= 0, was " + maxAge);
    }
    if (limit < 0 || limit > 10_000) {
      throw new IllegalArgumentException("limit must be in 0..10000, was " + limit);
    }
    Instant now = clock.instant();
    // Nothing was stored before 1970; clamping there keeps a huge maxAge from overflowing Instant.
    Instant since = maxAge.compareTo(Duration.between(Instant.EPOCH, now)) >= 0 ? Instant.EPOCH : now.minus(maxAge);
    return transactions.inTransaction(s -> {
      Map<Long, Optional<Chat>> chats = new HashMap<>();
      Map<Long, Optional<TelegramUser>> users = new HashMap<>();
      List<IncomingMessage> out = new ArrayList<>();
      for (StoredMessage m : s.messages().listUnhandled(since, limit)) {
        Optional<Chat> chat = chats.computeIfAbsent(m.chatId(), id -> s.chats().find(id));
        Optional<TelegramUser> user =
            m.userId() == null ? Optional.empty() : users.computeIfAbsent(m.userId(), id -> s.users().find(id));
        if (chat.isEmpty() || user.isEmpty()) {
          // Incoming messages are stored with their chat and user, so only a hand-made deletion gets here.
          log.warn("unhandled message {} skipped: its chat {} or user {} is not stored", m.id(), m.chatId(),
              m.userId());
          continue;
        }
        out.add(new IncomingMessage(chat.get(), user.get(), m.telegramMessageId(), m.threadId(),
            m.replyToMessageId(), m.type(), m.text(), m.sentAt(), m.attachment()));
      }
      return List.copyOf(out);
    });
  }

  /** The stage names in order, as plugins left them. */
  public List<String> stageNames() {
    List<String> names = new ArrayList<>(stages.size());
    for (Stage s : stages) {
      names.add(s.name());
    }
    return names;
  }

  /** Every command, in {@code /help} order. */
  public List<Command> commands() {
    return commands;
  }

  /** The knowledge base the knowledge stage answers from. */
  public KnowledgeBase knowledge() {
    return knowledge;
  }

  /** The storage the pipeline writes to. */
  public Transactions transactions() {
    return transactions;
  }

  /**
   * Configures a {@link Pipeline}. Every part is optional. Not thread-safe; {@link #build()} may be called more
   * than once and each pipeline gets its own copy of the configuration.
   */
  public static final class Builder {
    private Transactions transactions;
    private MessageRecorder recorder;
    private NoiseFilter noiseFilter;
    private IntentClassifier intentClassifier;
    private KnowledgeRetriever knowledgeRetriever;
    private ReplyGateway replyGateway;
    private DialogStates dialogStates;
    private ReplyTemplates replies = ReplyTemplates.defaults();
    private Clock clock = Clock.systemUTC();
    private Double knowledgeThreshold;
    private double rephraseThreshold = Double.NaN;
    private int knowledgeLimit = 3;
    private String botUsername;
    private boolean discoverPlugins;
    private boolean asynchronousFinish;
    private final List<Plugin> plugins = new ArrayList<>();
    private final Registrations registrations = new Registrations();

    private Builder() {}

    /** Storage; default: a fresh {@link InMemoryStorage}. */
    public Builder transactions(Transactions transactions) {
      this.transactions = Objects.requireNonNull(transactions, "transactions");
      return this;
    }

    /**
     * How the {@code record} stage stores messages; default: one transaction per message through
     * {@link #transactions}. Give a batching recorder from a storage module for group commit.
     */
    public Builder recorder(MessageRecorder recorder) {
      this.recorder = Objects.requireNonNull(recorder, "recorder");
      return this;
    }

    /** Default: {@link DefaultNoiseFilter} (Russian and English greetings, thanks, stickers, flood). */
    public Builder noiseFilter(NoiseFilter noiseFilter) {
      this.noiseFilter = Objects.requireNonNull(noiseFilter, "noiseFilter");
      return this;
    }

    /** Default: none, so messages carry no intent and intent handlers are never asked. */
    public Builder intentClassifier(IntentClassifier intentClassifier) {
      this.intentClassifier = Objects.requireNonNull(intentClassifier, "intentClassifier");
      return this;
    }

    /**
     * Default: a {@link LexicalKnowledgeRetriever} loaded with the validated entries in storage at build time and
     * kept current through {@link Pipeline#knowledge()}.
     */
    public Builder knowledgeRetriever(KnowledgeRetriever knowledgeRetriever) {
      this.knowledgeRetriever = Objects.requireNonNull(knowledgeRetriever, "knowledgeRetriever");
      return this;
    }

    /** Where replies go; default: none (replies are only returned in the {@link Outcome}). */
    public Builder replyGateway(ReplyGateway replyGateway) {
      this.replyGateway = Objects.requireNonNull(replyGateway, "replyGateway");
      return this;
    }

    /**
     * Per-user conversation state that commands and intent handlers reach through {@link BotActions#dialogStates()};
     * default: a fresh {@link InMemoryDialogStates} on the pipeline's clock. Give a shared one (such as
     * {@code RedisSupport.dialogStates()} from {@code bot-redis}) when several instances serve one bot, since the
     * next message of a user may reach another instance.
     */
    public Builder dialogStates(DialogStates dialogStates) {
      this.dialogStates = Objects.requireNonNull(dialogStates, "dialogStates");
      return this;
    }

    public Builder replies(ReplyTemplates replies) {
      this.replies = Objects.requireNonNull(replies, "replies");
      return this;
    }

    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * The score the best knowledge hit must reach to answer; in (0, 1]. Default: the retriever's recommendation
     * for the default retriever ({@link LexicalKnowledgeRetriever#RECOMMENDED_THRESHOLD}), else 0.5.
     */
    public Builder knowledgeThreshold(double threshold) {
      if (!(threshold > 0.0 && threshold <= 1.0)) {
        throw new IllegalArgumentException("knowledgeThreshold must be in (0, 1], was " + threshold);
      }
      this.knowledgeThreshold = threshold;
      return this;
    }

    /**
     * Turns on the middle ground between answering and opening a ticket: when the best knowledge hit scores at least
     * {@code threshold} but below the {@link #knowledgeThreshold answer threshold}, the user is asked to rephrase
     * and shown the closest questions ({@link Outcome.Kind#CLARIFY}, {@link ReplyTemplates#clarify}). A user asked
     * that within the last five minutes in the same chat gets a ticket instead, so nobody goes round in circles.
     * In (0, 1], and below the answer threshold (checked by {@link #build()}). Default: off, so every message the
     * knowledge base does not answer becomes a ticket.
     */
    public Builder rephraseThreshold(double threshold) {
      if (!(threshold > 0.0 && threshold <= 1.0)) {
        throw new IllegalArgumentException("rephraseThreshold must be in (0, 1], was " + threshold);
      }
      this.rephraseThreshold = threshold;
      return this;
    }

    /** How many knowledge hits to fetch and keep in the context; default 3. */
    public Builder knowledgeLimit(int limit) {
      if (limit < 1 || limit > 100) {
        throw new IllegalArgumentException("knowledgeLimit must be in 1..100, was " + limit);
      }
      this.knowledgeLimit = limit;
      return this;
    }

    /**
     * Whether the last write for a message that went well (its reply and its handled mark) commits with
     * {@link Transactions#runWithAsynchronousCommit}: it then does not wait for a disk flush. A crash of this process
     * loses nothing; a crash of the database server within a fraction of a second of that commit can lose the
     * handled mark, and the message is then processed again at the next start, so its user may get the same answer
     * twice. Messages are always recorded durably before they are processed. Default false.
     */
    public Builder asynchronousFinish(boolean asynchronousFinish) {
      this.asynchronousFinish = asynchronousFinish;
      return this;
    }

    /** The bot's @username, so commands addressed to other bots in groups are ignored. */
    public Builder botUsername(String botUsername) {
      String u = Objects.requireNonNull(botUsername, "botUsername");
      this.botUsername = u.startsWith("@") ? u.substring(1) : u;
      return this;
    }

    public Builder listener(PipelineListener listener) {
      registrations.addListener(listener);
      return this;
    }

    public Builder plugin(Plugin plugin) {
      plugins.add(Objects.requireNonNull(plugin, "plugin"));
      return this;
    }

    /** Also installs every {@link Plugin} found by {@link ServiceLoader}, after the builder's plugins. */
    public Builder discoverPlugins() {
      this.discoverPlugins = true;
      return this;
    }

    public Builder addStageBefore(String existingStage, Stage stage) {
      registrations.addStageBefore(existingStage, stage);
      return this;
    }

    public Builder addStageAfter(String existingStage, Stage stage) {
      registrations.addStageAfter(existingStage, stage);
      return this;
    }

    public Builder replaceStage(String existingStage, Stage replacement) {
      registrations.replaceStage(existingStage, replacement);
      return this;
    }

    public Builder removeStage(String existingStage) {
      registrations.removeStage(existingStage);
      return this;
    }

    public Builder onIntent(String intent, IntentHandler handler) {
      registrations.onIntent(intent, handler);
      return this;
    }

    public Builder addIntentHandlerFactory(IntentHandler.Factory factory) {
      registrations.addIntentHandlerFactory(factory);
      return this;
    }

    public Builder addCommand(Command command) {
      registrations.addCommand(command);
      return this;
    }

    /**
     * Builds the pipeline: installs the plugins, then applies every stage change in the order it was made.
     *
     * @throws IllegalArgumentException when a stage change names a stage that is not there, two stages share a
     *     name, or a command clashes with another
     * @throws IllegalStateException when a plugin fails to install
     */
    public Pipeline build() {
      Clock c = clock;
      Transactions tx = transactions != null ? transactions : InMemoryStorage.create(c);
      NoiseFilter noise = noiseFilter != null ? noiseFilter : DefaultNoiseFilter.builder().clock(c).build();
      KnowledgeRetriever retriever = knowledgeRetriever;
      double threshold;
      if (retriever == null) {
        retriever = LexicalKnowledgeRetriever.create();
        threshold = knowledgeThreshold != null ? knowledgeThreshold : LexicalKnowledgeRetriever.RECOMMENDED_THRESHOLD;
      } else {
        threshold = knowledgeThreshold != null ? knowledgeThreshold : 0.5;
      }
      if (rephraseThreshold >= threshold) {
        throw new IllegalArgumentException("rephraseThreshold must be below the knowledge threshold " + threshold
            + ", was " + rephraseThreshold);
      }
      KnowledgeRetriever r = new LoadingRetriever(retriever, tx);

      Registrations all = registrations.copy();
      List<Plugin> toInstall = new ArrayList<>(plugins);
      if (discoverPlugins) {
        for (Plugin p : ServiceLoader.load(Plugin.class)) {
          toInstall.add(p);
        }
      }
      PluginContext context = all.contextFor(tx, c);
      for (Plugin p : toInstall) {
        try {
          p.install(context);
        } catch (RuntimeException e) {
          throw new IllegalStateException("plugin '" + p.name() + "' failed to install: " + e.getMessage(), e);
        }
      }

      PipelineListener listener = new SafeListener(all.listeners);
      DialogStates states = dialogStates != null ? dialogStates : InMemoryDialogStates.create(c);
      RealBotActions actions = new RealBotActions(tx, replies, c, listener, states);
      List<Command> commands = orderCommands(all.commands);
      actions.commands(commands);

      MessageRecorder rec = recorder != null ? recorder : MessageRecorder.transactional(tx);
      List<Stage> stages = new ArrayList<>(List.of(
          new RecordStage(rec),
          new NoiseStage(noise),
          new FollowUpStage(actions),
          new IntentStage(intentClassifier, commands, all.intentFactories, actions, botUsername),
          new KnowledgeStage(r, threshold, rephraseThreshold, knowledgeLimit, actions),
          new TicketStage(actions)));
      for (Registrations.StageChange change : all.stageChanges) {
        change.applyTo(stages);
      }
      Set<String> seen = new LinkedHashSet<>();
      for (Stage s : stages) {
        if (s.name() == null || s.name().isBlank()) {
          throw new IllegalArgumentException("stage " + s + " has a blank name");
        }
        if (!seen.add(s.name())) {
          throw new IllegalArgumentException("two stages are named '" + s.name() + "'; stage names must be unique");
        }
      }
      return new Pipeline(stages, tx, rec, replyGateway, listener, replies, new KnowledgeBase(tx, r, c), commands, c,
          asynchronousFinish);
    }

    private static List<Command> orderCommands(List<Command> registered) {
      // /ticket comes first on purpose: it is the user's guaranteed way to a human and must not be shadowed.
      List<Command> out = new ArrayList<>();
      out.add(BuiltinCommands.TICKET);
      Set<String> names = new LinkedHashSet<>();
      names.add(BuiltinCommands.TICKET.name());
      for (Command c : registered) {
        if (!names.add(c.name())) {
          throw new IllegalArgumentException(
              "command /" + c.name() + " is registered twice"
                  + (c.name().equals("ticket") ? " (/ticket is built in and cannot be replaced)" : ""));
        }
        out.add(c);
      }
      // Applications may replace /start, /help and /status with their own.
      for (Command c : List.of(BuiltinCommands.START, BuiltinCommands.HELP, BuiltinCommands.STATUS)) {
        if (names.add(c.name())) {
          out.add(c);
        }
      }
      return out;
    }
  }
}
