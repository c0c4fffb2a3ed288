package dev.tgsupport.core.port;

import java.time.Instant;
import java.util.List;

/**
 * A row per synchronisation run with an external system (a Kaiten poll, a webhook-triggered sync, an outbox drain):
 * what ran, when, how many records it touched and what went wrong, so staff can see that the bridge is alive.
 */
public interface SyncLogStore {

  /** Status of a run that has not finished (or whose process died before it could say so). */
  String RUNNING = "running";
  /** Status of a run that finished without errors. */
  String OK = "ok";
  /** Status of a run that finished with errors. */
  String FAILED = "failed";

  /**
   * One run. {@code status} is {@link #RUNNING}, {@link #OK} or {@link #FAILED}; {@code finishedAt} is null while
   * running; {@code errors} is null when none.
   */
  record SyncRun(long id, String integration, String kind, String status, Instant startedAt, Instant finishedAt,
      int records, String errors) {}

  /** Records that a run started ({@link #RUNNING}, no records yet); returns its id. */
  long start(String integration, String kind, Instant at);

  /**
   * Records how a run ended.
   *
   * @param records how many records the run touched, {@code >= 0}
   * @param errors what went wrong (several errors joined by newlines), or null (or blank) for a clean run, which is
   *     {@link #OK}; a run with errors is {@link #FAILED}. Finishing a run again replaces its outcome.
   * @throws dev.tgsupport.core.NotFoundException for an unknown id
   */
  void finish(long id, Instant at, int records, String errors);

  /** The most recent runs of an integration, newest (latest {@code startedAt}) first. */
  List<SyncRun> recent(String integration, int limit);
}
