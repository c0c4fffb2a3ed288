package dev.tgsupport.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The per-partition bookkeeping of a consumer, without Redis: order, held keys, leases and fencing. */
class StreamPartitionTest {
  private static final long HOUR = 3_600_000_000_000L;
  private final StreamPartition p = new StreamPartition(0, "q:0");
  private long now = 1_000;

  private static StreamPartition.Msg msg(String id, String key) {
    return new StreamPartition.Msg(id, key, "payload-" + id, 1);
  }

  private List<String> drain() {
    List<String> ids = new ArrayList<>();
    StreamPartition.Taken t;
    while ((t = p.take(now, false)) != null) {
      ids.add(t.msg().id);
      p.finished(t, now);
    }
    return ids;
  }

  @Test
  void entriesAreTakenInStreamOrderOnlyWhileTheLeaseIsOwnedAndClaimed() {
    assertThat(p.readEpoch(now, 10)).isEqualTo(-1);
    p.acquire(now + HOUR);
    assertThat(p.readEpoch(now, 10)).as("pending entries are claimed first").isEqualTo(-1);
    long epoch = p.claimEpoch(now, 10);
    p.claimed(epoch, null);
    assertThat(p.readEpoch(now, 10)).isEqualTo(epoch);

    assertThat(p.offer(epoch, List.of(msg("1", "a"), msg("2", "b"), msg("3", "a")))).as("starts a drain").isTrue();
    assertThat(p.offer(epoch, List.of(msg("4", "b")))).as("a drain runs already").isFalse();

    assertThat(drain()).containsExactly("1", "2", "3", "4");
    assertThat(p.endDrain(now, false)).isTrue();
  }

  @Test
  void aFailedEntryHoldsBackItsKeyOnlyUntilItsRetryIsDue() {
    p.acquire(now + HOUR);
    long epoch = p.claimEpoch(now, 10);
    p.claimed(epoch, null);
    p.offer(epoch, List.of(msg("1", "a"), msg("2", "b"), msg("3", "a"), msg("4", "c")));

    StreamPartition.Taken first = p.take(now, false);
    assertThat(first.msg().id).isEqualTo("1");
    p.retryAt(first, now + 100);
    assertThat(first.msg().deliveries).isEqualTo(2);

    assertThat(drain()).containsExactly("2", "4");
    assertThat(p.endDrain(now, false)).isTrue();
    assertThat(p.wakeAtNanos()).isEqualTo(now + 100);
    assertThat(p.startIfIdle(now + 99)).isFalse();

    now += 100;
    assertThat(p.startIfIdle(now)).isTrue();
    assertThat(drain()).containsExactly("1", "3");
  }

  @Test
  void pastItsFenceOrOnceLostThePartitionIsNotHandled() {
    p.acquire(now + 50);
    long epoch = p.claimEpoch(now, 10);
    p.claimed(epoch, null);
    p.offer(epoch, List.of(msg("1", "a"), msg("2", "a")));

    assertThat(p.take(now + 50, false)).as("fence passed").isNull();
    p.renew(now + HOUR);
    assertThat(p.take(now, true)).as("consumer stopping").isNull();
    assertThat(p.take(now, false).msg().id).isEqualTo("1");

    assertThat(p.lose()).isTrue();
    assertThat(p.take(now, false)).isNull();
    assertThat(p.offer(epoch, List.of(msg("3", "a")))).as("read under the old lease").isFalse();
  }

  @Test
  void aReleaseWaitsForTheRunningDrain() {
    p.acquire(now + HOUR);
    long epoch = p.claimEpoch(now, 10);
    p.claimed(epoch, null);
    p.offer(epoch, List.of(msg("1", "a"), msg("2", "a")));
    StreamPartition.Taken t = p.take(now, false);

    p.requestRelease();
    assertThat(p.readEpoch(now, 10)).isEqualTo(-1);
    assertThat(p.readyToRelease()).as("a handler is running").isFalse();
    p.finished(t, now);
    assertThat(p.take(now, false)).as("no new entry once releasing").isNull();
    assertThat(p.endDrain(now, false)).isTrue();

    assertThat(p.readyToRelease()).isTrue();
    assertThat(p.owned()).isFalse();
  }

  @Test
  void readsStopWhileTheBufferIsFull() {
    p.acquire(now + HOUR);
    long epoch = p.claimEpoch(now, 2);
    p.claimed(epoch, null);
    p.offer(epoch, List.of(msg("1", "a"), msg("2", "b")));

    assertThat(p.readEpoch(now, 2)).isEqualTo(-1);
    assertThat(p.readEpoch(now, 3)).isEqualTo(epoch);
  }
}
