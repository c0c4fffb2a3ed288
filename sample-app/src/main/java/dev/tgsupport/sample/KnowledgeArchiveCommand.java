package dev.tgsupport.sample;

import dev.tgsupport.core.NotFoundException;
import dev.tgsupport.core.knowledge.KnowledgeBase;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code knowledge archive ID}. */
@Command(
    name = "archive",
    mixinStandardHelpOptions = true,
    versionProvider = TgSupportCli.Version.class,
    usageHelpAutoWidth = true,
    header = "Archive an entry: it no longer answers users, but stays listed.",
    footer = {
      "Prints 'archived: ID'. Exit codes: 0 done; 1 no such entry, or the database",
      "cannot be written; 2 a usage error."
    })
final class KnowledgeArchiveCommand implements Callable<Integer> {
  private static final String PROGRAM = "tgsupport knowledge archive";

  @ParentCommand private KnowledgeCommand knowledge;
  @Mixin private TicketsCommand.Db db;

  @Parameters(index = "0", paramLabel = "ID", description = "The entry's id (see 'knowledge list').")
  private long id;

  @Override
  public Integer call() {
    TgSupportCli cli = knowledge.cli;
    TicketsCommand.Session session = KnowledgeCommand.open(cli, db, PROGRAM);
    if (session == null) {
      return UsageFailure.EXIT_CODE;
    }
    try (session; KnowledgeCommand.Lookup lookup = KnowledgeCommand.lookup(session, false)) {
      KnowledgeBase kb = KnowledgeCommand.knowledgeBase(session, lookup.retriever());
      KnowledgeCommand.call(session, () -> kb.archive(id));
    } catch (NotFoundException e) {
      throw KnowledgeCommand.noSuchEntry(id, session);
    }
    cli.io().out().println("archived: " + id);
    cli.io().out().flush();
    return 0;
  }
}
