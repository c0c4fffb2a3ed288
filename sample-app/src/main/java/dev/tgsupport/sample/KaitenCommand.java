package dev.tgsupport.sample;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tgsupport.core.memory.InMemoryStorage;
import dev.tgsupport.core.model.OutgoingMessage;
import dev.tgsupport.core.model.SentMessage;
import dev.tgsupport.core.port.ReplyGateway;
import dev.tgsupport.kaiten.KaitenBridge;
import dev.tgsupport.kaiten.KaitenCheck;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code tgsupport kaiten check}: does the Kaiten configuration work (token, board, columns)? */
@Command(
    name = "kaiten",
    mixinStandardHelpOptions = true,
    versionProvider = TgSupportCli.Version.class,
    usageHelpAutoWidth = true,
    header = "Check the Kaiten settings that 'run' uses for tickets.",
    commandListHeading = "%nCommands:%n",
    subcommands = {KaitenCommand.Check.class})
final class KaitenCommand implements Runnable {
  @ParentCommand private TgSupportCli cli;

  @Spec private CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "Missing required subcommand");
  }

  /** {@code kaiten check}. */
  @Command(
      name = "check",
      mixinStandardHelpOptions = true,
      versionProvider = TgSupportCli.Version.class,
      sortOptions = false,
      optionListHeading = "%nOptions:%n",
      usageHelpAutoWidth = true,
      header = "Check the Kaiten token, board and columns: the first thing to run when setting Kaiten up.",
      description = {
        "Uses KAITEN_BASE_URL, KAITEN_TOKEN, KAITEN_BOARD_ID and KAITEN_COLUMN_ID (see 'run --help') from the"
            + " environment or a --config file. Reads who the token belongs to, the board and its columns; changes"
            + " nothing."
      },
      footerHeading = "%nOutput (stdout), one 'key: value' line each, in this order:%n",
      footer = {
        "  api_url       the Kaiten API address used",
        "  token_user    who the token belongs to: Name (username, id N); empty when",
        "                the token failed",
        "  board         the board's title and id; empty when it cannot be read",
        "  column        KAITEN_COLUMN_ID as 'id title'",
        "  columns       the board's columns, '; '-separated: id title (type T)",
        "  done_columns  the ids of the columns that resolve tickets, comma-separated",
        "  ok            true or false",
        "  problems      what is wrong, '; '-separated; empty when ok",
        "With --json, one object with the same keys (arrays for the lists, null for",
        "an empty value). The token is never printed.",
        "",
        "Exit codes: 0 ok; 1 not ok (one line on stderr naming the variable to fix);",
        "2 a missing or malformed setting."
      })
  static final class Check implements Callable<Integer> {
    private static final String PROGRAM = "tgsupport kaiten check";
    private static final ObjectMapper JSON = new ObjectMapper();

    @ParentCommand private KaitenCommand kaiten;

    @Mixin private ConfigOption config;

    @Option(names = "--json", description = "Print one JSON object instead of 'key: value' lines.")
    private boolean json;

    @Override
    public Integer call() {
      Io io = kaiten.cli.io();
      BotSettings settings = null;
      KaitenSettings.Kaiten k;
      try {
        settings = config.load(kaiten.cli.env());
        k = KaitenSettings.require(settings);
      } catch (UsageFailure e) {
        io.err().println(PROGRAM + ": " + (settings == null ? e.getMessage() : settings.scrub(e.getMessage())));
        return UsageFailure.EXIT_CODE;
      }
      KaitenCheck check;
      // The check reads Kaiten only: the bridge's storage and reply gateway are never used.
      try (KaitenBridge bridge = KaitenBridge.builder().config(k.config()).transactions(InMemoryStorage.create())
          .replies(NO_REPLIES).build()) {
        check = bridge.check();
      }
      String column = check.columns().isEmpty() ? Long.toString(k.config().columnId())
          : RunCommand.column(check, k.config().columnId());
      print(io.out(), settings, k, check, column, json);
      if (!check.ok()) {
        throw new TgSupportCli.CliFailure(settings.scrub(KaitenSettings.firstProblem(check, k.config())));
      }
      return 0;
    }

    private static void print(PrintWriter out, BotSettings settings, KaitenSettings.Kaiten k, KaitenCheck c,
        String column, boolean json) {
      if (json) {
        ObjectNode o = JSON.createObjectNode();
        o.put("api_url", k.config().apiUrl().toString());
        o.put("token_user", c.tokenUser());
        o.put("board", c.board());
        o.put("column", column);
        c.columns().forEach(o.putArray("columns")::add);
        c.doneColumns().forEach(o.putArray("done_columns")::add);
        o.put("ok", c.ok());
        ArrayNode problems = o.putArray("problems");
        c.problems().forEach(p -> problems.add(settings.scrub(p)));
        try {
          out.println(settings.scrub(JSON.writeValueAsString(o)));
        } catch (JsonProcessingException e) {
          throw new UncheckedIOException(e);
        }
      } else {
        out.println("api_url: " + k.config().apiUrl());
        out.println("token_user: " + orEmpty(c.tokenUser()));
        out.println("board: " + orEmpty(c.board()));
        out.println("column: " + column);
        out.println("columns: " + oneLine(String.join("; ", c.columns())));
        out.println("done_columns: " + String.join(",", c.doneColumns().stream().map(String::valueOf).toList()));
        out.println("ok: " + c.ok());
        out.println("problems: " + settings.scrub(oneLine(String.join("; ", c.problems()))));
      }
      out.flush();
    }
  }

  /** For the check, which sends nothing. */
  static final ReplyGateway NO_REPLIES = new ReplyGateway() {
    @Override
    public SentMessage send(OutgoingMessage message) {
      throw new IllegalStateException("this command sends no Telegram messages");
    }

    @Override
    public void edit(long chatId, long telegramMessageId, String text) {
      throw new IllegalStateException("this command sends no Telegram messages");
    }
  };

  static String orEmpty(String s) {
    return s == null ? "" : oneLine(s);
  }

  static String oneLine(String text) {
    return text.replace('\r', ' ').replace('\n', ' ');
  }
}
