package dev.tgsupport.sample;

import dev.tgsupport.core.BotException;
import dev.tgsupport.core.model.KnowledgeDraft;
import dev.tgsupport.core.moderation.SpamModeration;
import dev.tgsupport.core.pipeline.Pipeline;
import dev.tgsupport.core.port.MessageRecorder;
import dev.tgsupport.core.port.OutboxStore;
import dev.tgsupport.core.port.SyncLogStore;
import dev.tgsupport.core.port.KnowledgeRetriever;
import dev.tgsupport.core.text.Bm25KnowledgeRetriever;
import dev.tgsupport.core.text.LexicalKnowledgeRetriever;
import dev.tgsupport.kaiten.KaitenBridge;
import dev.tgsupport.kaiten.KaitenCallListener;
import dev.tgsupport.kaiten.KaitenCheck;
import dev.tgsupport.kaiten.KaitenConfig;
import dev.tgsupport.knowledge.Calibration;
import dev.tgsupport.metrics.Health;
import dev.tgsupport.metrics.Metered;
import dev.tgsupport.redis.QueueSettings;
import dev.tgsupport.redis.RedisSupport;
import dev.tgsupport.storage.mybatis.MyBatisStorage;
import dev.tgsupport.telegram.BotIdentity;
import dev.tgsupport.telegram.TelegramAdapter;
import dev.tgsupport.telegram.WebhookServer;
import dev.tgsupport.telegram.WebhookStatus;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code tgsupport run}: the demo's bot on Telegram. Storage, then Telegram, then the pipeline, then long polling or
 * a webhook; each is checked before the next starts, and each says on stderr what was chosen and why. It runs until
 * SIGTERM or Ctrl-C, then finishes the messages in flight, confirms the polling offset and exits 0.
 */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    versionProvider = TgSupportCli.Version.class,
    sortOptions = false,
    optionListHeading = "%nOptions:%n",
    usageHelpAutoWidth = true,
    header = "Run the bot on Telegram until stopped (SIGTERM or Ctrl-C).",
    description = {
      "Answers your bot's Telegram users with the demo's pipeline: it records every message, ignores noise, answers"
          + " known questions from the knowledge base and opens tickets for the rest. Configuration comes from"
          + " environment variables (below), optionally backed by a --config file with the same keys.",
      "",
      "At start it prints one line per component on stderr, after checking it: the knowledge base, Redis (PING),"
          + " the storage (migrated), Telegram (getMe), Kaiten (token, board, columns) and the mode. SIGTERM or Ctrl-C stops it: messages in flight"
          + " are finished and the polling offset confirmed, then it exits 0.",
      "",
      "With REDIS_URL, several instances of the bot share Telegram's rate limits, the flood counters, the dialog"
          + " state and a work queue: each received update goes to the queue, and every instance (and every"
          + " worker, TGSUPPORT_ROLE=worker) processes its share, one chat in order."
    },
    footerHeading = "%nEnvironment variables (or --config FILE keys; the environment wins):%n",
    footer = {
      "  TELEGRAM_BOT_TOKEN        required: the bot's token from @BotFather,",
      "                            <bot id>:<secret>. Never printed.",
      "  TELEGRAM_API_URL          the Bot API server; default",
      "                            https://api.telegram.org (or a self-hosted",
      "                            server, or a test fake).",
      "  TGSUPPORT_MODE            polling (default): long polling, nothing to",
      "                            expose; webhook: Telegram POSTs the updates",
      "                            to this process.",
      "  TGSUPPORT_WEBHOOK_SECRET  required in webhook mode: the secret Telegram",
      "                            sends with every update (1-256 of A-Z a-z",
      "                            0-9 _ -); give 'webhook set' the same one.",
      "                            Never printed.",
      "  TGSUPPORT_HTTP_PORT       the one HTTP port (default 8080; 0: any free",
      "                            port): /metrics (Prometheus), /health/live,",
      "                            /health/ready, and in webhook mode the",
      "                            webhook at /telegram/webhook; put an HTTPS",
      "                            proxy in front (Telegram only calls ports",
      "                            443, 80, 88 and 8443).",
      "  DATABASE_URL              PostgreSQL, migrated at start:",
      "                            jdbc:postgresql://HOST:PORT/DB?user=U&password=P",
      "                            or postgres://U:P@HOST:PORT/DB. Unset: an",
      "                            embedded PostgreSQL whose data is deleted when",
      "                            the bot stops. The password is never printed.",
      "  REDIS_URL                 Redis, shared by all instances of the bot:",
      "                            redis://[[user]:password@]HOST[:PORT][/DB] or",
      "                            rediss://... (TLS); checked with PING at start.",
      "                            Unset: limits, counters and the queue live in",
      "                            this process. The password is never printed.",
      "  TGSUPPORT_REDIS_PREFIX    the prefix of the bot's Redis keys; default",
      "                            tgsupport:<bot id>: (the instances of one bot",
      "                            share them, two bots never mix).",
      "  TGSUPPORT_ROLE            all (default): receive updates and process",
      "                            them; worker: only process the updates other",
      "                            instances put on the Redis work queue (needs",
      "                            REDIS_URL; TGSUPPORT_MODE is not used).",
      "  KAITEN_BASE_URL           Kaiten, for tickets as cards: the company",
      "                            address (https://acme.kaiten.ru) or an",
      "                            on-prem host. Unset (with every KAITEN_*):",
      "                            tickets stay in storage, the outbox waits.",
      "  KAITEN_TOKEN              with KAITEN_BASE_URL: the API key from the",
      "                            Kaiten profile. Never printed.",
      "  KAITEN_BOARD_ID           with KAITEN_BASE_URL: the board of new cards.",
      "  KAITEN_COLUMN_ID          with KAITEN_BASE_URL: their column ('kaiten",
      "                            check' lists the board's columns).",
      "  KAITEN_LANE_ID, KAITEN_CARD_TYPE_ID",
      "                            optional: the lane and card type of new cards.",
      "  KAITEN_TELEGRAM_USER_PROPERTY_ID, KAITEN_TELEGRAM_CHAT_PROPERTY_ID",
      "                            optional: custom properties that get the",
      "                            Telegram user and chat ids.",
      "  KAITEN_TAGS               optional: tags of every card, comma-separated.",
      "  KAITEN_POLL_INTERVAL      how often to look for staff replies and done",
      "                            cards: 30s, 5m, 1h (default 1m, 1s-1d).",
      "  KAITEN_WEBHOOK_SECRET     optional, 22+ URL-safe characters: takes",
      "                            Kaiten's webhook at /kaiten/webhook/SECRET on",
      "                            TGSUPPORT_HTTP_PORT, so staff replies arrive",
      "                            at once (register that URL in Kaiten).",
      "  QDRANT_URL                Qdrant's gRPC URL (http://qdrant:6334) for the",
      "                            knowledge vectors; default: an in-process HNSW",
      "                            index filled from storage at start.",
      "  QDRANT_API_KEY            optional, with QDRANT_URL. Never printed.",
      "  TGSUPPORT_EMBEDDING_URL   an OpenAI-compatible server (/v1/embeddings:",
      "                            OpenAI, Ollama, vLLM) for a multilingual model;",
      "                            default: the bundled English-only MiniLM.",
      "  TGSUPPORT_EMBEDDING_MODEL the model name there (text-embedding-3-small).",
      "  TGSUPPORT_EMBEDDING_API_KEY  optional Bearer key. Never printed.",
      "  TGSUPPORT_LEXICAL         the word side of the knowledge lookup: bm25",
      "                            (default), tfidf, or postgres (PostgreSQL",
      "                            full-text search; PostgreSQL storage only).",
      "  TGSUPPORT_SPAM_SAMPLES    a directory with tg-spam's spam-samples.txt,",
      "                            ham-samples.txt and stop-words.txt for the",
      "                            group spam detector (default: its built-in",
      "                            checks only). Staff (users marked internal)",
      "                            teach it by replying /spam or /notspam.",
      "  TGSUPPORT_SPAM_DELETE     true (default) or false: delete spam when the",
      "                            bot is an admin allowed to delete messages.",
      "  TGSUPPORT_SPAM_RESTRICT   off (default) or a duration such as 1h: how",
      "                            long the author of spam may not write.",
      "  TGSUPPORT_LOG_FORMAT      the log on stderr: text (default), one compact",
      "                            line per event; json: one JSON object per line",
      "                            (timestamp, level, logger, thread, message,",
      "                            mdc: chat_id, message_id, ticket_id; exception).",
      "                            run's own start-up lines stay text.",
      "  TGSUPPORT_LOG_LEVEL       error, warn (default), info or debug: the",
      "                            least severe events logged.",
      "A variable set to an empty value counts as unset.",
      "",
      "Example:",
      "  export TELEGRAM_BOT_TOKEN='123456:ABC-DEF1234ghIkl-zyx57W2v1u123ew11'",
      "  export DATABASE_URL='postgres://bot:secret@db:5432/support'",
      "  ./tgsupport run",
      "",
      "One poller and two workers sharing the load:",
      "  export REDIS_URL='redis://:secret@redis:6379' DATABASE_URL=...",
      "  ./tgsupport run &",
      "  TGSUPPORT_ROLE=worker ./tgsupport run &",
      "  TGSUPPORT_ROLE=worker ./tgsupport run &",
      "",
      "Exit codes: 0 stopped by SIGTERM or Ctrl-C; 1 a check failed at start (one",
      "line naming the variable to fix) or long polling stopped for good (409: a",
      "webhook is set, or another process polls); 2 a missing or malformed",
      "setting."
    })
