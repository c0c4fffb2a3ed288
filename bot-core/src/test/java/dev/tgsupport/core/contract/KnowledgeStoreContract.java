package dev.tgsupport.core.contract;

import static dev.tgsupport.core.contract.Fixtures.EMOJI;
import static dev.tgsupport.core.contract.Fixtures.RUSSIAN;
import static dev.tgsupport.core.contract.Fixtures.SQL_INJECTION;
import static dev.tgsupport.core.contract.Fixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tgsupport.core.NotFoundException;
import dev.tgsupport.core.model.KnowledgeDraft;
import dev.tgsupport.core.model.KnowledgeEntry;
import dev.tgsupport.core.model.KnowledgeSource;
import dev.tgsupport.core.model.KnowledgeStatus;
import dev.tgsupport.core.port.Stores;
import dev.tgsupport.core.port.Transactions;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The behaviour of {@link dev.tgsupport.core.port.KnowledgeStore} every storage must have: the lifecycle draft →
 * validated → archived and the lists by status. Extend it and return a fresh, empty storage from
 * {@link #transactions()} for each test.
 */
public abstract class KnowledgeStoreContract {
  /** A fresh, empty storage for the current test. */
  protected abstract Transactions transactions();

  private KnowledgeEntry add(KnowledgeDraft draft, KnowledgeStatus status) {
    return transactions().inTransaction(s -> s.knowledge().add(draft, status));
  }

  private KnowledgeEntry find(long id) {
    return transactions().inTransaction(s -> s.knowledge().find(id)).orElseThrow();
  }

  private List<KnowledgeEntry> list(KnowledgeStatus status) {
    return transactions().inTransaction(s -> s.knowledge().list(status));
  }

  private static KnowledgeDraft draft(String question) {
    return KnowledgeDraft.of(question, "Answer to: " + question);
  }

  @Test
  void addingADraftStoresEveryFieldWithoutValidation() {
    KnowledgeDraft d = new KnowledgeDraft(
        "How do I reset 2FA?", "Open Settings → Security.", List.of("2fa", "security"), KnowledgeSource.DOCS, "en");

    KnowledgeEntry e = add(d, KnowledgeStatus.DRAFT);

    assertThat(e.id()).isPositive();
    assertThat(e.question()).isEqualTo("How do I reset 2FA?");
    assertThat(e.answer()).isEqualTo("Open Settings → Security.");
    assertThat(e.tags()).containsExactly("2fa", "security");
    assertThat(e.source()).isEqualTo(KnowledgeSource.DOCS);
    assertThat(e.status()).isEqualTo(KnowledgeStatus.DRAFT);
    assertThat(e.language()).isEqualTo("en");
    assertThat(e.validatedBy()).isNull();
    assertThat(e.validatedAt()).isNull();
    assertThat(e.createdAt()).isNotNull();
    assertThat(find(e.id())).isEqualTo(e);
  }

  @Test
  void anEntryAddedAsValidatedRecordsTheImportAsValidator() {
    KnowledgeEntry e = add(draft("Where is my invoice?"), KnowledgeStatus.VALIDATED);

    assertThat(e.isValidated()).isTrue();
    assertThat(e.validatedBy()).isEqualTo("import");
    assertThat(e.validatedAt()).isNotNull();
    assertThat(e.language()).isNull();
  }

  @Test
  void anUnknownEntryIsNotFound() {
    assertThat(transactions().inTransaction((Stores s) -> s.knowledge().find(404))).isEmpty();
  }

  @Test
  void listReturnsTheEntriesOfOneStatusInIdOrder() {
    KnowledgeEntry d1 = add(draft("d1"), KnowledgeStatus.DRAFT);
    KnowledgeEntry v1 = add(draft("v1"), KnowledgeStatus.VALIDATED);
    KnowledgeEntry d2 = add(draft("d2"), KnowledgeStatus.DRAFT);
    KnowledgeEntry a1 = add(draft("a1"), KnowledgeStatus.ARCHIVED);
    KnowledgeEntry v2 = add(draft("v2"), KnowledgeStatus.VALIDATED);

    assertThat(list(KnowledgeStatus.DRAFT)).containsExactly(d1, d2);
    assertThat(list(KnowledgeStatus.VALIDATED)).containsExactly(v1, v2);
    assertThat(list(KnowledgeStatus.ARCHIVED)).containsExactly(a1);
  }

  @Test
  void validatingADraftRecordsWhoAndWhenAndMovesItToTheValidatedList() {
    KnowledgeEntry d = add(draft("How to pay by card?"), KnowledgeStatus.DRAFT);
    Instant at = T0.plusSeconds(30);

    KnowledgeEntry v = transactions().inTransaction(s -> s.knowledge().validate(d.id(), "anna", at));

    assertThat(v.status()).isEqualTo(KnowledgeStatus.VALIDATED);
    assertThat(v.validatedBy()).isEqualTo("anna");
    assertThat(v.validatedAt()).isEqualTo(at);
    assertThat(v.question()).isEqualTo(d.question());
    assertThat(v.createdAt()).isEqualTo(d.createdAt());
    assertThat(find(d.id())).isEqualTo(v);
    assertThat(list(KnowledgeStatus.DRAFT)).isEmpty();
    assertThat(list(KnowledgeStatus.VALIDATED)).containsExactly(v);
  }

  @Test
  void archivingAValidatedEntryTakesItOutOfTheValidatedList() {
    KnowledgeEntry d = add(draft("Old tariff"), KnowledgeStatus.DRAFT);
    transactions().inTransaction(s -> s.knowledge().validate(d.id(), "anna", T0));

    KnowledgeEntry archived = transactions().inTransaction(s -> s.knowledge().archive(d.id()));

    assertThat(archived.status()).isEqualTo(KnowledgeStatus.ARCHIVED);
    assertThat(archived.isValidated()).isFalse();
    assertThat(find(d.id())).isEqualTo(archived);
    assertThat(list(KnowledgeStatus.VALIDATED)).isEmpty();
    assertThat(list(KnowledgeStatus.ARCHIVED)).containsExactly(archived);
  }

  @Test
  void validatingOrArchivingAnUnknownEntryThrowsNotFoundNamingIt() {
    assertThatThrownBy(() -> transactions().inTransaction(s -> s.knowledge().validate(404, "anna", T0)))
        .isInstanceOf(NotFoundException.class).hasMessageContaining("knowledge").hasMessageContaining("404");
    assertThatThrownBy(() -> transactions().inTransaction(s -> s.knowledge().archive(405)))
        .isInstanceOf(NotFoundException.class).hasMessageContaining("knowledge").hasMessageContaining("405");
  }

  @Test
  void entryIdsIncreaseInAddingOrder() {
    long first = add(draft("a"), KnowledgeStatus.DRAFT).id();
    long second = add(draft("b"), KnowledgeStatus.DRAFT).id();

    assertThat(second).isGreaterThan(first);
  }

  @Test
  void unicodeAndSqlLookingTextsAreStoredVerbatim() {
    KnowledgeDraft d = new KnowledgeDraft(
        RUSSIAN, SQL_INJECTION + "\n" + EMOJI, List.of("оплата", EMOJI), KnowledgeSource.KAITEN, "ru");

    KnowledgeEntry e = add(d, KnowledgeStatus.DRAFT);

    KnowledgeEntry found = find(e.id());
    assertThat(found.question()).isEqualTo(RUSSIAN);
    assertThat(found.answer()).isEqualTo(SQL_INJECTION + "\n" + EMOJI);
    assertThat(found.tags()).containsExactly("оплата", EMOJI);
    assertThat(found.source()).isEqualTo(KnowledgeSource.KAITEN);
  }

  @Test
  void entriesAreFoundByTagWhateverTheirStatus() {
    KnowledgeEntry billing = add(new KnowledgeDraft("Где счёт?", "В настройках.", java.util.List.of("billing", "ru"),
        KnowledgeSource.MANUAL, "ru"), KnowledgeStatus.DRAFT);
    KnowledgeEntry refund = add(new KnowledgeDraft("Refund?", "14 days.", java.util.List.of("billing"),
        KnowledgeSource.DOCS, "en"), KnowledgeStatus.VALIDATED);
    add(new KnowledgeDraft("2FA?", "Settings.", java.util.List.of("security"), KnowledgeSource.MANUAL, "en"),
        KnowledgeStatus.VALIDATED);

    java.util.List<KnowledgeEntry> found =
        transactions().inTransaction((dev.tgsupport.core.port.Stores s) -> s.knowledge().findByTag("billing"));

    assertThat(found).extracting(KnowledgeEntry::id).containsExactly(billing.id(), refund.id());
  }

  @Test
  void aDeletedEntryDisappearsFromEveryQuery() {
    KnowledgeEntry e = add(new KnowledgeDraft("Old?", "Gone.", java.util.List.of("old"), KnowledgeSource.MANUAL, null),
        KnowledgeStatus.VALIDATED);
    transactions().run(s -> s.knowledge().delete(e.id()));

    java.util.Optional<KnowledgeEntry> byId =
        transactions().inTransaction((dev.tgsupport.core.port.Stores s) -> s.knowledge().find(e.id()));
    java.util.List<KnowledgeEntry> validated = transactions().inTransaction(
        (dev.tgsupport.core.port.Stores s) -> s.knowledge().list(KnowledgeStatus.VALIDATED));
    java.util.List<KnowledgeEntry> tagged =
        transactions().inTransaction((dev.tgsupport.core.port.Stores s) -> s.knowledge().findByTag("old"));

    assertThat(byId).isEmpty();
    assertThat(validated).isEmpty();
    assertThat(tagged).isEmpty();
    assertThatThrownBy(() -> transactions().run(s -> s.knowledge().delete(e.id())))
        .isInstanceOf(dev.tgsupport.core.NotFoundException.class);
  }
  // --- lookup by question and update, which idempotent imports rely on ---------------------------------------

  private java.util.Optional<KnowledgeEntry> byQuestion(String question) {
    return transactions().inTransaction((Stores s) -> s.knowledge().findByQuestion(question));
  }

  private KnowledgeEntry update(long id, KnowledgeDraft draft) {
    return transactions().inTransaction(s -> s.knowledge().update(id, draft));
  }

  @Test
  void aQuestionIsFoundIgnoringCaseAndWhitespace() {
    KnowledgeEntry pay = add(draft("How do I pay by card?"), KnowledgeStatus.DRAFT);
    KnowledgeEntry ru = add(draft("Где мой СЧЁТ?"), KnowledgeStatus.VALIDATED);

    assertThat(byQuestion("How do I pay by card?")).contains(pay);
    assertThat(byQuestion("  how DO i\tpay   by\ncard?  ")).contains(pay);
    assertThat(byQuestion("где   мой счёт?")).contains(ru);
    assertThat(byQuestion("How do I pay by card")).as("punctuation counts").isEmpty();
    assertThat(byQuestion("Где мой счет?")).as("ё is not е").isEmpty();
  }

  @Test
  void aQuestionIsFoundWhateverItsStatusButNotOnceDeleted() {
    KnowledgeEntry archived = add(draft("Old tariff?"), KnowledgeStatus.ARCHIVED);
    KnowledgeEntry deleted = add(draft("Gone?"), KnowledgeStatus.VALIDATED);
    transactions().run(s -> s.knowledge().delete(deleted.id()));

    assertThat(byQuestion("old tariff?")).contains(archived);
    assertThat(byQuestion("Gone?")).isEmpty();
    assertThat(byQuestion("never asked")).isEmpty();
  }

  @Test
  void whenSeveralEntriesAskTheSameQuestionTheOldestIsFound() {
    KnowledgeEntry first = add(draft("Refund?"), KnowledgeStatus.DRAFT);
    add(draft("REFUND?"), KnowledgeStatus.VALIDATED);

    assertThat(byQuestion("refund?")).contains(first);
  }

  @Test
  void sqlLookingQuestionsAreMatchedLiterally() {
    KnowledgeEntry e = add(draft(SQL_INJECTION), KnowledgeStatus.DRAFT);
    add(draft("100% sure_thing?"), KnowledgeStatus.DRAFT);

    assertThat(byQuestion(SQL_INJECTION)).contains(e);
    assertThat(byQuestion("100% sure%thing?")).isEmpty();
    assertThat(byQuestion("%")).isEmpty();
  }

  @Test
  void updatingADraftReplacesItsContentAndKeepsIdSourceAndCreationTime() {
    KnowledgeEntry d = add(new KnowledgeDraft("How to pay?", "By card.", List.of("billing"), KnowledgeSource.DOCS,
        "en"), KnowledgeStatus.DRAFT);

    KnowledgeEntry u = update(d.id(), new KnowledgeDraft("How to pay?", "By card or " + EMOJI + " transfer.",
        List.of("billing", "оплата"), KnowledgeSource.MANUAL, "ru"));

    assertThat(u.id()).isEqualTo(d.id());
    assertThat(u.answer()).isEqualTo("By card or " + EMOJI + " transfer.");
    assertThat(u.tags()).containsExactly("billing", "оплата");
    assertThat(u.language()).isEqualTo("ru");
    assertThat(u.source()).as("where it came from stays").isEqualTo(KnowledgeSource.DOCS);
    assertThat(u.status()).isEqualTo(KnowledgeStatus.DRAFT);
    assertThat(u.createdAt()).isEqualTo(d.createdAt());
    assertThat(find(d.id())).isEqualTo(u);
  }

  @Test
  void updatingAValidatedEntryMakesItADraftAgainUntilSomeoneValidatesTheNewText() {
    KnowledgeEntry d = add(draft("How to pay?"), KnowledgeStatus.DRAFT);
    transactions().inTransaction(s -> s.knowledge().validate(d.id(), "anna", T0));

    KnowledgeEntry u = update(d.id(), KnowledgeDraft.of("How to pay?", "Only by card now."));

    assertThat(u.status()).isEqualTo(KnowledgeStatus.DRAFT);
    assertThat(u.validatedBy()).isNull();
    assertThat(u.validatedAt()).isNull();
    assertThat(list(KnowledgeStatus.VALIDATED)).isEmpty();
    assertThat(list(KnowledgeStatus.DRAFT)).containsExactly(u);
  }

  @Test
  void updatingAnArchivedEntryKeepsItArchived() {
    KnowledgeEntry a = add(draft("Old tariff?"), KnowledgeStatus.ARCHIVED);

    KnowledgeEntry u = update(a.id(), KnowledgeDraft.of("Old tariff?", "Replaced by the new one."));

    assertThat(u.status()).isEqualTo(KnowledgeStatus.ARCHIVED);
    assertThat(u.answer()).isEqualTo("Replaced by the new one.");
    assertThat(list(KnowledgeStatus.ARCHIVED)).containsExactly(u);
  }

  @Test
  void updatingAnUnknownOrDeletedEntryThrowsNotFoundNamingIt() {
    KnowledgeEntry e = add(draft("Gone?"), KnowledgeStatus.DRAFT);
    transactions().run(s -> s.knowledge().delete(e.id()));

    assertThatThrownBy(() -> update(404, draft("x")))
        .isInstanceOf(NotFoundException.class).hasMessageContaining("knowledge").hasMessageContaining("404");
    assertThatThrownBy(() -> update(e.id(), draft("x")))
        .isInstanceOf(NotFoundException.class).hasMessageContaining(String.valueOf(e.id()));
  }

  @Test
  void aBlankQuestionOrAMissingDraftIsRejectedNamingTheField() {
    KnowledgeEntry e = add(draft("q"), KnowledgeStatus.DRAFT);

    assertThatThrownBy(() -> byQuestion("  "))
        .isInstanceOf(dev.tgsupport.core.InvalidInputException.class).hasMessageContaining("question");
    assertThatThrownBy(() -> update(e.id(), null))
        .isInstanceOf(dev.tgsupport.core.InvalidInputException.class).hasMessageContaining("draft");
  }
}
