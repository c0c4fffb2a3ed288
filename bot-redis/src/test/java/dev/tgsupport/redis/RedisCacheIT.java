package dev.tgsupport.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tgsupport.core.InvalidInputException;
import dev.tgsupport.core.port.Cache;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

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

  @RegisterExtension final RedisFixture fixture = new RedisFixture();

  @Test
  void aValueIsReadBackThroughTheCodecUntilItsTtlRunsOut() {
    Cache<String, float[]> embeddings = fixture.redis().cache("embeddings", VECTOR);
    embeddings.put("how do I reset my password", new float[] {0.25f, -1.5f, 3f}, Duration.ofMillis(400));

    assertThat(embeddings.get("how do I reset my password")).hasValueSatisfying(
        v -> assertThat(v).containsExactly(0.25f, -1.5f, 3f));
    assertThat(TestRedis.raw().get(fixture.prefix() + "cache:embeddings:how do I reset my password"))
        .isEqualTo("0.25,-1.5,3.0");

    RedisServerProcess.sleep(600);
    assertThat(embeddings.get("how do I reset my password")).isEmpty();
  }

  @Test
  void aMissIsEmptyAndInvalidateForgets() {
    Cache<String, String> answers = fixture.redis().cache("answers", RedisSupport.Codec.string());
    assertThat(answers.get("nothing here")).isEmpty();

    answers.put("q", "Настройки → Безопасность 🔐", Duration.ofMinutes(1));
    assertThat(answers.get("q")).hasValue("Настройки → Безопасность 🔐");
    answers.invalidate("q");
    assertThat(answers.get("q")).isEmpty();
    answers.invalidate("q");
  }

  @Test
  void aValueThatNoLongerDecodesIsAMiss() {
    TestRedis.raw().set(fixture.prefix() + "cache:embeddings:old", "not,a,vector");
    assertThat(fixture.redis().cache("embeddings", VECTOR).get("old")).isEmpty();
  }

  @Test
  void namesSeparateCachesAndANameKeepsItsCodec() {
    Cache<String, String> a = fixture.redis().cache("a", RedisSupport.Codec.string());
    Cache<String, String> b = fixture.redis().cache("b", RedisSupport.Codec.string());
    a.put("k", "from a", Duration.ofMinutes(1));

    assertThat(b.get("k")).isEmpty();
    assertThat(fixture.redis().cache("embeddings", VECTOR)).isSameAs(fixture.redis().cache("embeddings", VECTOR));
    assertThat(fixture.redis().cache("a", RedisSupport.Codec.string())).isSameAs(a);
    assertThatThrownBy(() -> fixture.redis().cache("embeddings", RedisSupport.Codec.string()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("cache 'embeddings' exists already with another codec; create each cache once and share it");
    assertThatThrownBy(() -> fixture.redis().cache(" ", VECTOR)).hasMessage("cache name must not be blank, was blank");
  }

  @Test
  void invalidArgumentsAreRefusedNamingTheField() {
    Cache<String, String> answers = fixture.redis().cache("answers", RedisSupport.Codec.string());
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
    Cache<String, float[]> embeddings = fixture.redis().cache("embeddings", VECTOR);
    embeddings.put("big", big, Duration.ofMinutes(1));
    assertThat(embeddings.get("big")).hasValueSatisfying(v -> assertThat(v).hasSize(1024));
  }
}
