package dev.tgsupport.core.port;

import java.time.Instant;
import java.util.List;

/**
 * A row per synchronisation run with an external system (a Kaiten poll, a webhook-triggered sync, an outbox drain):
 * what ran, when, how many records it touched and what went wrong, so staff can see that the bridge is alive.
 */
public interface SyncLogStore {

  /** One run. {@code status} is {@code running}, {@code ok} or {@code failed}; {@code errors} is null when none. */
  record SyncRun(long id, String integration, String kind, String status, Instant startedAt, Instant finishedAt,
      int records, String errors) {}

  /** Records that a run started; returns its id. */
  long start(String integration, String kind, Instant at);

  /**
   * Records how a run ended.
   *
   * @param errors what went wrong (several errors joined by newlines), or null for a clean run; a run with errors
   *     is {@code failed}
   * @throws dev.tgsupport.core.NotFoundException for an unknown id
   */
  void finish(long id, Instant at, int records, String errors);

  /** The most recent runs of an integration, newest first. */
  List<SyncRun> recent(String integration, int limit);
}
