package dev.tgsupport.sample;

import dev.tgsupport.core.BotException;
import dev.tgsupport.core.model.KnowledgeDraft;
import dev.tgsupport.core.pipeline.Pipeline;
import dev.tgsupport.telegram.BotIdentity;
import dev.tgsupport.telegram.TelegramAdapter;
import dev.tgsupport.telegram.WebhookServer;
import dev.tgsupport.telegram.WebhookStatus;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
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
      "At start it prints one line per component on stderr, after checking it: the knowledge base, the storage"
          + " (migrated), Telegram (getMe) and the mode. SIGTERM or Ctrl-C stops it: messages in flight are"
          + " finished and the polling offset confirmed, then it exits 0."
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
      "  TGSUPPORT_HTTP_PORT       the webhook's port (default 8080; 0: any free",
      "                            port). The path is /telegram/webhook; put an",
      "                            HTTPS proxy in front (Telegram only calls",
      "                            ports 443, 80, 88 and 8443).",
      "  DATABASE_URL              PostgreSQL, migrated at start:",
      "                            jdbc:postgresql://HOST:PORT/DB?user=U&password=P",
      "                            or postgres://U:P@HOST:PORT/DB. Unset: an",
      "                            embedded PostgreSQL whose data is deleted when",
      "                            the bot stops. The password is never printed.",
      "A variable set to an empty value counts as unset.",
      "",
      "Example:",
      "  export TELEGRAM_BOT_TOKEN='123456:ABC-DEF1234ghIkl-zyx57W2v1u123ew11'",
      "  export DATABASE_URL='postgres://bot:secret@db:5432/support'",
      "  ./tgsupport run",
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

  /** What was configured, validated. */
  private record Plan(String token, BotSettings.Value apiUrl, BotSettings.Mode mode, BotSettings.Value modeValue,
      String webhookSecret, int port, BotSettings.Value portValue, DemoStorage.Kind storage, String storageWhy,
      DatabaseUrlOption databaseUrl) {}

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
    Say say = new Say(err, settings);
    // The knowledge file first: a typo in it should not cost a database start.
    List<KnowledgeDraft> drafts = loadKnowledge();
    say.line("knowledge: " + drafts.size() + " entries " + (knowledge == null
        ? "(the bundled demo base about Tasklane; --knowledge FILE for yours)" : "from " + knowledge));

    DemoStorage store;
    try {
      store = DemoStorage.open(plan.storage(), plan.databaseUrl(), err,
          new DemoStorage.Options(PROGRAM, POOL_SIZE, EMBEDDED_ADVICE, false));
    } catch (UsageFailure e) {
      err.println(PROGRAM + ": " + settings.scrub(e.getMessage()));
      return UsageFailure.EXIT_CODE;
    }
    Bot bot = new Bot(store, say);
    try {
      say.line("storage: " + store.description() + storageNote(plan, store));
      start(bot, plan, settings, drafts, say);
    } catch (RuntimeException e) {
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
    BotSettings.Mode mode = settings.mode();
    int port = settings.httpPort();
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
    return new Plan(token, apiUrl, mode, settings.modeValue(), secret, port, settings.httpPortValue(), kind, why,
        kind == DemoStorage.Kind.POSTGRES ? url : null);
  }

  private static String storageNote(Plan plan, DemoStorage store) {
    return switch (plan.storage()) {
      case MEMORY -> " (" + plan.storageWhy() + "): nothing is kept when the bot stops";
      case EMBEDDED -> ", migrated (" + plan.storageWhy() + "; its data is deleted when the bot stops)";
      case POSTGRES -> " (" + plan.storageWhy() + "), migrated: " + store.migrations();
    };
  }

  /** Telegram, the pipeline and the receiver, each checked before the next; throws a CliFailure on failure. */
  private void start(Bot bot, Plan plan, BotSettings settings, List<KnowledgeDraft> drafts, Say say) {
    String apiUrl = plan.apiUrl().value();
    bot.adapter = TelegramAdapter.builder()
        .token(plan.token())
        .apiUrl(apiUrl)
        .transactions(bot.store.transactions())
        .shutdownGrace(SHUTDOWN_GRACE)
        .build();
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

    Pipeline pipeline;
    try {
      pipeline = DemoBot.withKnowledge(DemoBot.builder(bot.store.transactions())
          .replyGateway(bot.adapter.sender())
          .botUsername(me.username())
          .build(), drafts);
    } catch (RuntimeException e) {
      throw new TgSupportCli.CliFailure("cannot store the knowledge base: "
          + (plan.databaseUrl() == null ? e.getMessage() : plan.databaseUrl().failure(e)));
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
      bot.adapter.startPolling(pipeline);
      say.line("mode: long polling (" + why + "; no webhook is set)");
      return;
    }
    WebhookServer server;
    try {
      server = bot.adapter.startWebhook(pipeline, WebhookServer.builder()
          .port(plan.port())
          .path(BotSettings.WEBHOOK_PATH)
          .secretToken(plan.webhookSecret()));
    } catch (UncheckedIOException e) {
      throw new TgSupportCli.CliFailure("cannot listen on " + plan.portValue().where() + "=" + plan.port() + ": "
          + (e.getCause() == null ? e.getMessage() : e.getCause().getMessage()));
    }
    say.line("mode: webhook on port " + server.port() + " path " + BotSettings.WEBHOOK_PATH + " (" + why + "); "
        + registration(bot.adapter));
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
  }

  /** The running parts, stopped exactly once: by the stop trigger, or by the main thread when polling failed. */
  private static final class Bot {
    final DemoStorage store;
    final Say say;
    volatile TelegramAdapter adapter;
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final CountDownLatch stopped = new CountDownLatch(1);

    Bot(DemoStorage store, Say say) {
      this.store = store;
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

    /** The adapter first (it drains into storage and confirms the offset), then the storage. */
    void shutdown() {
      stopping.set(true);
      TelegramAdapter a = adapter;
      if (a != null) {
        try {
          a.close();
        } catch (RuntimeException e) {
          say.line("warning: could not stop the Telegram adapter cleanly: " + e.getMessage());
        }
      }
      store.close();
      stopped.countDown();
    }
  }
}
