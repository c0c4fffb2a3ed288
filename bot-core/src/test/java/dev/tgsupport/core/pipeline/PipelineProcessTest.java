package dev.tgsupport.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tgsupport.core.NonRetriableException;
import dev.tgsupport.core.PipelineException;
import dev.tgsupport.core.ServerErrorException;
import dev.tgsupport.core.StorageUnavailableException;
import dev.tgsupport.core.memory.InMemoryStorage;
import dev.tgsupport.core.model.Direction;
import dev.tgsupport.core.model.IncomingMessage;
import dev.tgsupport.core.model.KnowledgeDraft;
import dev.tgsupport.core.model.KnowledgeStatus;
import dev.tgsupport.core.model.MessageType;
import dev.tgsupport.core.model.OutboxEntry;
import dev.tgsupport.core.model.StoredMessage;
import dev.tgsupport.core.model.Ticket;
import dev.tgsupport.core.port.KnowledgeRetriever;
import dev.tgsupport.core.port.Stores;
import dev.tgsupport.core.port.Transactions;
import dev.tgsupport.core.text.DefaultNoiseFilter;
import dev.tgsupport.core.text.SpamDetector;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PipelineProcessTest {
  private InMemoryStorage storage;
  private RecordingReplyGateway gateway;

  @BeforeEach
  void setUp() {
    storage = InMemoryStorage.create();
    gateway = new RecordingReplyGateway();
  }

  private Pipeline.Builder builder() {
    return Pipeline.builder().transactions(storage).replyGateway(gateway);
  }

  private StoredMessage stored(IncomingMessage m) {
    return storage
        .inTransaction(s -> s.messages().find(m.chat().id(), m.telegramMessageId(), Direction.IN))
        .orElseThrow();
  }

  private List<OutboxEntry> outbox() {
    return storage.inTransaction(s -> s.outbox().listPending(100));
  }

  /** The storage, counting which commit each transaction asked for. */
  private static final class CountingCommits implements Transactions {
    private final Transactions delegate;
    int synchronous;
    int asynchronous;

    CountingCommits(Transactions delegate) {
      this.delegate = delegate;
    }

    @Override
    public <T> T inTransaction(Function<Stores, T> work) {
      synchronous++;
      return delegate.inTransaction(work);
    }

    @Override
    public void runWithAsynchronousCommit(Consumer<Stores> work) {
      asynchronous++;
      delegate.run(work);
    }
  }

  @Test
  void withAsynchronousFinishOnlyTheLastWriteOfAnAnsweredOrNoiseMessageSkipsTheFlush() {
    CountingCommits commits = new CountingCommits(storage);
    Pipeline p = Pipeline.builder().transactions(commits).replyGateway(gateway).asynchronousFinish(true).build();
    p.knowledge().add(KnowledgeDraft.of("How do I reset my password?", "Use the link on the sign-in page."),
        KnowledgeStatus.VALIDATED);
    commits.synchronous = 0;

    IncomingMessage question = Messages.text("How do I reset my password?");
    assertThat(p.process(question).kind()).isEqualTo(Outcome.Kind.ANSWERED);
    assertThat(commits.asynchronous).as("the reply and the handled mark").isEqualTo(1);
    assertThat(commits.synchronous).as("recording the message stays durable").isPositive();
    assertThat(stored(question).isHandled()).isTrue();

    IncomingMessage hi = Messages.text("привет!");
    assertThat(p.process(hi).kind()).isEqualTo(Outcome.Kind.NOISE);
    assertThat(commits.asynchronous).isEqualTo(2);
    assertThat(stored(hi).noiseReason()).isEqualTo("greeting");

    CountingCommits plain = new CountingCommits(storage);
    Pipeline byDefault = Pipeline.builder().transactions(plain).replyGateway(gateway).build();
    byDefault.process(Messages.text("привет ещё раз!"));
    assertThat(plain.asynchronous).as("off by default").isZero();
  }

  @Test
  void noiseIsStoredAndMarkedButNeverAnswered() {
    Pipeline p = builder().build();
    IncomingMessage hi = Messages.text("привет!");
    Outcome o = p.process(hi);
    assertThat(o.kind()).isEqualTo(Outcome.Kind.NOISE);
    assertThat(o.reply()).isNull();
    assertThat(o.context().noise().reason()).isEqualTo("greeting");
    assertThat(gateway.sent()).isEmpty();
    StoredMessage row = stored(hi);
    assertThat(row.noiseReason()).isEqualTo("greeting");
    assertThat(row.isHandled()).isTrue();
  }

  @Test
  void spamInAGroupIsStoredWithItsReasonButNeverAnswered() {
    SpamDetector spam = SpamDetector.builder().stopWords(List.of("пиши в лс")).build();
    Pipeline p = builder().noiseFilter(DefaultNoiseFilter.builder().spamDetector(spam).build()).build();
    IncomingMessage m = Messages.text(Messages.GROUP, "Работа на дому, подробности пиши в ЛС");
    Outcome o = p.process(m);
    assertThat(o.kind()).isEqualTo(Outcome.Kind.NOISE);
    assertThat(o.reply()).isNull();
    assertThat(gateway.sent()).isEmpty();
    assertThat(outbox()).isEmpty();
    StoredMessage row = stored(m);
    assertThat(row.noiseReason()).isEqualTo("spam:stop_words");
    assertThat(row.isHandled()).isTrue();
  }

  @Test
  void aValidatedEntryAnswersAParaphraseAndTheReplyIsSentAndStored() {
    Pipeline p = builder().build();
    p.knowledge()
        .add(KnowledgeDraft.of("How do I reset my password?", "Open Settings → Security → Reset password."),
            KnowledgeStatus.VALIDATED);
    IncomingMessage q = Messages.text("I forgot my password, how can I reset it?");
    Outcome o = p.process(q);
    assertThat(o.kind()).isEqualTo(Outcome.Kind.ANSWERED);
    assertThat(o.reply()).isEqualTo("Open Settings → Security → Reset password.");
    assertThat(o.context().answer().score()).isGreaterThan(0.0);
    assertThat(gateway.sent()).singleElement().satisfies(m -> {
      assertThat(m.chatId()).isEqualTo(q.chat().id());
      assertThat(m.replyToMessageId()).isEqualTo(q.telegramMessageId());
    });
    assertThat(o.sent()).isNotNull();
    Optional<StoredMessage> out =
        storage.inTransaction(s -> s.messages().find(q.chat().id(), o.sent().telegramMessageId(), Direction.OUT));
    assertThat(out)
        .get().extracting(StoredMessage::text).isEqualTo(o.reply());
  }

  @Test
  void draftAndArchivedEntriesNeverAnswer() {
    Pipeline p = builder().build();
    p.knowledge().add(KnowledgeDraft.of("How do I reset my password?", "draft answer"), KnowledgeStatus.DRAFT);
    var archived = p.knowledge()
        .add(KnowledgeDraft.of("How do I delete my account?", "archived answer"), KnowledgeStatus.VALIDATED);
    p.knowledge().archive(archived.id());
    assertThat(p.process(Messages.text("How do I reset my password?")).kind()).isEqualTo(Outcome.Kind.TICKET);
    assertThat(p.process(Messages.text("How do I delete my account?")).kind()).isEqualTo(Outcome.Kind.TICKET);
  }

  @Test
  void anUnansweredQuestionOpensATicketWithOneOutboxRowInOneTransaction() {
    Pipeline p = builder().build();
    IncomingMessage q = Messages.text("The export crashes with error 500 since yesterday");
    Outcome o = p.process(q);
    assertThat(o.kind()).isEqualTo(Outcome.Kind.TICKET);
    Ticket t = o.context().ticket();
    assertThat(t.title()).isEqualTo("The export crashes with error 500 since yesterday");
    assertThat(o.reply()).contains("#" + t.id());
    assertThat(outbox()).singleElement().satisfies(e -> {
      assertThat(e.kind()).isEqualTo(OutboxEntry.TICKET_CREATE);
      assertThat(e.payload()).contains("\"ticket_id\":" + t.id());
    });
    Optional<Ticket> byMessage = storage.inTransaction(s -> s.tickets().findByMessage(stored(q).id()));
    assertThat(byMessage).contains(t);
  }

  @Test
  void russianQuestionsGetRussianReplies() {
    Pipeline p = builder().build();
    Outcome o = p.process(Messages.text("Не могу выгрузить отчёт, кнопка серая"));
    assertThat(o.kind()).isEqualTo(Outcome.Kind.TICKET);
    assertThat(o.reply()).startsWith("Я передал ваш вопрос в поддержку: заявка #");
  }

  @Test
  void aRedeliveredMessageIsANoOp() {
    Pipeline p = builder().build();
    IncomingMessage q = Messages.text("My invoice shows the wrong company name");
    assertThat(p.process(q).kind()).isEqualTo(Outcome.Kind.TICKET);
    Outcome again = p.process(q);
    assertThat(again.kind()).isEqualTo(Outcome.Kind.DUPLICATE);
    assertThat(again.reply()).isNull();
    assertThat(gateway.sent()).hasSize(1);
    assertThat(outbox()).hasSize(1);
  }

  @Test
  void aReplyThatFailedToSendIsRetriedOnRedeliveryWithTheSameTicket() {
    Pipeline p = builder().build();
    IncomingMessage q = Messages.text("Webhooks stopped arriving after the update");
    gateway.failNext(1, new ServerErrorException("telegram 502"));
    assertThatThrownBy(() -> p.process(q)).isInstanceOf(ServerErrorException.class);
    assertThat(stored(q).isHandled()).isFalse();

    Outcome retried = p.process(q);
    assertThat(retried.kind()).isEqualTo(Outcome.Kind.TICKET);
    assertThat(gateway.sent()).hasSize(1);
    assertThat(outbox()).hasSize(1);
    assertThat(stored(q).isHandled()).isTrue();
  }

  @Test
  void aReplyThatCanNeverBeSentMarksTheMessageHandledKeepsItsVerdictsAndRethrows() {
    List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
    Pipeline p =
        builder()
            .intentClassifier(text -> new dev.tgsupport.core.model.Intent("export", 0.8))
            .listener(new PipelineListener() {
              @Override
              public void replyFailed(
                  MessageContext context, dev.tgsupport.core.model.OutgoingMessage reply, Throwable error) {
                failures.add(error);
              }
            })
            .build();
    IncomingMessage q = Messages.text("The export button does nothing");
    NonRetriableException blocked = new NonRetriableException("403 Forbidden: bot was blocked by the user");
    gateway.failNext(1, blocked);

    assertThatThrownBy(() -> p.process(q)).isSameAs(blocked);

    StoredMessage row = stored(q);
    assertThat(row.isHandled()).as("never answerable, so done with").isTrue();
    assertThat(row.intent().name()).isEqualTo("export");
    assertThat(failures).containsExactly(blocked);
    assertThat(outbox()).as("the ticket stands: staff can still see the question").hasSize(1);

    assertThat(p.process(q).kind()).isEqualTo(Outcome.Kind.DUPLICATE);
    assertThat(gateway.sent()).isEmpty();
  }

  @Test
  void aRetriableReplyFailureKeepsTheVerdictsButLeavesTheMessageUnhandled() {
    Pipeline p = builder().intentClassifier(text -> new dev.tgsupport.core.model.Intent("export", 0.8)).build();
    IncomingMessage q = Messages.text("The export button is grey");
    gateway.failNext(1, new dev.tgsupport.core.RateLimitedException("429", java.time.Duration.ofSeconds(3)));

    assertThatThrownBy(() -> p.process(q)).isInstanceOf(dev.tgsupport.core.RateLimitedException.class);

    assertThat(stored(q).isHandled()).isFalse();
    assertThat(stored(q).intent().name()).isEqualTo("export");
  }

  @Test
  void whenStorageAlsoFailsAfterAFailedReplyTheReplyFailureIsThrownWithTheStorageOneSuppressed() {
    java.util.concurrent.atomic.AtomicBoolean storageDown = new java.util.concurrent.atomic.AtomicBoolean();
    Transactions flaky = new Transactions() {
      @Override
      public <T> T inTransaction(Function<Stores, T> work) {
        if (storageDown.get()) {
          throw new StorageUnavailableException("connection reset");
        }
        return storage.inTransaction(work);
      }
    };
    ReplyFailsThenStorage failing = new ReplyFailsThenStorage(storageDown);
    Pipeline p = Pipeline.builder().transactions(flaky).replyGateway(failing).build();

    assertThatThrownBy(() -> p.process(Messages.text("Login loops back to the start page")))
        .isSameAs(failing.failure)
        .satisfies(e -> assertThat(e.getSuppressed()).singleElement()
            .isInstanceOf(StorageUnavailableException.class));
  }

  /** Fails every send with a non-retriable error, and takes storage down as it does. */
  private static final class ReplyFailsThenStorage implements dev.tgsupport.core.port.ReplyGateway {
    final NonRetriableException failure = new NonRetriableException("400 Bad Request: chat not found");
    private final java.util.concurrent.atomic.AtomicBoolean storageDown;

    ReplyFailsThenStorage(java.util.concurrent.atomic.AtomicBoolean storageDown) {
      this.storageDown = storageDown;
    }

    @Override
    public dev.tgsupport.core.model.SentMessage send(dev.tgsupport.core.model.OutgoingMessage message) {
      storageDown.set(true);
      throw failure;
    }

    @Override
    public void edit(long chatId, long telegramMessageId, String text) {}
  }

  @Test
  void aStageThatReturnsNullIsNamedAndTheUserGetsAnApologyAndTheMessageIsKept() {
    Pipeline p = builder().addStageAfter(Stages.NOISE, Stage.of("bad", (ctx, chain) -> null)).build();
    IncomingMessage q = Messages.text("How do I change my email?");
    Outcome o = p.process(q);
    assertThat(o.kind()).isEqualTo(Outcome.Kind.FAILED);
    assertThat(o.failure()).hasMessage("stage 'bad' returned null");
    assertThat(o.failure().stage()).isEqualTo("bad");
    assertThat(o.reply()).isEqualTo(ReplyTemplates.defaults().apology("en"));
    assertThat(gateway.sent()).extracting(m -> m.text()).containsExactly(o.reply());
    assertThat(stored(q).text()).isEqualTo("How do I change my email?");
  }

  @Test
  void aStageThatCallsProceedTwiceIsNamed() {
    Pipeline p =
        builder()
            .addStageAfter(Stages.RECORD, Stage.of("twice", (ctx, chain) -> {
              chain.proceed(ctx);
              return chain.proceed(ctx);
            }))
            .build();
    Outcome o = p.process(Messages.text("Where can I download invoices?"));
    assertThat(o.kind()).isEqualTo(Outcome.Kind.FAILED);
    assertThat(o.failure()).hasMessage("stage 'twice' called proceed() twice");
    assertThat(o.failure().stage()).isEqualTo("twice");
  }

  @Test
  void aStageThatThrowsIsNamedWithItsCause() {
    IllegalStateException cause = new IllegalStateException("kaput");
    Pipeline p = builder().addStageBefore(Stages.TICKET, Stage.of("boom", (ctx, chain) -> { throw cause; })).build();
    IncomingMessage q = Messages.text("Is there an API rate limit?");
    Outcome o = p.process(q);
    assertThat(o.kind()).isEqualTo(Outcome.Kind.FAILED);
    assertThat(o.failure()).hasMessage("stage 'boom' failed: IllegalStateException: kaput").hasCause(cause);
    assertThat(stored(q).isHandled()).isTrue();
    assertThat(outbox()).isEmpty();
  }

  @Test
  void aFailureBeforeTheMessageIsRecordedPropagatesSoTheUpdateIsRedelivered() {
    Pipeline p =
        builder()
            .addStageBefore(Stages.RECORD, Stage.of("early", (ctx, chain) -> { throw new IllegalStateException("x"); }))
            .build();
    IncomingMessage q = Messages.text("hello?");
    assertThatThrownBy(() -> p.process(q))
        .isInstanceOf(PipelineException.class)
        .hasMessage("stage 'early' failed: IllegalStateException: x");
    Optional<StoredMessage> row =
        storage.inTransaction(s -> s.messages().find(q.chat().id(), q.telegramMessageId(), Direction.IN));
    assertThat(row)
        .isEmpty();
    assertThat(gateway.sent()).isEmpty();
  }

  @Test
  void storageDownDuringRecordPropagatesARetriableCause() {
    Transactions down = new Transactions() {
      @Override
      public <T> T inTransaction(Function<Stores, T> work) {
        throw new StorageUnavailableException("connection refused");
      }
    };
    Pipeline p = Pipeline.builder().transactions(down).replyGateway(gateway).build();
    assertThatThrownBy(() -> p.process(Messages.text("How do I export data?")))
        .isInstanceOf(PipelineException.class)
        .hasMessage("stage 'record' failed: StorageUnavailableException: connection refused")
        .hasCauseInstanceOf(StorageUnavailableException.class);
    assertThat(gateway.sent()).isEmpty();
  }

  @Test
  void anIntentHandlerAnswersInsteadOfTheKnowledgeStage() {
    Pipeline p =
        builder()
            .intentClassifier(text -> new dev.tgsupport.core.model.Intent("billing", 0.9))
            .onIntent("billing", (ctx, actions) ->
                Optional.of(Outcome.handled(ctx, "billing " + ctx.intent().confidence())))
            .build();
    p.knowledge().add(KnowledgeDraft.of("How do I pay?", "kb answer"), KnowledgeStatus.VALIDATED);
    Outcome o = p.process(Messages.text("How do I pay?"));
    assertThat(o.kind()).isEqualTo(Outcome.Kind.HANDLED);
    assertThat(o.reply()).isEqualTo("billing 0.9");
    assertThat(stored(o.context().message()).intent().name()).isEqualTo("billing");
  }

  @Test
  void aHandlerThatRefusesFallsThroughToTheKnowledgeStage() {
    Pipeline p =
        builder()
            .intentClassifier(text -> new dev.tgsupport.core.model.Intent("billing", 0.3))
            .onIntent("billing", (ctx, actions) ->
                ctx.intent().confidence() < 0.5 ? Optional.empty() : Optional.of(Outcome.handled(ctx, "no")))
            .build();
    p.knowledge().add(KnowledgeDraft.of("How do I pay?", "kb answer"), KnowledgeStatus.VALIDATED);
    Outcome o = p.process(Messages.text("How do I pay?"));
    assertThat(o.kind()).isEqualTo(Outcome.Kind.ANSWERED);
    assertThat(o.reply()).isEqualTo("kb answer");
  }

  @Test
  void theFirstFactoryThatClaimsAnIntentWins() {
    Pipeline p =
        builder()
            .intentClassifier(text -> new dev.tgsupport.core.model.Intent("billing", 0.9))
            .addIntentHandlerFactory(intent -> Optional.empty())
            .onIntent("billing", (ctx, a) -> Optional.of(Outcome.handled(ctx, "first")))
            .onIntent("billing", (ctx, a) -> Optional.of(Outcome.handled(ctx, "second")))
            .build();
    assertThat(p.process(Messages.text("pay")).reply()).isEqualTo("first");
  }

  @Test
  void aHandlerCanOpenATicketThroughItsActions() {
    Pipeline p =
        builder()
            .intentClassifier(text -> new dev.tgsupport.core.model.Intent("human", 0.95))
            .onIntent("human", (ctx, actions) -> {
              Ticket t = actions.openTicket(ctx, "wants a human");
              return Optional.of(Outcome.reply(Outcome.Kind.TICKET, ctx.withTicket(t), "human #" + t.id()));
            })
            .build();
    Outcome o = p.process(Messages.text("I want to talk to a person"));
    assertThat(o.reply()).isEqualTo("human #" + o.context().ticket().id());
    assertThat(outbox()).hasSize(1);
  }

  @Test
  void whenTheKnowledgeServiceIsDownTheMessageBecomesATicket() {
    KnowledgeRetriever down = (query, limit) -> {
      throw new KnowledgeRetriever.UnavailableException("qdrant: UNAVAILABLE", null);
    };
    Pipeline p = builder().knowledgeRetriever(down).build();
    Outcome o = p.process(Messages.text("How do I reset my password?"));
    assertThat(o.kind()).isEqualTo(Outcome.Kind.TICKET);
    assertThat(o.context().attribute(KnowledgeStage.UNAVAILABLE)).contains(true);
  }

  @Test
  void stickersAreNoiseAndMediaWithoutCaptionInAPrivateChatBecomesATicket() {
    Pipeline p = builder().build();
    assertThat(p.process(Messages.of(MessageType.STICKER, "")).kind()).isEqualTo(Outcome.Kind.NOISE);
    Outcome photo = p.process(Messages.of(MessageType.PHOTO, ""));
    assertThat(photo.kind()).isEqualTo(Outcome.Kind.TICKET);
    assertThat(photo.context().ticket().title()).isEqualTo("[photo]");
  }

  @Test
  void withoutAReplyGatewayTheReplyIsOnlyReturned() {
    Pipeline p = Pipeline.builder().transactions(storage).build();
    IncomingMessage q = Messages.text("Why was I charged twice this month?");
    Outcome o = p.process(q);
    assertThat(o.kind()).isEqualTo(Outcome.Kind.TICKET);
    assertThat(o.sent()).isNull();
    assertThat(stored(q).isHandled()).isTrue();
  }

  @Test
  void ticketTitlesAreOneCleanLineWhateverTheInput() {
    Pipeline p = builder().build();
    Outcome o = p.process(Messages.text("Export\u0000 fails\t\twith   500\nsecond line"));
    assertThat(o.context().ticket().title()).isEqualTo("Export fails with 500");
    Outcome cmd = p.process(Messages.text("/ticket  a\u0000b   c "));
    assertThat(cmd.context().ticket().title()).isEqualTo("ab c");
  }
}