final class RunCommand implements Callable<Integer> {
  private static final String PROGRAM = "tgsupport run";
  // Workers, the receiver and the webhook's threads each hold a connection for one short transaction at a time.
  private static final int POOL_SIZE = 10;
  // Inside the 10 s that 'docker stop' waits before SIGKILL: a message not finished by then stays stored and
  // unanswered, and the next start answers it, which beats being killed halfway through confirming the offset.
  private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(8);
  private static final String EMBEDDED_ADVICE =
      "set DATABASE_URL to a PostgreSQL server, or try the bot with --storage memory";

  @ParentCommand private TgSupportCli cli;

  @Mixin private ConfigOption config;

  @Option(
      names = "--knowledge",
      paramLabel = "FILE",
      description = "Load the knowledge base from FILE instead of the bundled demo one (the same CSV or JSON format"
          + " as 'demo --knowledge'). Entries whose question is already stored are not added again.")
  private Path knowledge;

  @Option(
      names = "--storage",
      paramLabel = "KIND",
      converter = DemoStorage.Kind.Converter.class,
      completionCandidates = DemoStorage.Kind.Names.class,
      description = "${COMPLETION-CANDIDATES}. Default: postgres when DATABASE_URL is set, else embedded. memory"
          + " keeps nothing when the bot stops: for trying it out.")
  private DemoStorage.Kind storage;

