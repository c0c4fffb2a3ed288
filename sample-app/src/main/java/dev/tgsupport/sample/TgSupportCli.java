package dev.tgsupport.sample;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The {@code tgsupport} command-line program. Each subcommand is its own class in this package; add new ones to
 * {@code subcommands} below.
 *
 * <p>Exit codes: 0 success, 1 a failure the command reported (a bad knowledge file, say), 2 a usage error.
 */
@Command(
    name = "tgsupport",
    mixinStandardHelpOptions = true,
    versionProvider = TgSupportCli.Version.class,
    sortOptions = false,
    optionListHeading = "%nOptions:%n",
    usageHelpAutoWidth = true,
    description = {
      "An embeddable Telegram support bot: it answers known questions from a knowledge base, ignores noise"
          + " (greetings, thanks, stickers) and hands everything else to support staff as tickets.",
      "",
      "Run '${COMMAND-NAME} demo' to chat with the bot in this console on embedded defaults (an embedded PostgreSQL; no server to install).",
      "Run '${COMMAND-NAME} run' with TELEGRAM_BOT_TOKEN set to put the same bot on Telegram."
    },
    commandListHeading = "%nCommands:%n",
    footerHeading = "%n",
    footer = "Run '${COMMAND-NAME} COMMAND --help' for a command's options.",
    subcommands = {DemoCommand.class, RunCommand.class, WebhookCommand.class, MigrateCommand.class,
      TicketsCommand.class, KnowledgeCommand.class, KaitenCommand.class, BenchCommand.class, EvalCommand.class})
public final class TgSupportCli implements Runnable {
  /** Exit code of a failure the command reported itself, with one line on stderr. */
  static final int FAILED = 1;

  @Spec private CommandSpec spec;

  private final Io io;
  private final Map<String, String> env;
  private final StopTrigger stopTrigger;

  TgSupportCli(Io io, Map<String, String> env, StopTrigger stopTrigger) {
    this.io = io;
    this.env = Map.copyOf(env);
    this.stopTrigger = stopTrigger;
  }

  public static void main(String[] args) {
    Io io = Io.system();
    int code = execute(io, System.getenv(), StopTrigger.jvm(io), args);
    System.exit(code);
  }

  /** Runs the program with the given streams and this process's environment, and returns the exit code. */
  static int execute(Io io, String... args) {
    return execute(io, System.getenv(), StopTrigger.jvm(io), args);
  }

  /**
   * Runs the program in-process: with the given streams, environment variables (for {@code run} and
   * {@code webhook}) and stop trigger, and returns the exit code.
   */
  static int execute(Io io, Map<String, String> env, StopTrigger stopTrigger, String... args) {
    try {
      return commandLine(io, env, stopTrigger).execute(args);
    } finally {
      io.out().flush();
      io.err().flush();
    }
  }

  static CommandLine commandLine(Io io) {
    return commandLine(io, System.getenv(), StopTrigger.jvm(io));
  }

  static CommandLine commandLine(Io io, Map<String, String> env, StopTrigger stopTrigger) {
    CommandLine cli = new CommandLine(new TgSupportCli(io, env, stopTrigger), new Factory(io));
    cli.setOut(io.out());
    cli.setErr(io.err());
    cli.setColorScheme(CommandLine.Help.defaultColorScheme(
        io.colorOut() ? CommandLine.Help.Ansi.ON : CommandLine.Help.Ansi.OFF));
    cli.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> {
          // One line, never a stack trace: the commands turn expected failures into CliFailure already.
          String message = e instanceof CliFailure ? e.getMessage() : describe(e);
          commandLine.getErr().println(commandLine.getCommandSpec().qualifiedName() + ": " + message);
          commandLine.getErr().flush();
          return FAILED;
        });
    return cli;
  }

  private static String describe(Throwable e) {
    String message = e.getMessage();
    return "unexpected error: " + e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }

  /** Without a subcommand: show the usage and fail, since there is nothing to do. */
  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "Missing required subcommand");
  }

  Io io() {
    return io;
  }

  /** The environment variables commands read their configuration from. */
  Map<String, String> env() {
    return env;
  }

  StopTrigger stopTrigger() {
    return stopTrigger;
  }

  /** A failure reported to the user as one line on stderr, exit code 1. */
  static final class CliFailure extends RuntimeException {
    CliFailure(String message) {
      super(message, null, false, false);
    }
  }

  /** Gives every subcommand the program's streams. */
  private static final class Factory implements CommandLine.IFactory {
    private final Io io;
    private final CommandLine.IFactory fallback = CommandLine.defaultFactory();

    Factory(Io io) {
      this.io = io;
    }

    @Override
    public <K> K create(Class<K> cls) throws Exception {
      if (cls == DemoCommand.class) {
        return cls.cast(new DemoCommand(io));
      }
      return fallback.create(cls);
    }
  }

  /** The version, from a resource Maven filters at build time. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"tgsupport " + version()};
    }

    static String version() {
      Properties p = new Properties();
      try (InputStream in = TgSupportCli.class.getResourceAsStream("version.properties")) {
        if (in != null) {
          p.load(in);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return p.getProperty("version", "unknown");
    }
  }
}
