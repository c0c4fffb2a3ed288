package dev.tgsupport.core.memory;

import static dev.tgsupport.core.InvalidInputException.check;
import static dev.tgsupport.core.InvalidInputException.requireNonNull;

import dev.tgsupport.core.port.DialogStates;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * {@link DialogStates} for one process: a state per (chat, user) that expires after its ttl.
 *
 * <pre>{@code
 * DialogStates states = InMemoryDialogStates.create();
 * states.put(chatId, userId, "ticket:awaiting-details", Duration.ofMinutes(15));
 * states.get(chatId, userId).ifPresent(state -> ...);
 * }</pre>
 *
 * <p>Memory is bounded: at most {@code maxEntries} states are kept, putting one more forgets the least recently used
 * (for a dialog, the user who walked away longest ago).
 *
 * <p>Thread-safe. Nothing is shared between processes; {@code bot-redis} offers a shared one.
 */
public final class InMemoryDialogStates implements DialogStates {
  /** States kept by {@link #create()}. */
  public static final int DEFAULT_MAX_ENTRIES = 100_000;

  private record Key(long chatId, long userId) {}

  private final InMemoryCache<Key, String> states;

  private InMemoryDialogStates(InMemoryCache<Key, String> states) {
    this.states = states;
  }

  /** States on the system clock, up to {@link #DEFAULT_MAX_ENTRIES}. */
  public static InMemoryDialogStates create() {
    return create(Clock.systemUTC());
  }

  /** States whose ttls run on {@code clock}, for tests that move time by hand. */
  public static InMemoryDialogStates create(Clock clock) {
    return create(clock, DEFAULT_MAX_ENTRIES);
  }

  /** States whose ttls run on {@code clock}, up to {@code maxEntries}. */
  public static InMemoryDialogStates create(Clock clock, int maxEntries) {
    Objects.requireNonNull(clock, "clock");
    check(maxEntries > 0, "maxEntries", "must be > 0", maxEntries);
    return new InMemoryDialogStates(InMemoryCache.create(maxEntries, clock));
  }

  @Override
  public Optional<String> get(long chatId, long userId) {
    return states.get(new Key(chatId, userId));
  }

  /**
   * {@inheritDoc}
   *
   * @throws dev.tgsupport.core.InvalidInputException when {@code state} is null or {@code ttl} is not positive
   */
  @Override
  public void put(long chatId, long userId, String state, Duration ttl) {
    requireNonNull(state, "state");
    states.put(new Key(chatId, userId), state, ttl);
  }

  @Override
  public void clear(long chatId, long userId) {
    states.invalidate(new Key(chatId, userId));
  }

  @Override
  public String toString() {
    return "InMemoryDialogStates";
  }
}
