package dev.tgsupport.sample;

import dev.tgsupport.core.model.KnowledgeDraft;
import dev.tgsupport.core.model.KnowledgeEntry;
import dev.tgsupport.core.model.KnowledgeStatus;
import dev.tgsupport.core.port.KnowledgeRetriever;
import dev.tgsupport.storage.mybatis.MyBatisStorage;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The knowledge base of {@code eval knowledge --lexical postgres}, loaded as validated entries into a schema of
 * its own, created for the run and dropped by {@link #close()}, so that evaluating never touches the bot's data.
 */
final class EvalPostgres implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EvalPostgres.class);

  private final DatabaseUrlOption url;
  private final MyBatisStorage admin;
  private final String schema;
  private MyBatisStorage storage;
  private boolean created;
  private List<KnowledgeEntry> entries = List.of();

  private EvalPostgres(DatabaseUrlOption url, MyBatisStorage admin, String schema) {
    this.url = url;
    this.admin = admin;
    this.schema = schema;
  }

  /**
   * Creates the schema, migrates it and adds {@code drafts} as validated entries.
   *
   * @throws UsageFailure for a malformed URL
   * @throws TgSupportCli.CliFailure when the database cannot be reached or refuses, the password scrubbed
   */
  static EvalPostgres load(DatabaseUrlOption url, List<KnowledgeDraft> drafts) {
    String schema = "tgsupport_eval_" + UUID.randomUUID().toString().substring(0, 8);
    MyBatisStorage admin = url.open(1);
    EvalPostgres db = new EvalPostgres(url, admin, schema);
    try {
      db.exec("CREATE SCHEMA " + schema);
      db.created = true;
      db.storage = url.open(2, schema);
      db.storage.migrations().up();
      Instant now = Instant.now();
      db.entries = db.storage.inTransaction(s -> {
        List<KnowledgeEntry> out = new ArrayList<>(drafts.size());
        for (KnowledgeDraft d : drafts) {
          KnowledgeEntry draft = s.knowledge().add(d, KnowledgeStatus.DRAFT);
          out.add(s.knowledge().validate(draft.id(), "eval", now));
        }
        return out;
      });
      return db;
    } catch (RuntimeException e) {
      String message = "cannot load the knowledge base into " + url.display() + ": " + url.failure(e);
      db.close();
      throw new TgSupportCli.CliFailure(message);
    }
  }

  /** The entries as stored, with the database's ids. */
  List<KnowledgeEntry> entries() {
    return entries;
  }

  /** PostgreSQL full-text search over this schema. */
  KnowledgeRetriever retriever() {
    return storage.knowledgeRetriever();
  }

  String schema() {
    return schema;
  }

  /** Drops the schema and closes the pools; a failure to drop is logged, never thrown. */
  @Override
  public void close() {
    try {
      if (storage != null) {
        storage.close();
      }
      if (created) {
        exec("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
      }
    } catch (RuntimeException e) {
      // Harmless to the bot's data, and easy to find by its name and drop by hand.
      log.warn("could not drop the evaluation schema {}: {}", schema, url.failure(e));
    } finally {
      admin.close();
    }
  }

  private void exec(String sql) {
    try (Connection c = admin.dataSource().getConnection(); Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new dev.tgsupport.core.StorageUnavailableException(sql + ": " + e.getMessage(), e);
    }
  }
}
