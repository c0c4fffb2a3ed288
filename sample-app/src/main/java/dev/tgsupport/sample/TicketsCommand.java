package dev.tgsupport.sample;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tgsupport.core.BotException;
import dev.tgsupport.core.NotFoundException;
import dev.tgsupport.core.model.Chat;
import dev.tgsupport.core.model.OutboxEntry;
import dev.tgsupport.core.model.StoredMessage;
import dev.tgsupport.core.model.TelegramUser;
import dev.tgsupport.core.model.Ticket;
import dev.tgsupport.core.model.TicketEvent;
import dev.tgsupport.core.model.TicketStatus;
import dev.tgsupport.core.pipeline.Pipeline;
import dev.tgsupport.core.port.Stores;
import dev.tgsupport.kaiten.KaitenBridge;
import dev.tgsupport.kaiten.KaitenCheck;
import dev.tgsupport.storage.mybatis.MyBatisStorage;
import dev.tgsupport.telegram.TelegramAdapter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code tgsupport tickets list|show|outbox|unpark|sync}: the tickets and the outbox in the database of
 * {@code --database-url} or {@code DATABASE_URL}, and one sync with Kaiten.
 */
@Command(
    name = "tickets",
    mixinStandardHelpOptions = true,
    versionProvider = TgSupportCli.Version.class,
    usageHelpAutoWidth = true,
    header = "List and show tickets, look at the Kaiten outbox, sync with Kaiten once.",
    description = {
      "Works on the PostgreSQL database of --database-url, or of DATABASE_URL (environment or --config file), as"
          + " 'run' stores it; it is not migrated (run 'migrate up' first)."
    },
    commandListHeading = "%nCommands:%n",
    subcommands = {TicketsCommand.ListTickets.class, TicketsCommand.Show.class, TicketsCommand.Outbox.class,
      TicketsCommand.Unpark.class, TicketsCommand.Sync.class})
final class TicketsCommand implements Runnable {
  static final ObjectMapper JSON = new ObjectMapper();

  @ParentCommand private TgSupportCli cli;

