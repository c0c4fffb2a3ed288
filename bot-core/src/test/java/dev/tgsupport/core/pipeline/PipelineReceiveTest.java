package dev.tgsupport.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tgsupport.core.StorageUnavailableException;
import dev.tgsupport.core.contract.MutableClock;
import dev.tgsupport.core.memory.InMemoryStorage;
import dev.tgsupport.core.model.Attachment;
import dev.tgsupport.core.model.Chat;
import dev.tgsupport.core.model.Direction;
import dev.tgsupport.core.model.IncomingMessage;
import dev.tgsupport.core.model.MessageType;
import dev.tgsupport.core.model.StoredMessage;
import dev.tgsupport.core.model.TelegramUser;
import dev.tgsupport.core.model.Ticket;
import dev.tgsupport.core.model.TicketEvent;
import dev.tgsupport.core.model.TicketEventKind;
import dev.tgsupport.core.model.TicketStatus;
import dev.tgsupport.core.port.MessageRecorder;
import dev.tgsupport.core.port.Stores;
import dev.tgsupport.core.port.TicketEventStore;
import dev.tgsupport.core.port.Transactions;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** How a receiver hands updates to the pipeline: record before acknowledging, edits, and recovery after a crash. */
class PipelineReceiveTest {
  private static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");
  private static final TelegramUser BOB = TelegramUser.of(43, null, "Bob", null, "en");
  private static final Attachment SCREENSHOT =
      new Attachment(MessageType.PHOTO, "AgACAgIAAxkBAAIB", "AQADsb4xG", null, "image/jpeg", 48_213L);

  private MutableClock clock;
  private InMemoryStorage storage;
  private RecordingReplyGateway gateway;
  private final List<EditResult> edits = new CopyOnWriteArrayList<>();

  @BeforeEach
  void setUp() {
    clock = new MutableClock(NOW);
    storage = InMemoryStorage.create(clock);
    gateway = new RecordingReplyGateway();
  }

  private Pipeline.Builder builder() {
    return Pipeline.builder().transactions(storage).replyGateway(gateway).clock(clock)
        .listener(new PipelineListener() {
          @Override
          public void messageEdited(EditResult result) {
            edits.add(result);
          }
        });
  }

  private StoredMessage stored(IncomingMessage m) {
    return storage
        .inTransaction(s -> s.messages().find(m.chat().id(), m.telegramMessageId(), Direction.IN))
        .orElseThrow();
  }

  private List<TicketEvent> events(Ticket t) {
    return storage.inTransaction(s -> s.ticketEvents().list(t.id()));
  }

  private static IncomingMessage photo(String caption) {
    IncomingMessage m = Messages.of(MessageType.PHOTO, caption);
    return new IncomingMessage(m.chat(), m.user(), m.telegramMessageId(), 7L, null, MessageType.PHOTO, caption,
        m.date(), SCREENSHOT);
  }

  private static IncomingMessage edited(IncomingMessage m, String text) {
    return m.withText(text);
  }

  // record

  @Test
  void recordStoresTheMessageWithoutProcessingItAndProcessLaterRunsItOnce() {
    Pipeline p = builder().build();
    IncomingMessage q = Messages.text("The export to Excel hangs at 99%");

    StoredMessage recorded = p.record(q);

    assertThat(recorded.id()).isPositive();
    assertThat(recorded.text()).isEqualTo("The export to Excel hangs at 99%");
    assertThat(recorded.isHandled()).isFalse();
    assertThat(gateway.sent()).isEmpty();
    assertThat(storage.inTransaction((Stores s) -> s.tickets().findByMessage(recorded.id()))).isEmpty();

    Outcome o = p.process(q);

    assertThat(o.kind()).isEqualTo(Outcome.Kind.TICKET);
    assertThat(o.context().stored().id()).isEqualTo(recorded.id());
    assertThat(gateway.sent()).hasSize(1);
    assertThat(stored(q).isHandled()).isTrue();
    assertThat(p.process(q).kind()).isEqualTo(Outcome.Kind.DUPLICATE);
    assertThat(gateway.sent()).hasSize(1);
  }

  @Test
  void recordingTwiceReturnsTheSameStoredMessage() {
    Pipeline p = builder().build();
    IncomingMessage q = Messages.text("Where is my invoice?");

    assertThat(p.record(q)).isEqualTo(p.record(q));
  }

