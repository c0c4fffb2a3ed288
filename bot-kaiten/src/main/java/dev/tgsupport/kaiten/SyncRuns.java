package dev.tgsupport.kaiten;

import dev.tgsupport.core.port.Transactions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Writes the {@code sync_log} row of each run. Losing a log row must never fail the run itself. */
final class SyncRuns {
  static final String INTEGRATION = "kaiten";
  private static final Logger log = LoggerFactory.getLogger(SyncRuns.class);
  private static final int MAX_ERRORS_TEXT = 4000;

  private final Transactions transactions;
  private final Clock clock;

  SyncRuns(Transactions transactions, Clock clock) {
    this.transactions = transactions;
    this.clock = clock;
  }

  /** One run in progress: count records and collect errors, then {@link #finish()}. */
  final class Run {
    private final Long id;
    private int records;
    private final List<String> errors = new ArrayList<>();

    private Run(Long id) {
      this.id = id;
    }

    void record(int n) {
      records += n;
    }

    void error(String error) {
      errors.add(error);
    }

    int records() {
      return records;
    }

    List<String> errors() {
      return List.copyOf(errors);
    }

    void finish() {
      if (id == null) {
        return;
      }
      String text = errors.isEmpty() ? null : String.join("\n", errors);
      if (text != null && text.length() > MAX_ERRORS_TEXT) {
        text = text.substring(0, MAX_ERRORS_TEXT - 1) + "…";
      }
      String finalText = text;
      try {
        transactions.run(s -> s.syncLog().finish(id, clock.instant(), records, finalText));
      } catch (RuntimeException e) {
        log.warn("Could not finish sync_log row {}: {}", id, e.getMessage());
      }
    }
  }

  Run start(String kind) {
    Long id;
    try {
      id = transactions.inTransaction(s -> s.syncLog().start(INTEGRATION, kind, clock.instant()));
    } catch (RuntimeException e) {
      log.warn("Could not write the sync_log row of a Kaiten {} run: {}", kind, e.getMessage());
      id = null;
    }
    return new Run(id);
  }
}