  /**
   * What was configured, validated.
   *
   * @param mode null for a worker, which receives nothing
   * @param redis null when {@code REDIS_URL} is not set
   */
  private record Plan(String token, BotSettings.Value apiUrl, BotSettings.Role role, BotSettings.Value roleValue,
      BotSettings.Mode mode, BotSettings.Value modeValue, String webhookSecret, int port,
      BotSettings.Value portValue, DemoStorage.Kind storage, String storageWhy, DatabaseUrlOption databaseUrl,
      RedisUrlOption redis, BotSettings.Value redisPrefix, KaitenSettings.Kaiten kaiten, SpamSettings.Spam spam,
      KnowledgeSettings.Knowledge vectors, LogSettings.Logging logging) {}

  @Override
  public Integer call() {
    Io io = cli.io();
    PrintWriter err = io.err();
    BotSettings settings = null;
    Plan plan;
    try {
      settings = config.load(cli.env());
      plan = plan(settings);
    } catch (UsageFailure e) {
      err.println(PROGRAM + ": " + (settings == null ? e.getMessage() : settings.scrub(e.getMessage())));
      return UsageFailure.EXIT_CODE;
    }
    // First, so that whatever the start logs is in the chosen format already.
    BotSettings scrubber = settings;
    try (LogSettings.Restore logs = plan.logging().apply(scrubber::scrub)) {
      return run(io, settings, plan);
    }
  }

  private int run(Io io, BotSettings settings, Plan plan) {
    PrintWriter err = io.err();
    Say say = new Say(err, settings);
    // The knowledge file first: a typo in it should not cost a database start.
    List<KnowledgeDraft> drafts = loadKnowledge();
    say.line("knowledge: " + drafts.size() + " entries " + (knowledge == null
        ? "(the bundled demo base about Tasklane; --knowledge FILE for yours)" : "from " + knowledge));

    // Redis next: its check is one round trip, a database start takes seconds.
    RedisSupport redis;
    try {
      redis = startRedis(plan, say);
    } catch (UsageFailure e) {
      err.println(PROGRAM + ": " + settings.scrub(e.getMessage()));
      return UsageFailure.EXIT_CODE;
    }

    // The embedding model and the vector index before the start-up lock: loading them takes a while and involves
    // no shared state.
    KnowledgeSettings.Vectors vectors;
    try {
      vectors = plan.vectors().open(say::line);
    } catch (RuntimeException e) {
      closeRedis(redis, say);
      throw e;
    }

    // Instances started at once on one database would migrate it and add the knowledge base concurrently.
    StartupLock lock = StartupLock.take(redis, plan, say);
    DemoStorage store;
    try {
      store = DemoStorage.open(plan.storage(), plan.databaseUrl(), err,
          new DemoStorage.Options(PROGRAM, POOL_SIZE, EMBEDDED_ADVICE, false));
    } catch (UsageFailure e) {
      lock.release();
      vectors.close();
      closeRedis(redis, say);
      err.println(PROGRAM + ": " + settings.scrub(e.getMessage()));
      return UsageFailure.EXIT_CODE;
    } catch (RuntimeException e) {
      lock.release();
      vectors.close();
      closeRedis(redis, say);
      throw e;
    }
    Bot bot = new Bot(store, redis, say);
    bot.vectors = vectors;
    try {
      say.line("storage: " + store.description() + storageNote(plan, store));
      if (redis != null && plan.storage() != DemoStorage.Kind.POSTGRES) {
        say.line("note: the instances on one " + BotSettings.REDIS_URL + " share the work queue, so any of them may"
            + " take a message, but this storage is this process's own: give them all one "
            + BotSettings.DATABASE_URL);
      }
      start(bot, plan, settings, drafts, say, lock);
    } catch (RuntimeException e) {
      lock.release();
      bot.shutdown();
      if (e instanceof TgSupportCli.CliFailure) {
        throw e;
      }
      throw new TgSupportCli.CliFailure(settings.scrub("cannot start: " + e));
    }
    return runUntilStopped(bot, plan, settings);
  }