  @Test
  void recordKeepsTheAttachment() {
    Pipeline p = builder().build();

    StoredMessage recorded = p.record(photo("error on save"));

    assertThat(recorded.attachment()).isEqualTo(SCREENSHOT);
    assertThat(recorded.type()).isEqualTo(MessageType.PHOTO);
  }

  @Test
  void recordGoesThroughTheConfiguredRecorderLikeTheRecordStage() {
    AtomicInteger calls = new AtomicInteger();
    MessageRecorder inner = MessageRecorder.transactional(storage);
    Pipeline p = builder().recorder(m -> {
      calls.incrementAndGet();
      return inner.record(m);
    }).build();
    IncomingMessage q = Messages.text("Can I change the billing email?");

    p.record(q);
    p.process(q);

    assertThat(calls).hasValue(2);
  }

  @Test
  void recordPropagatesAStorageOutageAsIsSoTheReceiverDoesNotAcknowledge() {
    Transactions down = new Transactions() {
      @Override
      public <T> T inTransaction(Function<Stores, T> work) {
        throw new StorageUnavailableException("connection refused");
      }
    };
    Pipeline p = Pipeline.builder().transactions(down).build();

    assertThatThrownBy(() -> p.record(Messages.text("hello?")))
        .isInstanceOf(StorageUnavailableException.class)
        .hasMessage("connection refused");
  }

  // processEdit

  @Test
  void anEditOfAMessageWithAnOpenTicketUpdatesItAndAddsAnEditEventWithoutReplying() {
    Pipeline p = builder().build();
    IncomingMessage q = Messages.text("Sync fails with error 42");
    Ticket ticket = p.process(q).context().ticket();

    EditResult r = p.processEdit(edited(q, "Sync fails with error 43 since the update"));

    assertThat(r.known()).isTrue();
    assertThat(r.ticket()).isEqualTo(ticket);
    assertThat(r.message().text()).isEqualTo("Sync fails with error 43 since the update");
    assertThat(r.message().isHandled()).isTrue();
    assertThat(stored(q)).isEqualTo(r.message());
    assertThat(events(ticket)).singleElement().satisfies(e -> {
      assertThat(e.kind()).isEqualTo(TicketEventKind.EDIT);
      assertThat(e.author()).isEqualTo("@alice");
      assertThat(e.body()).isEqualTo("Sync fails with error 43 since the update");
      assertThat(e.externalId()).isNull();
    });
    assertThat(gateway.sent()).hasSize(1);
    assertThat(storage.inTransaction((Stores s) -> s.outbox().listPending(10))).hasSize(1);
    assertThat(edits).containsExactly(r);
  }

  @Test
  void anInProgressTicketGetsTheEditTooButAResolvedOneDoesNot() {
    Pipeline p = builder().build();
    IncomingMessage working = Messages.text("Reports are empty for March");
    IncomingMessage done = Messages.text("Reports are empty for April");
    Ticket inProgress = p.process(working).context().ticket();
    Ticket resolved = p.process(done).context().ticket();
    storage.run(s -> {
      s.tickets().updateStatus(inProgress.id(), TicketStatus.IN_PROGRESS);
      s.tickets().updateStatus(resolved.id(), TicketStatus.RESOLVED);
    });

    EditResult onWorking = p.processEdit(edited(working, "Reports are empty for March and May"));
    EditResult onDone = p.processEdit(edited(done, "Reports are empty for April and June"));

    assertThat(onWorking.ticket()).extracting(Ticket::id).isEqualTo(inProgress.id());
    assertThat(events(inProgress)).extracting(TicketEvent::kind).containsExactly(TicketEventKind.EDIT);
    assertThat(onDone.ticket()).isNull();
    assertThat(onDone.known()).isTrue();
    assertThat(onDone.message().text()).isEqualTo("Reports are empty for April and June");
    assertThat(events(resolved)).isEmpty();
  }

  @Test
  void aUserWithoutUsernameIsNamedByFirstNameAndId() {
    Pipeline p = builder().build();
    IncomingMessage q = new IncomingMessage(Chat.privateChat(BOB.id(), "Bob"), BOB, 5001, null, null,
        MessageType.TEXT, "The app crashes on start", NOW);
    Ticket ticket = p.process(q).context().ticket();

    p.processEdit(q.withText("The app crashes on start, Android 14"));

    assertThat(events(ticket)).singleElement().extracting(TicketEvent::author).isEqualTo("Bob (43)");
    assertThat(Pipeline.userDisplay(TelegramUser.of(44, null, "", null, null))).isEqualTo("user (44)");
  }

