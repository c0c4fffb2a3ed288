package dev.tgsupport.redis;

import static dev.tgsupport.core.InvalidInputException.requireNonNull;

import dev.tgsupport.core.memory.InMemoryDialogStates;
import dev.tgsupport.core.port.DialogStates;
import io.lettuce.core.SetArgs;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * Dialog states as plain strings with {@code PX} expiry, one round trip per call. During an outage they live in the
 * twin, and the sets and clears made then are replayed when Redis is back, so the user's next message finds them on
 * any instance.
 */
final class RedisDialogStates implements DialogStates {
  static final String COMPONENT = "dialog-states";

  private final RedisLink link;
  private final String prefix;
  private final Clock clock;
  private final Journal journal;
  private final Guard guard;
  private volatile InMemoryDialogStates twin;

  RedisDialogStates(RedisLink link, String keyPrefix, Clock clock, Duration timeout, DegradationSignal signal) {
    this.link = link;
    this.prefix = keyPrefix + "dialog:";
    this.clock = clock;
    this.twin = InMemoryDialogStates.create(clock);
    this.journal = new Journal(COMPONENT, clock, InMemoryDialogStates.DEFAULT_MAX_ENTRIES / 10, timeout);
    this.guard = new Guard(COMPONENT, signal, new Guard.Recovery() {
      @Override
      public void replay(RedisLink l) {
        journal.replay(l);
      }

      @Override
      public void resetTwin() {
        twin = InMemoryDialogStates.create(RedisDialogStates.this.clock);
      }
    });
  }

  Guard guard() {
    return guard;
  }

  private String key(long chatId, long userId) {
    return prefix + chatId + ':' + userId;
  }

  @Override
  public Optional<String> get(long chatId, long userId) {
    if (guard.onRedis()) {
      try {
        return Optional.ofNullable(link.sync().get(key(chatId, userId)));
      } catch (RuntimeException e) {
        guard.failed(e);
      }
    }
    return twin.get(chatId, userId);
  }

  @Override
  public void put(long chatId, long userId, String state, Duration ttl) {
    requireNonNull(state, "state");
    Ttl.checkPositive(ttl, "ttl");
    if (guard.onRedis()) {
      try {
        link.sync().set(key(chatId, userId), state, SetArgs.Builder.px(Ttl.millis(ttl)));
        return;
      } catch (RuntimeException e) {
        guard.failed(e);
      }
    }
    twin.put(chatId, userId, state, ttl);
    journal.set(key(chatId, userId), state, ttl);
  }

  @Override
  public void clear(long chatId, long userId) {
    if (guard.onRedis()) {
      try {
        link.sync().del(key(chatId, userId));
        return;
      } catch (RuntimeException e) {
        guard.failed(e);
      }
    }
    twin.clear(chatId, userId);
    journal.delete(key(chatId, userId));
  }

  @Override
  public String toString() {
    return "RedisDialogStates{onRedis=" + guard.onRedis() + "}";
  }
}
