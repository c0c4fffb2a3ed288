package dev.tgsupport.sample;

import dev.tgsupport.core.model.KnowledgeEntry;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code knowledge show ID [--json]}. */
@Command(
    name = "show",
    mixinStandardHelpOptions = true,
    versionProvider = TgSupportCli.Version.class,
    sortOptions = false,
    optionListHeading = "%nOptions:%n",
    usageHelpAutoWidth = true,
    header = "Show one knowledge entry.",
    footerHeading = "%nOutput, one 'key: value' line each:%n",
    footer = {
      "  id, status, question, answer (line breaks shown as spaces), tags (comma",
      "  separated), language, source, validated_by, validated_at, created_at.",
      "  An empty value is nothing after ': '. With --json, one object with the same",
      "  keys (tags as an array, the answer verbatim, null for none).",
      "",
      "Exit codes: 0 done; 1 no such entry, or the database cannot be read;",
      "2 a usage error."
    })
final class KnowledgeShowCommand implements Callable<Integer> {
  private static final String PROGRAM = "tgsupport knowledge show";

  @ParentCommand private KnowledgeCommand knowledge;
  @Mixin private TicketsCommand.Db db;

  @Parameters(index = "0", paramLabel = "ID", description = "The entry's id (see 'knowledge list').")
  private long id;

  @Option(names = "--json", description = "One JSON object instead of 'key: value' lines.")
  private boolean json;

  @Override
  public Integer call() {
    TgSupportCli cli = knowledge.cli;
    TicketsCommand.Session session = KnowledgeCommand.open(cli, db, PROGRAM);
    if (session == null) {
      return UsageFailure.EXIT_CODE;
    }
    KnowledgeEntry e;
    try (session) {
      e = session.read(s -> s.knowledge().find(id).orElse(null));
    }
    if (e == null) {
      throw KnowledgeCommand.noSuchEntry(id, session);
    }
    PrintWriter out = cli.io().out();
    if (json) {
      out.println(TicketsCommand.json(KnowledgeCommand.toJson(e)));
    } else {
      out.println("id: " + e.id());
      out.println("status: " + e.status().wireName());
      out.println("question: " + TicketsCommand.text(e.question()));
      out.println("answer: " + TicketsCommand.text(e.answer()));
      out.println("tags: " + TicketsCommand.text(String.join(", ", e.tags())));
      out.println("language: " + TicketsCommand.text(e.language()));
      out.println("source: " + e.source().name().toLowerCase(java.util.Locale.ROOT));
      out.println("validated_by: " + TicketsCommand.text(e.validatedBy()));
      out.println("validated_at: " + TicketsCommand.text(e.validatedAt()));
      out.println("created_at: " + e.createdAt());
    }
    out.flush();
    return 0;
  }
}
