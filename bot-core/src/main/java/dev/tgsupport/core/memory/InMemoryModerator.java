package dev.tgsupport.core.memory;

import dev.tgsupport.core.port.Moderator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link Moderator} that remembers what it was asked to do instead of doing it: for the console demo and tests.
 * Whether it "may" delete and restrict is configurable, like a bot with or without administrator rights.
 * Thread-safe.
 */
public final class InMemoryModerator implements Moderator {
  /** A chat member, for {@link #restrictions()}. */
  public record Member(long chatId, long userId) {}

  /** A message of a chat, for {@link #deleted()}. */
  public record MessageRef(long chatId, long telegramMessageId) {}

  private final List<MessageRef> deleted = new ArrayList<>();
  private final Map<Member, Duration> restricted = new HashMap<>();
  private volatile boolean mayDelete = true;
  private volatile boolean mayRestrict = true;

  private InMemoryModerator() {}

  /** A moderator with every right. */
  public static InMemoryModerator create() {
    return new InMemoryModerator();
  }

  /** Grants or withdraws the right to delete messages. */
  public InMemoryModerator mayDelete(boolean may) {
    this.mayDelete = may;
    return this;
  }

  /** Grants or withdraws the right to restrict members. */
  public InMemoryModerator mayRestrict(boolean may) {
    this.mayRestrict = may;
    return this;
  }

  @Override
  public synchronized boolean deleteMessage(long chatId, long telegramMessageId) {
    MessageRef ref = new MessageRef(chatId, telegramMessageId);
    if (!mayDelete || deleted.contains(ref)) {
      return false;
    }
    deleted.add(ref);
    return true;
  }

  @Override
  public synchronized boolean restrict(long chatId, long userId, Duration duration) {
    if (!mayRestrict) {
      return false;
    }
    restricted.put(new Member(chatId, userId), duration);
    return true;
  }

  @Override
  public synchronized boolean unrestrict(long chatId, long userId) {
    if (!mayRestrict) {
      return false;
    }
    restricted.remove(new Member(chatId, userId));
    return true;
  }

  /** The messages deleted so far, in order. */
  public synchronized List<MessageRef> deleted() {
    return List.copyOf(deleted);
  }

  /** The members restricted now, with the duration each was restricted for. */
  public synchronized Map<Member, Duration> restrictions() {
    return Map.copyOf(restricted);
  }
}
