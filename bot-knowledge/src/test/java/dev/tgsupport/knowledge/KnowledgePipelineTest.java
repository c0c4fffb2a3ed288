package dev.tgsupport.knowledge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tgsupport.core.memory.InMemoryKnowledgeIndex;
import dev.tgsupport.core.memory.InMemoryStorage;
import dev.tgsupport.core.model.Chat;
import dev.tgsupport.core.model.IncomingMessage;
import dev.tgsupport.core.model.KnowledgeDraft;
import dev.tgsupport.core.model.KnowledgeEntry;
import dev.tgsupport.core.model.KnowledgeStatus;
import dev.tgsupport.core.model.MessageType;
import dev.tgsupport.core.model.TelegramUser;
import dev.tgsupport.core.pipeline.Outcome;
import dev.tgsupport.core.pipeline.Pipeline;
import dev.tgsupport.knowledge.embed.LocalEmbedder;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Questions through the whole pipeline with the hybrid retriever over the bundled MiniLM model and an in-memory
 * index, thresholds from the shipped calibration.
 */
class KnowledgePipelineTest {
  private static final AtomicLong ids = new AtomicLong(1);
  private static LocalEmbedder embedder;

  private FailingKnowledgeIndex index;
  private HybridKnowledgeRetriever retriever;
  private Pipeline pipeline;

  @BeforeAll
  static void load() {
    embedder = LocalEmbedder.create(2);
  }

  @AfterAll
  static void close() {
    embedder.close();
  }

  @BeforeEach
  void setUp() {
    index = new FailingKnowledgeIndex(InMemoryKnowledgeIndex.create(embedder.dimension()));
    retriever = HybridKnowledgeRetriever.builder().embedder(embedder).index(index).retryInterval(Duration.ZERO)
        .build();
    Calibration c = retriever.calibration();
    pipeline = Pipeline.builder()
        .transactions(InMemoryStorage.create())
        .knowledgeRetriever(retriever)
        .knowledgeThreshold(c.answerThreshold())
        .rephraseThreshold(c.rephraseThreshold())
        .build();
    List<String[]> faq = List.of(
        new String[] {"How do I reset my password?", "Use the link on the sign-in page."},
        new String[] {"Как сбросить пароль?", "Нажмите «Забыли пароль?» на странице входа."},
        new String[] {"How do I cancel my subscription?", "Settings → Billing → Cancel."},
        new String[] {"Как отменить подписку?", "Настройки → Оплата → Отменить."},
        new String[] {"Is there a mobile app for iPhone and Android?", "Yes, in the App Store and Google Play."},
        new String[] {"Есть ли мобильное приложение для iPhone и Android?", "Да, в App Store и Google Play."},
        new String[] {"How do I export my data?", "Settings → Export → CSV or JSON."},
        new String[] {"Как выгрузить данные?", "Настройки → Экспорт → CSV или JSON."});
    for (String[] qa : faq) {
      pipeline.knowledge().add(KnowledgeDraft.of(qa[0], qa[1]), KnowledgeStatus.VALIDATED);
    }
  }

  private static IncomingMessage text(String text) {
    long id = ids.getAndIncrement();
    TelegramUser user = TelegramUser.of(7, "bob", "Bob", null, "en");
    return new IncomingMessage(Chat.privateChat(7, "Bob"), user, id, null, null, MessageType.TEXT, text,
        Instant.parse("2026-11-23T10:00:00Z"));
  }

  private Outcome ask(String question) {
    return pipeline.process(text(question));
  }

  @Test
  void englishParaphrasesAreAnsweredWithTheRightEntry() {
    assertThat(ask("I forgot my password and cannot log in").reply()).isEqualTo("Use the link on the sign-in page.");
    assertThat(ask("how do I stop my subscription").reply()).isEqualTo("Settings → Billing → Cancel.");
    assertThat(ask("do you have an Android app").reply()).isEqualTo("Yes, in the App Store and Google Play.");
  }

  @Test
  void russianParaphrasesAreAnsweredWithTheRightEntry() {
    Outcome o = ask("забыл пароль, как его сбросить?");
    assertThat(o.kind()).isEqualTo(Outcome.Kind.ANSWERED);
    assertThat(o.reply()).isEqualTo("Нажмите «Забыли пароль?» на странице входа.");
    assertThat(ask("как отменить мою подписку").reply()).isEqualTo("Настройки → Оплата → Отменить.");
    assertThat(ask("есть ли приложение для андроид и iPhone").reply()).isEqualTo("Да, в App Store и Google Play.");
  }

  @Test
  void unrelatedQuestionsBecomeTickets() {
    assertThat(ask("Can I host Tasklane on my own server?").kind()).isEqualTo(Outcome.Kind.TICKET);
    assertThat(ask("Как построить диаграмму Ганта?").kind()).isEqualTo(Outcome.Kind.TICKET);
  }

  @Test
  void anArchivedEntryNeverAnswers() {
    KnowledgeEntry cancel = entry("How do I cancel my subscription?");
    pipeline.knowledge().archive(cancel.id());
    Outcome o = ask("How do I cancel my subscription?");
    assertThat(o.kind()).isNotEqualTo(Outcome.Kind.ANSWERED);
    assertThat(o.context().hits()).extracting(h -> h.entry().id()).doesNotContain(cancel.id());
    assertThat(index.search(embedder.embed("How do I cancel my subscription?"), 10, -1, Map.of()))
        .extracting(h -> h.entryId()).doesNotContain(cancel.id());
  }

  @Test
  void aDraftNeverAnswers() {
    KnowledgeEntry draft = pipeline.knowledge().add(
        KnowledgeDraft.of("How do I change my avatar?", "Profile → Photo."), KnowledgeStatus.DRAFT);
    Outcome o = ask("How do I change my avatar?");
    assertThat(o.kind()).isNotEqualTo(Outcome.Kind.ANSWERED);
    assertThat(o.context().hits()).extracting(h -> h.entry().id()).doesNotContain(draft.id());
    assertThat(pipeline.knowledge().validate(draft.id(), "staff").isValidated()).isTrue();
    assertThat(ask("How do I change my avatar?").reply()).isEqualTo("Profile → Photo.");
  }

  @Test
  void anEntryAddedWhileTheIndexIsDownIsPendingUntilTheIndexRecovers() {
    index.down = true;
    KnowledgeEntry added = pipeline.knowledge().add(
        KnowledgeDraft.of("How do I change my avatar?", "Profile → Photo."), KnowledgeStatus.VALIDATED);
    assertThat(added.isValidated()).isTrue(); // stored although the index failed
    assertThat(retriever.pendingReindex()).isEqualTo(1);
    assertThat(ask("How do I change my avatar?").kind()).isEqualTo(Outcome.Kind.TICKET);
    index.down = false;
    assertThat(retriever.retryPending()).isZero();
    assertThat(ask("how can I change my avatar picture").reply()).isEqualTo("Profile → Photo.");
  }

  @Test
  void whenTheIndexIsDownQuestionsBecomeTickets() {
    ask("warm-up: loads the knowledge base into the retriever");
    index.down = true;
    Outcome o = ask("How do I reset my password?");
    assertThat(o.kind()).isEqualTo(Outcome.Kind.TICKET);
    assertThat(o.reply()).contains("ticket #");
  }

  private KnowledgeEntry entry(String question) {
    return pipeline.knowledge().list(KnowledgeStatus.VALIDATED).stream()
        .filter(e -> e.question().equals(question)).findFirst().orElseThrow();
  }
}
