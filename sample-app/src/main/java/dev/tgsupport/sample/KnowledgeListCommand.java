package dev.tgsupport.sample;

import dev.tgsupport.core.model.KnowledgeEntry;
import dev.tgsupport.core.model.KnowledgeStatus;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code knowledge list [--status S] [--json]}. */
@Command(
    name = "list",
    mixinStandardHelpOptions = true,
    versionProvider = TgSupportCli.Version.class,
    sortOptions = false,
    optionListHeading = "%nOptions:%n",
    usageHelpAutoWidth = true,
    header = "List knowledge entries in id order.",
    footerHeading = "%nOutput:%n",
    footer = {
      "  One line per entry: <id> <status> <language or -> <question>",
      "  With --json, one object per line: id, status, question, answer, tags,",
      "  language, source, validated_by, validated_at, created_at (null for none).",
      "",
      "Exit codes: 0 done; 1 the database cannot be read; 2 a usage error."
    })
final class KnowledgeListCommand implements Callable<Integer> {
  private static final String PROGRAM = "tgsupport knowledge list";

  @ParentCommand private KnowledgeCommand knowledge;
  @Mixin private TicketsCommand.Db db;

  @Option(names = "--status", paramLabel = "S", description = "Only entries with this status: draft, validated or"
      + " archived (default: all).")
  private String status;

  @Option(names = "--json", description = "One JSON object per entry instead of text lines.")
  private boolean json;

  @Override
  public Integer call() {
    TgSupportCli cli = knowledge.cli;
    List<KnowledgeStatus> wanted = statuses(status);
    if (wanted == null) {
      cli.io().err().println(PROGRAM + ": --status must be draft, validated or archived, was '" + status + "'");
      return UsageFailure.EXIT_CODE;
    }
    TicketsCommand.Session session = KnowledgeCommand.open(cli, db, PROGRAM);
    if (session == null) {
      return UsageFailure.EXIT_CODE;
    }
    List<KnowledgeEntry> entries = new ArrayList<>();
    try (session) {
      session.read(s -> {
        for (KnowledgeStatus st : wanted) {
          entries.addAll(s.knowledge().list(st));
        }
        return null;
      });
    }
    entries.sort(Comparator.comparingLong(KnowledgeEntry::id));
    PrintWriter out = cli.io().out();
    for (KnowledgeEntry e : entries) {
      out.println(json ? TicketsCommand.json(KnowledgeCommand.toJson(e)) : KnowledgeCommand.line(e));
    }
    out.flush();
    return 0;
  }

  static List<KnowledgeStatus> statuses(String s) {
    if (s == null) {
      return List.of(KnowledgeStatus.values());
    }
    for (KnowledgeStatus st : KnowledgeStatus.values()) {
      if (st.wireName().equals(s.strip().toLowerCase(java.util.Locale.ROOT))) {
        return List.of(st);
      }
    }
    return null;
  }
}