  private Plan plan(BotSettings settings) {
    String token = settings.token();
    BotSettings.Value apiUrl = settings.apiUrl();
    BotSettings.Role role = settings.role();
    RedisUrlOption redis = settings.redisUrl();
    BotSettings.Value redisPrefix = settings.redisPrefix(token.substring(0, token.indexOf(':')));
    if (role == BotSettings.Role.WORKER && redis == null) {
      throw new UsageFailure(settings.roleValue().where() + "=worker needs " + BotSettings.REDIS_URL + ": a worker"
          + " processes the updates that the receiving instance puts on the Redis work queue");
    }
    // A worker receives nothing: the receiving settings are not its business (a shared --config file has them).
    boolean receives = role == BotSettings.Role.ALL;
    BotSettings.Mode mode = receives ? settings.mode() : null;
    int port = receives ? settings.httpPort() : 0;
    String secret = mode == BotSettings.Mode.WEBHOOK
        ? settings.webhookSecret("webhook mode needs it to tell Telegram's calls from anyone else's") : null;
    DatabaseUrlOption url = settings.databaseUrl();
    DemoStorage.Kind kind;
    String why;
    if (storage == null) {
      kind = url != null ? DemoStorage.Kind.POSTGRES : DemoStorage.Kind.EMBEDDED;
      why = url != null ? BotSettings.DATABASE_URL + " is set" : BotSettings.DATABASE_URL + " is not set";
    } else {
      kind = storage;
      if (kind == DemoStorage.Kind.POSTGRES && url == null) {
        throw new UsageFailure("--storage postgres needs " + BotSettings.DATABASE_URL
            + " (jdbc:postgresql://HOST:PORT/DB?user=U&password=P or postgres://U:P@HOST:PORT/DB)");
      }
      why = "--storage " + kind.option()
          + (url != null && kind != DemoStorage.Kind.POSTGRES ? "; " + BotSettings.DATABASE_URL + " is ignored" : "");
    }
    KaitenSettings.Kaiten kaiten = KaitenSettings.load(settings);
    SpamSettings.Spam spam = SpamSettings.load(settings);
    KnowledgeSettings.Knowledge vectors = KnowledgeSettings.load(settings);
    LogSettings.Logging logging = LogSettings.load(settings);
    return new Plan(token, apiUrl, role, settings.roleValue(), mode, settings.modeValue(), secret, port,
        settings.httpPortValue(), kind, why, kind == DemoStorage.Kind.POSTGRES ? url : null, redis, redisPrefix,
        kaiten, spam, vectors, logging);
  }

  /**
   * Connects to the Redis of {@code REDIS_URL} and checks that it answers, or says that there is none.
   *
   * @return null without {@code REDIS_URL}
   * @throws UsageFailure when the SDK refuses the URL
   * @throws TgSupportCli.CliFailure when Redis does not answer, in one line naming {@code REDIS_URL}
   */
  private static RedisSupport startRedis(Plan plan, Say say) {
    if (plan.redis() == null) {
      say.line("redis: none (" + BotSettings.REDIS_URL + " is not set): limits, counters and queue in this process");
      return null;
    }
    RedisEvents events = new RedisEvents(say);
    RedisSupport redis = plan.redis().open(plan.redisPrefix().value(), events);
    try {
      plan.redis().ping(redis);
    } catch (RuntimeException e) {
      redis.close();
      throw e;
    }
    events.start();
    say.line("redis: " + plan.redis().display() + " (" + BotSettings.REDIS_URL + " is set): shared rate limits,"
        + " flood counters, dialog state and work queue; key prefix " + plan.redisPrefix().value());
    return redis;
  }

  private static void closeRedis(RedisSupport redis, Say say) {
    if (redis != null) {
      try {
        redis.close();
      } catch (RuntimeException e) {
        say.line("warning: could not close the Redis connection cleanly: " + e.getMessage());
      }
    }
  }

  private static String storageNote(Plan plan, DemoStorage store) {
    return switch (plan.storage()) {
      case MEMORY -> " (" + plan.storageWhy() + "): nothing is kept when the bot stops";
      case EMBEDDED -> ", migrated (" + plan.storageWhy() + "; its data is deleted when the bot stops)";
      case POSTGRES -> " (" + plan.storageWhy() + "), migrated: " + store.migrations();
    };
  }

