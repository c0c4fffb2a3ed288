package dev.tgsupport.core.memory;

import dev.tgsupport.core.contract.MutableClock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tgsupport.core.InvalidInputException;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class InMemoryCacheTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T10:00:00Z"));

  @Test
  void anEntryLivesForItsTimeToLive() {
    InMemoryCache<String, String> cache = InMemoryCache.create(10, clock);
    cache.put("k", "v", Duration.ofSeconds(30));

    clock.advance(Duration.ofSeconds(29));
    assertThat(cache.get("k")).contains("v");

    clock.advance(Duration.ofSeconds(1));
    assertThat(cache.get("k")).isEmpty();
  }

  @Test
  void putReplacesTheValueAndItsTimeToLive() {
    InMemoryCache<String, Integer> cache = InMemoryCache.create(10, clock);
    cache.put("k", 1, Duration.ofSeconds(10));
    clock.advance(Duration.ofSeconds(5));

    cache.put("k", 2, Duration.ofSeconds(10));
    clock.advance(Duration.ofSeconds(9));

    assertThat(cache.get("k")).contains(2);
  }

  @Test
  void aMissIsEmpty() {
    assertThat(InMemoryCache.<String, String>create(1, clock).get("absent")).isEmpty();
  }

  @Test
  void invalidateRemovesTheEntry() {
    InMemoryCache<String, String> cache = InMemoryCache.create(10, clock);
    cache.put("k", "v", Duration.ofMinutes(1));

    cache.invalidate("k");
    cache.invalidate("never-there");

    assertThat(cache.get("k")).isEmpty();
  }

  @Test
  void beyondMaxEntriesTheLeastRecentlyUsedIsEvicted() {
    InMemoryCache<String, String> cache = InMemoryCache.create(2, clock);
    cache.put("a", "1", Duration.ofMinutes(1));
    cache.put("b", "2", Duration.ofMinutes(1));
    assertThat(cache.get("a")).contains("1");

    cache.put("c", "3", Duration.ofMinutes(1));

    assertThat(cache.get("b")).isEmpty();
    assertThat(cache.get("a")).contains("1");
    assertThat(cache.get("c")).contains("3");
  }

  @Test
  void aVeryLongTimeToLiveNeverExpires() {
    InMemoryCache<String, String> cache = InMemoryCache.create(1, clock);
    cache.put("k", "v", Duration.ofSeconds(Long.MAX_VALUE));

    clock.advance(Duration.ofDays(365 * 100));

    assertThat(cache.get("k")).contains("v");
  }

  @Test
  void refusedArgumentsNameTheField() {
    InMemoryCache<String, String> cache = InMemoryCache.create(1, clock);

    assertThatThrownBy(() -> cache.put("k", "v", Duration.ZERO))
        .isInstanceOf(InvalidInputException.class).hasMessage("ttl must be positive, was PT0S");
    assertThatThrownBy(() -> cache.put("k", null, Duration.ofSeconds(1)))
        .isInstanceOf(InvalidInputException.class).hasMessage("value must not be null");
    assertThatThrownBy(() -> InMemoryCache.create(0)).hasMessage("maxEntries must be > 0, was 0");
  }
}