  @Test
  void anEditCanReplaceTheTypeAndAttachment() {
    Pipeline p = builder().build();
    IncomingMessage q = photo("the error");
    p.process(q);
    IncomingMessage replaced = new IncomingMessage(q.chat(), q.user(), q.telegramMessageId(), q.threadId(), null,
        MessageType.DOCUMENT, "the log instead", q.date(), Attachment.of(MessageType.DOCUMENT, "BQACAgIAAxkB"));

    EditResult r = p.processEdit(replaced);

    assertThat(r.message().type()).isEqualTo(MessageType.DOCUMENT);
    assertThat(r.message().attachment()).isEqualTo(Attachment.of(MessageType.DOCUMENT, "BQACAgIAAxkB"));
    assertThat(stored(q).attachment()).isEqualTo(Attachment.of(MessageType.DOCUMENT, "BQACAgIAAxkB"));
  }

  @Test
  void anEditOfAMessageNeverSeenIsStoredAsHandledAndTheLateOriginalIsADuplicate() {
    Pipeline p = builder().build();
    IncomingMessage original = Messages.text("Payment declined");

    EditResult r = p.processEdit(edited(original, "Payment declined with code 51"));

    assertThat(r.known()).isFalse();
    assertThat(r.ticket()).isNull();
    assertThat(r.message().text()).isEqualTo("Payment declined with code 51");
    assertThat(r.message().handledAt()).isEqualTo(NOW);
    assertThat(stored(original)).isEqualTo(r.message());
    assertThat(storage.inTransaction((Stores s) -> s.users().find(Messages.ALICE.id()))).isPresent();
    assertThat(storage.inTransaction((Stores s) -> s.tickets().findByMessage(r.message().id()))).isEmpty();
    assertThat(gateway.sent()).isEmpty();

    Outcome late = p.process(original);

    assertThat(late.kind()).isEqualTo(Outcome.Kind.DUPLICATE);
    assertThat(stored(original).text()).isEqualTo("Payment declined with code 51");
    assertThat(gateway.sent()).isEmpty();
    assertThat(edits).containsExactly(r);
  }

  @Test
  void anEditOfANoiseMessageChangesItButOpensNothing() {
    Pipeline p = builder().build();
    IncomingMessage hi = Messages.text("привет!");
    assertThat(p.process(hi).kind()).isEqualTo(Outcome.Kind.NOISE);

    EditResult r = p.processEdit(edited(hi, "привет! не могу войти в аккаунт"));

    assertThat(r.known()).isTrue();
    assertThat(r.ticket()).isNull();
    assertThat(r.message().noiseReason()).isEqualTo("greeting");
    assertThat(storage.inTransaction((Stores s) -> s.tickets().findByMessage(r.message().id()))).isEmpty();
    assertThat(gateway.sent()).isEmpty();
  }

  @Test
  void anEditOfADeletedMessageLeavesItDeletedAndUnchanged() {
    Pipeline p = builder().build();
    IncomingMessage q = Messages.text("Delete my data please");
    Ticket ticket = p.process(q).context().ticket();
    long id = stored(q).id();
    storage.run(s -> s.messages().delete(id));

    EditResult r = p.processEdit(edited(q, "Actually, keep it"));

    assertThat(r.known()).isTrue();
    assertThat(r.ticket()).isNull();
    assertThat(r.message().id()).isEqualTo(id);
    assertThat(r.message().text()).isEqualTo("Delete my data please");
    assertThat(storage.inTransaction((Stores s) -> s.messages().findById(id))).isEmpty();
    assertThat(events(ticket)).isEmpty();
  }

  @Test
  void anEditIsOneTransactionSoAFailingEventAppendLeavesTheTextAsItWas() {
    Pipeline p = builder().transactions(new FailingEvents(storage)).build();
    IncomingMessage q = Messages.text("Two-factor codes never arrive");
    p.process(q);

    assertThatThrownBy(() -> p.processEdit(edited(q, "Two-factor codes arrive late")))
        .isInstanceOf(StorageUnavailableException.class);

    assertThat(stored(q).text()).isEqualTo("Two-factor codes never arrive");
    assertThat(edits).isEmpty();
  }

