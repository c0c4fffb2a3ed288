package dev.tgsupport.core.text;

import static dev.tgsupport.core.text.LexicalKnowledgeRetriever.RECOMMENDED_THRESHOLD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tgsupport.core.model.KnowledgeEntry;
import dev.tgsupport.core.model.KnowledgeHit;
import dev.tgsupport.core.model.KnowledgeStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class LexicalKnowledgeRetrieverTest {
  private final LexicalKnowledgeRetriever retriever = LexicalKnowledgeRetriever.of(SupportFaq.all());

  static java.util.stream.Stream<SupportFaq.Paraphrase> paraphrases() {
    return SupportFaq.PARAPHRASES.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("paraphrases")
  void englishAndRussianParaphrasesFindTheirEntryFirstAboveTheThreshold(SupportFaq.Paraphrase p) {
    assertTopHit(p.query(), p.expectedId());
  }

  private void assertTopHit(String query, long expectedId) {
    List<KnowledgeHit> hits = retriever.retrieve(query, 3);
    assertThat(hits).as(query).isNotEmpty();
    assertThat(hits.get(0).entry().id()).as("%s → %s", query, hits).isEqualTo(expectedId);
    assertThat(hits.get(0).score()).as(query).isGreaterThanOrEqualTo(RECOMMENDED_THRESHOLD);
  }

  static java.util.stream.Stream<String> unrelated() {
    return SupportFaq.UNRELATED.stream();
  }

  @ParameterizedTest
  @MethodSource("unrelated")
  void unrelatedQuestionsAboutTheSameProductStayBelowTheThreshold(String query) {
    List<KnowledgeHit> hits = retriever.retrieve(query, 1);
    double top = hits.isEmpty() ? 0 : hits.get(0).score();
    assertThat(top).as("%s → %s", query, hits).isLessThan(RECOMMENDED_THRESHOLD);
  }

  @Test
  void everyExactQuestionScoresAtLeastPointNine() {
    for (KnowledgeEntry e : SupportFaq.validated()) {
      List<KnowledgeHit> hits = retriever.retrieve(e.question(), 1);
      assertThat(hits.get(0).entry()).as(e.question()).isEqualTo(e);
      assertThat(hits.get(0).score()).as(e.question()).isGreaterThanOrEqualTo(0.9).isLessThanOrEqualTo(1.0);
    }
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
    LexicalKnowledgeRetriever r = LexicalKnowledgeRetriever.create();
    assertThat(r.retrieve("merge two workspaces", 5)).isEmpty();

    KnowledgeEntry draft = SupportFaq.notValidated().get(0);
    r.entryChanged(draft);
    assertThat(r.retrieve("merge two workspaces", 5)).isEmpty();

    KnowledgeEntry validated = SupportFaq.entry(draft.id(), draft.question(), "Settings → Workspaces → Merge.",
        KnowledgeStatus.VALIDATED, "en", List.of());
    r.entryChanged(validated);
    assertThat(r.retrieve("merge two workspaces", 5)).singleElement()
        .satisfies(h -> assertThat(h.entry()).isEqualTo(validated));

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
    LexicalKnowledgeRetriever r = LexicalKnowledgeRetriever.of(SupportFaq.validated().subList(0, 2));
    r.reindex(List.of(SupportFaq.validated().get(4), SupportFaq.notValidated().get(0)));
    assertThat(r.size()).isEqualTo(1);
    assertThat(r.retrieve("How do I reset my password?", 5)).isEmpty();
    assertThat(r.retrieve("export data", 5)).extracting(h -> h.entry().id()).containsExactly(SupportFaq.EXPORT_DATA);
  }

  @Test
  void hitsComeBestFirstWithEqualScoresByIdAndRespectTheLimit() {
    List<KnowledgeEntry> twins = List.of(
        SupportFaq.entry(9, "How do I pay?", "a", KnowledgeStatus.VALIDATED, "en", List.of()),
        SupportFaq.entry(4, "How do I pay?", "a", KnowledgeStatus.VALIDATED, "en", List.of()),
        SupportFaq.entry(6, "How do I pay by card?", "b", KnowledgeStatus.VALIDATED, "en", List.of()));
    LexicalKnowledgeRetriever r = LexicalKnowledgeRetriever.of(twins);
    assertThat(r.retrieve("pay", 10)).extracting(h -> h.entry().id()).containsExactly(4L, 9L, 6L);
    assertThat(r.retrieve("pay", 2)).extracting(h -> h.entry().id()).containsExactly(4L, 9L);
    List<KnowledgeHit> all = retriever.retrieve("How do I change my subscription plan or cancel it?", 100);
    assertThat(all).isSortedAccordingTo((a, b) -> Double.compare(b.score(), a.score()));
    assertThat(all).allSatisfy(h -> assertThat(h.score()).isGreaterThan(0.0).isLessThanOrEqualTo(1.0));
  }

  @Test
  void aSingleEntryAnswersAParaphrase() {
    LexicalKnowledgeRetriever r = LexicalKnowledgeRetriever.of(List.of(
        SupportFaq.entry(1, "How do I reset my password?", "Settings → Security.", KnowledgeStatus.VALIDATED, "en",
            List.of())));
    List<KnowledgeHit> hits = r.retrieve("I forgot my password, how can I reset it?", 1);
    assertThat(hits).singleElement().satisfies(h -> assertThat(h.score()).isGreaterThan(RECOMMENDED_THRESHOLD));
    assertThat(r.retrieve("How do I reset my password?", 1).get(0).score()).isGreaterThanOrEqualTo(0.9);
  }

  @Test
  void queriesWithoutWordsOrMatchesFindNothing() {
    assertThat(retriever.retrieve("", 5)).isEmpty();
    assertThat(retriever.retrieve("?!👍", 5)).isEmpty();
    assertThat(retriever.retrieve("\uD800\u0000", 5)).isEmpty();
    assertThat(retriever.retrieve("zzzzqqq", 5)).isEmpty();
    assertThat(LexicalKnowledgeRetriever.create().retrieve("How do I reset my password?", 5)).isEmpty();
  }

  @Test
  void hugeAndOddQueriesDoNotThrow() {
    assertThat(retriever.retrieve("password ".repeat(12_000), 3)).isNotEmpty();
    assertThat(retriever.retrieve("x".repeat(100_000), 3)).isEmpty();
    assertThat(retriever.retrieve("паро\u0301ль\u0000сбросить", 3)).extracting(h -> h.entry().id())
        .startsWith(SupportFaq.RESET_PASSWORD_RU);
  }

  @Test
  void invalidArgumentsAreRejected() {
    assertThatThrownBy(() -> retriever.retrieve("x", 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("limit must be > 0, was 0");
    assertThatThrownBy(() -> retriever.retrieve(null, 1)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void retrievalOverAThousandEntriesTakesWellUnderFiveMilliseconds() {
    List<KnowledgeEntry> many = new ArrayList<>();
    List<KnowledgeEntry> base = SupportFaq.validated();
    for (int i = 0; i < 1_000; i++) {
      KnowledgeEntry b = base.get(i % base.size());
      many.add(SupportFaq.entry(i + 1, b.question() + " (variant " + i + " topic" + (i % 97) + ")",
          b.answer(), KnowledgeStatus.VALIDATED, b.language(), b.tags()));
    }
    LexicalKnowledgeRetriever r = LexicalKnowledgeRetriever.of(many);
    List<String> queries = List.of("I forgot my password, how can I reset it?", "не могу сбросить пороль",
        "how to delte my acount", "оплата подписки картой", "Do you have a mobile app for Android?");
    for (int i = 0; i < 200; i++) {
      r.retrieve(queries.get(i % queries.size()), 5);
    }
    int rounds = 500;
    long start = System.nanoTime();
    for (int i = 0; i < rounds; i++) {
      r.retrieve(queries.get(i % queries.size()), 5);
    }
    double millis = (System.nanoTime() - start) / 1e6 / rounds;
    assertThat(millis).as("ms per query").isLessThan(5.0);
  }

  @Test
  void concurrentReadsAndWritesAreSafe() throws Exception {
    LexicalKnowledgeRetriever r = LexicalKnowledgeRetriever.of(SupportFaq.validated());
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int i = 0; i < 400; i++) {
        int n = i;
        futures.add(pool.submit(() -> {
          if (n % 4 == 0) {
            KnowledgeEntry e = SupportFaq.validated().get(n % 31);
            r.entryChanged(e);
          }
          List<KnowledgeHit> hits = r.retrieve("How do I reset my password?", 1);
          assertThat(hits.get(0).entry().id()).isEqualTo(SupportFaq.RESET_PASSWORD);
        }));
      }
      for (Future<?> f : futures) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }
  }
}
