package dev.tgsupport.sample;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tgsupport.core.NotFoundException;
import dev.tgsupport.core.knowledge.KnowledgeBase;
import dev.tgsupport.core.model.KnowledgeEntry;
import dev.tgsupport.core.port.KnowledgeRetriever;
import dev.tgsupport.core.text.Bm25KnowledgeRetriever;
import dev.tgsupport.core.text.LexicalKnowledgeRetriever;
import dev.tgsupport.knowledge.HybridKnowledgeRetriever;
import java.time.Clock;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code tgsupport knowledge import|list|show|search|validate|archive|reindex}: the knowledge base in the database
 * of {@code --database-url} or {@code DATABASE_URL}, migrated first.
 */
@Command(
    name = "knowledge",
    mixinStandardHelpOptions = true,
    versionProvider = TgSupportCli.Version.class,
    usageHelpAutoWidth = true,
    header = "Import, list, search, validate and archive the knowledge entries the bot answers from.",
    description = {
      "Works on the PostgreSQL database of --database-url, or of DATABASE_URL (environment or --config file), as"
          + " 'run' stores it; it is migrated first. Only validated entries answer users."
    },
    commandListHeading = "%nCommands:%n",
    subcommands = {KnowledgeImportCommand.class, KnowledgeListCommand.class, KnowledgeShowCommand.class,
      KnowledgeSearchCommand.class, KnowledgeValidateCommand.class, KnowledgeArchiveCommand.class,
      KnowledgeReindexCommand.class})
final class KnowledgeCommand implements Runnable {
  @ParentCommand TgSupportCli cli;

  @Spec private CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "Missing required subcommand");
  }

  /**
   * The knowledge lookup {@code search}, {@code reindex} and the changing subcommands use: the bot's own.
   *
   * @param retriever what the subcommand works through
   * @param vectors the embedder and index behind it; null for none
   */
  record Lookup(KnowledgeRetriever retriever, KnowledgeSettings.Vectors vectors) implements AutoCloseable {
    @Override
    public void close() {
      if (vectors != null) {
        vectors.close();
      }
    }
  }

  /**
   * With {@code QDRANT_URL} (and run's embedder settings): the hybrid retriever over that Qdrant, so a change reaches
   * it at once (an entry is embedded when validated and removed when archived) and {@code search} and
   * {@code reindex} see what the bot sees. Without it, {@code search} gets the hybrid retriever over an in-process
   * index, as the bot builds one at start, and the other subcommands the lexical one: besides the database there is
   * nothing to keep in step.
   */
  static Lookup lookup(TicketsCommand.Session session, boolean search) {
    KnowledgeSettings.Knowledge settings;
    try {
      settings = KnowledgeSettings.load(session.settings());
    } catch (UsageFailure e) {
      throw new TgSupportCli.CliFailure(e.getMessage());
    }
    if (settings.qdrantUrl() == null && !search) {
      return new Lookup(LexicalKnowledgeRetriever.create(), null);
    }
    KnowledgeSettings.Vectors vectors = settings.open(line -> { });
    HybridKnowledgeRetriever hybrid = HybridKnowledgeRetriever.builder()
        .lexical(Bm25KnowledgeRetriever.create())
        .embedder(vectors.embedder())
        .index(vectors.index())
        .build();
    return new Lookup(hybrid, vectors);
  }

  /** Opens and migrates the database; null after a usage error was printed (exit code 2). */
  static TicketsCommand.Session open(TgSupportCli cli, TicketsCommand.Db db, String program) {
    TicketsCommand.Session session = TicketsCommand.open(cli, db, program);
    if (session == null) {
      return null;
    }
    try {
      session.storage().migrations().up();
    } catch (RuntimeException e) {
      session.close();
      throw new TgSupportCli.CliFailure("cannot migrate " + session.url().describe() + ": "
          + session.url().failure(e));
    }
    return session;
  }

  static KnowledgeBase knowledgeBase(TicketsCommand.Session session, KnowledgeRetriever retriever) {
    return new KnowledgeBase(session.storage(), retriever, Clock.systemUTC());
  }

  /** Runs {@code work}, turning a database failure into one line (with the password scrubbed). */
  static <T> T call(TicketsCommand.Session session, Supplier<T> work) {
    try {
      return work.get();
    } catch (NotFoundException | TgSupportCli.CliFailure e) {
      throw e;
    } catch (RuntimeException e) {
      throw session.failure(e);
    }
  }

  static TgSupportCli.CliFailure noSuchEntry(long id, TicketsCommand.Session session) {
    return new TgSupportCli.CliFailure("no knowledge entry #" + id + " in " + session.url().display());
  }

  /** {@code <id> <status> <language or -> <question>}. */
  static String line(KnowledgeEntry e) {
    return e.id() + " " + e.status().wireName() + " " + TicketsCommand.orDash(e.language()) + " "
        + TicketsCommand.text(e.question());
  }

  static ObjectNode toJson(KnowledgeEntry e) {
    ObjectNode o = TicketsCommand.JSON.createObjectNode();
    o.put("id", e.id());
    o.put("status", e.status().wireName());
    o.put("question", e.question());
    o.put("answer", e.answer());
    ArrayNode tags = o.putArray("tags");
    e.tags().forEach(tags::add);
    o.put("language", e.language());
    o.put("source", e.source().name().toLowerCase(java.util.Locale.ROOT));
    o.put("validated_by", e.validatedBy());
    o.put("validated_at", e.validatedAt() == null ? null : e.validatedAt().toString());
    o.put("created_at", e.createdAt().toString());
    return o;
  }
}
