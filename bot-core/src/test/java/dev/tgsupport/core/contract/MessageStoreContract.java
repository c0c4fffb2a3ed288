package dev.tgsupport.core.contract;

import static dev.tgsupport.core.contract.Fixtures.EMOJI;
import static dev.tgsupport.core.contract.Fixtures.RUSSIAN;
import static dev.tgsupport.core.contract.Fixtures.SQL_INJECTION;
import static dev.tgsupport.core.contract.Fixtures.T0;
import static dev.tgsupport.core.contract.Fixtures.alice;
import static dev.tgsupport.core.contract.Fixtures.bob;
import static dev.tgsupport.core.contract.Fixtures.privateChat;
import static dev.tgsupport.core.contract.Fixtures.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tgsupport.core.InvalidInputException;
import dev.tgsupport.core.NotFoundException;
import dev.tgsupport.core.model.Attachment;
import dev.tgsupport.core.model.Chat;
import dev.tgsupport.core.model.Direction;
import dev.tgsupport.core.model.IncomingMessage;
import dev.tgsupport.core.model.Intent;
import dev.tgsupport.core.model.MessageType;
import dev.tgsupport.core.model.OutgoingMessage;
import dev.tgsupport.core.model.SentMessage;
import dev.tgsupport.core.model.StoredMessage;
import dev.tgsupport.core.model.TelegramUser;
import dev.tgsupport.core.port.MessageStore.Recorded;
import dev.tgsupport.core.port.Stores;
import dev.tgsupport.core.port.Transactions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The behaviour of {@link dev.tgsupport.core.port.MessageStore} every storage must have: uniqueness on (chat,
 * Telegram id, direction), idempotent recording, updates by id and the chat history. Extend it and return a fresh,
 * empty storage from {@link #transactions()} for each test.
 */
public abstract class MessageStoreContract {
  /** A fresh, empty storage for the current test. */
  protected abstract Transactions transactions();

  private Recorded recordWithAuthor(IncomingMessage m) {
    return transactions().inTransaction(s -> {
      s.users().upsert(m.user());
      s.chats().upsert(m.chat());
      return s.messages().recordIncoming(m);
    });
  }

  private Recorded recordAgain(IncomingMessage m) {
    return transactions().inTransaction(s -> s.messages().recordIncoming(m));
  }

  private Optional<StoredMessage> find(long chatId, long telegramMessageId, Direction direction) {
    return transactions().inTransaction(s -> s.messages().find(chatId, telegramMessageId, direction));
  }

  private StoredMessage byId(long id) {
    return transactions().inTransaction(s -> s.messages().findById(id)).orElseThrow();
  }

  private StoredMessage recordOutgoing(OutgoingMessage message, SentMessage sent) {
    return transactions().inTransaction(s -> s.messages().recordOutgoing(message, sent));
  }

  private Optional<StoredMessage> updateIncoming(IncomingMessage edited) {
    return transactions().inTransaction(s -> s.messages().updateIncoming(edited));
  }

  private List<StoredMessage> listUnhandled(Instant since, int limit) {
    return transactions().inTransaction(s -> s.messages().listUnhandled(since, limit));
  }

  /** An edited version of {@code m}: same chat, author and Telegram id, new content. */
  private static IncomingMessage edit(IncomingMessage m, MessageType type, String text, Attachment attachment) {
    return new IncomingMessage(m.chat(), m.user(), m.telegramMessageId(), m.threadId(), m.replyToMessageId(), type,
        text, m.date(), attachment);
  }

  /** Every field set, with texts storage must keep exactly; the size does not fit in an int. */
  private static final Attachment FULL_ATTACHMENT = new Attachment(MessageType.DOCUMENT,
      "BQACAgIAAxkBAAIBOmY0-_fileId", "AgADuQ", "отчёт " + EMOJI + ".pdf", "application/pdf", 4_000_000_000L);

  @Test
  void recordingANewMessageStoresEveryFieldAndReportsCreated() {
    TelegramUser alice = alice();
    Chat group = Fixtures.group();
    IncomingMessage m = new IncomingMessage(group, alice, 17, 5L, 16L, MessageType.PHOTO, "caption", T0);

    Recorded r = recordWithAuthor(m);

    assertThat(r.created()).isTrue();
    StoredMessage s = r.message();
    assertThat(s.id()).isPositive();
    assertThat(s.chatId()).isEqualTo(Fixtures.GROUP_ID);
    assertThat(s.userId()).isEqualTo(alice.id());
    assertThat(s.telegramMessageId()).isEqualTo(17);
    assertThat(s.direction()).isEqualTo(Direction.IN);
    assertThat(s.threadId()).isEqualTo(5L);
    assertThat(s.replyToMessageId()).isEqualTo(16L);
    assertThat(s.type()).isEqualTo(MessageType.PHOTO);
    assertThat(s.text()).isEqualTo("caption");
    assertThat(s.sentAt()).isEqualTo(T0);
    assertThat(s.isNoise()).isFalse();
    assertThat(s.noiseReason()).isNull();
    assertThat(s.intent()).isNull();
    assertThat(s.handledAt()).isNull();
    assertThat(byId(s.id())).isEqualTo(s);
  }

  @Test
  void recordingTheSameMessageTwiceReturnsTheOriginalRowWithCreatedFalse() {
    IncomingMessage m = text(privateChat(alice()), alice(), 1, "first delivery");
    StoredMessage original = recordWithAuthor(m).message();

    Recorded again = recordAgain(m.withText("redelivered with another text"));

    assertThat(again.created()).isFalse();
    assertThat(again.message()).isEqualTo(original);
    assertThat(transactions().inTransaction((Stores s) -> s.messages().listByChat(alice().id(), 10))).hasSize(1);
  }

  @Test
  void theSameTelegramIdInDifferentChatsIsTwoMessages() {
    StoredMessage inPrivate = recordWithAuthor(text(privateChat(alice()), alice(), 7, "private")).message();
    Recorded inGroup = recordWithAuthor(text(Fixtures.group(), alice(), 7, "group"));

    assertThat(inGroup.created()).isTrue();
    assertThat(inGroup.message().id()).isNotEqualTo(inPrivate.id());
    assertThat(find(Fixtures.GROUP_ID, 7, Direction.IN))
        .get().extracting(StoredMessage::text).isEqualTo("group");
    assertThat(find(alice().id(), 7, Direction.IN))
        .get().extracting(StoredMessage::text).isEqualTo("private");
  }

  @Test
  void theSameTelegramIdInTheOtherDirectionIsAnotherMessage() {
    StoredMessage in = recordWithAuthor(text(privateChat(alice()), alice(), 9, "question")).message();

    StoredMessage out = recordOutgoing(Fixtures.reply(alice().id(), "answer"), Fixtures.sent(alice().id(), 9));

    assertThat(out.id()).isNotEqualTo(in.id());
    assertThat(find(alice().id(), 9, Direction.IN)).contains(in);
    assertThat(find(alice().id(), 9, Direction.OUT)).contains(out);
  }

  @Test
  void recordingAMessageOfAnUnknownChatThrowsNotFoundNamingTheChat() {
    transactions().run(s -> s.users().upsert(alice()));
    IncomingMessage m = text(Fixtures.group(-555), alice(), 1, "hi");

    assertThatThrownBy(() -> recordAgain(m))
        .isInstanceOf(NotFoundException.class)
        .hasMessageContaining("chat")
        .hasMessageContaining("-555");
    assertThat(find(-555, 1, Direction.IN)).isEmpty();
  }

  @Test
  void recordingAMessageOfAnUnknownUserThrowsNotFoundNamingTheUser() {
    transactions().run(s -> s.chats().upsert(Fixtures.group()));
    IncomingMessage m = text(Fixtures.group(), Fixtures.user(777, "Ghost"), 1, "hi");

    assertThatThrownBy(() -> recordAgain(m))
        .isInstanceOf(NotFoundException.class)
        .hasMessageContaining("user")
        .hasMessageContaining("777");
    assertThat(find(Fixtures.GROUP_ID, 1, Direction.IN)).isEmpty();
  }

  @Test
  void anOutgoingMessageIsStoredWithTelegramsIdAndDateAndNoAuthor() {
    transactions().run(s -> s.chats().upsert(Fixtures.group()));
    Instant sentAt = T0.plusSeconds(3);
    OutgoingMessage reply = new OutgoingMessage(Fixtures.GROUP_ID, "Ticket #1 is open", 17L, 5L);

    StoredMessage out = recordOutgoing(reply, new SentMessage(Fixtures.GROUP_ID, 18, sentAt));

    assertThat(out.id()).isPositive();
    assertThat(out.direction()).isEqualTo(Direction.OUT);
    assertThat(out.chatId()).isEqualTo(Fixtures.GROUP_ID);
    assertThat(out.userId()).isNull();
    assertThat(out.telegramMessageId()).isEqualTo(18);
    assertThat(out.sentAt()).isEqualTo(sentAt);
    assertThat(out.text()).isEqualTo("Ticket #1 is open");
    assertThat(out.replyToMessageId()).isEqualTo(17L);
    assertThat(out.threadId()).isEqualTo(5L);
    assertThat(byId(out.id())).isEqualTo(out);
  }

  @Test
  void recordingAnOutgoingMessageTwiceReturnsTheStoredOne() {
    transactions().run(s -> s.chats().upsert(privateChat(alice())));
    StoredMessage first = recordOutgoing(Fixtures.reply(alice().id(), "hello"), Fixtures.sent(alice().id(), 3));

    StoredMessage second = recordOutgoing(Fixtures.reply(alice().id(), "hello"), Fixtures.sent(alice().id(), 3));

    assertThat(second).isEqualTo(first);
    assertThat(transactions().inTransaction((Stores s) -> s.messages().listByChat(alice().id(), 10))).hasSize(1);
  }

  @Test
  void unknownMessagesAreNotFound() {
    assertThat(transactions().inTransaction((Stores s) -> s.messages().findById(404))).isEmpty();
    assertThat(find(42, 1, Direction.IN)).isEmpty();
  }

  @Test
  void markNoiseStoresTheReason() {
    StoredMessage m = recordWithAuthor(text(privateChat(alice()), alice(), 1, "спасибо")).message();

    transactions().run(s -> s.messages().markNoise(m.id(), "thanks"));

    StoredMessage after = byId(m.id());
    assertThat(after.isNoise()).isTrue();
    assertThat(after.noiseReason()).isEqualTo("thanks");
    assertThat(m.noiseReason()).as("the earlier snapshot does not change").isNull();
  }

  @Test
  void clearNoiseUndoesMarkNoise() {
    StoredMessage m = recordWithAuthor(text(Fixtures.group(), alice(), 1, "buy crypto now")).message();
    transactions().run(s -> s.messages().markNoise(m.id(), "spam:classifier"));

    transactions().run(s -> s.messages().clearNoise(m.id()));

    StoredMessage after = byId(m.id());
    assertThat(after.isNoise()).isFalse();
    assertThat(after.noiseReason()).isNull();
    assertThat(after.text()).isEqualTo("buy crypto now");
    assertThatThrownBy(() -> transactions().run(s -> s.messages().clearNoise(407)))
        .isInstanceOf(NotFoundException.class).hasMessageContaining("message").hasMessageContaining("407");
  }

  @Test
  void setIntentStoresNameAndConfidence() {
    StoredMessage m = recordWithAuthor(text(privateChat(alice()), alice(), 1, "где мой счёт?")).message();

    transactions().run(s -> s.messages().setIntent(m.id(), new Intent("billing", 0.875)));

    assertThat(byId(m.id()).intent()).isEqualTo(new Intent("billing", 0.875));
  }

  @Test
  void markHandledStoresTheTime() {
    StoredMessage m = recordWithAuthor(text(privateChat(alice()), alice(), 1, "help")).message();
    Instant at = T0.plusSeconds(2);

    transactions().run(s -> s.messages().markHandled(m.id(), at));

    StoredMessage after = byId(m.id());
    assertThat(after.isHandled()).isTrue();
    assertThat(after.handledAt()).isEqualTo(at);
    assertThat(after.text()).isEqualTo("help");
  }

  @Test
  void markHandledWithVerdictsStoresThemAllInOneStep() {
    StoredMessage noise = recordWithAuthor(text(privateChat(alice()), alice(), 1, "спасибо")).message();
    StoredMessage question = recordWithAuthor(text(privateChat(alice()), alice(), 2, "где мой счёт?")).message();
    Instant at = T0.plusSeconds(3);

    transactions().run(s -> {
      s.messages().markHandled(noise.id(), "thanks", null, at);
      s.messages().markHandled(question.id(), null, new Intent("billing", 0.875), at.plusSeconds(1));
    });

    StoredMessage n = byId(noise.id());
    assertThat(n.isNoise()).isTrue();
    assertThat(n.noiseReason()).isEqualTo("thanks");
    assertThat(n.intent()).isNull();
    assertThat(n.handledAt()).isEqualTo(at);
    StoredMessage q = byId(question.id());
    assertThat(q.isNoise()).isFalse();
    assertThat(q.intent()).isEqualTo(new Intent("billing", 0.875));
    assertThat(q.handledAt()).isEqualTo(at.plusSeconds(1));
    assertThat(q.text()).isEqualTo("где мой счёт?");
  }

  @Test
  void markHandledWithoutVerdictsKeepsTheOnesStoredBefore() {
    StoredMessage m = recordWithAuthor(text(Fixtures.group(), alice(), 1, "buy crypto now")).message();
    transactions().run(s -> {
      s.messages().markNoise(m.id(), "spam:classifier");
      s.messages().setIntent(m.id(), new Intent("billing", 0.5));
    });

    transactions().run(s -> s.messages().markHandled(m.id(), null, null, T0.plusSeconds(5)));

    StoredMessage after = byId(m.id());
    assertThat(after.noiseReason()).isEqualTo("spam:classifier");
    assertThat(after.intent()).isEqualTo(new Intent("billing", 0.5));
    assertThat(after.handledAt()).isEqualTo(T0.plusSeconds(5));
  }

  @Test
  void markHandledWithVerdictsOfAnUnknownMessageChangesNothingAndNamesIt() {
    assertThatThrownBy(() -> transactions().run(s -> s.messages().markHandled(408, "thanks", null, T0)))
        .isInstanceOf(NotFoundException.class).hasMessageContaining("message").hasMessageContaining("408");
    StoredMessage m = recordWithAuthor(text(privateChat(alice()), alice(), 1, "help")).message();
    assertThatThrownBy(() -> transactions().run(s -> s.messages().markHandled(m.id(), " ", null, T0)))
        .isInstanceOf(InvalidInputException.class);
    assertThat(byId(m.id()).isHandled()).isFalse();
  }

  @Test
  void updatesOfAnUnknownMessageThrowNotFoundNamingIt() {
    assertThatThrownBy(() -> transactions().run(s -> s.messages().markNoise(404, "spam")))
        .isInstanceOf(NotFoundException.class).hasMessageContaining("message").hasMessageContaining("404");
    assertThatThrownBy(() -> transactions().run(s -> s.messages().setIntent(405, Intent.outOfScope(0.5))))
        .isInstanceOf(NotFoundException.class).hasMessageContaining("message").hasMessageContaining("405");
    assertThatThrownBy(() -> transactions().run(s -> s.messages().markHandled(406, T0)))
        .isInstanceOf(NotFoundException.class).hasMessageContaining("message").hasMessageContaining("406");
  }

  @Test
  void listByChatReturnsTheNewestFirstBySentTimeThenId() {
    Chat chat = privateChat(alice());
    StoredMessage oldest = recordWithAuthor(text(chat, alice(), 1, "a", T0)).message();
    StoredMessage newest = recordWithAuthor(text(chat, alice(), 2, "b", T0.plus(Duration.ofMinutes(2)))).message();
    StoredMessage middleFirst = recordWithAuthor(text(chat, alice(), 3, "c", T0.plus(Duration.ofMinutes(1))))
        .message();
    StoredMessage middleSecond = recordWithAuthor(text(chat, alice(), 4, "d", T0.plus(Duration.ofMinutes(1))))
        .message();
    recordWithAuthor(text(privateChat(bob()), bob(), 5, "other chat", T0.plusSeconds(600)));

    List<StoredMessage> all = transactions().inTransaction(s -> s.messages().listByChat(chat.id(), 10));

    assertThat(all).extracting(StoredMessage::id)
        .containsExactly(newest.id(), middleSecond.id(), middleFirst.id(), oldest.id());
  }

  @Test
  void listByChatReturnsOnlyTheNewestLimitMessages() {
    Chat chat = Fixtures.group();
    for (int i = 1; i <= 5; i++) {
      recordWithAuthor(text(chat, alice(), i, "m" + i, T0.plusSeconds(i)));
    }

    List<StoredMessage> two = transactions().inTransaction(s -> s.messages().listByChat(Fixtures.GROUP_ID, 2));

    assertThat(two).extracting(StoredMessage::text).containsExactly("m5", "m4");
  }

  @Test
  void listByChatOfAChatWithoutMessagesIsEmpty() {
    assertThat(transactions().inTransaction((Stores s) -> s.messages().listByChat(-123, 10))).isEmpty();
  }

  @Test
  void unicodeEmojiAndSqlLookingTextsAreStoredVerbatim() {
    Chat chat = privateChat(alice());
    String[] texts = {RUSSIAN, EMOJI, SQL_INJECTION, "line one\nline two\ttab", ""};
    for (int i = 0; i < texts.length; i++) {
      StoredMessage stored = recordWithAuthor(text(chat, alice(), i + 1, texts[i])).message();
      assertThat(byId(stored.id()).text()).isEqualTo(texts[i]);
    }
    StoredMessage out = recordOutgoing(Fixtures.reply(chat.id(), RUSSIAN + EMOJI), Fixtures.sent(chat.id(), 99));
    assertThat(byId(out.id()).text()).isEqualTo(RUSSIAN + EMOJI);
  }

  @Test
  void anAuthorWithThe53BitMaximumIdIsKeptExactly() {
    TelegramUser max = Fixtures.user(TelegramUser.MAX_ID, "Max");

    StoredMessage m = recordWithAuthor(text(Fixtures.group(), max, 1, "hi")).message();

    assertThat(byId(m.id()).userId()).isEqualTo(TelegramUser.MAX_ID);
  }

  @Test
  void messageIdsIncreaseInRecordingOrder() {
    Chat chat = privateChat(alice());
    long first = recordWithAuthor(text(chat, alice(), 10, "a")).message().id();
    long second = recordWithAuthor(text(chat, alice(), 11, "b")).message().id();

    assertThat(second).isGreaterThan(first);
  }

  @Test
  void searchFindsMessagesContainingEveryWordInAnyGrammaticalForm() {
    Chat chat = privateChat(alice());
    long ru = recordWithAuthor(text(chat, alice(), 21, "Не могу сбросить пароли от аккаунта")).message().id();
    long en = recordWithAuthor(text(chat, alice(), 22, "Resetting passwords never works for me")).message().id();
    recordWithAuthor(text(chat, alice(), 23, "Оплата не проходит"));

    List<StoredMessage> russian = transactions().inTransaction((Stores s) -> s.messages().search("пароль", 10));
    List<StoredMessage> english = transactions().inTransaction((Stores s) -> s.messages().search("password reset", 10));
    List<StoredMessage> none = transactions().inTransaction((Stores s) -> s.messages().search("refund", 10));

    assertThat(russian).extracting(StoredMessage::id).containsExactly(ru);
    assertThat(english).extracting(StoredMessage::id).containsExactly(en);
    assertThat(none).isEmpty();
  }

  @Test
  void taggedMessagesAreFoundByTagNewestFirst() {
    Chat chat = privateChat(alice());
    long first = recordWithAuthor(text(chat, alice(), 31, "one")).message().id();
    long second = recordWithAuthor(text(chat, alice(), 32, "two")).message().id();
    recordWithAuthor(text(chat, alice(), 33, "three"));
    transactions().run(s -> {
      s.messages().tag(first, "vip");
      s.messages().tag(second, "vip");
      s.messages().tag(second, "vip");
    });

    List<StoredMessage> vip = transactions().inTransaction((Stores s) -> s.messages().findByTag("vip", 10));

    assertThat(vip).extracting(StoredMessage::id).containsExactly(second, first);
    assertThatThrownBy(() -> transactions().run(s -> s.messages().tag(999_999, "vip")))
        .isInstanceOf(NotFoundException.class);
  }

  @Test
  void aDeletedMessageIsHiddenEverywhereAndRecordingItAgainDoesNotResurrectIt() {
    Chat chat = privateChat(alice());
    IncomingMessage m = text(chat, alice(), 41, "удалите меня");
    long id = recordWithAuthor(m).message().id();
    transactions().run(s -> s.messages().delete(id));

    Optional<StoredMessage> byId = transactions().inTransaction((Stores s) -> s.messages().findById(id));
    Optional<StoredMessage> byKey =
        transactions().inTransaction((Stores s) -> s.messages().find(chat.id(), 41, Direction.IN));
    List<StoredMessage> history = transactions().inTransaction((Stores s) -> s.messages().listByChat(chat.id(), 10));
    Recorded again = recordWithAuthor(m);

    assertThat(byId).isEmpty();
    assertThat(byKey).isEmpty();
    assertThat(history).isEmpty();
    assertThat(again.created()).isFalse();
    assertThat(again.message().id()).isEqualTo(id);
    assertThatThrownBy(() -> transactions().run(s -> s.messages().delete(id))).isInstanceOf(NotFoundException.class);
  }

  @Test
  void aMigratedGroupsHistoryIsListedUnderTheNewId() {
    Chat group = Chat.of(-4001, dev.tgsupport.core.model.ChatType.GROUP, "Old group");
    long old = recordWithAuthor(text(group, alice(), 7, "before", T0)).message().id();
    transactions().run(s -> s.chats().migrate(-4001, -1004001));
    Chat supergroup = Chat.of(-1004001, dev.tgsupport.core.model.ChatType.SUPERGROUP, "Old group");
    long fresh = recordWithAuthor(text(supergroup, alice(), 7, "after", T0.plusSeconds(60))).message().id();

    List<StoredMessage> history =
        transactions().inTransaction((Stores s) -> s.messages().listByChat(-1004001, 10));

    assertThat(history).extracting(StoredMessage::id).containsExactly(fresh, old);
    assertThat(recordWithAuthor(text(group, alice(), 7, "before", T0)).created()).isFalse();
  }

  @Test
  void anAttachmentIsStoredWithEveryFieldAndReturnedByEveryRead() {
    Chat chat = privateChat(alice());
    IncomingMessage m = new IncomingMessage(chat, alice(), 50, null, null, MessageType.DOCUMENT, "смотрите файл", T0,
        FULL_ATTACHMENT);

    Recorded first = recordWithAuthor(m);
    Recorded again = recordAgain(m);

    assertThat(first.message().attachment()).isEqualTo(FULL_ATTACHMENT);
    assertThat(again.message().attachment()).isEqualTo(FULL_ATTACHMENT);
    assertThat(byId(first.message().id()).attachment()).isEqualTo(FULL_ATTACHMENT);
    assertThat(find(chat.id(), 50, Direction.IN)).get().extracting(StoredMessage::attachment)
        .isEqualTo(FULL_ATTACHMENT);
    assertThat(transactions().inTransaction((Stores s) -> s.messages().listByChat(chat.id(), 10)))
        .singleElement().extracting(StoredMessage::attachment).isEqualTo(FULL_ATTACHMENT);
  }

  @Test
  void anAttachmentWithOnlyTheRequiredFieldsKeepsTheOthersNullAndTextHasNone() {
    Chat chat = privateChat(alice());
    Attachment bare = Attachment.of(MessageType.PHOTO, "AgACAgIAAxkBAAIBO2Y0");
    StoredMessage photo = recordWithAuthor(
        new IncomingMessage(chat, alice(), 51, null, null, MessageType.PHOTO, "", T0, bare)).message();
    StoredMessage plain = recordWithAuthor(text(chat, alice(), 52, "no file")).message();

    assertThat(byId(photo.id()).attachment()).isEqualTo(bare);
    assertThat(byId(photo.id()).attachment().fileUniqueId()).isNull();
    assertThat(byId(photo.id()).attachment().fileName()).isNull();
    assertThat(byId(photo.id()).attachment().mimeType()).isNull();
    assertThat(byId(photo.id()).attachment().fileSize()).isNull();
    assertThat(byId(plain.id()).attachment()).isNull();
  }

  @Test
  void verdictsKeepTheAttachment() {
    IncomingMessage m = new IncomingMessage(privateChat(alice()), alice(), 53, null, null, MessageType.DOCUMENT, "",
        T0, FULL_ATTACHMENT);
    long id = recordWithAuthor(m).message().id();

    transactions().run(s -> {
      s.messages().markNoise(id, "no_text");
      s.messages().setIntent(id, new Intent("billing", 0.5));
      s.messages().markHandled(id, T0);
    });

    assertThat(byId(id).attachment()).isEqualTo(FULL_ATTACHMENT);
  }

  @Test
  void everyMessageTypeIsStoredAndReadBackAsItself() {
    Chat chat = privateChat(alice());
    MessageType[] types = MessageType.values();
    for (int i = 0; i < types.length; i++) {
      MessageType type = types[i];
      Attachment file = type == MessageType.TEXT ? null : Attachment.of(type, "file-" + type.wireName());
      StoredMessage stored = recordWithAuthor(
          new IncomingMessage(chat, alice(), 100 + i, null, null, type, "", T0, file)).message();

      assertThat(byId(stored.id()).type()).as(type.name()).isEqualTo(type);
      assertThat(byId(stored.id()).attachment()).as(type.name()).isEqualTo(file);
    }
  }

  @Test
  void updateIncomingReplacesTextTypeAndAttachmentAndKeepsTheRest() {
    IncomingMessage original =
        new IncomingMessage(Fixtures.group(), alice(), 60, 5L, 59L, MessageType.TEXT, "Не работает экспорт", T0);
    StoredMessage stored = recordWithAuthor(original).message();
    transactions().run(s -> {
      s.messages().setIntent(stored.id(), new Intent("export", 0.75));
      s.messages().markHandled(stored.id(), T0.plusSeconds(1));
    });

    Optional<StoredMessage> updated = updateIncoming(
        edit(original, MessageType.PHOTO, "Не работает экспорт, скриншот " + EMOJI, FULL_ATTACHMENT));

    assertThat(updated).isPresent();
    StoredMessage u = updated.get();
    assertThat(u.id()).isEqualTo(stored.id());
    assertThat(u.type()).isEqualTo(MessageType.PHOTO);
    assertThat(u.text()).isEqualTo("Не работает экспорт, скриншот " + EMOJI);
    assertThat(u.attachment()).isEqualTo(FULL_ATTACHMENT);
    assertThat(u.sentAt()).isEqualTo(T0);
    assertThat(u.threadId()).isEqualTo(5L);
    assertThat(u.replyToMessageId()).isEqualTo(59L);
    assertThat(u.userId()).isEqualTo(alice().id());
    assertThat(u.intent()).isEqualTo(new Intent("export", 0.75));
    assertThat(u.handledAt()).isEqualTo(T0.plusSeconds(1));
    assertThat(byId(stored.id())).isEqualTo(u);
    assertThat(find(Fixtures.GROUP_ID, 60, Direction.IN)).contains(u);

    StoredMessage back = updateIncoming(edit(original, MessageType.TEXT, "Уже работает", null)).orElseThrow();
    assertThat(back.type()).isEqualTo(MessageType.TEXT);
    assertThat(back.attachment()).isNull();
    assertThat(byId(stored.id()).text()).isEqualTo("Уже работает");
  }

  @Test
  void anEditedTextIsFoundBySearchAndTheOldOneIsNot() {
    IncomingMessage original = text(privateChat(alice()), alice(), 61, "Оплата не проходит");
    long id = recordWithAuthor(original).message().id();

    updateIncoming(original.withText("Не могу сбросить пароль"));

    assertThat(transactions().inTransaction((Stores s) -> s.messages().search("пароль", 10)))
        .extracting(StoredMessage::id).containsExactly(id);
    assertThat(transactions().inTransaction((Stores s) -> s.messages().search("оплата", 10))).isEmpty();
  }

  @Test
  void updateIncomingNeverTouchesAnOutgoingMessageWithTheSameTelegramId() {
    Chat chat = privateChat(alice());
    transactions().run(s -> {
      s.users().upsert(alice());
      s.chats().upsert(chat);
    });
    StoredMessage out = recordOutgoing(Fixtures.reply(chat.id(), "Ticket #1 is open"), Fixtures.sent(chat.id(), 62));

    Optional<StoredMessage> updated = updateIncoming(text(chat, alice(), 62, "hijacked"));

    assertThat(updated).isEmpty();
    assertThat(byId(out.id())).isEqualTo(out);
    assertThat(find(chat.id(), 62, Direction.IN)).isEmpty();
  }

  @Test
  void updateIncomingOfAnUnknownMessageIsEmptyAndStoresNothing() {
    assertThat(updateIncoming(text(Fixtures.group(-777), alice(), 1, "never stored"))).isEmpty();
    recordWithAuthor(text(privateChat(alice()), alice(), 63, "stored"));
    assertThat(updateIncoming(text(privateChat(alice()), alice(), 64, "another id"))).isEmpty();

    assertThat(find(alice().id(), 64, Direction.IN)).isEmpty();
    assertThat(find(alice().id(), 63, Direction.IN)).get().extracting(StoredMessage::text).isEqualTo("stored");
  }

  @Test
  void updateIncomingOfADeletedMessageIsEmptyAndItStaysDeleted() {
    IncomingMessage m = text(privateChat(alice()), alice(), 65, "удалите меня");
    long id = recordWithAuthor(m).message().id();
    transactions().run(s -> s.messages().delete(id));

    assertThat(updateIncoming(m.withText("edited after delete"))).isEmpty();

    assertThat(transactions().inTransaction((Stores s) -> s.messages().findById(id))).isEmpty();
    assertThat(recordAgain(m).message().text()).isEqualTo("удалите меня");
  }

  @Test
  void aRedeliveredOriginalAfterAnEditReturnsTheEditedMessageAndDoesNotRevertIt() {
    IncomingMessage original = text(privateChat(alice()), alice(), 66, "первая версия");
    long id = recordWithAuthor(original).message().id();
    StoredMessage edited = updateIncoming(original.withText("вторая версия")).orElseThrow();

    Recorded again = recordWithAuthor(original);

    assertThat(again.created()).isFalse();
    assertThat(again.message()).isEqualTo(edited);
    assertThat(byId(id).text()).isEqualTo("вторая версия");
  }

  @Test
  void listUnhandledReturnsOnlyIncomingUnhandledLiveMessagesInRecordingOrder() {
    Chat chat = privateChat(alice());
    // Recorded first although Telegram dates it later: the order is the order of recording.
    StoredMessage first = recordWithAuthor(text(chat, alice(), 70, "first", T0.plusSeconds(3600))).message();
    StoredMessage handled = recordWithAuthor(text(chat, alice(), 71, "handled")).message();
    StoredMessage deleted = recordWithAuthor(text(chat, alice(), 72, "deleted")).message();
    recordOutgoing(Fixtures.reply(chat.id(), "an answer"), Fixtures.sent(chat.id(), 73));
    StoredMessage second = recordWithAuthor(text(privateChat(bob()), bob(), 74, "second", T0)).message();
    transactions().run(s -> {
      s.messages().markHandled(handled.id(), T0);
      s.messages().delete(deleted.id());
    });

    List<StoredMessage> all = listUnhandled(Instant.EPOCH, 10);

    assertThat(all).extracting(StoredMessage::id).containsExactly(first.id(), second.id());
    assertThat(all.get(0)).isEqualTo(first);
    assertThat(listUnhandled(Instant.EPOCH, 1)).extracting(StoredMessage::id).containsExactly(first.id());
    assertThat(listUnhandled(Instant.EPOCH, 0)).isEmpty();
  }

  @Test
  void listUnhandledLeavesOutMessagesRecordedBeforeSince() throws InterruptedException {
    // Recording times come from the storage (its clock, or the database's): real time, with wide margins.
    Chat chat = privateChat(alice());
    recordWithAuthor(text(chat, alice(), 80, "before"));
    Thread.sleep(50);
    Instant since = Instant.now();
    Thread.sleep(50);
    StoredMessage after = recordWithAuthor(text(chat, alice(), 81, "after")).message();

    assertThat(listUnhandled(since, 10)).extracting(StoredMessage::id).containsExactly(after.id());
    assertThat(listUnhandled(Instant.now().plusSeconds(3600), 10)).isEmpty();
  }

  @Test
  void listUnhandledKeepsTheAttachment() {
    IncomingMessage m = new IncomingMessage(privateChat(alice()), alice(), 82, null, null, MessageType.DOCUMENT, "",
        T0, FULL_ATTACHMENT);
    recordWithAuthor(m);

    assertThat(listUnhandled(Instant.EPOCH, 10)).singleElement().extracting(StoredMessage::attachment)
        .isEqualTo(FULL_ATTACHMENT);
  }
}
