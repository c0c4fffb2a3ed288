package dev.tgsupport.sample;

import dev.tgsupport.core.knowledge.KnowledgeBase;
import dev.tgsupport.core.model.KnowledgeStatus;
import dev.tgsupport.knowledge.HybridKnowledgeRetriever;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code knowledge reindex}. */
@Command(
    name = "reindex",
    mixinStandardHelpOptions = true,
    versionProvider = TgSupportCli.Version.class,
    usageHelpAutoWidth = true,
    header = "Rebuild the retriever's index from the validated entries in the database.",
    footer = {
      "With QDRANT_URL, entries whose vector in Qdrant is up to date are not embedded again and",
      "vectors of entries no longer validated are deleted; --full embeds every entry again.",
      "Prints 'reindexed: N', the number of validated entries indexed. Exit codes:",
      "0 done; 1 the database or the index failed; 2 a usage error."
    })
final class KnowledgeReindexCommand implements Callable<Integer> {
  private static final String PROGRAM = "tgsupport knowledge reindex";

  @ParentCommand private KnowledgeCommand knowledge;
  @Mixin private TicketsCommand.Db db;

  @Option(
      names = "--full",
      description = "Embed every validated entry again, even those whose vector is up to date (after the embedding"
          + " model changed without changing its name).")
  private boolean full;

  @Override
  public Integer call() {
    TgSupportCli cli = knowledge.cli;
    TicketsCommand.Session session = KnowledgeCommand.open(cli, db, PROGRAM);
    if (session == null) {
      return UsageFailure.EXIT_CODE;
    }
    int count;
    try (session; KnowledgeCommand.Lookup lookup = KnowledgeCommand.lookup(session, true)) {
      KnowledgeBase kb = KnowledgeCommand.knowledgeBase(session, lookup.retriever());
      if (full && lookup.retriever() instanceof HybridKnowledgeRetriever hybrid) {
        count = KnowledgeCommand.call(session,
            () -> hybrid.rebuildFrom(() -> kb.list(KnowledgeStatus.VALIDATED)));
      } else {
        count = KnowledgeCommand.call(session, kb::reindex);
      }
    }
    cli.io().out().println("reindexed: " + count);
    cli.io().out().flush();
    return 0;
  }
}