  /** Telegram, the pipeline and the receiver, each checked before the next; throws a CliFailure on failure. */
  private void start(Bot bot, Plan plan, BotSettings settings, List<KnowledgeDraft> drafts, Say say,
      StartupLock lock) {
    try {
      bot.ops = OpsServer.bind(plan.port());
    } catch (UncheckedIOException e) {
      throw new TgSupportCli.CliFailure("cannot listen on " + plan.portValue().where() + "=" + plan.port() + ": "
          + (e.getCause() == null ? e.getMessage() : e.getCause().getMessage()));
    }
    MeterRegistry meters = bot.ops.registry();
    String apiUrl = plan.apiUrl().value();
    TelegramAdapter.Builder telegram = TelegramAdapter.builder()
        .token(plan.token())
        .apiUrl(apiUrl)
        .transactions(bot.store.transactions())
        .shutdownGrace(SHUTDOWN_GRACE);
    DemoBot.Shared shared = DemoBot.Shared.NONE;
    if (bot.redis != null) {
      // Telegram's limits are per bot: the instances take their send permits from one bucket. Each instance both
      // fills the queue (when it receives) and consumes it, so a webhook behind a load balancer or one poller with
      // workers beside it share the work, each chat in order.
      telegram.rateLimiter(Metered.rateLimiter(bot.redis.rateLimiter(), meters, "redis"))
          .workQueue(bot.redis.workQueue(QueueSettings.defaults()), true);
      shared = new DemoBot.Shared(Metered.floodCounter(bot.redis.floodCounter(), meters, "redis"),
          Metered.dialogStates(bot.redis.dialogStates(), meters, "redis"));
    }
    bot.adapter = telegram.build();
    bot.ops.watchSender(bot.adapter);
    BotIdentity me;
    try {
      me = bot.adapter.getMe();
    } catch (BotException e) {
      throw new TgSupportCli.CliFailure(TelegramFailures.explain(e, settings, apiUrl));
    }
    say.line("telegram: @" + me.username() + " (" + me.id() + ") via " + apiUrl
        + (plan.apiUrl().isDefault() ? "" : " (" + plan.apiUrl().where() + ")") + "; privacy mode "
        + (me.canReadAllGroupMessages() ? "off: it reads every group message"
            : "on: in groups it sees only commands, replies to it and mentions"));

    SpamModeration moderation = plan.spam().moderation(bot.adapter.moderator());
    Pipeline pipeline;
    try {
      Pipeline.Builder builder = DemoBot.hybrid(DemoBot.builder(bot.store.transactions(), shared, moderation),
              Metered.embedder(bot.vectors.embedder(), meters, "embedder"),
              Metered.knowledgeIndex(bot.vectors.index(), meters, bot.vectors.client()),
              lexical(plan, bot), Calibration.defaults(plan.vectors().lexical().value()))
          .listener(bot.ops.pipelineMetrics())
          .replyGateway(bot.adapter.sender())
          .botUsername(me.username());
      // On PostgreSQL, incoming messages are written by group commit; closing the storage flushes it first.
      MessageRecorder recorder = bot.store.recorder();
      if (recorder != null) {
        builder.recorder(recorder);
      }
      pipeline = DemoBot.withKnowledge(builder.build(), drafts);
    } catch (RuntimeException e) {
      throw new TgSupportCli.CliFailure("cannot store the knowledge base: "
          + (plan.databaseUrl() == null ? e.getMessage() : plan.databaseUrl().failure(e)));
    }
    lock.release();
    say.line("knowledge lookup: hybrid, " + plan.vectors().lexical().value() + " words + vectors ("
        + (plan.vectors().lexical().source().equals("default") ? KnowledgeSettings.LEXICAL + " is not set"
            : plan.vectors().lexical().where() + " is set") + ")");
    say.line("spam: " + plan.spam().describe(moderation));
    startKaiten(bot, plan, pipeline, say, meters);
    bot.ops.watchOutbox(bot.store.transactions());

    if (plan.role() == BotSettings.Role.WORKER) {
      startOps(bot, say);
      bot.adapter.startWorker(pipeline);
      say.line("mode: worker: processes the updates on the Redis work queue, receives none ("
          + plan.roleValue().where() + "=" + plan.roleValue().value()
          + (plan.modeValue().isDefault() ? "" : "; " + plan.modeValue().where() + " is not used") + ")");
      return;
    }
    String why = plan.modeValue().isDefault() ? BotSettings.MODE + " is not set"
        : plan.modeValue().where() + "=" + plan.modeValue().value();
    if (plan.mode() == BotSettings.Mode.POLLING) {
      // Polling would stop at once with a 409; saying so before it starts keeps the log to this one line.
      WebhookStatus webhook;
      try {
        webhook = bot.adapter.webhookInfo();
      } catch (BotException e) {
        throw new TgSupportCli.CliFailure(TelegramFailures.explain(e, settings, apiUrl));
      }
      if (webhook.isSet()) {
        throw new TgSupportCli.CliFailure(settings.scrub(TelegramFailures.webhookIsSet(webhook.url())));
      }
      startOps(bot, say);
      bot.adapter.startPolling(pipeline);
      say.line("mode: long polling (" + why + "; no webhook is set)");
      return;
    }
    WebhookServer server;
    try {
      server = bot.adapter.startWebhook(pipeline, WebhookServer.builder()
          .existingServer(bot.ops.server())
          .path(BotSettings.WEBHOOK_PATH)
          .secretToken(plan.webhookSecret()));
      bot.ops.mounted(BotSettings.WEBHOOK_PATH);
      startOps(bot, say);
    } catch (UncheckedIOException e) {
      throw new TgSupportCli.CliFailure("cannot listen on " + plan.portValue().where() + "=" + plan.port() + ": "
          + (e.getCause() == null ? e.getMessage() : e.getCause().getMessage()));
    }
    say.line("mode: webhook on port " + server.port() + " path " + BotSettings.WEBHOOK_PATH + " (" + why + "); "
        + registration(bot.adapter));
  }

