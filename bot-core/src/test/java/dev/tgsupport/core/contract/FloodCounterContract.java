package dev.tgsupport.core.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tgsupport.core.InvalidInputException;
import dev.tgsupport.core.port.FloodCounter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * The behaviour of {@link FloodCounter} every implementation must have. Extend it, return a counter with no history
 * from {@link #counter()} for each test, and make {@link #advance} move the counter's time (a clock for in-memory
 * ones, a sleep for servers that keep their own time). Windows are multiples of {@link #tick()}.
 */
public abstract class FloodCounterContract {
  private static final long CHAT = -100_42L;
  private static final long USER = 7L;
  private static final long TEXT = 0x5eed_f00dL;

  /** A counter with no history for the current test; the same instance within one test. */
  protected abstract FloodCounter counter();

  /** Lets {@code d} pass for the counter. */
  protected abstract void advance(Duration d);

  /** The unit of the windows in these tests; servers that sleep want it short. */
  protected Duration tick() {
    return Duration.ofSeconds(1);
  }

  private Duration window() {
    return tick().multipliedBy(6);
  }

  private int record(long messageId) {
    return counter().record(CHAT, USER, messageId, TEXT, window());
  }

  @Test
  void repeatsOfOneTextByOneUserInOneChatAreCounted() {
    assertThat(record(1)).isEqualTo(1);
    assertThat(record(2)).isEqualTo(2);
    assertThat(record(3)).isEqualTo(3);
  }

  @Test
  void otherTextsUsersAndChatsAreCountedApart() {
    record(1);
    record(2);
    assertThat(counter().record(CHAT, USER, 3, TEXT + 1, window())).as("other text").isEqualTo(1);
    assertThat(counter().record(CHAT, USER + 1, 4, TEXT, window())).as("other user").isEqualTo(1);
    assertThat(counter().record(CHAT + 1, USER, 5, TEXT, window())).as("other chat").isEqualTo(1);
    assertThat(record(6)).isEqualTo(3);
  }

  @Test
  void aRedeliveredMessageIsNotCountedTwiceAndGetsItsFirstCount() {
    assertThat(record(10)).isEqualTo(1);
    assertThat(record(11)).isEqualTo(2);
    assertThat(record(11)).as("redelivered").isEqualTo(2);
    assertThat(record(10)).as("the first one, redelivered").isEqualTo(1);
    assertThat(record(12)).isEqualTo(3);
  }

  @Test
  void repeatsOlderThanTheWindowAreForgotten() {
    record(1);
    advance(tick().multipliedBy(3));
    assertThat(record(2)).isEqualTo(2);
    advance(tick().multipliedBy(4));
    assertThat(record(3)).as("the first copy is 7 ticks old, the window 6").isEqualTo(2);
    advance(tick().multipliedBy(7));
    assertThat(record(4)).as("every copy is out of the window").isEqualTo(1);
  }

  @Test
  void concurrentRecordsCountEveryMessageExactlyOnce() throws Exception {
    int messages = 40;
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<Integer>> counts = new ArrayList<>();
      for (int i = 0; i < messages; i++) {
        long id = 1_000 + i;
        counts.add(pool.submit(() -> record(id)));
      }
      List<Integer> seen = new ArrayList<>();
      for (Future<Integer> f : counts) {
        seen.add(f.get());
      }
      assertThat(seen).doesNotHaveDuplicates().allMatch(c -> c >= 1 && c <= messages).hasSize(messages);
    } finally {
      pool.shutdown();
    }
  }

  @Test
  void aWindowThatIsNotPositiveIsRefusedNamingIt() {
    assertThatThrownBy(() -> counter().record(CHAT, USER, 1, TEXT, Duration.ZERO))
        .isInstanceOf(InvalidInputException.class).hasMessage("window must be positive, was PT0S");
    assertThatThrownBy(() -> counter().record(CHAT, USER, 1, TEXT, null))
        .isInstanceOf(InvalidInputException.class).hasMessage("window must not be null");
  }
}
