package dev.tgsupport.kaiten.fake;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Kaiten's limit as the headers describe it: a count per token per UTC second, reset at the next whole second
 * ({@code X-RateLimit-Reset} is "UTC epoch when the limit will be reset"). Also keeps what tests assert on: 429s,
 * violations (requests sent while the token had been told to wait) and every arrival time.
 */
final class RateWindow {

  /** The verdict for one request. {@code resetEpochSecond} is the next whole second. */
  record Verdict(boolean allowed, int remaining, long resetEpochSecond, boolean limited) {}

  private static final class TokenState {
    long second = Long.MIN_VALUE;
    int count;
    long blockedUntilMillis;
    final List<Long> arrivals = new ArrayList<>();
  }

  private final Map<String, TokenState> tokens = new HashMap<>();
  private int limit;
  private long http429;
  private long violations;

  RateWindow(int limit) {
    this.limit = limit;
  }

  synchronized void limit(int limit) {
    this.limit = limit;
  }

  synchronized int limit() {
    return limit;
  }

  /** Counts the request against its token's second; a rejected request does not use up the window. */
  synchronized Verdict admit(String token, long nowMillis) {
    TokenState state = tokens.computeIfAbsent(token, t -> new TokenState());
    state.arrivals.add(nowMillis);
    if (nowMillis < state.blockedUntilMillis) {
      violations++;
    }
    long second = Math.floorDiv(nowMillis, 1000);
    if (second != state.second) {
      state.second = second;
      state.count = 0;
    }
    if (limit <= 0) {
      return new Verdict(true, Integer.MAX_VALUE, second + 1, false);
    }
    if (state.count >= limit) {
      return new Verdict(false, 0, second + 1, true);
    }
    state.count++;
    return new Verdict(true, limit - state.count, second + 1, true);
  }

  /** A 429 went out telling the token to wait until then; earlier requests are violations. */
  synchronized void toldToWait(String token, long untilMillis) {
    http429++;
    TokenState state = tokens.computeIfAbsent(token, t -> new TokenState());
    state.blockedUntilMillis = Math.max(state.blockedUntilMillis, untilMillis);
  }

  synchronized long http429() {
    return http429;
  }

  synchronized long violations() {
    return violations;
  }

  /** The most requests one token sent within any 1000 ms (a sliding window over arrivals). */
  synchronized int maxPerSecond() {
    int max = 0;
    for (TokenState state : tokens.values()) {
      List<Long> a = new ArrayList<>(state.arrivals);
      a.sort(null);
      int from = 0;
      for (int to = 0; to < a.size(); to++) {
        while (a.get(to) - a.get(from) >= 1000) {
          from++;
        }
        max = Math.max(max, to - from + 1);
      }
    }
    return max;
  }

  /** The most requests one token sent within one UTC second, the window Kaiten's limit resets on. */
  synchronized int maxPerEpochSecond() {
    int max = 0;
    for (TokenState state : tokens.values()) {
      Map<Long, Integer> perSecond = new HashMap<>();
      for (long at : state.arrivals) {
        max = Math.max(max, perSecond.merge(Math.floorDiv(at, 1000), 1, Integer::sum));
      }
    }
    return max;
  }

  synchronized void reset() {
    tokens.clear();
    http429 = 0;
    violations = 0;
  }
}
