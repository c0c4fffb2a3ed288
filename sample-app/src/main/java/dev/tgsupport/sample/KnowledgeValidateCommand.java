package dev.tgsupport.sample;

import dev.tgsupport.core.NotFoundException;
import dev.tgsupport.core.knowledge.KnowledgeBase;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code knowledge validate ID [--by NAME]}. */
@Command(
    name = "validate",
    mixinStandardHelpOptions = true,
    versionProvider = TgSupportCli.Version.class,
    usageHelpAutoWidth = true,
    header = "Mark an entry validated: it answers users from now on.",
    footer = {
      "Prints 'validated: ID'. Exit codes: 0 done; 1 no such entry, or the database",
      "cannot be written; 2 a usage error."
    })
final class KnowledgeValidateCommand implements Callable<Integer> {
  private static final String PROGRAM = "tgsupport knowledge validate";

  @ParentCommand private KnowledgeCommand knowledge;
  @Mixin private TicketsCommand.Db db;

  @Parameters(index = "0", paramLabel = "ID", description = "The entry's id (see 'knowledge list').")
  private long id;

  @Option(names = "--by", paramLabel = "NAME", description = "Who validated it (default: $USER, else 'cli').")
  private String by;

  @Override
  public Integer call() {
    TgSupportCli cli = knowledge.cli;
    String validator = by != null ? by.strip() : cli.env().getOrDefault("USER", "cli").strip();
    if (validator.isEmpty()) {
      cli.io().err().println(PROGRAM + ": --by must not be blank");
      return UsageFailure.EXIT_CODE;
    }
    TicketsCommand.Session session = KnowledgeCommand.open(cli, db, PROGRAM);
    if (session == null) {
      return UsageFailure.EXIT_CODE;
    }
    try (session; KnowledgeCommand.Lookup lookup = KnowledgeCommand.lookup(session, false)) {
      KnowledgeBase kb = KnowledgeCommand.knowledgeBase(session, lookup.retriever());
      KnowledgeCommand.call(session, () -> kb.validate(id, validator));
    } catch (NotFoundException e) {
      throw KnowledgeCommand.noSuchEntry(id, session);
    }
    cli.io().out().println("validated: " + id);
    cli.io().out().flush();
    return 0;
  }
}
