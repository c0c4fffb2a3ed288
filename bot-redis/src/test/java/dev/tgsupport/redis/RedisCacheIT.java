package dev.tgsupport.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tgsupport.core.InvalidInputException;
import dev.tgsupport.core.port.Cache;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RedisCacheIT {
  /** An embedding, the kind of value the cache is for. */
  private static final RedisSupport.Codec<float[]> VECTOR = RedisSupport.Codec.of(
      v -> {
        StringBuilder s = new StringBuilder();
        for (float f : v) {
          s.append(s.isEmpty() ? "" : ",").append(f);
        }
        return s.toString();
      },
      s -> {
        String[] parts = s.split(",");
        float[] v = new float[parts.length];
        for (int i = 0; i < parts.length; i++) {
          v[i] = Float.parseFloat(parts[i]);
        }
        return v;
      });

  private String prefix;
  private RedisSupport redis;

  @BeforeEach
  void connect() {
    prefix = TestRedis.prefix(getClass());
    redis = TestRedis.builder(prefix).build();
  }

  @AfterEach
  void cleanUp() {
    assertThat(redis.isDegraded()).as("every call was answered by Redis").isFalse();
    redis.close();
    TestRedis.deleteKeys(prefix);
  }

  @Test
  void aValueIsReadBackThroughTheCodecUntilItsTtlRunsOut() {
    Cache<String, float[]> embeddings = redis.cache("embeddings", VECTOR);
    embeddings.put("how do I reset my password", new float[] {0.25f, -1.5f, 3f}, Duration.ofMillis(400));

    assertThat(embeddings.get("how do I reset my password")).hasValueSatisfying(
        v -> assertThat(v).containsExactly(0.25f, -1.5f, 3f));
    assertThat(TestRedis.raw().get(prefix + "cache:embeddings:how do I reset my password"))
        .isEqualTo("0.25,-1.5,3.0");

    RedisServerProcess.sleep(600);
    assertThat(embeddings.get("how do I reset my password")).isEmpty();
  }

  @Test
  void aMissIsEmptyAndInvalidateForgets() {
    Cache<String, String> answers = redis.cache("answers", RedisSupport.Codec.string());
    assertThat(answers.get("nothing here")).isEmpty();

    answers.put("q", "Настройки → Безопасность 🔐", Duration.ofMinutes(1));
    assertThat(answers.get("q")).hasValue("Настройки → Безопасность 🔐");
    answers.invalidate("q");
    assertThat(answers.get("q")).isEmpty();
    answers.invalidate("q");
  }

  @Test
  void aValueThatNoLongerDecodesIsAMiss() {
    TestRedis.raw().set(prefix + "cache:embeddings:old", "not,a,vector");
    assertThat(redis.cache("embeddings", VECTOR).get("old")).isEmpty();
  }

  @Test
  void namesSeparateCachesAndANameKeepsItsCodec() {
    Cache<String, String> a = redis.cache("a", RedisSupport.Codec.string());
    Cache<String, String> b = redis.cache("b", RedisSupport.Codec.string());
    a.put("k", "from a", Duration.ofMinutes(1));

    assertThat(b.get("k")).isEmpty();
    assertThat(redis.cache("embeddings", VECTOR)).isSameAs(redis.cache("embeddings", VECTOR));
    assertThat(redis.cache("a", RedisSupport.Codec.string())).isSameAs(a);
    assertThatThrownBy(() -> redis.cache("embeddings", RedisSupport.Codec.string()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("cache 'embeddings' exists already with another codec; create each cache once and share it");
    assertThatThrownBy(() -> redis.cache(" ", VECTOR)).hasMessage("cache name must not be blank, was blank");
  }

  @Test
  void invalidArgumentsAreRefusedNamingTheField() {
    Cache<String, String> answers = redis.cache("answers", RedisSupport.Codec.string());
    assertThatThrownBy(() -> answers.put("k", "v", Duration.ZERO))
        .isInstanceOf(InvalidInputException.class).hasMessage("ttl must be positive, was PT0S");
    assertThatThrownBy(() -> answers.put("k", null, Duration.ofMinutes(1)))
        .isInstanceOf(InvalidInputException.class).hasMessage("value must not be null");
    assertThatThrownBy(() -> answers.get(null))
        .isInstanceOf(InvalidInputException.class).hasMessage("key must not be null");
  }

  @Test
  void bigValuesRoundTrip() {
    float[] big = new float[1024];
    Arrays.fill(big, 0.125f);
    Cache<String, float[]> embeddings = redis.cache("embeddings", VECTOR);
    embeddings.put("big", big, Duration.ofMinutes(1));
    assertThat(embeddings.get("big")).hasValueSatisfying(v -> assertThat(v).hasSize(1024));
  }
}
