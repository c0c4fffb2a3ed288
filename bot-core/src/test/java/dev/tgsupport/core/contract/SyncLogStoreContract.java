package dev.tgsupport.core.contract;

import static dev.tgsupport.core.contract.Fixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tgsupport.core.InvalidInputException;
import dev.tgsupport.core.NotFoundException;
import dev.tgsupport.core.port.Stores;
import dev.tgsupport.core.port.SyncLogStore;
import dev.tgsupport.core.port.SyncLogStore.SyncRun;
import dev.tgsupport.core.port.Transactions;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The behaviour of {@link SyncLogStore} every storage must have: a run is recorded as running, finished as ok or
 * failed with its counts, and listed newest first per integration. Extend it and return a fresh, empty storage from
 * {@link #transactions()} for each test.
 */
public abstract class SyncLogStoreContract {
  /** A fresh, empty storage for the current test. */
  protected abstract Transactions transactions();

  private long start(String integration, String kind, Instant at) {
    return transactions().inTransaction(s -> s.syncLog().start(integration, kind, at));
  }

  private List<SyncRun> recent(String integration, int limit) {
    return transactions().inTransaction(s -> s.syncLog().recent(integration, limit));
  }

  private static List<Long> ids(List<SyncRun> runs) {
    return runs.stream().map(SyncRun::id).toList();
  }

  @Test
  void aStartedRunIsRunningWithNoRecordsAndNoEnd() {
    long id = start("kaiten", "poll", T0);

    assertThat(id).isPositive();
    assertThat(recent("kaiten", 10)).containsExactly(
        new SyncRun(id, "kaiten", "poll", SyncLogStore.RUNNING, T0, null, 0, null));
  }

  @Test
  void aCleanRunFinishesOkWithItsRecordCount() {
    long id = start("kaiten", "poll", T0);

    transactions().run(s -> s.syncLog().finish(id, T0.plusSeconds(3), 17, null));

    assertThat(recent("kaiten", 10)).containsExactly(
        new SyncRun(id, "kaiten", "poll", SyncLogStore.OK, T0, T0.plusSeconds(3), 17, null));
  }

  @Test
  void aRunWithErrorsFinishesFailedAndKeepsThemVerbatim() {
    long id = start("kaiten", "webhook", T0);
    String errors = "card 12: Kaiten answered 503\n" + Fixtures.RUSSIAN + " " + Fixtures.SQL_INJECTION;

    transactions().run(s -> s.syncLog().finish(id, T0.plusSeconds(1), 4, errors));

    assertThat(recent("kaiten", 10)).singleElement().satisfies(r -> {
      assertThat(r.status()).isEqualTo(SyncLogStore.FAILED);
      assertThat(r.errors()).isEqualTo(errors);
      assertThat(r.records()).isEqualTo(4);
      assertThat(r.finishedAt()).isEqualTo(T0.plusSeconds(1));
    });
  }

  @Test
  void blankErrorsCountAsACleanRun() {
    long id = start("kaiten", "poll", T0);

    transactions().run(s -> s.syncLog().finish(id, T0, 0, " \n"));

    assertThat(recent("kaiten", 1)).singleElement().satisfies(r -> {
      assertThat(r.status()).isEqualTo(SyncLogStore.OK);
      assertThat(r.errors()).isNull();
    });
  }

  @Test
  void finishingARunAgainReplacesItsOutcome() {
    long id = start("kaiten", "poll", T0);
    transactions().run(s -> s.syncLog().finish(id, T0.plusSeconds(1), 2, "boom"));

    transactions().run(s -> s.syncLog().finish(id, T0.plusSeconds(2), 3, null));

    assertThat(recent("kaiten", 1)).containsExactly(
        new SyncRun(id, "kaiten", "poll", SyncLogStore.OK, T0, T0.plusSeconds(2), 3, null));
  }

  @Test
  void recentListsOneIntegrationNewestFirstUpToTheLimit() {
    long old = start("kaiten", "poll", T0);
    long newest = start("kaiten", "poll", T0.plusSeconds(20));
    long middle = start("kaiten", "webhook", T0.plusSeconds(10));
    start("qdrant", "reindex", T0.plusSeconds(30));

    assertThat(ids(recent("kaiten", 10))).containsExactly(newest, middle, old);
    assertThat(ids(recent("kaiten", 2))).containsExactly(newest, middle);
    assertThat(recent("kaiten", 0)).isEmpty();
    assertThat(recent("telegram", 10)).isEmpty();
  }

  @Test
  void runsStartedAtTheSameInstantComeNewestIdFirst() {
    long first = start("kaiten", "poll", T0);
    long second = start("kaiten", "poll", T0);

    assertThat(ids(recent("kaiten", 10))).containsExactly(second, first);
  }

  @Test
  void finishingAnUnknownRunThrowsNotFoundNamingIt() {
    assertThatThrownBy(() -> transactions().run(s -> s.syncLog().finish(404, T0, 0, null)))
        .isInstanceOf(NotFoundException.class).hasMessageContaining("sync run").hasMessageContaining("404");
  }

  @Test
  void refusedArgumentsNameTheirField() {
    long id = start("kaiten", "poll", T0);

    assertThatThrownBy(() -> start(" ", "poll", T0))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("integration");
    assertThatThrownBy(() -> start("kaiten", "", T0))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("kind");
    assertThatThrownBy(() -> start("kaiten", "poll", null))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("at");
    assertThatThrownBy(() -> transactions().run(s -> s.syncLog().finish(id, T0, -1, null)))
        .isInstanceOf(InvalidInputException.class).hasMessage("records must be >= 0, was -1");
    assertThatThrownBy(() -> recent("kaiten", -1))
        .isInstanceOf(InvalidInputException.class).hasMessage("limit must be >= 0, was -1");
  }

  @Test
  void aRunStartedInARolledBackTransactionLeavesNoRow() {
    assertThatThrownBy(() -> transactions().run(s -> {
      s.syncLog().start("kaiten", "poll", T0);
      throw new IllegalStateException("rollback");
    })).hasMessage("rollback");

    assertThat(recent("kaiten", 10)).isEmpty();
  }

  @Test
  void aFinishRolledBackWithItsTransactionLeavesTheRunRunning() {
    long id = start("kaiten", "poll", T0);

    assertThatThrownBy(() -> transactions().run((Stores s) -> {
      s.syncLog().finish(id, T0.plusSeconds(1), 5, null);
      throw new IllegalStateException("rollback");
    })).hasMessage("rollback");

    assertThat(recent("kaiten", 1)).singleElement()
        .satisfies(r -> assertThat(r.status()).isEqualTo(SyncLogStore.RUNNING));
  }
}