  /**
   * Checks Kaiten (token, board, columns) and starts the bridge: the outbox worker that turns tickets into cards, and
   * the poller that brings staff comments and resolutions back through the Telegram sender. With
   * {@code KAITEN_WEBHOOK_SECRET}, Kaiten's webhook is mounted on the HTTP port too, so changes arrive at once; the
   * poller still catches what a lost webhook call missed.
   */
  private static void startKaiten(Bot bot, Plan plan, Pipeline pipeline, Say say, MeterRegistry meters) {
    KaitenSettings.Kaiten kaiten = plan.kaiten();
    if (kaiten == null) {
      say.line("kaiten: none (" + KaitenSettings.BASE_URL + " is not set): tickets stay in storage and the outbox"
          + " waits");
      return;
    }
    KaitenConfig config = kaiten.config();
    bot.kaiten = KaitenBridge.builder()
        .config(config)
        .transactions(bot.store.transactions())
        .replies(bot.adapter.sender())
        .knowledge(pipeline.knowledge())
        .callListener(kaitenMeters(meters))
        .build();
    KaitenCheck check = bot.kaiten.check();
    if (!check.ok()) {
      throw new TgSupportCli.CliFailure(KaitenSettings.firstProblem(check, config));
    }
    bot.kaiten.start();
    if (kaiten.webhookSecret() != null) {
      bot.ops.mount(KAITEN_WEBHOOK_PATH, bot.kaiten.webhookHandler(kaiten.webhookSecret()));
    }
    say.line("kaiten: board " + check.board() + ", column " + column(check, config.columnId()) + " via "
        + config.apiUrl() + " as " + check.tokenUser() + " (" + kaiten.why() + "); polls every "
        + KaitenSettings.show(config.pollInterval())
        + " for staff replies and card moves (done, archived, reopened)"
        + (kaiten.webhookSecret() == null ? " (no Kaiten webhook: " + KaitenSettings.WEBHOOK_SECRET + " is not set)"
            : " and takes Kaiten's webhook at " + KAITEN_WEBHOOK_PATH + "***"));
  }

  /** Kaiten's calls on the client meters, as {@code kaiten}: bot-kaiten has no Micrometer, bot-metrics no Kaiten. */
  static KaitenCallListener kaitenMeters(MeterRegistry meters) {
    Metered.CallRecorder calls = Metered.calls(meters, "kaiten");
    return call -> calls.record(call.operation(), call.duration(), call.error());
  }

  /** "100 Queue", from the check's column list; the bare id when it is not there. */
  static String column(KaitenCheck check, long id) {
    for (String c : check.columns()) {
      if (c.startsWith(id + " ")) {
        int type = c.lastIndexOf(" (type ");
        return type > 0 ? c.substring(0, type) : c;
      }
    }
    return Long.toString(id);
  }

  /** What Telegram knows about the webhook: a reminder to register it is the most common missing step. */
  private static String registration(TelegramAdapter adapter) {
    WebhookStatus status;
    try {
      status = adapter.webhookInfo();
    } catch (BotException e) {
      return "could not ask Telegram where it delivers (" + e.getMessage() + ")";
    }
    if (!status.isSet()) {
      return "no webhook is registered with Telegram yet: run './tgsupport webhook set"
          + " https://YOUR-HOST" + BotSettings.WEBHOOK_PATH + "'";
    }
    return "Telegram delivers to " + status.url()
        + (status.lastErrorMessage() == null ? "" : " (last error: " + status.lastErrorMessage() + ")");
  }

  static final String KAITEN_WEBHOOK_PATH = "/kaiten/webhook/";

