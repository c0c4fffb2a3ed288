package dev.tgsupport.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class KnowledgeSettingsTest {
  private static KnowledgeSettings.Knowledge load(Map<String, String> env) {
    return KnowledgeSettings.load(BotSettings.load(env, null));
  }

  @Test
  void byDefaultTheBundledModelAnInProcessIndexAndBm25() {
    KnowledgeSettings.Knowledge k = load(Map.of());
    assertThat(k.qdrantUrl()).isNull();
    assertThat(k.embeddingUrl()).isNull();
    assertThat(k.lexical().value()).isEqualTo("bm25");
    assertThat(k.lexical().isDefault()).isTrue();
    assertThat(load(Map.of("TGSUPPORT_LEXICAL", "TFIDF")).lexical().value()).isEqualTo("tfidf");
  }

  @Test
  void badValuesNameTheVariableAndNeverShowAKey() {
    assertThatThrownBy(() -> load(Map.of("TGSUPPORT_LEXICAL", "lucene"))).isInstanceOf(UsageFailure.class)
        .hasMessage("TGSUPPORT_LEXICAL must be one of bm25, tfidf, postgres, was 'lucene'");
    assertThatThrownBy(() -> load(Map.of("QDRANT_API_KEY", "qk-s3cret"))).isInstanceOf(UsageFailure.class)
        .hasMessageStartingWith("QDRANT_API_KEY is set but QDRANT_URL is not").hasMessageNotContaining("qk-s3cret");
    assertThatThrownBy(() -> load(Map.of("QDRANT_URL", "qdrant:6334"))).isInstanceOf(UsageFailure.class)
        .hasMessageStartingWith("QDRANT_URL must be an http(s) URL");
    assertThatThrownBy(() -> load(Map.of("QDRANT_URL", "http://admin:pw-s3cret@qdrant:6334")))
        .hasMessageContaining("value not shown").hasMessageNotContaining("pw-s3cret");
    assertThatThrownBy(() -> load(Map.of("TGSUPPORT_EMBEDDING_URL", "http://ollama:11434")))
        .hasMessageStartingWith("TGSUPPORT_EMBEDDING_MODEL is not set, but TGSUPPORT_EMBEDDING_URL is");
    assertThatThrownBy(() -> load(Map.of("TGSUPPORT_EMBEDDING_API_KEY", "sk-s3cret")))
        .hasMessageStartingWith("TGSUPPORT_EMBEDDING_API_KEY is set but TGSUPPORT_EMBEDDING_URL is not")
        .hasMessageNotContaining("sk-s3cret");
  }
}
