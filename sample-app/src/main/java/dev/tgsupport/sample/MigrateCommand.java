package dev.tgsupport.sample;

import dev.tgsupport.storage.mybatis.Migrations;
import dev.tgsupport.storage.mybatis.MyBatisStorage;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code tgsupport migrate up|down|status}: the PostgreSQL schema of bot-storage-mybatis, applied or undone. */
@Command(
    name = "migrate",
    mixinStandardHelpOptions = true,
    versionProvider = TgSupportCli.Version.class,
    sortOptions = false,
    optionListHeading = "%nOptions:%n",
    parameterListHeading = "%nAction:%n",
    usageHelpAutoWidth = true,
    header = "Apply, undo or list the database schema scripts.",
    description = {
      "Runs the schema scripts shipped in the jar (mybatis-migrations, which records them in the table"
          + " 'changelog') against the PostgreSQL database of --database-url, or of the DATABASE_URL environment"
          + " variable."
    },
    footerHeading = "%nURL:%n",
    footer = {
      "  jdbc:postgresql://HOST:PORT/DB?user=U&password=P or postgres://U:P@HOST:PORT/DB",
      "  Add currentSchema=NAME to work in that schema (it must exist). The password",
      "  is never printed.",
      "",
      "Output:",
      "  up      applied: N   (the scripts applied now; 0 when up to date)",
      "  down    undone: N",
      "  status  one line per script, oldest first:",
      "          <id> <applied_at or pending> <description>",
      "          applied_at as mybatis-migrations recorded it (yyyy-MM-ddTHH:mm:ss,",
      "          in the time zone of the machine that migrated)",
      "",
      "Exit codes: 0 done; 1 the database could not be reached or a script failed",
      "(one line on stderr); 2 a usage error, such as a missing or malformed URL."
    })
final class MigrateCommand implements Callable<Integer> {
  /** The actions. */
  enum Action {
    UP,
    DOWN,
    STATUS;

    static final class Converter implements CommandLine.ITypeConverter<Action> {
      @Override
      public Action convert(String value) {
        for (Action a : values()) {
          if (a.name().equalsIgnoreCase(value.strip())) {
            return a;
          }
        }
        throw new CommandLine.TypeConversionException("expected up, down or status, was '" + value + "'");
      }
    }
  }

  @ParentCommand private TgSupportCli cli;

  @Parameters(
      index = "0",
      paramLabel = "ACTION",
      converter = Action.Converter.class,
      description = {
        "up      apply every pending script",
        "down    undo the most recent script (--steps N: the N most recent; --all: every one)",
        "status  list the scripts and when each was applied"
      })
  private Action action;

  @Option(
      names = "--database-url",
      paramLabel = "URL",
      description = "The PostgreSQL database (see 'URL' below). Default: the DATABASE_URL environment variable.")
  private String databaseUrl;

  @Option(names = "--steps", paramLabel = "N", description = "With down: how many scripts to undo (default 1).")
  private Integer steps;

  @Option(names = "--all", description = "With down: undo every script, the changelog table included.")
  private boolean all;

  @Override
  public Integer call() {
    Io io = cli.io();
    DatabaseUrlOption url;
    MyBatisStorage storage;
    try {
      checkOptions();
      url = DatabaseUrlOption.resolve(databaseUrl);
      storage = url.open(2);
    } catch (UsageFailure e) {
      io.err().println("tgsupport migrate: " + e.getMessage());
      return UsageFailure.EXIT_CODE;
    }
    try (storage) {
      run(storage.migrations(), io.out());
      return 0;
    } catch (RuntimeException e) {
      throw new TgSupportCli.CliFailure(
          "migrate " + action.name().toLowerCase(Locale.ROOT) + " failed on " + url.display() + ": " + url.failure(e));
    }
  }

  private void checkOptions() {
    if (action != Action.DOWN && (steps != null || all)) {
      throw new UsageFailure((all ? "--all" : "--steps") + " goes with 'down' only");
    }
    if (steps != null && all) {
      throw new UsageFailure("give --steps or --all, not both");
    }
    if (steps != null && steps < 1) {
      throw new UsageFailure("--steps must be at least 1, was " + steps);
    }
  }

  private void run(Migrations migrations, PrintWriter out) {
    switch (action) {
      case UP -> out.println("applied: " + migrations.up());
      case DOWN -> out.println("undone: " + (all ? migrations.downAll() : migrations.down(steps == null ? 1 : steps)));
      case STATUS -> {
        for (Migrations.Status s : migrations.status()) {
          // mybatis-migrations records "yyyy-MM-dd HH:mm:ss.SSS": a T keeps the line at one field per column.
          String applied = s.applied() ? s.appliedAt().strip().replace(' ', 'T') : "pending";
          out.println(s.id() + " " + applied + " " + s.description());
        }
      }
      default -> throw new IllegalStateException("unknown action " + action);
    }
    out.flush();
  }
}