  /** The lexical side of the knowledge lookup that {@code TGSUPPORT_LEXICAL} names. */
  private static KnowledgeRetriever lexical(Plan plan, Bot bot) {
    BotSettings.Value v = plan.vectors().lexical();
    return switch (v.value()) {
      case Calibration.TFIDF -> LexicalKnowledgeRetriever.create();
      case Calibration.POSTGRES -> {
        if (!(bot.store.transactions() instanceof MyBatisStorage storage)) {
          throw new TgSupportCli.CliFailure(v.where() + "=postgres needs PostgreSQL storage (" + BotSettings.DATABASE_URL
              + ", or the embedded one), not --storage memory");
        }
        yield storage.knowledgeRetriever();
      }
      default -> Bm25KnowledgeRetriever.create();
    };
  }

  /** Starts serving metrics and health (and the webhooks mounted so far) on the one HTTP port. */
  private static void startOps(Bot bot, Say say) {
    Health.Builder health = Health.builder()
        .required("storage", () -> storageHealth(bot))
        .component("telegram", () -> {
          BotException failure = bot.adapter.pollingFailure();
          return failure == null ? Health.Status.up("") : Health.Status.down(say.scrub(failure.getMessage()));
        });
    if (bot.redis != null) {
      health.component("redis", () -> bot.redis.isDegraded()
          ? Health.Status.degraded("unreachable: rate limits, flood counts and dialog state are in-process for now")
          : Health.Status.up(""));
    }
    if (bot.kaiten != null) {
      health.component("kaiten", () -> kaitenHealth(bot));
    }
    if (bot.vectors.health() != null) {
      health.component("qdrant", bot.vectors.health());
    }
    bot.ops.start(health.build());
    say.line("http: " + bot.ops.describe());
  }

  private static Health.Status storageHealth(Bot bot) {
    try {
      OutboxStore.Backlog b = bot.store.transactions().inTransaction(s -> s.outbox().backlog());
      return Health.Status.up(b.pending() + " outbox entries pending, " + b.parked() + " parked");
    } catch (RuntimeException e) {
      return Health.Status.down(e.getMessage());
    }
  }

  /** Kaiten as the last sync with it found it: no call to Kaiten per probe. */
  private static Health.Status kaitenHealth(Bot bot) {
    List<SyncLogStore.SyncRun> runs = bot.store.transactions().inTransaction(s -> s.syncLog().recent("kaiten", 1));
    if (runs.isEmpty()) {
      return Health.Status.up("no sync yet");
    }
    SyncLogStore.SyncRun last = runs.get(0);
    return SyncLogStore.FAILED.equals(last.status())
        ? Health.Status.degraded("last sync failed: " + last.errors())
        : Health.Status.up("last sync " + last.status() + " at " + last.startedAt());
  }

