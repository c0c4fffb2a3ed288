package dev.tgsupport.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tgsupport.core.contract.MutableClock;
import dev.tgsupport.core.memory.InMemoryDialogStates;
import dev.tgsupport.core.memory.InMemoryStorage;
import dev.tgsupport.core.model.KnowledgeDraft;
import dev.tgsupport.core.model.KnowledgeEntry;
import dev.tgsupport.core.model.KnowledgeHit;
import dev.tgsupport.core.model.KnowledgeStatus;
import dev.tgsupport.core.model.Ticket;
import dev.tgsupport.core.port.DialogStates;
import dev.tgsupport.core.port.KnowledgeRetriever;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The answer / rephrase / ticket decision of the knowledge stage, over a retriever with scores set by the test. */
class KnowledgeDecisionTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T10:00:00Z"));
  private InMemoryStorage storage;
  private ScriptedRetriever retriever;
  private DialogStates states;
  private KnowledgeEntry reset;
  private KnowledgeEntry twoFactor;

  @BeforeEach
  void setUp() {
    storage = InMemoryStorage.create(clock);
    retriever = new ScriptedRetriever();
    states = InMemoryDialogStates.create(clock);
    reset = storage.inTransaction(s -> s.knowledge().add(
        KnowledgeDraft.of("How do I reset my password?", "Use the reset link."), KnowledgeStatus.VALIDATED));
    twoFactor = storage.inTransaction(s -> s.knowledge().add(
        KnowledgeDraft.of("How do I turn on two-factor authentication?", "Profile → Security."),
        KnowledgeStatus.VALIDATED));
  }

  private Pipeline pipeline(boolean clarify) {
    Pipeline.Builder b = Pipeline.builder().transactions(storage).clock(clock).dialogStates(states)
        .knowledgeRetriever(retriever)
        .knowledgeThreshold(0.7);
    if (clarify) {
      b.rephraseThreshold(0.3);
    }
    return b.build();
  }

  @Test
  void aHitAtTheAnswerThresholdAnswers() {
    retriever.script("password reset", new KnowledgeHit(reset, 0.7));
    Outcome o = pipeline(true).process(Messages.text("password reset"));
    assertThat(o.kind()).isEqualTo(Outcome.Kind.ANSWERED);
    assertThat(o.reply()).isEqualTo("Use the reset link.");
  }

  @Test
  void aHitBetweenTheThresholdsAsksToRephraseNamingTheClosestQuestions() {
    retriever.script("login trouble", new KnowledgeHit(reset, 0.5), new KnowledgeHit(twoFactor, 0.35),
        new KnowledgeHit(twoFactor, 0.1));
    Outcome o = pipeline(true).process(Messages.text("login trouble"));
    assertThat(o.kind()).isEqualTo(Outcome.Kind.CLARIFY);
    assertThat(o.reply()).isEqualTo("I am not sure I understood. Did you mean:\n"
        + "• How do I reset my password?\n"
        + "• How do I turn on two-factor authentication?\n"
        + "If so, ask it that way; if not, describe your question in more detail and I will pass it to our support"
        + " team.");
    assertThat(o.context().answer()).isNull();
    assertThat(o.context().ticket()).isNull();
    assertThat(tickets()).isEmpty();
  }

  @Test
  void russianUsersAreAskedInRussian() {
    retriever.script("проблема со входом", new KnowledgeHit(reset, 0.5));
    Outcome o = pipeline(true).process(Messages.text("проблема со входом"));
    assertThat(o.kind()).isEqualTo(Outcome.Kind.CLARIFY);
    assertThat(o.reply()).startsWith("Не уверен, что правильно понял вопрос. Возможно, вы имели в виду:\n"
        + "• How do I reset my password?");
  }

  @Test
  void asecondUnclearQuestionWithinTheWindowOpensATicketInsteadOfAskingAgain() {
    retriever.script("login trouble", new KnowledgeHit(reset, 0.5));
    retriever.script("still cannot get in", new KnowledgeHit(reset, 0.4));
    Pipeline p = pipeline(true);
    assertThat(p.process(Messages.text("login trouble")).kind()).isEqualTo(Outcome.Kind.CLARIFY);
    Outcome second = p.process(Messages.text("still cannot get in"));
    assertThat(second.kind()).isEqualTo(Outcome.Kind.TICKET);
    assertThat(second.context().attribute(KnowledgeStage.CLARIFIED_BEFORE)).contains(true);
    assertThat(tickets()).hasSize(1);
    // The ticket ended that exchange: the next unclear question is asked about again.
    assertThat(p.process(Messages.text("login trouble")).kind()).isEqualTo(Outcome.Kind.CLARIFY);
  }

  @Test
  void anUnclearQuestionAfterTheWindowIsAskedAboutAgain() {
    retriever.script("login trouble", new KnowledgeHit(reset, 0.5));
    Pipeline p = pipeline(true);
    assertThat(p.process(Messages.text("login trouble")).kind()).isEqualTo(Outcome.Kind.CLARIFY);
    clock.advance(KnowledgeStage.CLARIFY_WINDOW.plus(Duration.ofSeconds(1)));
    assertThat(p.process(Messages.text("login trouble")).kind()).isEqualTo(Outcome.Kind.CLARIFY);
    assertThat(tickets()).isEmpty();
  }

  @Test
  void aRephrasedQuestionThatIsAnsweredResetsTheClarification() {
    retriever.script("login trouble", new KnowledgeHit(reset, 0.5));
    retriever.script("how do I reset my password", new KnowledgeHit(reset, 0.9));
    Pipeline p = pipeline(true);
    assertThat(p.process(Messages.text("login trouble")).kind()).isEqualTo(Outcome.Kind.CLARIFY);
    assertThat(p.process(Messages.text("how do I reset my password")).kind()).isEqualTo(Outcome.Kind.ANSWERED);
    assertThat(p.process(Messages.text("login trouble")).kind()).isEqualTo(Outcome.Kind.CLARIFY);
  }

  @Test
  void anotherUsersClarificationDoesNotCount() {
    retriever.script("login trouble", new KnowledgeHit(reset, 0.5));
    Pipeline p = pipeline(true);
    assertThat(p.process(Messages.text("login trouble")).kind()).isEqualTo(Outcome.Kind.CLARIFY);
    assertThat(p.process(Messages.text(Messages.GROUP, "login trouble")).kind()).isEqualTo(Outcome.Kind.CLARIFY);
  }

  @Test
  void aPluginsDialogStateIsLeftAlone() {
    retriever.script("login trouble", new KnowledgeHit(reset, 0.5));
    Pipeline p = pipeline(true);
    Outcome first = p.process(Messages.text("login trouble"));
    long chat = first.context().message().chat().id();
    long user = first.context().message().user().id();
    states.put(chat, user, "feedback", Duration.ofMinutes(10));
    assertThat(p.process(Messages.text("login trouble")).kind()).isEqualTo(Outcome.Kind.CLARIFY);
    assertThat(states.get(chat, user)).contains("feedback");
  }

  @Test
  void belowTheRephraseThresholdOpensATicket() {
    retriever.script("my invoice is wrong", new KnowledgeHit(reset, 0.29));
    Outcome o = pipeline(true).process(Messages.text("my invoice is wrong"));
    assertThat(o.kind()).isEqualTo(Outcome.Kind.TICKET);
    assertThat(o.context().hits()).hasSize(1);
  }

  @Test
  void withoutARephraseThresholdEveryUnansweredQuestionIsATicketAsBefore() {
    retriever.script("login trouble", new KnowledgeHit(reset, 0.5));
    Outcome o = pipeline(false).process(Messages.text("login trouble"));
    assertThat(o.kind()).isEqualTo(Outcome.Kind.TICKET);
  }

  @Test
  void anUnavailableRetrieverOpensATicketEvenWithClarifyingOn() {
    retriever.down = true;
    Outcome o = pipeline(true).process(Messages.text("login trouble"));
    assertThat(o.kind()).isEqualTo(Outcome.Kind.TICKET);
    assertThat(o.context().attribute(KnowledgeStage.UNAVAILABLE)).contains(true);
  }

  @Test
  void draftAndArchivedHitsNeverClarify() {
    KnowledgeEntry draft = storage.inTransaction(s -> s.knowledge().add(
        KnowledgeDraft.of("How do I pay?", "Card."), KnowledgeStatus.DRAFT));
    retriever.script("paying", new KnowledgeHit(draft, 0.5));
    Outcome o = pipeline(true).process(Messages.text("paying"));
    assertThat(o.kind()).isEqualTo(Outcome.Kind.TICKET);
    assertThat(o.context().hits()).isEmpty();
  }

  @Test
  void theRephraseThresholdIsCheckedAgainstTheAnswerThreshold() {
    assertThatThrownBy(() -> Pipeline.builder().rephraseThreshold(0.0))
        .hasMessage("rephraseThreshold must be in (0, 1], was 0.0");
    assertThatThrownBy(() -> Pipeline.builder().knowledgeRetriever(retriever).knowledgeThreshold(0.6)
            .rephraseThreshold(0.6).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("rephraseThreshold must be below the knowledge threshold 0.6, was 0.6");
  }

  private List<Ticket> tickets() {
    return storage.inTransaction(s -> s.tickets().listActiveByUser(Messages.ALICE.id()));
  }

  /** Returns the hits the test scripted for a query, or throws "unavailable" when {@link #down}. */
  private static final class ScriptedRetriever implements KnowledgeRetriever {
    private final Map<String, List<KnowledgeHit>> answers = new ConcurrentHashMap<>();
    volatile boolean down;

    void script(String query, KnowledgeHit... hits) {
      answers.put(query, new ArrayList<>(List.of(hits)));
    }

    @Override
    public List<KnowledgeHit> retrieve(String query, int limit) {
      if (down) {
        throw new UnavailableException("vector index: UNAVAILABLE", null);
      }
      List<KnowledgeHit> hits = answers.getOrDefault(query, List.of());
      return hits.subList(0, Math.min(limit, hits.size()));
    }
  }
}
