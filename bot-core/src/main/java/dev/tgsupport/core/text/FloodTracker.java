package dev.tgsupport.core.text;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Remembers, per (chat, user), the texts seen within the flood window. Memory is bounded twice: at most
 * {@code maxTracked} pairs, the least recently active forgotten first, and at most {@link #MAX_PER_BUCKET} texts per
 * pair. Texts are kept as 64-bit hashes so a 100,000-character message costs eight bytes.
 */
final class FloodTracker {
  static final int MAX_PER_BUCKET = 64;

  private record Key(long chatId, long userId) {}

  private record Seen(long hash, long messageId, Instant at) {}

  private final Duration window;
  private final Map<Key, ArrayDeque<Seen>> buckets;

  FloodTracker(Duration window, int maxTracked) {
    this.window = window;
    // Access order makes the eldest entry the least recently active pair. The map's own lock is held only for the
    // lookup; counting happens under the pair's lock so users do not wait for each other.
    this.buckets = new LinkedHashMap<>(256, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<Key, ArrayDeque<Seen>> eldest) {
        return size() > maxTracked;
      }
    };
  }

  /**
   * Records the text and returns how many times it was seen within the window, this time included. A message seen
   * before (a redelivery of the same Telegram message) is not counted again and gets the count it had then, so a
   * retried update is judged as it was the first time.
   */
  int record(long chatId, long userId, long messageId, long textHash, Instant now) {
    Key key = new Key(chatId, userId);
    ArrayDeque<Seen> bucket;
    synchronized (buckets) {
      bucket = buckets.computeIfAbsent(key, k -> new ArrayDeque<>());
    }
    synchronized (bucket) {
      Instant horizon = now.minus(window);
      int count = 0;
      for (Iterator<Seen> it = bucket.iterator(); it.hasNext(); ) {
        Seen s = it.next();
        if (!s.at.isAfter(horizon)) {
          it.remove();
          continue;
        }
        if (s.hash == textHash) {
          count++;
        }
        if (s.messageId == messageId) {
          return s.hash == textHash ? count : count + 1;
        }
      }
      if (bucket.size() >= MAX_PER_BUCKET) {
        bucket.removeFirst();
      }
      bucket.addLast(new Seen(textHash, messageId, now));
      return count + 1;
    }
  }

  int trackedPairs() {
    synchronized (buckets) {
      return buckets.size();
    }
  }

  /** 64-bit FNV-1a: enough to tell a user's few recent texts apart. */
  static long hash(CharSequence s) {
    long h = 0xcbf29ce484222325L;
    for (int i = 0; i < s.length(); i++) {
      h ^= s.charAt(i);
      h *= 0x100000001b3L;
    }
    return h;
  }
}
