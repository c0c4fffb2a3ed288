package dev.tgsupport.sample;

import dev.tgsupport.core.InvalidInputException;
import dev.tgsupport.core.knowledge.KnowledgeBase;
import dev.tgsupport.knowledge.io.ImportProblem;
import dev.tgsupport.knowledge.io.ImportSummary;
import dev.tgsupport.knowledge.io.KnowledgeImport;
import dev.tgsupport.knowledge.io.ParsedFile;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code knowledge import FILE [--validated] [--format F]}. */
@Command(
    name = "import",
    mixinStandardHelpOptions = true,
    versionProvider = TgSupportCli.Version.class,
    sortOptions = false,
    optionListHeading = "%nOptions:%n",
    usageHelpAutoWidth = true,
    header = "Import question-answer pairs from a CSV, JSON or Markdown file; importing a file again changes"
        + " nothing.",
    description = {
      "CSV: a header row question,answer[,tags][,language], tags separated by ';'. JSON: an array of"
          + " {\"question\", \"answer\", \"tags\": [..], \"language\"} objects. Markdown: '## question' headings,"
          + " each followed by its answer; a 'Tags: a, b' line first or last in the answer sets its tags. UTF-8.",
      "A question already stored (ignoring case and spacing) is updated when its answer, tags or language differ,"
          + " else skipped; a changed validated entry becomes a draft again unless --validated is given. Bad rows"
          + " are skipped and reported; the others are imported."
    },
    footerHeading = "%nOutput:%n",
    footer = {
      "  stdout: one line 'imported: N, updated: N, skipped: N, failed: N'",
      "  stderr: one line 'FILE:LINE: reason' per failed row; a progress bar when",
      "  stderr is a terminal.",
      "",
      "Exit codes: 0 done, even with failed rows; 1 the file cannot be read at all,",
      "or the database failed; 2 a usage error."
    })
final class KnowledgeImportCommand implements Callable<Integer> {
  private static final String PROGRAM = "tgsupport knowledge import";

  @ParentCommand private KnowledgeCommand knowledge;
  @Mixin private TicketsCommand.Db db;

  @Parameters(index = "0", paramLabel = "FILE", description = "The file: .csv, .json, .md or .markdown.")
  private Path file;

  @Option(names = "--validated", description = "Store new and changed entries as validated (by 'import'): they"
      + " answer users at once. Default: drafts, to validate one by one.")
  private boolean validated;

  @Option(names = "--format", paramLabel = "F", description = "csv, json or markdown, whatever the file name says.")
  private String format;

  @Override
  public Integer call() {
    TgSupportCli cli = knowledge.cli;
    PrintWriter err = cli.io().err();
    KnowledgeImport.Format f = null;
    if (format != null) {
      f = KnowledgeImport.Format.fromName(format);
      if (f == null) {
        err.println(PROGRAM + ": --format must be csv, json or markdown, was '" + format + "'");
        return UsageFailure.EXIT_CODE;
      }
    } else if (KnowledgeImport.Format.fromFileName(file.toString()).isEmpty()) {
      err.println(PROGRAM + ": cannot tell the format of " + file + " from its name: use .csv, .json, .md or"
          + " .markdown, or give --format");
      return UsageFailure.EXIT_CODE;
    }
    ParsedFile parsed;
    try {
      parsed = f == null ? KnowledgeImport.parse(file) : KnowledgeImport.parse(file, f);
    } catch (NoSuchFileException e) {
      throw new TgSupportCli.CliFailure("cannot read " + file + ": no such file");
    } catch (AccessDeniedException e) {
      throw new TgSupportCli.CliFailure("cannot read " + file + ": permission denied");
    } catch (IOException e) {
      throw new TgSupportCli.CliFailure("cannot read " + file + ": " + e.getMessage());
    } catch (InvalidInputException e) {
      // "file x.csv:1: …": the field name adds nothing for a person who named the file.
      String message = e.getMessage();
      throw new TgSupportCli.CliFailure(message.startsWith("file ") ? message.substring(5) : message);
    }
    TicketsCommand.Session session = KnowledgeCommand.open(cli, db, PROGRAM);
    if (session == null) {
      return UsageFailure.EXIT_CODE;
    }
    ImportSummary summary;
    ProgressBar bar = stderrIsTerminal() ? new ProgressBar(err) : null;
    try (session; KnowledgeCommand.Lookup lookup = KnowledgeCommand.lookup(session, false)) {
      KnowledgeBase kb = KnowledgeCommand.knowledgeBase(session, lookup.retriever());
      summary = KnowledgeCommand.call(session, () -> KnowledgeImport.apply(kb, parsed, validated,
          bar == null ? KnowledgeImport.Progress.NONE : bar));
    } finally {
      if (bar != null) {
        bar.clear();
      }
    }
    for (ImportProblem p : summary.problems()) {
      err.println(file + ":" + p.line() + ": " + p.reason());
    }
    err.flush();
    cli.io().out().println(summary);
    cli.io().out().flush();
    return 0;
  }

  /**
   * The {@code tgsupport} script tells whether stderr is a terminal ({@code [ -t 2 ]}); without it (plain
   * {@code java -jar}, tests) there is no progress bar, so nothing but reports ever reaches a redirected stderr.
   */
  static boolean stderrIsTerminal() {
    return Boolean.parseBoolean(System.getProperty("tgsupport.stderr.tty"));
  }

  /** {@code importing [#######.............] 35% 350/1000}, redrawn in place at most once per percent. */
  static final class ProgressBar implements KnowledgeImport.Progress {
    private static final int WIDTH = 30;
    private final PrintWriter err;
    private int shownPercent = -1;
    private boolean drawn;

    ProgressBar(PrintWriter err) {
      this.err = err;
    }

    @Override
    public void rowDone(int done, int total) {
      int percent = total == 0 ? 100 : (int) (100L * done / total);
      if (percent == shownPercent) {
        return;
      }
      shownPercent = percent;
      int filled = percent * WIDTH / 100;
      err.print("\rimporting [" + "#".repeat(filled) + ".".repeat(WIDTH - filled) + "] " + percent + "% " + done
          + "/" + total);
      err.flush();
      drawn = true;
    }

    void clear() {
      if (drawn) {
        err.print("\r" + " ".repeat(WIDTH + 40) + "\r");
        err.flush();
      }
    }
  }
}
