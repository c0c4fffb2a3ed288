package dev.tgsupport.core.memory;

import static dev.tgsupport.core.InvalidInputException.check;
import static dev.tgsupport.core.InvalidInputException.requireNonBlank;
import static dev.tgsupport.core.InvalidInputException.requireNonNull;

import dev.tgsupport.core.port.SyncLogStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

final class MemorySyncLogStore implements SyncLogStore {
  private static final Comparator<SyncRun> NEWEST_FIRST =
      Comparator.comparing(SyncRun::startedAt).thenComparingLong(SyncRun::id).reversed();

  private final MemoryTransaction tx;

  MemorySyncLogStore(MemoryTransaction tx) {
    this.tx = tx;
  }

  @Override
  public long start(String integration, String kind, Instant at) {
    requireNonBlank(integration, "integration");
    requireNonBlank(kind, "kind");
    requireNonNull(at, "at");
    Tables t = tx.tables();
    SyncRun run = new SyncRun(t.nextSyncRunId(), integration, kind, RUNNING, at, null, 0, null);
    tx.put(t.syncLog, run.id(), run);
    return run.id();
  }

  @Override
  public void finish(long id, Instant at, int records, String errors) {
    requireNonNull(at, "at");
    check(records >= 0, "records", "must be >= 0", records);
    Tables t = tx.tables();
    SyncRun run = t.syncLog.get(id);
    if (run == null) {
      throw MemoryTransaction.notFound("sync run", id);
    }
    boolean clean = errors == null || errors.isBlank();
    tx.put(t.syncLog, id, new SyncRun(id, run.integration(), run.kind(), clean ? OK : FAILED, run.startedAt(), at,
        records, clean ? null : errors));
  }

  @Override
  public List<SyncRun> recent(String integration, int limit) {
    requireNonBlank(integration, "integration");
    check(limit >= 0, "limit", "must be >= 0", limit);
    List<SyncRun> runs = new ArrayList<>();
    for (SyncRun r : tx.tables().syncLog.values()) {
      if (r.integration().equals(integration)) {
        runs.add(r);
      }
    }
    runs.sort(NEWEST_FIRST);
    return List.copyOf(runs.subList(0, Math.min(limit, runs.size())));
  }
}
