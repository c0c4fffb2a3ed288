package dev.tgsupport.core.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tgsupport.core.InvalidInputException;
import dev.tgsupport.core.port.DialogStates;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The behaviour of {@link DialogStates} every implementation must have. Extend it, return states with nothing set
 * from {@link #states()} for each test, and make {@link #advance} move their time. Ttls are multiples of
 * {@link #tick()}.
 */
public abstract class DialogStatesContract {
  private static final long CHAT = -100_42L;
  private static final long USER = 7L;

  /** States with nothing set for the current test; the same instance within one test. */
  protected abstract DialogStates states();

  /** Lets {@code d} pass for the states. */
  protected abstract void advance(Duration d);

  /** The unit of the ttls in these tests; servers that sleep want it short. */
  protected Duration tick() {
    return Duration.ofSeconds(1);
  }

  private Duration ttl() {
    return tick().multipliedBy(4);
  }

  @Test
  void aUserWithoutStateHasNone() {
    assertThat(states().get(CHAT, USER)).isEmpty();
  }

  @Test
  void aStateIsReadBackUntilReplaced() {
    states().put(CHAT, USER, "ticket:awaiting-details", ttl());
    assertThat(states().get(CHAT, USER)).hasValue("ticket:awaiting-details");

    states().put(CHAT, USER, "ждём описание 🙂 {\"step\":2}", ttl());
    assertThat(states().get(CHAT, USER)).hasValue("ждём описание 🙂 {\"step\":2}");
  }

  @Test
  void statesArePerChatAndUser() {
    states().put(CHAT, USER, "a", ttl());
    states().put(CHAT, USER + 1, "b", ttl());
    states().put(CHAT + 1, USER, "c", ttl());

    assertThat(states().get(CHAT, USER)).hasValue("a");
    assertThat(states().get(CHAT, USER + 1)).hasValue("b");
    assertThat(states().get(CHAT + 1, USER)).hasValue("c");
    assertThat(states().get(CHAT + 1, USER + 1)).isEmpty();
  }

  @Test
  void aStateExpiresAfterItsTtl() {
    states().put(CHAT, USER, "waiting", ttl());
    advance(tick().multipliedBy(2));
    assertThat(states().get(CHAT, USER)).as("half the ttl later").hasValue("waiting");
    advance(tick().multipliedBy(3));
    assertThat(states().get(CHAT, USER)).as("after the ttl").isEmpty();
  }

  @Test
  void clearForgetsTheState() {
    states().put(CHAT, USER, "waiting", ttl());
    states().clear(CHAT, USER);
    assertThat(states().get(CHAT, USER)).isEmpty();
    states().clear(CHAT, USER);
  }

  @Test
  void anEmptyStateIsAState() {
    states().put(CHAT, USER, "", ttl());
    assertThat(states().get(CHAT, USER)).hasValue("");
  }

  @Test
  void invalidArgumentsAreRefusedNamingTheField() {
    assertThatThrownBy(() -> states().put(CHAT, USER, "x", Duration.ZERO))
        .isInstanceOf(InvalidInputException.class).hasMessage("ttl must be positive, was PT0S");
    assertThatThrownBy(() -> states().put(CHAT, USER, null, ttl()))
        .isInstanceOf(InvalidInputException.class).hasMessage("state must not be null");
  }
}