  @Test
  void aListenerThatThrowsFromMessageEditedDoesNotBreakTheEdit() {
    Pipeline p = builder().listener(new PipelineListener() {
      @Override
      public void messageEdited(EditResult result) {
        throw new IllegalStateException("listener bug");
      }
    }).build();
    IncomingMessage q = Messages.text("Cannot upload a CSV");
    p.process(q);

    EditResult r = p.processEdit(edited(q, "Cannot upload a CSV over 10 MB"));

    assertThat(r.message().text()).isEqualTo("Cannot upload a CSV over 10 MB");
    assertThat(edits).containsExactly(r);
  }

  // unhandled

  @Test
  void unhandledRebuildsWhatWasRecordedButNeverAnsweredOldestFirst() {
    Pipeline p = builder().build();
    IncomingMessage answered = Messages.text("Where do I find the API key?");
    IncomingMessage first = photo("this screen stays white");
    IncomingMessage second = Messages.text(Messages.GROUP, "The bot does not react in our group");
    p.process(answered);
    p.record(first);
    clock.advance(Duration.ofSeconds(1));
    p.record(second);

    List<IncomingMessage> pending = p.unhandled(Duration.ofHours(1), 100);

    assertThat(pending).containsExactly(first, second);
    assertThat(pending.get(0).attachment()).isEqualTo(SCREENSHOT);
    assertThat(pending.get(1).chat()).isEqualTo(Messages.GROUP);
    assertThat(pending.get(1).user()).isEqualTo(Messages.ALICE);
    assertThat(p.unhandled(Duration.ofHours(1), 1)).containsExactly(first);

    for (IncomingMessage m : pending) {
      assertThat(p.process(m).kind()).isEqualTo(Outcome.Kind.TICKET);
    }
    assertThat(p.unhandled(Duration.ofHours(1), 100)).isEmpty();
  }

  @Test
  void unhandledLeavesOutMessagesRecordedLongerAgoThanMaxAge() {
    Pipeline p = builder().build();
    IncomingMessage old = Messages.text("Old question");
    IncomingMessage recent = Messages.text("Recent question");
    p.record(old);
    clock.advance(Duration.ofMinutes(90));
    p.record(recent);
    clock.advance(Duration.ofMinutes(30));

    assertThat(p.unhandled(Duration.ofHours(1), 100)).containsExactly(recent);
    assertThat(p.unhandled(Duration.ofHours(2), 100)).containsExactly(old, recent);
    assertThat(p.unhandled(ChronoUnit.FOREVER.getDuration(), 100)).containsExactly(old, recent);
    assertThat(p.unhandled(Duration.ZERO, 100)).isEmpty();
  }

  @Test
  void aMessageWhoseReplyFailedForNowIsListedAsUnhandled() {
    Pipeline p = builder().build();
    IncomingMessage q = Messages.text("My card was charged twice");
    gateway.failNext(1, new dev.tgsupport.core.ServerErrorException("telegram 502"));
    assertThatThrownBy(() -> p.process(q)).isInstanceOf(dev.tgsupport.core.ServerErrorException.class);

    assertThat(p.unhandled(Duration.ofHours(1), 10)).containsExactly(q);
  }

  @Test
  void unhandledRefusesANegativeMaxAgeAndALimitOutOfRange() {
    Pipeline p = builder().build();

    assertThatThrownBy(() -> p.unhandled(Duration.ofSeconds(-1), 10))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("maxAge must be >= 0, was PT-1S");
    assertThatThrownBy(() -> p.unhandled(Duration.ofHours(1), -1))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("limit must be in 0..10000, was -1");
    assertThatThrownBy(() -> p.unhandled(Duration.ofHours(1), 10_001))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("limit must be in 0..10000, was 10001");
  }

  /** The storage, with appending ticket events failing as if the database went away mid-transaction. */
  private static final class FailingEvents implements Transactions {
    private final Transactions inner;

    FailingEvents(Transactions inner) {
      this.inner = inner;
    }

    @Override
    public <T> T inTransaction(Function<Stores, T> work) {
      return inner.inTransaction(s -> work.apply(new ForwardingStores(s) {
        @Override
        public TicketEventStore ticketEvents() {
          return new TicketEventStore() {
            @Override
            public Optional<TicketEvent> append(
                long ticketId, TicketEventKind kind, String author, String body, String externalId) {
              throw new StorageUnavailableException("connection reset");
            }

            @Override
            public List<TicketEvent> list(long ticketId) {
              return s.ticketEvents().list(ticketId);
            }
          };
        }
      }));
    }
  }
}
