package dev.tgsupport.core.text;

import static dev.tgsupport.core.text.Bm25KnowledgeRetriever.RECOMMENDED_THRESHOLD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tgsupport.core.InvalidInputException;
import dev.tgsupport.core.model.KnowledgeEntry;
import dev.tgsupport.core.model.KnowledgeHit;
import dev.tgsupport.core.model.KnowledgeStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class Bm25KnowledgeRetrieverTest {
  private final Bm25KnowledgeRetriever retriever = Bm25KnowledgeRetriever.of(SupportFaq.all());

  private static KnowledgeEntry validated(long id, String question, String answer, String... tags) {
    return SupportFaq.entry(id, question, answer, KnowledgeStatus.VALIDATED, "en", List.of(tags));
  }

  static Stream<SupportFaq.Paraphrase> paraphrases() {
    return SupportFaq.PARAPHRASES.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("paraphrases")
  void englishAndRussianParaphrasesFindTheirEntryFirst(SupportFaq.Paraphrase p) {
    List<KnowledgeHit> hits = retriever.retrieve(p.query(), 3);
    assertThat(hits).as(p.query()).isNotEmpty();
    assertThat(hits.get(0).entry().id()).as("%s → %s", p.query(), hits).isEqualTo(p.expectedId());
  }

  @Test
  void mostParaphrasesPassTheRecommendedThresholdAndMostUnrelatedQuestionsDoNot() {
    long passed = SupportFaq.PARAPHRASES.stream()
        .filter(p -> retriever.retrieve(p.query(), 1).get(0).score() >= RECOMMENDED_THRESHOLD).count();
    long rejected = SupportFaq.UNRELATED.stream().filter(q -> {
      List<KnowledgeHit> hits = retriever.retrieve(q, 1);
      return hits.isEmpty() || hits.get(0).score() < RECOMMENDED_THRESHOLD;
    }).count();
    assertThat(passed).isGreaterThanOrEqualTo(SupportFaq.PARAPHRASES.size() * 8L / 10);
    assertThat(rejected).isGreaterThanOrEqualTo(SupportFaq.UNRELATED.size() * 8L / 10);
  }

  @Test
  void everyExactQuestionFindsItsEntryFirstWithAScoreOfAtLeastPointEightFive() {
    for (KnowledgeEntry e : SupportFaq.validated()) {
      List<KnowledgeHit> hits = retriever.retrieve(e.question(), 1);
      assertThat(hits.get(0).entry()).as(e.question()).isEqualTo(e);
      assertThat(hits.get(0).score()).as(e.question()).isBetween(0.85, 1.0);
    }
  }

  @Test
  void englishWordFormsMeetOnTheirStem() {
    Bm25KnowledgeRetriever r = Bm25KnowledgeRetriever.of(List.of(
        validated(1, "How do I export my projects?", "Settings → Export."),
        validated(2, "How do I invite colleagues?", "Settings → Members.")));
    assertThat(r.retrieve("exporting project", 2)).extracting(h -> h.entry().id()).containsExactly(1L);
    assertThat(r.retrieve("inviting a colleague", 2)).extracting(h -> h.entry().id()).containsExactly(2L);
  }

  @Test
  void russianWordFormsMeetOnTheirStem() {
    Bm25KnowledgeRetriever r = Bm25KnowledgeRetriever.of(List.of(
        SupportFaq.entry(1, "Как выгрузить проекты?", "Настройки → Экспорт.", KnowledgeStatus.VALIDATED, "ru",
            List.of()),
        SupportFaq.entry(2, "Как пригласить коллег?", "Настройки → Участники.", KnowledgeStatus.VALIDATED, "ru",
            List.of())));
    assertThat(r.retrieve("выгрузка проекта", 2)).extracting(h -> h.entry().id()).containsExactly(1L);
    assertThat(r.retrieve("приглашаю коллегу", 2)).extracting(h -> h.entry().id()).containsExactly(2L);
  }

  @Test
  void theQuestionOutweighsTheAnswerAndRareTermsOutweighCommonOnes() {
    Bm25KnowledgeRetriever r = Bm25KnowledgeRetriever.of(List.of(
        validated(1, "How do I archive a project?", "Open the project menu and pick Archive; export it first."),
        validated(2, "How do I export a project?", "Open the project menu and pick Export."),
        validated(3, "How do I rename a project?", "Open the project menu and pick Rename.")));
    assertThat(r.retrieve("export", 3)).extracting(h -> h.entry().id()).containsExactly(2L, 1L);
    List<KnowledgeHit> hits = r.retrieve("archive project", 3);
    assertThat(hits.get(0).entry().id()).isEqualTo(1L);
    assertThat(hits.get(0).score()).isGreaterThan(2 * hits.get(1).score());
  }

  @Test
  void wordsTheIndexNeverSawLowerTheScoreSoScoresDoNotGrowWithTheQuery() {
    Bm25KnowledgeRetriever r = Bm25KnowledgeRetriever.of(List.of(
        validated(1, "How do I export my data?", "Settings → Export."),
        validated(2, "How do I delete my account?", "Settings → Account → Delete.")));
    double exact = r.retrieve("export data", 1).get(0).score();
    double diluted = r.retrieve("export data before the quarterly audit deadline", 1).get(0).score();
    double repeated = r.retrieve("export data export data export data", 1).get(0).score();
    assertThat(exact).isGreaterThan(0.85);
    assertThat(diluted).isLessThan(exact / 2);
    assertThat(repeated).isEqualTo(exact, org.assertj.core.data.Offset.offset(1e-9));
  }

  @Test
  void aTypoInALongWordIsForgivenAtAReducedWeight() {
    double right = retriever.retrieve("delete account", 1).get(0).score();
    List<KnowledgeHit> typo = retriever.retrieve("delete acount", 1);
    assertThat(typo.get(0).entry().id()).isEqualTo(SupportFaq.validated().stream()
        .filter(e -> e.question().equals(retriever.retrieve("delete account", 1).get(0).entry().question()))
        .findFirst().orElseThrow().id());
    assertThat(typo.get(0).score()).isLessThan(right).isGreaterThan(right / 2);
  }

  @Test
  void draftAndArchivedEntriesAreNeverReturned() {
    assertThat(retriever.size()).isEqualTo(SupportFaq.validated().size());
    for (KnowledgeEntry e : SupportFaq.notValidated()) {
      assertThat(retriever.retrieve(e.question(), 50)).as(e.question())
          .extracting(h -> h.entry().id()).doesNotContain(e.id());
    }
  }

  @Test
  void entryChangedIndexesValidatedEntriesAndRemovesDraftOrArchivedOnes() {
    Bm25KnowledgeRetriever r = Bm25KnowledgeRetriever.create();
    assertThat(r.retrieve("merge two workspaces", 5)).isEmpty();

    KnowledgeEntry draft = SupportFaq.notValidated().get(0);
    r.entryChanged(draft);
    assertThat(r.retrieve("merge two workspaces", 5)).isEmpty();
    assertThat(r.size()).isZero();

    KnowledgeEntry valid = SupportFaq.entry(draft.id(), draft.question(), "Settings → Workspaces → Merge.",
        KnowledgeStatus.VALIDATED, "en", List.of());
    r.entryChanged(valid);
    assertThat(r.retrieve("merge two workspaces", 5)).singleElement()
        .satisfies(h -> assertThat(h.entry()).isEqualTo(valid));

    KnowledgeEntry edited = SupportFaq.entry(draft.id(), "How do I combine workspaces?", "New answer.",
        KnowledgeStatus.VALIDATED, "en", List.of());
    r.entryChanged(edited);
    assertThat(r.retrieve("combine workspaces", 5)).singleElement()
        .satisfies(h -> assertThat(h.entry().answer()).isEqualTo("New answer."));

    r.entryChanged(SupportFaq.entry(draft.id(), draft.question(), "x", KnowledgeStatus.ARCHIVED, "en", List.of()));
    assertThat(r.retrieve("combine workspaces", 5)).isEmpty();
    assertThat(r.size()).isZero();
  }

  @Test
  void reindexReplacesEverythingAndSkipsEntriesThatAreNotValidated() {
    Bm25KnowledgeRetriever r = Bm25KnowledgeRetriever.of(SupportFaq.validated().subList(0, 2));
    r.reindex(List.of(SupportFaq.validated().get(4), SupportFaq.notValidated().get(0)));
    assertThat(r.size()).isEqualTo(1);
    assertThat(r.retrieve("How do I reset my password?", 5)).isEmpty();
    assertThat(r.retrieve("export data", 5)).extracting(h -> h.entry().id()).containsExactly(SupportFaq.EXPORT_DATA);
  }

  @Test
  void hitsComeBestFirstWithEqualScoresByIdWithinTheLimitAndInZeroToOne() {
    Bm25KnowledgeRetriever r = Bm25KnowledgeRetriever.of(List.of(
        validated(9, "How do I pay?", "a"), validated(4, "How do I pay?", "a"), validated(6, "How do I pay by card?",
            "b")));
    assertThat(r.retrieve("pay", 10)).extracting(h -> h.entry().id()).containsExactly(4L, 9L, 6L);
    assertThat(r.retrieve("pay", 2)).extracting(h -> h.entry().id()).containsExactly(4L, 9L);
    List<KnowledgeHit> all = retriever.retrieve("How do I change my subscription plan or cancel it?", 100);
    assertThat(all).hasSizeGreaterThan(2).isSortedAccordingTo((a, b) -> Double.compare(b.score(), a.score()));
    assertThat(all).allSatisfy(h -> assertThat(h.score()).isGreaterThan(0.0).isLessThanOrEqualTo(1.0));
  }

  @Test
  void anEmptyIndexAndQueriesWithoutWordsOrMatchesFindNothing() {
    assertThat(Bm25KnowledgeRetriever.create().retrieve("How do I reset my password?", 5)).isEmpty();
    assertThat(Bm25KnowledgeRetriever.of(List.of()).retrieve("password", 5)).isEmpty();
    assertThat(retriever.retrieve("", 5)).isEmpty();
    assertThat(retriever.retrieve("?!👍", 5)).isEmpty();
    assertThat(retriever.retrieve("\uD800\u0000", 5)).isEmpty();
    assertThat(retriever.retrieve("zzzzqqq", 5)).isEmpty();
    assertThat(retriever.retrieve("password ".repeat(12_000), 3)).isNotEmpty();
    assertThat(retriever.retrieve("x".repeat(100_000), 3)).isEmpty();
  }

  @Test
  void invalidArgumentsAreRejectedNamingTheField() {
    assertThatThrownBy(() -> retriever.retrieve("x", 0))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("limit").hasMessageContaining("was 0");
    assertThatThrownBy(() -> retriever.retrieve(null, 1))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("query");
    assertThatThrownBy(() -> retriever.entryChanged(null))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("entry");
  }

  @Test
  void concurrentQueriesAndChangesNeitherFailNorSeeHalfBuiltIndexes() throws Exception {
    Bm25KnowledgeRetriever r = Bm25KnowledgeRetriever.of(SupportFaq.validated());
    KnowledgeEntry extra = validated(1_000, "How do I merge two workspaces?", "Settings → Merge.");
    long reset = r.retrieve("How do I reset my password?", 1).get(0).entry().id();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    CountDownLatch start = new CountDownLatch(1);
    try {
      List<Future<?>> futures = new ArrayList<>();
      futures.add(pool.submit(() -> {
        start.await();
        for (int i = 0; i < 300; i++) {
          r.entryChanged(extra);
          r.entryChanged(SupportFaq.entry(1_000, extra.question(), "x", KnowledgeStatus.ARCHIVED, "en", List.of()));
        }
        return null;
      }));
      for (int t = 0; t < 3; t++) {
        futures.add(pool.submit(() -> {
          start.await();
          for (int i = 0; i < 300; i++) {
            assertThat(r.retrieve("How do I reset my password?", 1).get(0).entry().id()).isEqualTo(reset);
            assertThat(r.retrieve("merge workspaces", 5)).allSatisfy(h -> assertThat(h.entry()).isEqualTo(extra));
          }
          return null;
        }));
      }
      start.countDown();
      for (Future<?> f : futures) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(r.size()).isEqualTo(SupportFaq.validated().size());
  }

  @Test
  void toStringShowsOnlyTheSize() {
    assertThat(retriever).hasToString("Bm25KnowledgeRetriever{entries=" + SupportFaq.validated().size() + "}");
  }
}