  /** Waits for SIGTERM or Ctrl-C, or for long polling to stop by itself. */
  private int runUntilStopped(Bot bot, Plan plan, BotSettings settings) {
    StopTrigger.Registration registration = cli.stopTrigger().register(bot::stopOnRequest);
    // From here on the stop trigger closes the storage, after the adapter has finished with it.
    bot.store.handOverShutdown();
    bot.say.line("running; Ctrl-C or SIGTERM stops it after the messages in flight");
    try {
      while (!bot.awaitStopped(200)) {
        BotException failure = bot.adapter.pollingFailure();
        if (failure != null && bot.claim()) {
          registration.cancel();
          bot.shutdown();
          throw new TgSupportCli.CliFailure(
              TelegramFailures.pollingStopped(failure, settings, plan.apiUrl().value()));
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      bot.stopOnRequest();
    }
    return 0;
  }

  private List<KnowledgeDraft> loadKnowledge() {
    if (knowledge == null) {
      return DemoBot.bundledKnowledge();
    }
    try {
      return KnowledgeFile.load(knowledge);
    } catch (KnowledgeFileException e) {
      throw new TgSupportCli.CliFailure(e.getMessage());
    }
  }

  /** Progress lines on stderr, secrets masked. */
  private record Say(PrintWriter err, BotSettings settings) {
    void line(String text) {
      err.println(PROGRAM + ": " + settings.scrub(text));
      err.flush();
    }

    String scrub(String text) {
      return settings.scrub(text);
    }
  }

  /**
   * Lets one instance at a time migrate a shared database and add the knowledge base to it, so that instances
   * started together (a deployment scaled to three) neither fail on each other's half-made tables nor add the
   * knowledge base twice. Taken through Redis, and only when the storage is a PostgreSQL server that instances of the
   * bot share; it lapses by itself after {@link #TTL}, should its holder die.
   */
  private static final class StartupLock {
    // Long enough for a slow start on a busy machine; a crashed holder costs the others this wait once.
    static final Duration TTL = Duration.ofSeconds(180);
    private static final String KEY = "run:startup";
    private static final StartupLock NONE = new StartupLock(null);

    private final RedisSupport redis;
    private final AtomicBoolean held;

    private StartupLock(RedisSupport redis) {
      this.redis = redis;
      this.held = new AtomicBoolean(redis != null);
    }

    static StartupLock take(RedisSupport redis, Plan plan, Say say) {
      if (redis == null || plan.storage() != DemoStorage.Kind.POSTGRES) {
        return NONE;
      }
      long deadline = System.nanoTime() + TTL.toNanos();
      boolean told = false;
      // A claim that is new takes the lock; while Redis is unreachable every claim is new, and nothing is locked.
      while (!redis.deduplicator().firstSeen(KEY, TTL) && System.nanoTime() < deadline) {
        if (!told) {
          say.line("storage: waiting for another instance that is migrating the database (at most "
              + TTL.toSeconds() + " s)");
          told = true;
        }
        try {
          Thread.sleep(100);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new TgSupportCli.CliFailure("interrupted while waiting for another instance to start");
        }
      }
      return new StartupLock(redis);
    }

    /** Idempotent; the start-up releases it as soon as the database is ready, and on every failure. */
    void release() {
      if (held.compareAndSet(true, false)) {
        redis.deduplicator().release(KEY);
      }
    }
  }

  /**
   * Tells on stderr, one line each, when a part of the Redis support falls back to this process and when it is back.
   * Quiet until the start-up check passed: an unreachable Redis at start is reported by that check, in one line.
   */
  private static final class RedisEvents implements RedisSupport.Listener {
    private final Say say;
    private final Set<String> told = ConcurrentHashMap.newKeySet();
    private volatile boolean started;

    RedisEvents(Say say) {
      this.say = say;
    }

    void start() {
      started = true;
    }

    @Override
    public void degraded(String component, Throwable cause) {
      if (started && told.add(component)) {
        say.line("warning: Redis is unreachable (" + RedisUrlOption.reason(cause) + "): " + what(component)
            + " works in this process until Redis is back");
      }
    }

    @Override
    public void recovered(String component, Duration outage) {
      if (told.remove(component)) {
        say.line(String.format(Locale.ROOT, "Redis is back after %.1f s: %s uses it again", outage.toMillis() / 1e3,
            what(component)));
      }
    }

    /** The component's part in the bot, in words. */
    private static String what(String component) {
      return switch (component) {
        case "rate-limiter" -> "the shared rate limiter";
        case "flood-counter" -> "the flood counter";
        case "deduplicator" -> "the update dedup";
        case "dialog-states" -> "the dialog state";
        case "queue" -> "the work queue";
        default -> "the " + component;
      };
    }
  }

  /** The running parts, stopped exactly once: by the stop trigger, or by the main thread when polling failed. */
  private static final class Bot {
    final DemoStorage store;
    final RedisSupport redis;
    final Say say;
    volatile TelegramAdapter adapter;
    volatile KaitenBridge kaiten;
    volatile OpsServer ops;
    volatile KnowledgeSettings.Vectors vectors;
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final CountDownLatch stopped = new CountDownLatch(1);

    /** @param redis null without {@code REDIS_URL} */
    Bot(DemoStorage store, RedisSupport redis, Say say) {
      this.store = store;
      this.redis = redis;
      this.say = say;
    }

    /** True for the one caller who gets to stop the bot. */
    boolean claim() {
      return stopping.compareAndSet(false, true);
    }

    boolean awaitStopped(long millis) throws InterruptedException {
      return stopped.await(millis, TimeUnit.MILLISECONDS);
    }

    /** For the stop trigger: false when the bot is already stopping for another reason. */
    boolean stopOnRequest() {
      if (!claim()) {
        return false;
      }
      say.line("stopping: finishing the messages in flight");
      shutdown();
      say.line("stopped");
      return true;
    }

    /**
     * The adapter first (it drains into storage and confirms the offset), then the storage, then Redis, which the
     * adapter's queue consumer and sender use until they are done.
     */
    void shutdown() {
      stopping.set(true);
      // The bridge first: it sends through the adapter's sender and writes to the storage.
      KaitenBridge k = kaiten;
      if (k != null) {
        try {
          k.close();
        } catch (RuntimeException e) {
          say.line("warning: could not stop the Kaiten bridge cleanly: " + e.getMessage());
        }
      }
      TelegramAdapter a = adapter;
      if (a != null) {
        try {
          a.close();
        } catch (RuntimeException e) {
          say.line("warning: could not stop the Telegram adapter cleanly: " + e.getMessage());
        }
      }
      KnowledgeSettings.Vectors v = vectors;
      if (v != null) {
        v.close();
      }
      store.close();
      closeRedis(redis, say);
      // Last: probes and scrapes see the bot through its shutdown.
      OpsServer o = ops;
      if (o != null) {
        o.close();
      }
      stopped.countDown();
    }
  }
}