  @Spec private CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "Missing required subcommand");
  }

  /** The options every subcommand shares: the database and the config file. */
  static final class Db {
    @Option(
        names = "--database-url",
        paramLabel = "URL",
        description = "The PostgreSQL database: jdbc:postgresql://HOST:PORT/DB?user=U&password=P or"
            + " postgres://U:P@HOST:PORT/DB. Default: DATABASE_URL.")
    String databaseUrl;

    @Mixin ConfigOption config;
  }

  /** What a subcommand works with; closes the storage. */
  record Session(BotSettings settings, DatabaseUrlOption url, MyBatisStorage storage) implements AutoCloseable {
    <T> T read(Function<Stores, T> work) {
      try {
        return storage.inTransaction(work);
      } catch (BotException e) {
        if (e instanceof NotFoundException) {
          throw e;
        }
        throw failure(e);
      } catch (RuntimeException e) {
        throw failure(e);
      }
    }

    TgSupportCli.CliFailure failure(RuntimeException e) {
      String why = url.failure(e);
      if (why.contains("does not exist")) {
        why += " (is the database migrated? './tgsupport migrate up')";
      }
      return new TgSupportCli.CliFailure("cannot read " + url.describe() + ": " + why);
    }

    @Override
    public void close() {
      storage.close();
    }
  }

  /** Opens the storage; a usage error ends the command with exit code 2 (the caller returns null then). */
  static Session open(TgSupportCli cli, Db db, String program) {
    BotSettings settings = null;
    try {
      settings = db.config.load(cli.env());
      DatabaseUrlOption url;
      if (db.databaseUrl != null) {
        url = DatabaseUrlOption.fromVariable("--database-url", db.databaseUrl);
      } else {
        url = settings.databaseUrl();
        if (url == null) {
          throw new UsageFailure("no database: give --database-url URL or set " + DatabaseUrlOption.ENV
              + " (jdbc:postgresql://host:port/db?user=…&password=… or postgres://user:password@host:port/db)");
        }
      }
      return new Session(settings, url, url.open(2));
    } catch (UsageFailure e) {
      cli.io().err().println(program + ": " + (settings == null ? e.getMessage() : settings.scrub(e.getMessage())));
      cli.io().err().flush();
      return null;
    }
  }

  static String json(JsonNode node) {
    try {
      return JSON.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String text(Object o) {
    return o == null ? "" : o.toString().replace('\r', ' ').replace('\n', ' ');
  }

  static String orDash(Object o) {
    return o == null ? "-" : text(o);
  }

  // ---------------------------------------------------------------------------------------------------------------

  /** {@code tickets list}. */
  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      versionProvider = TgSupportCli.Version.class,
      sortOptions = false,
      optionListHeading = "%nOptions:%n",
      usageHelpAutoWidth = true,
      header = "List tickets, newest first.",
      footerHeading = "%nOutput:%n",
      footer = {
        "  One line per ticket: <id> <status> <created_at> <external id or -> <title>",
        "  With --json, one object per line: id, status, title, created_at,",
        "  resolved_at, user_id, chat_id, external_id (null when none).",
        "  Tickets are read by number through the storage port (it has no listing",
        "  query yet): the newest number is found first, then numbers are read",
        "  downwards; at most 10,000 numbers are read.",
        "",
        "Exit codes: 0 done; 1 the database cannot be read; 2 a usage error."
      })
  static final class ListTickets implements Callable<Integer> {
    private static final String PROGRAM = "tgsupport tickets list";
    @ParentCommand private TicketsCommand tickets;
    @Mixin private Db db;

    @Option(names = "--status", paramLabel = "S", description = "Only tickets with this status: open, in_progress,"
        + " resolved, closed, or active (open and in_progress).")
    private String status;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "20", description = "At most N tickets (default 20).")
    private int limit;

    @Option(names = "--json", description = "One JSON object per ticket instead of text lines.")
    private boolean json;

    @Override
    public Integer call() {
      Io io = tickets.cli.io();
      if (limit < 1 || limit > 10_000) {
        io.err().println(PROGRAM + ": --limit must be 1..10000, was " + limit);
        return UsageFailure.EXIT_CODE;
      }
      List<TicketStatus> wanted = statuses(status);
      if (wanted == null) {
        io.err().println(PROGRAM + ": --status must be open, in_progress, resolved, closed or active, was '"
            + status + "'");
        return UsageFailure.EXIT_CODE;
      }
      Session session = open(tickets.cli, db, PROGRAM);
      if (session == null) {
        return UsageFailure.EXIT_CODE;
      }
      try (session) {
        List<Ticket> found = session.read(s -> s.tickets().listRecent(java.util.EnumSet.copyOf(wanted), limit));
        PrintWriter out = io.out();
        for (Ticket t : found) {
          out.println(json ? json(toJson(t)) : t.id() + " " + t.status().wireName() + " " + t.createdAt() + " "
              + orDash(t.externalId()) + " " + text(t.title()));
        }
        out.flush();
      }
      return 0;
    }

    static List<TicketStatus> statuses(String s) {
      if (s == null) {
        return List.of(TicketStatus.values());
      }
      String v = s.strip().toLowerCase(Locale.ROOT);
      if (v.equals("active")) {
        return List.of(TicketStatus.OPEN, TicketStatus.IN_PROGRESS);
      }
      for (TicketStatus t : TicketStatus.values()) {
        if (t.wireName().equals(v)) {
          return List.of(t);
        }
      }
      return null;
    }

    static ObjectNode toJson(Ticket t) {
      ObjectNode o = JSON.createObjectNode();
      o.put("id", t.id());
      o.put("status", t.status().wireName());
      o.put("title", t.title());
      o.put("created_at", t.createdAt().toString());
      o.put("resolved_at", t.resolvedAt() == null ? null : t.resolvedAt().toString());
      o.put("user_id", t.userId());
      o.put("chat_id", t.chatId());
      o.put("external_id", t.externalId());
      return o;
    }
  }

  // ---------------------------------------------------------------------------------------------------------------

  /** {@code tickets show N}. */
  @Command(
      name = "show",
      mixinStandardHelpOptions = true,
      versionProvider = TgSupportCli.Version.class,
      sortOptions = false,
      optionListHeading = "%nOptions:%n",
      usageHelpAutoWidth = true,
      header = "Show one ticket: its question, user, chat, Kaiten card and history.",
      footerHeading = "%nOutput, one 'key: value' line each:%n",
      footer = {
        "  id, status, title, created_at, resolved_at, user (Name @username, id N),",
        "  chat (id, type, title), question (the message that opened it),",
        "  message_id (storage id / Telegram message id), external_id (the Kaiten",
        "  card), external_url, events (how many), then one line per event:",
        "  event: <created_at> <kind> <author>: <body>",
        "  An empty value is nothing after ': '. With --json, one object with the same",
        "  keys (user and chat as objects, events as an array, null for none).",
        "",
        "Exit codes: 0 done; 1 no such ticket, or the database cannot be read;",
        "2 a usage error."
      })
  static final class Show implements Callable<Integer> {
    private static final String PROGRAM = "tgsupport tickets show";

    @ParentCommand private TicketsCommand tickets;
    @Mixin private Db db;

    @Parameters(index = "0", paramLabel = "N", description = "The ticket number.")
    private long id;

    @Option(names = "--json", description = "One JSON object instead of 'key: value' lines.")
    private boolean json;

    private record Full(Ticket ticket, StoredMessage message, TelegramUser user, Chat chat,
        List<TicketEvent> events) {}

    @Override
    public Integer call() {
      Session session = open(tickets.cli, db, PROGRAM);
      if (session == null) {
        return UsageFailure.EXIT_CODE;
      }
      Full f;
      try (session) {
        f = session.read(s -> s.tickets().find(id).map(t -> new Full(t,
            s.messages().findById(t.messageId()).orElse(null), s.users().find(t.userId()).orElse(null),
            s.chats().find(t.chatId()).orElse(null), s.ticketEvents().list(t.id()))).orElse(null));
      }
      if (f == null) {
        throw new TgSupportCli.CliFailure("no ticket #" + id + " in " + session.url().display());
      }
      PrintWriter out = tickets.cli.io().out();
      Ticket t = f.ticket();
      String url = cardUrl(f.events(), t.externalId());
      if (json) {
        ObjectNode o = ListTickets.toJson(t);
        o.remove("user_id");
        o.remove("chat_id");
        ObjectNode user = o.putObject("user");
        user.put("id", t.userId());
        user.put("name", f.user() == null ? null
            : (f.user().firstName() + " " + (f.user().lastName() == null ? "" : f.user().lastName())).strip());
        user.put("username", f.user() == null ? null : f.user().username());
        ObjectNode chat = o.putObject("chat");
        chat.put("id", t.chatId());
        chat.put("type", f.chat() == null ? null : f.chat().type().name().toLowerCase(Locale.ROOT));
        chat.put("title", f.chat() == null ? null : f.chat().title());
        o.put("question", f.message() == null ? null : f.message().text());
        o.put("message_id", t.messageId());
        o.put("telegram_message_id", f.message() == null ? null : f.message().telegramMessageId());
        o.put("external_url", url);
        ArrayNode events = o.putArray("events");
        for (TicketEvent e : f.events()) {
          ObjectNode n = events.addObject();
          n.put("created_at", e.createdAt().toString());
          n.put("kind", e.kind().wireName());
          n.put("author", e.author());
          n.put("body", e.body());
          n.put("external_id", e.externalId());
        }
        out.println(json(o));
      } else {
        out.println("id: " + t.id());
        out.println("status: " + t.status().wireName());
        out.println("title: " + text(t.title()));
        out.println("created_at: " + t.createdAt());
        out.println("resolved_at: " + text(t.resolvedAt()));
        out.println("user: " + (f.user() == null ? "" : text(f.user().displayName()) + ", ") + "id " + t.userId());
        out.println("chat: " + t.chatId() + (f.chat() == null ? "" : ", " + f.chat().type().name()
            .toLowerCase(Locale.ROOT) + (f.chat().title() == null ? "" : ", " + text(f.chat().title()))));
        out.println("question: " + (f.message() == null ? "" : text(f.message().text())));
        out.println("message_id: " + t.messageId() + (f.message() == null ? ""
            : " / " + f.message().telegramMessageId()));
        out.println("external_id: " + text(t.externalId()));
        out.println("external_url: " + text(url));
        out.println("events: " + f.events().size());
        for (TicketEvent e : f.events()) {
          out.println("event: " + e.createdAt() + " " + e.kind().wireName() + " " + text(e.author()) + ": "
              + text(e.body()));
        }
      }
      out.flush();
      return 0;
    }

    /** The card's address, from the event the bridge wrote when it created the card ("Kaiten card created: URL"). */
    static String cardUrl(List<TicketEvent> events, String externalId) {
      if (externalId == null) {
        return null;
      }
      for (TicketEvent e : events) {
        if (("kaiten-card-" + externalId).equals(e.externalId())) {
          int at = e.body().indexOf("http");
          return at < 0 ? null : e.body().substring(at).strip();
        }
      }
      return null;
    }
  }

  // ---------------------------------------------------------------------------------------------------------------

  /** {@code tickets outbox}. */
  @Command(
      name = "outbox",
      mixinStandardHelpOptions = true,
      versionProvider = TgSupportCli.Version.class,
      sortOptions = false,
      optionListHeading = "%nOptions:%n",
      usageHelpAutoWidth = true,
      header = "List the outbox rows not done yet: pending (oldest first), then parked (latest first).",
      footerHeading = "%nOutput:%n",
      footer = {
        "  One line per row: <id> <pending|parked> <kind> <ticket or -> <attempts>",
        "  <next_attempt_at> <last_error or ->",
        "  With --json, one object per line: id, state, kind, ticket_id, attempts,",
        "  next_attempt_at, last_error, created_at, parked_at (null for none).",
        "  Parked rows failed for good (or too often); after fixing the cause,",
        "  'tickets unpark ID' makes one due again.",
        "",
        "Exit codes: 0 done; 1 the database cannot be read; 2 a usage error."
      })
  static final class Outbox implements Callable<Integer> {
    private static final String PROGRAM = "tgsupport tickets outbox";

    @ParentCommand private TicketsCommand tickets;
    @Mixin private Db db;

    @Option(names = "--parked", description = "Only the parked rows.")
    private boolean parked;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "100",
        description = "At most N rows of each state (default 100).")
    private int limit;

    @Option(names = "--json", description = "One JSON object per row instead of text lines.")
    private boolean json;

    @Override
    public Integer call() {
      if (limit < 1) {
        tickets.cli.io().err().println(PROGRAM + ": --limit must be at least 1, was " + limit);
        return UsageFailure.EXIT_CODE;
      }
      Session session = open(tickets.cli, db, PROGRAM);
      if (session == null) {
        return UsageFailure.EXIT_CODE;
      }
      List<OutboxEntry> rows = new ArrayList<>();
      try (session) {
        session.read(s -> {
          if (!parked) {
            rows.addAll(s.outbox().listPending(limit));
          }
          rows.addAll(s.outbox().listParked(limit));
          return null;
        });
      }
      PrintWriter out = tickets.cli.io().out();
      for (OutboxEntry e : rows) {
        String state = e.isParked() ? "parked" : "pending";
        Long ticket = ticketId(e);
        if (json) {
          ObjectNode o = JSON.createObjectNode();
          o.put("id", e.id());
          o.put("state", state);
          o.put("kind", e.kind());
          o.put("ticket_id", ticket);
          o.put("attempts", e.attempts());
          o.put("next_attempt_at", e.nextAttemptAt().toString());
          o.put("last_error", e.lastError());
          o.put("created_at", e.createdAt().toString());
          o.put("parked_at", e.parkedAt() == null ? null : e.parkedAt().toString());
          out.println(session.settings().scrub(json(o)));
        } else {
          out.println(session.settings().scrub(e.id() + " " + state + " " + e.kind() + " " + orDash(ticket) + " "
              + e.attempts() + " " + e.nextAttemptAt() + " " + orDash(e.lastError())));
        }
      }
      out.flush();
      return 0;
    }

    static Long ticketId(OutboxEntry e) {
      try {
        JsonNode n = JSON.readTree(e.payload());
        for (String name : new String[] {"ticket_id", "ticketId"}) {
          JsonNode v = n == null ? null : n.get(name);
          if (v != null && v.canConvertToLong()) {
            return v.asLong();
          }
        }
      } catch (IOException ex) {
        // not JSON: no ticket to show
      }
      return null;
    }
  }

  // ---------------------------------------------------------------------------------------------------------------

  /** {@code tickets unpark ID}. */
  @Command(
      name = "unpark",
      mixinStandardHelpOptions = true,
      versionProvider = TgSupportCli.Version.class,
      usageHelpAutoWidth = true,
      header = "Make a parked outbox row due again now, with its attempts reset.",
      footer = {
        "Prints 'unparked: ID'. Exit codes: 0 done; 1 no such row, or it is not",
        "parked, or the database cannot be read; 2 a usage error."
      })
  static final class Unpark implements Callable<Integer> {
    private static final String PROGRAM = "tgsupport tickets unpark";

    @ParentCommand private TicketsCommand tickets;
    @Mixin private Db db;

    @Parameters(index = "0", paramLabel = "ID", description = "The outbox row's id (see 'tickets outbox').")
    private long id;

    @Override
    public Integer call() {
      Session session = open(tickets.cli, db, PROGRAM);
      if (session == null) {
        return UsageFailure.EXIT_CODE;
      }
      String problem;
      try (session) {
        problem = session.read(s -> {
          boolean isParked = s.outbox().listParked(10_000).stream().anyMatch(e -> e.id() == id);
          if (!isParked) {
            return "outbox row " + id + " is not parked (see './tgsupport tickets outbox --parked')";
          }
          s.outbox().unpark(id, Instant.now());
          return null;
        });
      }
      if (problem != null) {
        throw new TgSupportCli.CliFailure(problem);
      }
      tickets.cli.io().out().println("unparked: " + id);
      tickets.cli.io().out().flush();
      return 0;
    }
  }

  // ---------------------------------------------------------------------------------------------------------------

  /** {@code tickets sync}. */
  @Command(
      name = "sync",
      mixinStandardHelpOptions = true,
      versionProvider = TgSupportCli.Version.class,
      sortOptions = false,
      optionListHeading = "%nOptions:%n",
      usageHelpAutoWidth = true,
      header = "Sync with Kaiten once: create the cards of due outbox rows, then bring staff replies and card moves"
          + " (done, archived, reopened) back.",
      description = {
        "What 'run' does in the background, once: one batch of due outbox rows (cards and follow-up comments),"
            + " then one pass over the board. Staff replies and resolution notices go to users through the bot, so"
            + " it needs TELEGRAM_BOT_TOKEN (and TELEGRAM_API_URL) besides KAITEN_* and the database."
      },
      footerHeading = "%nOutput, one 'key: value' line each:%n",
      footer = {
        "  outbox_claimed  outbox rows claimed (and handled or retried later)",
        "  synced          changes brought back (replies sent, tickets resolved)",
        "  pending         outbox rows still pending afterwards",
        "  parked          outbox rows parked",
        "With --json, one object with the same keys.",
        "",
        "Exit codes: 0 done; 1 Kaiten, Telegram or the database failed; 2 a missing",
        "or malformed setting."
      })
  static final class Sync implements Callable<Integer> {
    private static final String PROGRAM = "tgsupport tickets sync";

    @ParentCommand private TicketsCommand tickets;
    @Mixin private Db db;

    @Option(names = "--json", description = "One JSON object instead of 'key: value' lines.")
    private boolean json;

    @Override
    public Integer call() {
      TgSupportCli cli = tickets.cli;
      BotSettings settings = null;
      KaitenSettings.Kaiten kaiten;
      String token;
      String apiUrl;
      try {
        settings = db.config.load(cli.env());
        kaiten = KaitenSettings.require(settings);
        token = settings.token();
        apiUrl = settings.apiUrl().value();
      } catch (UsageFailure e) {
        cli.io().err().println(PROGRAM + ": " + (settings == null ? e.getMessage() : settings.scrub(e.getMessage())));
        return UsageFailure.EXIT_CODE;
      }
      Session session = open(cli, db, PROGRAM);
      if (session == null) {
        return UsageFailure.EXIT_CODE;
      }
      int claimed;
      int synced;
      int[] left;
      try (session;
          TelegramAdapter telegram = TelegramAdapter.builder().token(token).apiUrl(apiUrl)
              .transactions(session.storage()).build()) {
        Pipeline pipeline = DemoBot.builder(session.storage()).build();
        try (KaitenBridge bridge = KaitenBridge.builder().config(kaiten.config()).transactions(session.storage())
            .replies(telegram.sender()).knowledge(pipeline.knowledge()).build()) {
          KaitenCheck check = bridge.check();
          if (!check.ok()) {
            throw new TgSupportCli.CliFailure(settings.scrub(KaitenSettings.firstProblem(check, kaiten.config())));
          }
          claimed = bridge.drainOutboxOnce();
          synced = bridge.syncOnce();
        }
        left = session.read(s -> new int[] {s.outbox().listPending(10_000).size(),
            s.outbox().listParked(10_000).size()});
      } catch (TgSupportCli.CliFailure e) {
        throw e;
      } catch (RuntimeException e) {
        throw new TgSupportCli.CliFailure(settings.scrub(session.url().scrub("sync failed: " + e.getMessage())));
      }
      PrintWriter out = cli.io().out();
      if (json) {
        ObjectNode o = JSON.createObjectNode();
        o.put("outbox_claimed", claimed);
        o.put("synced", synced);
        o.put("pending", left[0]);
        o.put("parked", left[1]);
        out.println(json(o));
      } else {
        out.println("outbox_claimed: " + claimed);
        out.println("synced: " + synced);
        out.println("pending: " + left[0]);
        out.println("parked: " + left[1]);
      }
      out.flush();
      return 0;
    }
  }
}
