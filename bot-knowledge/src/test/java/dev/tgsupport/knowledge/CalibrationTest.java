package dev.tgsupport.knowledge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tgsupport.core.InvalidInputException;
import dev.tgsupport.core.memory.InMemoryKnowledgeIndex;
import dev.tgsupport.core.model.KnowledgeEntry;
import dev.tgsupport.core.model.KnowledgeStatus;
import dev.tgsupport.core.text.Bm25KnowledgeRetriever;
import dev.tgsupport.core.text.HashingEmbedder;
import dev.tgsupport.core.text.LexicalKnowledgeRetriever;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CalibrationTest {
  private static final List<KnowledgeEntry> FAQ = List.of(
      HybridKnowledgeRetrieverTest.entry(1, "How do I reset my password?", "Link.", KnowledgeStatus.VALIDATED),
      HybridKnowledgeRetrieverTest.entry(2, "How do I export my data?", "Export.", KnowledgeStatus.VALIDATED),
      HybridKnowledgeRetrieverTest.entry(3, "How do I cancel my subscription?", "Cancel.", KnowledgeStatus.VALIDATED),
      HybridKnowledgeRetrieverTest.entry(4, "Как сбросить пароль?", "Ссылка.", KnowledgeStatus.VALIDATED),
      HybridKnowledgeRetrieverTest.entry(5, "Как отменить подписку?", "Отмена.", KnowledgeStatus.VALIDATED));

  private static HybridKnowledgeRetriever retriever() {
    HashingEmbedder e = HashingEmbedder.create();
    HybridKnowledgeRetriever r = HybridKnowledgeRetriever.builder().embedder(e)
        .index(InMemoryKnowledgeIndex.create(e.dimension())).build();
    r.reindex(FAQ);
    return r;
  }

  private static List<Calibration.Example> examples() {
    List<Calibration.Example> out = new ArrayList<>();
    out.add(new Calibration.Example("forgot my password", "How do I reset my password?"));
    out.add(new Calibration.Example("password reset please", "How do I reset my password?"));
    out.add(new Calibration.Example("download all my data", "How do I export my data?"));
    out.add(new Calibration.Example("export data to csv", "How do I export my data?"));
    out.add(new Calibration.Example("stop my subscription", "How do I cancel my subscription?"));
    out.add(new Calibration.Example("cancel the plan", "How do I cancel my subscription?"));
    out.add(new Calibration.Example("забыл пароль", "Как сбросить пароль?"));
    out.add(new Calibration.Example("отменить подписку сейчас", "Как отменить подписку?"));
    out.add(new Calibration.Example("is there a dark mode", ""));
    out.add(new Calibration.Example("how do I print a board", null));
    out.add(new Calibration.Example("есть ли тёмная тема", ""));
    return out;
  }

  @Test
  void fittingIsDeterministicAndRanksRightAnswersAboveWrongOnes() {
    Calibration a = Calibration.fit(retriever(), examples());
    Calibration b = Calibration.fit(retriever(), examples());
    assertThat(a).isEqualTo(b);
    assertThat(a.coefficients()).hasSize(Calibration.FEATURES.size());
    assertThat(a.coefficients().get(1)).as("lexical weight").isPositive();
    assertThat(a.rephraseThreshold()).isLessThan(a.answerThreshold());
    HybridKnowledgeRetriever r = HybridKnowledgeRetriever.builder().embedder(HashingEmbedder.create())
        .index(InMemoryKnowledgeIndex.create(HashingEmbedder.DEFAULT_DIMENSION)).calibration(a).build();
    r.reindex(FAQ);
    double right = r.retrieve("forgot my password", 1).get(0).score();
    double unrelated = r.retrieve("is there a dark mode", 1).stream().mapToDouble(h -> h.score()).max().orElse(0);
    assertThat(right).isGreaterThan(unrelated);
  }

  @Test
  void theDefaultsAreAValidCalibration() {
    Calibration d = Calibration.defaults();
    assertThat(d.answerThreshold()).isEqualTo(0.5);
    assertThat(d.rephraseThreshold()).isBetween(0.0, 0.5);
    assertThat(d.toString()).startsWith("Calibration{intercept=").contains("answerThreshold=0.50");
  }

  @Test
  void eachLexicalSideHasItsOwnShippedCalibration() {
    assertThat(Calibration.defaults(Calibration.TFIDF)).isSameAs(Calibration.defaults());
    assertThat(Calibration.defaults(Calibration.BM25)).isSameAs(Calibration.bm25Defaults());
    Calibration bm25 = Calibration.bm25Defaults();
    assertThat(bm25.coefficients()).hasSize(Calibration.FEATURES.size()).isNotEqualTo(Calibration.defaults()
        .coefficients());
    assertThat(bm25.coefficients().get(1)).as("lexical weight").isPositive();
    assertThat(bm25.answerThreshold()).isEqualTo(0.5);
    assertThat(bm25.rephraseThreshold()).isBetween(0.0, 0.5);
    assertThat(Calibration.defaults(Calibration.POSTGRES)).isSameAs(Calibration.postgresDefaults());
    assertThat(Calibration.postgresDefaults()).isNotEqualTo(bm25).isNotEqualTo(Calibration.defaults());
    assertThatThrownBy(() -> Calibration.defaults("lucene"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("lexical must be tfidf, bm25 or postgres, was 'lucene'");
    assertThatThrownBy(() -> Calibration.defaults(null))
        .isInstanceOf(InvalidInputException.class).hasMessageStartingWith("lexical");
  }

  @Test
  void theHybridRetrieverPairsTheShippedCalibrationWithItsLexicalSideUnlessGivenOne() {
    HashingEmbedder e = HashingEmbedder.create();
    HybridKnowledgeRetriever.Builder b = HybridKnowledgeRetriever.builder().embedder(e)
        .index(InMemoryKnowledgeIndex.create(e.dimension()));
    assertThat(b.build().calibration()).isSameAs(Calibration.defaults());
    assertThat(b.lexical(LexicalKnowledgeRetriever.create()).build().calibration()).isSameAs(Calibration.defaults());
    assertThat(b.lexical(Bm25KnowledgeRetriever.create()).build().calibration())
        .isSameAs(Calibration.bm25Defaults());
    Calibration own = Calibration.fit(retriever(), examples());
    assertThat(b.calibration(own).build().calibration()).isSameAs(own);
  }

  @Test
  void aHybridWithBm25FindsAndRejectsLikeTheDefault() {
    HashingEmbedder e = HashingEmbedder.create();
    HybridKnowledgeRetriever r = HybridKnowledgeRetriever.builder().embedder(e)
        .index(InMemoryKnowledgeIndex.create(e.dimension())).lexical(Bm25KnowledgeRetriever.create()).build();
    r.reindex(FAQ);
    assertThat(r.retrieve("How do I reset my password?", 1).get(0).entry().id()).isEqualTo(1L);
    assertThat(r.retrieve("How do I reset my password?", 1).get(0).score())
        .isGreaterThanOrEqualTo(r.calibration().answerThreshold());
    assertThat(r.retrieve("как отменить подписку", 1).get(0).entry().id()).isEqualTo(5L);
    assertThat(r.retrieve("is there a dark mode", 1)).allSatisfy(
        h -> assertThat(h.score()).isLessThan(r.calibration().answerThreshold()));
  }

  @Test
  void badValuesAreRefusedNamingTheField() {
    assertThatThrownBy(() -> new Calibration(List.of(1.0), 0.5, 0.2))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith("coefficients must have 7 values");
    List<Double> seven = List.of(0.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0);
    assertThatThrownBy(() -> new Calibration(seven, 0.5, 0.5))
        .hasMessage("rephraseThreshold must be in (0, answerThreshold 0.5), was 0.5");
    assertThatThrownBy(() -> new Calibration(seven, 1.5, 0.2))
        .hasMessage("answerThreshold must be in (0, 1], was 1.5");
    assertThatThrownBy(() -> Calibration.fit(retriever(), List.of(new Calibration.Example("dark mode", null))))
        .isInstanceOf(InvalidInputException.class).hasMessageStartingWith("examples a calibration needs right");
  }
}
