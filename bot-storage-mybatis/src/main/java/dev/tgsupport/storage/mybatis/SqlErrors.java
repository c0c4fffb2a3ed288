package dev.tgsupport.storage.mybatis;

import dev.tgsupport.core.BotException;
import dev.tgsupport.core.ConflictException;
import dev.tgsupport.core.InvalidInputException;
import dev.tgsupport.core.NotFoundException;
import dev.tgsupport.core.OperationTimeoutException;
import dev.tgsupport.core.StorageUnavailableException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/** The one SQLState → bot-core exception mapper of this module. No raw PSQLException escapes the module. */
final class SqlErrors {
  private SqlErrors() {}

  /** Serialization failure or deadlock: PostgreSQL rolled the transaction back; running it again is safe. */
  static boolean isRetriableConflict(Throwable e) {
    SQLException sql = sqlCause(e);
    if (sql == null) {
      return false;
    }
    String state = sql.getSQLState();
    return "40001".equals(state) || "40P01".equals(state);
  }

  static SQLException sqlCause(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException s) {
        return s;
      }
    }
    return null;
  }

  /** Maps any failure of a storage call to the core tree; core exceptions pass through unchanged. */
  static RuntimeException translate(String operation, Throwable e) {
    if (e instanceof BotException b) {
      return b;
    }
    SQLException sql = sqlCause(e);
    if (sql == null) {
      return e instanceof RuntimeException r ? r : new BotException(operation + " failed: " + e, e);
    }
    String state = sql.getSQLState() == null ? "" : sql.getSQLState();
    String detail = describe(sql);
    if (sql instanceof SQLTransientConnectionException || state.startsWith("08")
        || state.equals("57P01") || state.equals("57P02") || state.equals("57P03") || state.equals("53300")) {
      return new StorageUnavailableException(operation + " failed: database unavailable (" + detail + ")", sql);
    }
    if (state.equals("40001") || state.equals("40P01")) {
      return new StorageUnavailableException(
          operation + " failed: " + (state.equals("40001") ? "serialization failure" : "deadlock")
              + ", retry (" + detail + ")", sql);
    }
    if (state.equals("57014")) {
      return new OperationTimeoutException(operation + " failed: statement timed out (" + detail + ")", sql);
    }
    if (state.equals("55P03")) {
      // lock_timeout (a common server setting): the row stayed locked by another transaction for too long.
      return new OperationTimeoutException(operation + " failed: lock wait timed out (" + detail + ")", sql);
    }
    if (state.equals("23505")) {
      return new ConflictException(operation + " failed: already exists (" + detail + ")", sql);
    }
    if (state.equals("23503")) {
      return new NotFoundException(operation + " failed: refers to a row that does not exist (" + detail + ")");
    }
    // 54000 is a value too large for where it goes: an index entry (a huge tag or external id), a tsvector.
    if (state.startsWith("22") || state.startsWith("23") || state.equals("54000")) {
      return new InvalidInputException(field(sql), "was refused by " + operation + ": " + detail);
    }
    return new BotException(operation + " failed: " + detail, sql);
  }

  private static String field(SQLException sql) {
    if (sql instanceof PSQLException p && p.getServerErrorMessage() != null) {
      ServerErrorMessage m = p.getServerErrorMessage();
      if (m.getColumn() != null) {
        return (m.getTable() == null ? "" : m.getTable() + ".") + m.getColumn();
      }
      if (m.getConstraint() != null) {
        return m.getConstraint();
      }
    }
    return "value";
  }

  private static String describe(SQLException sql) {
    String message = sql.getMessage() == null ? sql.getClass().getSimpleName() : sql.getMessage();
    // Server messages may quote the offending value; keep them short and never let a URL password through.
    int newline = message.indexOf('\n');
    if (newline > 0) {
      message = message.substring(0, newline);
    }
    if (message.length() > 300) {
      message = message.substring(0, 300) + "…";
    }
    return "SQLState " + sql.getSQLState() + ": " + DatabaseUrl.redact(message);
  }
}
