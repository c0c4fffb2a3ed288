package dev.tgsupport.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tgsupport.core.ServerErrorException;
import dev.tgsupport.core.model.Chat;
import dev.tgsupport.core.model.ChatType;
import dev.tgsupport.core.model.IncomingMessage;
import dev.tgsupport.core.model.KnowledgeDraft;
import dev.tgsupport.core.model.KnowledgeStatus;
import dev.tgsupport.core.model.MessageType;
import dev.tgsupport.core.model.OutboxEntry;
import dev.tgsupport.core.model.StoredMessage;
import dev.tgsupport.core.model.TelegramUser;
import dev.tgsupport.core.model.Ticket;
import dev.tgsupport.core.model.TicketEvent;
import dev.tgsupport.core.model.TicketEventKind;
import dev.tgsupport.core.model.TicketStatus;
import dev.tgsupport.core.port.Stores;
import dev.tgsupport.core.port.Transactions;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A user's follow-up on their open ticket — a reply to the bot's message about it, or {@code /ticket N text} — goes
 * onto the ticket as a comment with a {@code ticket.comment} outbox row, never as a new ticket. Run against every
 * storage: extend it and return a fresh, empty storage from {@link #transactions()} for each test.
 */
public abstract class FollowUpContract {
  private static final TelegramUser ALICE = TelegramUser.of(42, "alice", "Alice", null, "en");
  private static final TelegramUser BOB = TelegramUser.of(43, null, "Bob", null, "en");
  private static final TelegramUser IVAN = TelegramUser.of(44, "ivan", "Иван", null, "ru");
  private static final Chat ALICE_CHAT = Chat.privateChat(42, "Alice");
  private static final Chat GROUP = Chat.of(-1001234567890L, ChatType.SUPERGROUP, "Support group");
  private static final Instant AT = Instant.parse("2026-11-23T10:00:00Z");
  private static final AtomicLong telegramIds = new AtomicLong(1);

  private RecordingReplyGateway gateway;
  private final List<String> events = new CopyOnWriteArrayList<>();
  private final PipelineListener recording = new PipelineListener() {
    @Override
    public void stageStarted(MessageContext context, String stage) {
      events.add("start " + stage);
    }

    @Override
    public void followUpAdded(MessageContext context, Ticket ticket) {
      events.add("follow-up #" + ticket.id());
    }
  };

  /** A fresh, empty storage for the current test. */
  protected abstract Transactions transactions();

  @BeforeEach
  void newGateway() {
    gateway = new RecordingReplyGateway();
    events.clear();
  }

  private Pipeline.Builder builder() {
    return Pipeline.builder().transactions(transactions()).replyGateway(gateway).listener(recording);
  }

  private static IncomingMessage message(Chat chat, TelegramUser user, Long replyTo, MessageType type, String text) {
    return new IncomingMessage(chat, user, telegramIds.getAndIncrement(), null, replyTo, type, text, AT);
  }

  private static IncomingMessage text(Chat chat, TelegramUser user, String text) {
    return message(chat, user, null, MessageType.TEXT, text);
  }

  private static IncomingMessage replyTo(Outcome botAnswer, TelegramUser user, String text) {
    assertThat(botAnswer.sent()).as("the bot's answer was sent").isNotNull();
    Chat chat = botAnswer.context().message().chat();
    return message(chat, user, botAnswer.sent().telegramMessageId(), MessageType.TEXT, text);
  }

  private <T> T tx(java.util.function.Function<Stores, T> work) {
    return transactions().inTransaction(work);
  }

  private List<OutboxEntry> outbox(String kind) {
    return tx(s -> s.outbox().listPending(100)).stream().filter(e -> e.kind().equals(kind)).toList();
  }

  private List<TicketEvent> comments(Ticket t) {
    return tx(s -> s.ticketEvents().list(t.id())).stream().filter(e -> e.kind() == TicketEventKind.COMMENT)
        .toList();
  }

  private List<Ticket> activeTickets(TelegramUser user) {
    return tx(s -> s.tickets().listActiveByUser(user.id()));
  }

  private StoredMessage stored(IncomingMessage m) {
    return tx(s -> s.messages().find(m.chat().id(), m.telegramMessageId(), dev.tgsupport.core.model.Direction.IN))
        .orElseThrow();
  }

  /**
   * The payload has each {@code name} with the JSON value written as {@code json}, whatever whitespace storage put
   * around the colon (PostgreSQL's jsonb adds a space): bot-core's tests have no JSON parser.
   */
  private static void assertJson(String payload, String... nameThenJson) {
    assertThat(payload).startsWith("{").endsWith("}");
    for (int i = 0; i < nameThenJson.length; i += 2) {
      Pattern field = Pattern.compile(
          "[{,]\\s*" + Pattern.quote("\"" + nameThenJson[i] + "\"") + "\\s*:\\s*" + Pattern.quote(nameThenJson[i + 1])
              + "\\s*[,}]");
      assertThat(field.matcher(payload).find()).as("%s has %s: %s", payload, nameThenJson[i], nameThenJson[i + 1])
          .isTrue();
    }
  }

  private Outcome ticketFor(Pipeline p, Chat chat, TelegramUser user, String question) {
    Outcome o = p.process(text(chat, user, question));
    assertThat(o.kind()).isEqualTo(Outcome.Kind.TICKET);
    return o;
  }

  @Test
  void aReplyToTheTicketMessageBecomesACommentWithAnOutboxRowAndAConfirmation() {
    Pipeline p = builder().build();
    Outcome opened = ticketFor(p, ALICE_CHAT, ALICE, "The export button does nothing");
    Ticket ticket = opened.context().ticket();
    events.clear();

    IncomingMessage followUp = replyTo(opened, ALICE, "It happens in Firefox too, \"export.csv\" never appears");
    Outcome o = p.process(followUp);

    assertThat(o.kind()).isEqualTo(Outcome.Kind.FOLLOW_UP);
    assertThat(o.context().ticket()).isEqualTo(ticket);
    assertThat(o.reply()).isEqualTo("Added to ticket #" + ticket.id() + ".");
    assertThat(gateway.sent()).last().satisfies(r -> {
      assertThat(r.text()).isEqualTo(o.reply());
      assertThat(r.replyToMessageId()).isEqualTo(followUp.telegramMessageId());
    });
    long messageId = stored(followUp).id();
    assertThat(comments(ticket)).singleElement().satisfies(e -> {
      assertThat(e.author()).isEqualTo("@alice");
      assertThat(e.body()).isEqualTo(followUp.text());
      assertThat(e.externalId()).isEqualTo("tg-message-" + messageId);
    });
    assertThat(outbox(OutboxEntry.TICKET_COMMENT)).singleElement().satisfies(e -> assertJson(e.payload(),
        "ticketId", String.valueOf(ticket.id()), "messageId", String.valueOf(messageId),
        "text", "\"It happens in Firefox too, \\\"export.csv\\\" never appears\"", "author", "\"@alice\""));
    assertThat(outbox(OutboxEntry.TICKET_CREATE)).hasSize(1);
    assertThat(activeTickets(ALICE)).containsExactly(ticket);
    assertThat(stored(followUp).isHandled()).isTrue();
    assertThat(events).containsExactly("start record", "start noise", "start followup", "follow-up #" + ticket.id());
  }

  @Test
  void aFollowUpIsNeverLookedUpInTheKnowledgeEvenWhenAnEntryWouldAnswerIt() {
    Pipeline p = builder().build();
    Outcome opened = ticketFor(p, ALICE_CHAT, ALICE, "The invoice for March is missing");
    p.knowledge().add(KnowledgeDraft.of("How do I reset my password?", "Settings → Security → Reset password."),
        KnowledgeStatus.VALIDATED);

    Outcome o = p.process(replyTo(opened, ALICE, "Also, how do I reset my password?"));

    assertThat(o.kind()).isEqualTo(Outcome.Kind.FOLLOW_UP);
    assertThat(o.context().hits()).isEmpty();
    assertThat(o.context().intent()).isNull();
  }

  @Test
  void theConfirmationIsInTheUsersLanguage() {
    Pipeline p = builder().build();
    Chat ivanChat = Chat.privateChat(IVAN.id(), "Иван");
    Outcome opened = ticketFor(p, ivanChat, IVAN, "Не приходит код подтверждения по СМС");

    Outcome o = p.process(replyTo(opened, IVAN, "Номер телефона +7 900 000-00-00, оператор МТС"));

    assertThat(o.kind()).isEqualTo(Outcome.Kind.FOLLOW_UP);
    assertThat(o.reply()).isEqualTo("Добавил к заявке #" + opened.context().ticket().id() + ".");
    assertThat(comments(opened.context().ticket())).singleElement()
        .satisfies(e -> assertThat(e.author()).isEqualTo("@ivan"));
  }

  @Test
  void aThanksReplyStaysNoiseAndIsNotForwarded() {
    Pipeline p = builder().build();
    Outcome opened = ticketFor(p, ALICE_CHAT, ALICE, "The export button does nothing");
    int sentBefore = gateway.sent().size();

    Outcome o = p.process(replyTo(opened, ALICE, "спасибо"));

    assertThat(o.kind()).isEqualTo(Outcome.Kind.NOISE);
    assertThat(comments(opened.context().ticket())).isEmpty();
    assertThat(outbox(OutboxEntry.TICKET_COMMENT)).isEmpty();
    assertThat(gateway.sent()).hasSize(sentBefore);
  }

  @Test
  void theSameFollowUpDeliveredTwiceStoresOneCommentAndOneOutboxRow() {
    Pipeline p = builder().build();
    Outcome opened = ticketFor(p, ALICE_CHAT, ALICE, "The export button does nothing");
    IncomingMessage followUp = replyTo(opened, ALICE, "Version 4.2 on Windows");

    assertThat(p.process(followUp).kind()).isEqualTo(Outcome.Kind.FOLLOW_UP);
    assertThat(p.process(followUp).kind()).isEqualTo(Outcome.Kind.DUPLICATE);

    assertThat(comments(opened.context().ticket())).hasSize(1);
    assertThat(outbox(OutboxEntry.TICKET_COMMENT)).hasSize(1);
  }

  @Test
  void aFollowUpRunAgainAfterItsConfirmationFailedStoresNothingTwiceAndConfirmsThen() {
    Pipeline p = builder().build();
    Outcome opened = ticketFor(p, ALICE_CHAT, ALICE, "The export button does nothing");
    Ticket ticket = opened.context().ticket();
    IncomingMessage followUp = replyTo(opened, ALICE, "Version 4.2 on Windows");
    gateway.failNext(1, new ServerErrorException("telegram 502"));

    // The comment committed, the confirmation failed: the message stays unhandled, as after a crash.
    assertThatThrownBy(() -> p.process(followUp)).isInstanceOf(ServerErrorException.class);
    assertThat(stored(followUp).isHandled()).isFalse();
    events.clear();
    Outcome again = p.process(followUp);

    assertThat(again.kind()).isEqualTo(Outcome.Kind.FOLLOW_UP);
    assertThat(again.reply()).isEqualTo("Added to ticket #" + ticket.id() + ".");
    assertThat(comments(ticket)).hasSize(1);
    assertThat(outbox(OutboxEntry.TICKET_COMMENT)).hasSize(1);
    assertThat(events).as("listeners hear of the follow-up once").noneMatch(e -> e.startsWith("follow-up"));
  }

  @Test
  void aFollowUpRedeliveredAfterItsTicketWasResolvedIsStillOnlyOnThatTicket() {
    Pipeline p = builder().build();
    Outcome opened = ticketFor(p, ALICE_CHAT, ALICE, "The export button does nothing");
    Ticket ticket = opened.context().ticket();
    IncomingMessage followUp = replyTo(opened, ALICE, "Version 4.2 on Windows");
    gateway.failNext(1, new ServerErrorException("telegram 502"));
    assertThatThrownBy(() -> p.process(followUp)).isInstanceOf(ServerErrorException.class);
    tx(s -> s.tickets().updateStatus(ticket.id(), TicketStatus.RESOLVED));

    Outcome again = p.process(followUp);

    assertThat(again.kind()).isEqualTo(Outcome.Kind.FOLLOW_UP);
    assertThat(comments(ticket)).hasSize(1);
    assertThat(outbox(OutboxEntry.TICKET_COMMENT)).hasSize(1);
    assertThat(activeTickets(ALICE)).as("no second ticket for the same message").isEmpty();
  }

  @Test
  void aReplyToTheConfirmationOfAFollowUpIsAFollowUpToo() {
    Pipeline p = builder().build();
    Outcome opened = ticketFor(p, ALICE_CHAT, ALICE, "The export button does nothing");
    Outcome first = p.process(replyTo(opened, ALICE, "Version 4.2 on Windows"));

    Outcome second = p.process(replyTo(first, ALICE, "And on macOS 14 as well"));

    assertThat(second.kind()).isEqualTo(Outcome.Kind.FOLLOW_UP);
    assertThat(comments(opened.context().ticket())).extracting(TicketEvent::body)
        .containsExactly("Version 4.2 on Windows", "And on macOS 14 as well");
    assertThat(outbox(OutboxEntry.TICKET_COMMENT)).hasSize(2);
  }

  @Test
  void aReplyAfterTheTicketIsResolvedIsANewQuestion() {
    Pipeline p = builder().build();
    Outcome opened = ticketFor(p, ALICE_CHAT, ALICE, "The export button does nothing");
    Ticket ticket = opened.context().ticket();
    tx(s -> s.tickets().updateStatus(ticket.id(), TicketStatus.RESOLVED));

    Outcome o = p.process(replyTo(opened, ALICE, "It is broken again since today's update"));

    assertThat(o.kind()).isEqualTo(Outcome.Kind.TICKET);
    assertThat(o.context().ticket().id()).isNotEqualTo(ticket.id());
    assertThat(comments(ticket)).isEmpty();
    assertThat(outbox(OutboxEntry.TICKET_COMMENT)).isEmpty();
  }

  @Test
  void anInProgressTicketTakesFollowUps() {
    Pipeline p = builder().build();
    Outcome opened = ticketFor(p, ALICE_CHAT, ALICE, "The export button does nothing");
    tx(s -> s.tickets().updateStatus(opened.context().ticket().id(), TicketStatus.IN_PROGRESS));

    assertThat(p.process(replyTo(opened, ALICE, "Any news?")).kind()).isEqualTo(Outcome.Kind.FOLLOW_UP);
  }

  @Test
  void anotherUsersReplyToTheTicketMessageInAGroupOpensTheirOwnTicket() {
    Pipeline p = builder().build();
    Outcome opened = ticketFor(p, GROUP, ALICE, "The export button does nothing");

    Outcome o = p.process(replyTo(opened, BOB, "Same problem here with the import button"));

    assertThat(o.kind()).isEqualTo(Outcome.Kind.TICKET);
    assertThat(o.context().ticket().userId()).isEqualTo(BOB.id());
    assertThat(comments(opened.context().ticket())).isEmpty();
    assertThat(outbox(OutboxEntry.TICKET_COMMENT)).isEmpty();
  }

  @Test
  void aReplyToABotAnswerThatOpenedNoTicketIsAnOrdinaryMessage() {
    Pipeline p = builder().build();
    p.knowledge().add(KnowledgeDraft.of("How do I reset my password?", "Settings → Security → Reset password."),
        KnowledgeStatus.VALIDATED);
    Outcome answered = p.process(text(ALICE_CHAT, ALICE, "How can I reset my password?"));
    assertThat(answered.kind()).isEqualTo(Outcome.Kind.ANSWERED);

    Outcome o = p.process(replyTo(answered, ALICE, "There is no Security section in my settings"));

    assertThat(o.kind()).isEqualTo(Outcome.Kind.TICKET);
    assertThat(outbox(OutboxEntry.TICKET_COMMENT)).isEmpty();
  }

  @Test
  void aPhotoReplyIsNamedByItsTypeForStaff() {
    Pipeline p = builder().build();
    Outcome opened = ticketFor(p, ALICE_CHAT, ALICE, "The export button does nothing");
    IncomingMessage screenshot = message(ALICE_CHAT, ALICE, opened.sent().telegramMessageId(), MessageType.PHOTO,
        "the error dialog");

    Outcome o = p.process(screenshot);

    assertThat(o.kind()).isEqualTo(Outcome.Kind.FOLLOW_UP);
    assertThat(comments(opened.context().ticket())).singleElement()
        .satisfies(e -> assertThat(e.body()).isEqualTo("[photo] the error dialog"));
  }

  @Test
  void ticketCommandWithTheNumberOfTheUsersOpenTicketAddsTheTextAfterTheNumber() {
    Pipeline p = builder().build();
    Ticket ticket = ticketFor(p, ALICE_CHAT, ALICE, "The export button does nothing").context().ticket();

    IncomingMessage command =
        text(ALICE_CHAT, ALICE, "/ticket " + ticket.id() + " it fails with error 0x80\nsince Monday");
    Outcome o = p.process(command);

    assertThat(o.kind()).isEqualTo(Outcome.Kind.FOLLOW_UP);
    assertThat(o.reply()).isEqualTo("Added to ticket #" + ticket.id() + ".");
    assertThat(comments(ticket)).singleElement().satisfies(e -> {
      assertThat(e.body()).isEqualTo("it fails with error 0x80\nsince Monday");
      assertThat(e.author()).isEqualTo("@alice");
    });
    assertThat(outbox(OutboxEntry.TICKET_COMMENT)).singleElement().satisfies(e -> assertJson(e.payload(),
        "ticketId", String.valueOf(ticket.id()), "text", "\"it fails with error 0x80\\nsince Monday\""));
    assertThat(activeTickets(ALICE)).containsExactly(ticket);
  }

  @Test
  void ticketCommandAnswersInTheLanguageOfTheTextAfterTheNumber() {
    Pipeline p = builder().build();
    Chat ivanChat = Chat.privateChat(IVAN.id(), "Иван");
    Ticket ticket = ticketFor(p, ivanChat, IVAN, "Не приходит код подтверждения").context().ticket();

    Outcome o = p.process(text(ivanChat, IVAN, "/ticket " + ticket.id() + " код так и не пришёл"));

    assertThat(o.reply()).isEqualTo("Добавил к заявке #" + ticket.id() + ".");
  }

  @Test
  void ticketCommandTakesTheNumberWithAHashToo() {
    Pipeline p = builder().build();
    Ticket ticket = ticketFor(p, ALICE_CHAT, ALICE, "The export button does nothing").context().ticket();

    Outcome o = p.process(text(ALICE_CHAT, ALICE, "/ticket #" + ticket.id() + " any news?"));

    assertThat(o.kind()).isEqualTo(Outcome.Kind.FOLLOW_UP);
    assertThat(comments(ticket)).extracting(TicketEvent::body).containsExactly("any news?");
  }

  @Test
  void ticketCommandWithAnotherUsersTicketNumberSaysSoAndStoresNothingOnIt() {
    Pipeline p = builder().build();
    Ticket bobs = ticketFor(p, GROUP, BOB, "The import button does nothing").context().ticket();

    Outcome o = p.process(text(GROUP, ALICE, "/ticket " + bobs.id() + " me too"));

    assertThat(o.kind()).isEqualTo(Outcome.Kind.HANDLED);
    assertThat(o.reply()).isEqualTo("You have no ticket #" + bobs.id()
        + " in this chat. To open a new one: /ticket your question");
    assertThat(comments(bobs)).isEmpty();
    assertThat(outbox(OutboxEntry.TICKET_COMMENT)).isEmpty();
    assertThat(activeTickets(ALICE)).isEmpty();
  }

  @Test
  void ticketCommandWithAnUnknownNumberSaysSo() {
    Pipeline p = builder().build();

    Outcome o = p.process(text(ALICE_CHAT, ALICE, "/ticket 4040 is there an update?"));

    assertThat(o.kind()).isEqualTo(Outcome.Kind.HANDLED);
    assertThat(o.reply()).startsWith("You have no ticket #4040 in this chat.");
    assertThat(activeTickets(ALICE)).isEmpty();
  }

  @Test
  void ticketCommandForTheUsersTicketOpenedInAnotherChatSaysSo() {
    Pipeline p = builder().build();
    Ticket ticket = ticketFor(p, ALICE_CHAT, ALICE, "The export button does nothing").context().ticket();

    Outcome o = p.process(text(GROUP, ALICE, "/ticket " + ticket.id() + " more details"));

    assertThat(o.reply()).startsWith("You have no ticket #" + ticket.id() + " in this chat.");
    assertThat(comments(ticket)).isEmpty();
  }

  @Test
  void ticketCommandForTheUsersResolvedTicketSaysItIsResolved() {
    Pipeline p = builder().build();
    Ticket ticket = ticketFor(p, ALICE_CHAT, ALICE, "The export button does nothing").context().ticket();
    tx(s -> s.tickets().updateStatus(ticket.id(), TicketStatus.RESOLVED));

    Outcome o = p.process(text(ALICE_CHAT, ALICE, "/ticket " + ticket.id() + " still broken"));

    assertThat(o.kind()).isEqualTo(Outcome.Kind.HANDLED);
    assertThat(o.reply()).isEqualTo("Ticket #" + ticket.id()
        + " is already resolved and takes no more messages. To open a new one: /ticket your question");
    assertThat(comments(ticket)).isEmpty();
    assertThat(outbox(OutboxEntry.TICKET_COMMENT)).isEmpty();
  }

  @Test
  void ticketCommandWithANumberButNoTextExplainsTheForm() {
    Pipeline p = builder().build();
    Chat ivanChat = Chat.privateChat(IVAN.id(), "Иван");

    Outcome o = p.process(text(ivanChat, IVAN, "/ticket 12"));

    assertThat(o.kind()).isEqualTo(Outcome.Kind.HANDLED);
    assertThat(o.reply()).isEqualTo("Напишите текст после номера заявки: /ticket 12 ваше сообщение");
  }

  @Test
  void ticketCommandWithPlainTextStillOpensATicket() {
    Pipeline p = builder().build();
    ticketFor(p, ALICE_CHAT, ALICE, "The export button does nothing");

    Outcome o = p.process(text(ALICE_CHAT, ALICE, "/ticket 2FA codes never arrive"));

    assertThat(o.kind()).isEqualTo(Outcome.Kind.TICKET);
    assertThat(o.context().ticket().title()).isEqualTo("2FA codes never arrive");
    assertThat(activeTickets(ALICE)).hasSize(2);
  }

  @Test
  void ticketCommandSentAsAReplyToTheTicketMessageIsLeftToTheCommand() {
    Pipeline p = builder().build();
    Outcome opened = ticketFor(p, ALICE_CHAT, ALICE, "The export button does nothing");

    Outcome o = p.process(replyTo(opened, ALICE, "/ticket a separate question about billing"));

    assertThat(o.kind()).isEqualTo(Outcome.Kind.TICKET);
    assertThat(comments(opened.context().ticket())).isEmpty();
  }

  @Test
  void withTheFollowUpStageRemovedARepliedQuestionOpensATicketAsBefore() {
    Pipeline p = builder().removeStage(Stages.FOLLOW_UP).build();
    Outcome opened = ticketFor(p, ALICE_CHAT, ALICE, "The export button does nothing");

    Outcome o = p.process(replyTo(opened, ALICE, "Version 4.2 on Windows"));

    assertThat(o.kind()).isEqualTo(Outcome.Kind.TICKET);
    assertThat(outbox(OutboxEntry.TICKET_COMMENT)).isEmpty();
  }

  @Test
  void theFollowUpStageCanBeReplaced() {
    Pipeline p = builder()
        .replaceStage(Stages.FOLLOW_UP, Stage.of("my-followup", (ctx, chain) ->
            ctx.message().replyToMessageId() != null ? Outcome.handled(ctx, "noted") : chain.proceed(ctx)))
        .build();
    Outcome opened = ticketFor(p, ALICE_CHAT, ALICE, "The export button does nothing");

    Outcome o = p.process(replyTo(opened, ALICE, "Version 4.2 on Windows"));

    assertThat(o.reply()).isEqualTo("noted");
    assertThat(p.stageNames()).containsSubsequence(Stages.NOISE, "my-followup", Stages.INTENT);
  }
}
