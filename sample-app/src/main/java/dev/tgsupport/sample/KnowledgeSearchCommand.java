package dev.tgsupport.sample;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tgsupport.core.knowledge.KnowledgeBase;
import dev.tgsupport.core.model.KnowledgeHit;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code knowledge search TEXT [--limit N] [--json]}. */
@Command(
    name = "search",
    mixinStandardHelpOptions = true,
    versionProvider = TgSupportCli.Version.class,
    sortOptions = false,
    optionListHeading = "%nOptions:%n",
    usageHelpAutoWidth = true,
    header = "Find the validated entries that answer a question, best first, as the bot would.",
    footerHeading = "%nOutput:%n",
    footer = {
      "  One line per hit: <score, 0.000..1.000> <id> <question>",
      "  With --json, one object per line: score, then the keys of 'knowledge list",
      "  --json'. Nothing printed when nothing matches.",
      "",
      "Exit codes: 0 done; 1 the database cannot be read; 2 a usage error."
    })
final class KnowledgeSearchCommand implements Callable<Integer> {
  private static final String PROGRAM = "tgsupport knowledge search";

  @ParentCommand private KnowledgeCommand knowledge;
  @Mixin private TicketsCommand.Db db;

  @Parameters(index = "0", paramLabel = "TEXT", description = "The question, as a user would ask it.")
  private String query;

  @Option(names = "--limit", paramLabel = "N", defaultValue = "5", description = "At most N hits (default 5).")
  private int limit;

  @Option(names = "--json", description = "One JSON object per hit instead of text lines.")
  private boolean json;

  @Override
  public Integer call() {
    TgSupportCli cli = knowledge.cli;
    if (limit < 1 || limit > 100) {
      cli.io().err().println(PROGRAM + ": --limit must be 1..100, was " + limit);
      return UsageFailure.EXIT_CODE;
    }
    if (query.isBlank()) {
      cli.io().err().println(PROGRAM + ": TEXT must not be blank");
      return UsageFailure.EXIT_CODE;
    }
    TicketsCommand.Session session = KnowledgeCommand.open(cli, db, PROGRAM);
    if (session == null) {
      return UsageFailure.EXIT_CODE;
    }
    List<KnowledgeHit> hits;
    try (session; KnowledgeCommand.Lookup lookup = KnowledgeCommand.lookup(session, true)) {
      KnowledgeBase kb = KnowledgeCommand.knowledgeBase(session, lookup.retriever());
      hits = KnowledgeCommand.call(session, () -> {
        kb.reindex();
        return kb.retriever().retrieve(query, limit);
      });
    }
    PrintWriter out = cli.io().out();
    for (KnowledgeHit h : hits) {
      if (json) {
        ObjectNode o = TicketsCommand.JSON.createObjectNode();
        o.put("score", Math.round(h.score() * 1000) / 1000.0);
        o.setAll(KnowledgeCommand.toJson(h.entry()));
        out.println(TicketsCommand.json(o));
      } else {
        out.println(String.format(Locale.ROOT, "%.3f", h.score()) + " " + h.entry().id() + " "
            + TicketsCommand.text(h.entry().question()));
      }
    }
    out.flush();
    return 0;
  }
}
