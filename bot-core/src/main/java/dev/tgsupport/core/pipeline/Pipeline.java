package dev.tgsupport.core.pipeline;

import dev.tgsupport.core.PipelineException;
import dev.tgsupport.core.knowledge.KnowledgeBase;
import dev.tgsupport.core.memory.InMemoryStorage;
import dev.tgsupport.core.model.IncomingMessage;
import dev.tgsupport.core.model.OutgoingMessage;
import dev.tgsupport.core.model.SentMessage;
import dev.tgsupport.core.port.IntentClassifier;
import dev.tgsupport.core.port.KnowledgeRetriever;
import dev.tgsupport.core.port.MessageRecorder;
import dev.tgsupport.core.port.NoiseFilter;
import dev.tgsupport.core.port.ReplyGateway;
import dev.tgsupport.core.port.Stores;
import dev.tgsupport.core.port.Transactions;
import dev.tgsupport.core.text.DefaultNoiseFilter;
import dev.tgsupport.core.text.LexicalKnowledgeRetriever;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.ServiceLoader;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs incoming messages through the stages: {@code record → noise → intent → knowledge → ticket}, plus whatever
 * plugins added. Build one with {@link #builder()}; every part has an in-memory default, so
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
 * <p>Thread-safe and immutable once built: call {@link #process} from any number of threads.
 */
public final class Pipeline {
  private static final Logger log = LoggerFactory.getLogger(Pipeline.class);

  private final List<Stage> stages;
  private final Transactions transactions;
  private final ReplyGateway replyGateway;
  private final PipelineListener listener;
  private final ReplyTemplates replies;
  private final KnowledgeBase knowledge;
  private final List<Command> commands;
  private final Clock clock;

  private Pipeline(
      List<Stage> stages,
      Transactions transactions,
      ReplyGateway replyGateway,
      PipelineListener listener,
      ReplyTemplates replies,
      KnowledgeBase knowledge,
      List<Command> commands,
      Clock clock) {
    this.stages = List.copyOf(stages);
    this.transactions = transactions;
    this.replyGateway = replyGateway;
    this.listener = listener;
    this.replies = replies;
    this.knowledge = knowledge;
    this.commands = List.copyOf(commands);
    this.clock = clock;
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
   * @throws dev.tgsupport.core.BotException from the reply gateway when the reply could not be sent; the message
   *     stays stored and unhandled, so processing it again is safe
   */
  public Outcome process(IncomingMessage message) {
    Objects.requireNonNull(message, "message");
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
      transactions.run(s -> saveResult(s, ctx));
      return outcome;
    }
    OutgoingMessage reply = new OutgoingMessage(m.chat().id(), outcome.reply(), m.telegramMessageId(), m.threadId());
    SentMessage sent;
    try {
      sent = replyGateway.send(reply);
    } catch (RuntimeException e) {
      listener.replyFailed(ctx, reply, e);
      transactions.run(s -> saveVerdicts(s, ctx));
      throw e;
    }
    listener.replySent(ctx, reply, sent);
    transactions.run(
        s -> {
          s.messages().recordOutgoing(reply, sent);
          saveResult(s, ctx);
        });
    return outcome.withSent(sent);
  }

  private void saveResult(Stores s, MessageContext ctx) {
    saveVerdicts(s, ctx);
    s.messages().markHandled(ctx.messageId(), clock.instant());
  }

  private static void saveVerdicts(Stores s, MessageContext ctx) {
    if (ctx.noise() != null && ctx.noise().noise()) {
      s.messages().markNoise(ctx.messageId(), ctx.noise().reason());
    }
    if (ctx.intent() != null) {
      s.messages().setIntent(ctx.messageId(), ctx.intent());
    }
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
    private ReplyTemplates replies = ReplyTemplates.defaults();
    private Clock clock = Clock.systemUTC();
    private Double knowledgeThreshold;
    private int knowledgeLimit = 3;
    private String botUsername;
    private boolean discoverPlugins;
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

    /** How many knowledge hits to fetch and keep in the context; default 3. */
    public Builder knowledgeLimit(int limit) {
      if (limit < 1 || limit > 100) {
        throw new IllegalArgumentException("knowledgeLimit must be in 1..100, was " + limit);
      }
      this.knowledgeLimit = limit;
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
      RealBotActions actions = new RealBotActions(tx, replies, c, listener);
      List<Command> commands = orderCommands(all.commands);
      actions.commands(commands);

      List<Stage> stages = new ArrayList<>(List.of(
          new RecordStage(recorder != null ? recorder : MessageRecorder.transactional(tx)),
          new NoiseStage(noise),
          new IntentStage(intentClassifier, commands, all.intentFactories, actions, botUsername),
          new KnowledgeStage(r, threshold, knowledgeLimit),
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
      return new Pipeline(stages, tx, replyGateway, listener, replies, new KnowledgeBase(tx, r, c), commands, c);
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
