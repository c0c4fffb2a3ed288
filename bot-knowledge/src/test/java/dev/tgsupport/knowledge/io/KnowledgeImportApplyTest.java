package dev.tgsupport.knowledge.io;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tgsupport.core.knowledge.KnowledgeBase;
import dev.tgsupport.core.memory.InMemoryStorage;
import dev.tgsupport.core.model.KnowledgeDraft;
import dev.tgsupport.core.model.KnowledgeEntry;
import dev.tgsupport.core.model.KnowledgeHit;
import dev.tgsupport.core.model.KnowledgeSource;
import dev.tgsupport.core.model.KnowledgeStatus;
import dev.tgsupport.core.text.LexicalKnowledgeRetriever;
import dev.tgsupport.knowledge.io.KnowledgeImport.Format;
import java.io.IOException;
import java.io.StringReader;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class KnowledgeImportApplyTest {
  private final InMemoryStorage storage = InMemoryStorage.create();
  private final LexicalKnowledgeRetriever retriever = LexicalKnowledgeRetriever.create();
  private final KnowledgeBase kb = new KnowledgeBase(storage, retriever, Clock.systemUTC());

  private static final String CSV = "question,answer,tags\n"
      + "How do I pay by card?,Open Billing and add a card.,billing\n"
      + "Как вернуть деньги?,Напишите в поддержку.,возврат;оплата\n"
      + ",orphan answer,\n";

  private static ParsedFile csv(String text) throws IOException {
    return KnowledgeImport.parse(new StringReader(text), Format.CSV);
  }

  private List<KnowledgeEntry> all() {
    List<KnowledgeEntry> out = new ArrayList<>();
    for (KnowledgeStatus s : KnowledgeStatus.values()) {
      out.addAll(kb.list(s));
    }
    return out;
  }

  @Test
  void aFirstImportStoresDraftsWithDetectedLanguagesAndCountsBadRowsAsFailed() throws IOException {
    ImportSummary s = KnowledgeImport.apply(kb, csv(CSV), false, KnowledgeImport.Progress.NONE);

    assertThat(s).hasToString("imported: 2, updated: 0, skipped: 0, failed: 1");
    assertThat(s.problems()).containsExactly(new ImportProblem(4, "blank question"));
    assertThat(kb.list(KnowledgeStatus.DRAFT)).extracting(KnowledgeEntry::question, KnowledgeEntry::language,
            KnowledgeEntry::tags, KnowledgeEntry::source)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("How do I pay by card?", "en", List.of("billing"),
                KnowledgeSource.MANUAL),
            org.assertj.core.groups.Tuple.tuple("Как вернуть деньги?", "ru", List.of("возврат", "оплата"),
                KnowledgeSource.MANUAL));
    assertThat(retriever.retrieve("pay by card", 5)).as("drafts do not answer users").isEmpty();
  }

  @Test
  void reImportingTheSameFileChangesNothing() throws IOException {
    KnowledgeImport.apply(kb, csv(CSV), true, KnowledgeImport.Progress.NONE);
    List<KnowledgeEntry> before = all();

    ImportSummary again = KnowledgeImport.apply(kb, csv(CSV), true, KnowledgeImport.Progress.NONE);

    assertThat(again).hasToString("imported: 0, updated: 0, skipped: 2, failed: 1");
    assertThat(all()).isEqualTo(before);
  }

  @Test
  void aValidatedImportAnswersUsersAtOnceThroughTheRetriever() throws IOException {
    KnowledgeImport.apply(kb, csv(CSV), true, KnowledgeImport.Progress.NONE);

    assertThat(kb.list(KnowledgeStatus.VALIDATED)).hasSize(2)
        .allSatisfy(e -> assertThat(e.validatedBy()).isEqualTo(KnowledgeImport.VALIDATOR));
    assertThat(retriever.retrieve("how do I pay by card", 1)).extracting(h -> h.entry().question())
        .containsExactly("How do I pay by card?");
  }

  @Test
  void aChangedAnswerUpdatesTheEntryFoundIgnoringCaseAndSpacingAndUnvalidatesIt() throws IOException {
    KnowledgeImport.apply(kb, csv(CSV), true, KnowledgeImport.Progress.NONE);
    long id = kb.findByQuestion("How do I pay by card?").orElseThrow().id();

    ImportSummary s = KnowledgeImport.apply(kb, csv("question,answer,tags\n"
        + "  how do I PAY   by card?  ,Cards are no longer accepted.,billing\n"
        + "Как вернуть деньги?,Напишите в поддержку.,возврат;оплата\n"), false, KnowledgeImport.Progress.NONE);

    assertThat(s).hasToString("imported: 0, updated: 1, skipped: 1, failed: 0");
    KnowledgeEntry e = kb.find(id).orElseThrow();
    assertThat(e.question()).as("the stored wording stays").isEqualTo("How do I pay by card?");
    assertThat(e.answer()).isEqualTo("Cards are no longer accepted.");
    assertThat(e.status()).as("a changed answer needs a new validation").isEqualTo(KnowledgeStatus.DRAFT);
    assertThat(e.validatedBy()).isNull();
    List<KnowledgeHit> hits = retriever.retrieve("pay by card", 5);
    assertThat(hits).as("the retriever heard that it no longer answers").isEmpty();
  }

  @Test
  void aChangedAnswerImportedAsValidatedStaysValidated() throws IOException {
    KnowledgeImport.apply(kb, csv(CSV), true, KnowledgeImport.Progress.NONE);

    ImportSummary s = KnowledgeImport.apply(kb, csv("question,answer\nHow do I pay by card?,Use Billing → Cards.\n"),
        true, KnowledgeImport.Progress.NONE);

    assertThat(s).hasToString("imported: 0, updated: 1, skipped: 0, failed: 0");
    KnowledgeEntry e = kb.findByQuestion("how do i pay by card?").orElseThrow();
    assertThat(e.status()).isEqualTo(KnowledgeStatus.VALIDATED);
    assertThat(e.answer()).isEqualTo("Use Billing → Cards.");
    assertThat(e.tags()).as("a file without tags keeps the entry's tags").containsExactly("billing");
    assertThat(retriever.retrieve("billing cards", 1)).extracting(h -> h.entry().answer())
        .containsExactly("Use Billing → Cards.");
  }

  @Test
  void changedTagsOrLanguageCountAsUpdatesAndAValidatedImportValidatesUnchangedDrafts() throws IOException {
    KnowledgeImport.apply(kb, csv(CSV), false, KnowledgeImport.Progress.NONE);

    ImportSummary tags = KnowledgeImport.apply(kb, csv("question,answer,tags,language\n"
        + "How do I pay by card?,Open Billing and add a card.,billing;cards,\n"
        + "Как вернуть деньги?,Напишите в поддержку.,возврат;оплата,uk\n"), false, KnowledgeImport.Progress.NONE);
    ImportSummary validated = KnowledgeImport.apply(kb, csv("question,answer\n"
        + "How do I pay by card?,Open Billing and add a card.\n"), true, KnowledgeImport.Progress.NONE);

    assertThat(tags).hasToString("imported: 0, updated: 2, skipped: 0, failed: 0");
    assertThat(kb.findByQuestion("How do I pay by card?").orElseThrow().tags()).containsExactly("billing", "cards");
    assertThat(kb.findByQuestion("Как вернуть деньги?").orElseThrow().language()).isEqualTo("uk");
    assertThat(validated).hasToString("imported: 0, updated: 1, skipped: 0, failed: 0");
    assertThat(kb.findByQuestion("How do I pay by card?").orElseThrow().isValidated()).isTrue();
  }

  @Test
  void anArchivedEntryIsNeverRevivedByAnImport() throws IOException {
    KnowledgeEntry old = kb.add(KnowledgeDraft.of("Old tariff?", "It was 10 €."), KnowledgeStatus.VALIDATED);
    kb.archive(old.id());

    ImportSummary same = KnowledgeImport.apply(kb, csv("question,answer\nOld tariff?,It was 10 €.\n"), true,
        KnowledgeImport.Progress.NONE);
    ImportSummary changed = KnowledgeImport.apply(kb, csv("question,answer\nOld tariff?,It was 12 €.\n"), true,
        KnowledgeImport.Progress.NONE);

    assertThat(same).hasToString("imported: 0, updated: 0, skipped: 1, failed: 0");
    assertThat(changed).hasToString("imported: 0, updated: 1, skipped: 0, failed: 0");
    assertThat(kb.find(old.id()).orElseThrow().status()).isEqualTo(KnowledgeStatus.ARCHIVED);
    assertThat(kb.find(old.id()).orElseThrow().answer()).isEqualTo("It was 12 €.");
  }

  @Test
  void progressIsToldAfterEveryRow() throws IOException {
    List<String> told = new ArrayList<>();

    KnowledgeImport.apply(kb, csv(CSV), false, (done, total) -> told.add(done + "/" + total));

    assertThat(told).containsExactly("1/2", "2/2");
  }
}
