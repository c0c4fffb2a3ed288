package dev.tgsupport.telegram.fake;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Token buckets per scope plus the lock a 429 imposes, and the observed send times behind the window counters. All
 * times are {@link System#nanoTime()} values.
 */
final class FloodControl {

  private static final long SECOND = 1_000_000_000L;

  /** Outcome of one attempt; {@code retryAfter} is 0 when allowed. */
  record Decision(int retryAfter, boolean duringLock) {
    boolean allowed() {
      return retryAfter == 0;
    }
  }

  private static final class Bucket {
    double tokens;
    long updatedAt;

    Bucket(double tokens, long now) {
      this.tokens = tokens;
      this.updatedAt = now;
    }

    void refill(Limits.Rate rate, long now) {
      tokens = Math.min(rate.burst(), tokens + (now - updatedAt) * rate.perNano());
      updatedAt = now;
    }

    long nanosUntilToken(Limits.Rate rate) {
      return tokens >= 1 ? 0 : (long) Math.ceil((1 - tokens) / rate.perNano());
    }
  }

  private final Limits limits;
  private Bucket globalBucket;
  private final Map<Long, Bucket> chatBuckets = new HashMap<>();
  private final Map<Long, Bucket> groupBuckets = new HashMap<>();
  private long globalLockedUntil;
  private final Map<Long, Long> chatLockedUntil = new HashMap<>();
  private final List<Long> allSends = new ArrayList<>();
  private final Map<Long, List<Long>> sendsByChat = new HashMap<>();
  private final Set<Long> groups = new HashSet<>();
  private long violations;
  private long rejections;

  FloodControl(Limits limits) {
    this.limits = limits;
  }

  synchronized Decision acquire(long chatId, boolean group) {
    // Read the clock under the lock so the recorded send times stay sorted for the window scan.
    long now = System.nanoTime();
    if (now < globalLockedUntil) {
      violations++;
      rejections++;
      return new Decision(ceilSeconds(globalLockedUntil - now), true);
    }
    Long chatLock = chatLockedUntil.get(chatId);
    if (chatLock != null && now < chatLock) {
      violations++;
      rejections++;
      return new Decision(ceilSeconds(chatLock - now), true);
    }
    Bucket global = limits.global() == null ? null : globalBucket(now);
    Bucket chat = limits.perChat() == null ? null : bucket(chatBuckets, chatId, limits.perChat(), now);
    Bucket grp = !group || limits.perGroup() == null ? null : bucket(groupBuckets, chatId, limits.perGroup(), now);
    long globalWait = global == null ? 0 : global.nanosUntilToken(limits.global());
    long chatWait = Math.max(chat == null ? 0 : chat.nanosUntilToken(limits.perChat()),
        grp == null ? 0 : grp.nanosUntilToken(limits.perGroup()));
    if (globalWait > 0 || chatWait > 0) {
      rejections++;
      int retryAfter = 0;
      if (globalWait > 0) {
        int seconds = ceilSeconds(globalWait);
        globalLockedUntil = now + seconds * SECOND;
        retryAfter = seconds;
      }
      if (chatWait > 0) {
        int seconds = ceilSeconds(chatWait);
        chatLockedUntil.put(chatId, now + seconds * SECOND);
        retryAfter = Math.max(retryAfter, seconds);
      }
      return new Decision(retryAfter, false);
    }
    for (Bucket bucket : new Bucket[] {global, chat, grp}) {
      if (bucket != null) {
        bucket.tokens -= 1;
      }
    }
    allSends.add(now);
    sendsByChat.computeIfAbsent(chatId, id -> new ArrayList<>()).add(now);
    if (group) {
      groups.add(chatId);
    }
    return new Decision(0, false);
  }

  synchronized long violations() {
    return violations;
  }

  synchronized long rejections() {
    return rejections;
  }

  synchronized int maxInWindow(long chatId, Duration window) {
    return maxInWindow(sendsByChat.getOrDefault(chatId, List.of()), window.toNanos());
  }

  synchronized int maxPerChatInWindow(Duration window, boolean groupsOnly) {
    int max = 0;
    for (Map.Entry<Long, List<Long>> entry : sendsByChat.entrySet()) {
      if (!groupsOnly || groups.contains(entry.getKey())) {
        max = Math.max(max, maxInWindow(entry.getValue(), window.toNanos()));
      }
    }
    return max;
  }

  synchronized int maxGlobalInWindow(Duration window) {
    return maxInWindow(allSends, window.toNanos());
  }

  private Bucket globalBucket(long now) {
    if (globalBucket == null) {
      globalBucket = new Bucket(limits.global().burst(), now);
    }
    globalBucket.refill(limits.global(), now);
    return globalBucket;
  }

  private static Bucket bucket(Map<Long, Bucket> buckets, long chatId, Limits.Rate rate, long now) {
    Bucket bucket = buckets.computeIfAbsent(chatId, id -> new Bucket(rate.burst(), now));
    bucket.refill(rate, now);
    return bucket;
  }

  /** Sends fall in a window when their times differ by less than its length: a half-open {@code [t, t + w)}. */
  private static int maxInWindow(List<Long> times, long windowNanos) {
    int max = 0;
    int start = 0;
    for (int end = 0; end < times.size(); end++) {
      while (times.get(end) - times.get(start) >= windowNanos) {
        start++;
      }
      max = Math.max(max, end - start + 1);
    }
    return max;
  }

  private static int ceilSeconds(long nanos) {
    return (int) Math.max(1, (nanos + SECOND - 1) / SECOND);
  }
}
