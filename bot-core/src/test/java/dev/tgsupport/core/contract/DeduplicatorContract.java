package dev.tgsupport.core.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tgsupport.core.InvalidInputException;
import dev.tgsupport.core.port.Deduplicator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * The behaviour of {@link Deduplicator} every implementation must have. Extend it, return a deduplicator with no
 * claims from {@link #deduplicator()} for each test, and make {@link #advance} move its time. Ttls are multiples of
 * {@link #tick()}.
 */
public abstract class DeduplicatorContract {
  /** A deduplicator with no claims for the current test; the same instance within one test. */
  protected abstract Deduplicator deduplicator();

  /** Lets {@code d} pass for the deduplicator. */
  protected abstract void advance(Duration d);

  /** The unit of the ttls in these tests; servers that sleep want it short. */
  protected Duration tick() {
    return Duration.ofSeconds(1);
  }

  private Duration ttl() {
    return tick().multipliedBy(4);
  }

  @Test
  void theFirstClaimWinsAndEveryLaterOneWithinTheTtlLoses() {
    assertThat(deduplicator().firstSeen("update:1", ttl())).isTrue();
    assertThat(deduplicator().firstSeen("update:1", ttl())).isFalse();
    assertThat(deduplicator().firstSeen("update:1", ttl())).isFalse();
  }

  @Test
  void keysAreClaimedIndependently() {
    assertThat(deduplicator().firstSeen("update:1", ttl())).isTrue();
    assertThat(deduplicator().firstSeen("update:2", ttl())).isTrue();
    assertThat(deduplicator().firstSeen("обновление:1 🙂", ttl())).isTrue();
    assertThat(deduplicator().firstSeen("update:2", ttl())).isFalse();
  }

  @Test
  void aClaimExpiresAfterItsTtl() {
    assertThat(deduplicator().firstSeen("update:1", ttl())).isTrue();
    advance(tick().multipliedBy(2));
    assertThat(deduplicator().firstSeen("update:1", ttl())).as("half the ttl later").isFalse();
    advance(tick().multipliedBy(3));
    assertThat(deduplicator().firstSeen("update:1", ttl())).as("after the ttl").isTrue();
  }

  @Test
  void aReleasedClaimCanBeTakenAgain() {
    assertThat(deduplicator().firstSeen("update:1", ttl())).isTrue();
    deduplicator().release("update:1");
    assertThat(deduplicator().firstSeen("update:1", ttl())).isTrue();
    deduplicator().release("never-claimed");
  }

  @Test
  void ofEightThreadsClaimingOneKeyExactlyOneWins() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      for (int round = 0; round < 20; round++) {
        String key = "race:" + round;
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Boolean>> claims = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
          claims.add(pool.submit(() -> {
            start.await();
            return deduplicator().firstSeen(key, ttl());
          }));
        }
        start.countDown();
        int winners = 0;
        for (Future<Boolean> f : claims) {
          winners += f.get() ? 1 : 0;
        }
        assertThat(winners).as("winners of %s", key).isEqualTo(1);
      }
    } finally {
      pool.shutdown();
    }
  }

  @Test
  void aTtlThatIsNotPositiveIsRefusedNamingIt() {
    assertThatThrownBy(() -> deduplicator().firstSeen("k", Duration.ofMillis(-1)))
        .isInstanceOf(InvalidInputException.class).hasMessage("ttl must be positive, was PT-0.001S");
    assertThatThrownBy(() -> deduplicator().firstSeen(null, ttl()))
        .isInstanceOf(InvalidInputException.class).hasMessage("key must not be null");
  }
}
