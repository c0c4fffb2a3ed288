package dev.tgsupport.storage.mybatis;

import static dev.tgsupport.core.contract.Fixtures.EMOJI;
import static dev.tgsupport.core.contract.Fixtures.RUSSIAN;
import static dev.tgsupport.core.contract.Fixtures.SQL_INJECTION;
import static dev.tgsupport.core.contract.Fixtures.T0;
import static dev.tgsupport.core.contract.Fixtures.alice;
import static dev.tgsupport.core.contract.Fixtures.privateChat;
import static dev.tgsupport.core.contract.Fixtures.record;
import static dev.tgsupport.core.contract.Fixtures.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.tgsupport.core.InvalidInputException;
import dev.tgsupport.core.model.Attachment;
import dev.tgsupport.core.model.Chat;
import dev.tgsupport.core.model.ChatType;
import dev.tgsupport.core.model.Direction;
import dev.tgsupport.core.model.IncomingMessage;
import dev.tgsupport.core.model.KnowledgeDraft;
import dev.tgsupport.core.model.KnowledgeEntry;
import dev.tgsupport.core.model.KnowledgeSource;
import dev.tgsupport.core.model.KnowledgeStatus;
import dev.tgsupport.core.model.MessageType;
import dev.tgsupport.core.model.OutboxEntry;
import dev.tgsupport.core.model.OutgoingMessage;
import dev.tgsupport.core.model.SentMessage;
import dev.tgsupport.core.model.StoredMessage;
import dev.tgsupport.core.model.TelegramUser;
import dev.tgsupport.core.model.Ticket;
import dev.tgsupport.core.model.TicketEvent;
import dev.tgsupport.core.model.TicketEventKind;
import dev.tgsupport.core.port.Stores;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Whatever text and ids Telegram (or an attacker) sends through the ports are stored exactly, or refused whole. */
class BadInputIT {
  private static final int ONE_MEGABYTE = 1 << 20;
  private static final List<String> TABLES =
      List.of("users", "chats", "messages", "tickets", "ticket_events", "knowledge_entries", "outbox", "sync_log",
          "telegram_updates");

  private static MyBatisStorage storage;

  @RegisterExtension
  static final PgSchemaExtension db = new PgSchemaExtension("badinput", s -> storage = s);

  private static long count(String sql) {
    try (Connection c = TestDatabase.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new IllegalStateException(sql, e);
    }
  }

  private static long rows(String table) {
    return count("SELECT count(*) FROM " + db.name() + "." + table);
  }

  private static StoredMessage byId(long id) {
    return storage.inTransaction(s -> s.messages().findById(id)).orElseThrow();
  }

  private static List<Long> search(String query) {
    List<StoredMessage> found = storage.inTransaction(s -> s.messages().search(query, 10));
    return found.stream().map(StoredMessage::id).toList();
  }

  @Test
  void nulCharactersAreStrippedAndHowManyIsKeptWithTheRow() {
    TelegramUser nulName = TelegramUser.of(42, "al\0ice", "Al\0ice", null, "ru");
    Chat chat = Chat.of(-1001234567890L, ChatType.SUPERGROUP, "Sup\0port");

    StoredMessage in = record(storage, text(chat, nulName, 1, "a\0b\0\0c"));
    StoredMessage out = storage.inTransaction(
        s -> s.messages().recordOutgoing(OutgoingMessage.to(chat.id(), "\0reply\0"), new SentMessage(chat.id(), 2, T0)));

    assertThat(byId(in.id()).text()).isEqualTo("abc");
    assertThat(byId(out.id()).text()).isEqualTo("reply");
    assertThat(count("SELECT stripped_nul_count FROM " + db.name() + ".messages WHERE id = " + in.id())).isEqualTo(3);
    assertThat(count("SELECT stripped_nul_count FROM " + db.name() + ".messages WHERE id = " + out.id())).isEqualTo(2);
    TelegramUser user = storage.inTransaction(s -> s.users().find(42)).orElseThrow();
    assertThat(user.firstName()).isEqualTo("Alice");
    assertThat(user.username()).isEqualTo("alice");
    assertThat(storage.inTransaction(s -> s.chats().find(chat.id())).orElseThrow().title()).isEqualTo("Support");
  }

  @Test
  void anEditStripsNulsRecountsThemAndRecordsWhenItHappened() {
    IncomingMessage original = text(privateChat(alice()), alice(), 1, "a\0b");
    StoredMessage in = record(storage, original);
    java.time.Instant before = java.time.Instant.now().minusSeconds(5);

    StoredMessage edited = storage.inTransaction(s -> s.messages().updateIncoming(new IncomingMessage(
        original.chat(), original.user(), 1, null, null, MessageType.DOCUMENT, "\0x\0y\0z",
        T0, new Attachment(MessageType.DOCUMENT, "BQ\0AC", null, "log\0.txt", "text/plain", 12L)))).orElseThrow();

    assertThat(edited.text()).isEqualTo("xyz");
    assertThat(edited.attachment()).isEqualTo(
        new Attachment(MessageType.DOCUMENT, "BQAC", null, "log.txt", "text/plain", 12L));
    assertThat(byId(in.id())).isEqualTo(edited);
    assertThat(count("SELECT stripped_nul_count FROM " + db.name() + ".messages WHERE id = " + in.id())).isEqualTo(3);
    assertThat(count("SELECT count(*) FROM " + db.name() + ".messages WHERE id = " + in.id()
        + " AND edited_at >= '" + before + "' AND edited_at <= now()")).isEqualTo(1);
    assertThat(count("SELECT count(*) FROM " + db.name() + ".messages WHERE edited_at IS NULL")).isZero();
  }

  @Test
  void hostileTextsInAttachmentsEditsAndRawUpdatesAreStoredVerbatim() {
    List<String> hostile = List.of("'); DROP TABLE telegram_updates; --", "$$", "\\", "%_", SQL_INJECTION,
        "#{payload} ${payload}", "*/ DELETE FROM messages; /*", "E'\\x00' \\n", RUSSIAN + " " + EMOJI);
    for (int i = 0; i < hostile.size(); i++) {
      String h = hostile.get(i);
      long telegramId = 1 + i;
      Attachment file = new Attachment(MessageType.DOCUMENT, h, h, h, h, (long) i);
      IncomingMessage m = new IncomingMessage(privateChat(alice()), alice(), telegramId, null, null,
          MessageType.DOCUMENT, h, T0, file);
      StoredMessage stored = record(storage, m);
      storage.run(s -> {
        s.messages().updateIncoming(m.withText(h + h));
        assertThat(s.updates().saveRaw(telegramId, h, h, h)).isTrue();
      });

      StoredMessage back = byId(stored.id());
      assertThat(back.attachment()).isEqualTo(file);
      assertThat(back.text()).isEqualTo(h + h);
    }
    List<dev.tgsupport.core.port.UpdateStore.RawUpdate> raw = storage.inTransaction(s -> s.updates().listRaw(100));
    assertThat(raw).hasSize(hostile.size());
    for (var u : raw) {
      String h = hostile.get((int) u.updateId() - 1);
      assertThat(List.of(u.kind(), u.payload(), u.error())).containsOnly(h);
    }
    assertThat(rows("telegram_updates")).isEqualTo(hostile.size());
    assertThat(rows("messages")).isEqualTo(hostile.size());
  }

  @Test
  void loneSurrogatesInARawUpdateBecomeReplacementCharacters() {
    storage.run(s -> s.updates().saveRaw(1, "unparsable", "{\"text\":\"a\uD800b\"}", "bad \uDC00"));

    assertThat(storage.inTransaction((Stores s) -> s.updates().listRaw(1))).singleElement().satisfies(u -> {
      assertThat(u.payload()).isEqualTo("{\"text\":\"a\uFFFDb\"}");
      assertThat(u.error()).isEqualTo("bad \uFFFD");
    });
  }

  @Test
  void aOneMegabyteMessageOfRussianProseAndEmojiRoundTripsExactlyAndIsSearchable() {
    String big = oneMegabyteOf(RUSSIAN + " " + EMOJI + " ");

    StoredMessage stored = record(storage, text(privateChat(alice()), alice(), 1, big));

    assertThat(byId(stored.id()).text()).isEqualTo(big);
    assertThat(search("подтверждение")).containsExactly(stored.id());
  }

  @Test
  void aOneMegabyteMessageOfDistinctWordsIsStoredExactlyAndItsFirstHundredThousandCharactersAreSearchable() {
    // A pasted log or dump: more distinct words than a tsvector (1 MB of lexemes at most) can hold.
    String big = distinctCyrillicWords("первыймаркер", "последниймаркер");

    StoredMessage stored = record(storage, text(privateChat(alice()), alice(), 1, big));

    assertThat(byId(stored.id()).text()).isEqualTo(big);
    assertThat(search("первыймаркер")).containsExactly(stored.id());
    assertThat(search("последниймаркер")).as("words past the indexed prefix").isEmpty();
  }

  @Test
  void aOneMegabyteKnowledgeAnswerOfDistinctWordsIsStoredExactly() {
    String answer = distinctCyrillicWords("ответмаркер", "хвостмаркер");

    KnowledgeEntry added = storage.inTransaction(
        s -> s.knowledge().add(KnowledgeDraft.of("Где полная инструкция?", answer), KnowledgeStatus.VALIDATED));

    KnowledgeEntry found = storage.inTransaction(s -> s.knowledge().find(added.id())).orElseThrow();
    assertThat(found.answer()).isEqualTo(answer);
  }

  @Test
  void loneSurrogatesAreStoredAsReplacementCharactersAndPairsSurvive() {
    TelegramUser user = TelegramUser.of(42, null, "Ali\uD800ce", "\uDC00", "ru");
    Chat chat = Chat.of(-1001234567890L, ChatType.SUPERGROUP, "Group \uD83D");

    StoredMessage stored = record(storage, text(chat, user, 1, "a\uD800b\uDC00c 👍 \uDC00\uD800 d\uD83D"));

    assertThat(byId(stored.id()).text()).isEqualTo("a\uFFFDb\uFFFDc 👍 \uFFFD\uFFFD d\uFFFD");
    TelegramUser storedUser = storage.inTransaction(s -> s.users().find(42)).orElseThrow();
    assertThat(storedUser.firstName()).isEqualTo("Ali\uFFFDce");
    assertThat(storedUser.lastName()).isEqualTo("\uFFFD");
    assertThat(storage.inTransaction(s -> s.chats().find(chat.id())).orElseThrow().title()).isEqualTo("Group \uFFFD");
  }

  @Test
  void sqlInjectionStringsAreStoredVerbatimEverywhereAndEveryTableSurvives() {
    List<String> hostile = List.of("'); DROP TABLE messages; --", "$$", "\\", "%_", SQL_INJECTION,
        "$1 $$ $tag$ ' || pg_sleep(5) || '", "#{text} ${text}", "*/ DELETE FROM users; /*", "E'\\x00' \\n");
    Chat group = Chat.of(-1001234567890L, ChatType.SUPERGROUP, hostile.get(0));
    List<Long> messageIds = new ArrayList<>();
    List<Long> knowledgeIds = new ArrayList<>();
    for (int i = 0; i < hostile.size(); i++) {
      String h = hostile.get(i);
      TelegramUser user = TelegramUser.of(100 + i, null, h, h, "ru");
      IncomingMessage m = new IncomingMessage(group, user, 1 + i, null, null, MessageType.TEXT, h, T0);
      StoredMessage stored = record(storage, m);
      messageIds.add(stored.id());
      storage.run(s -> {
        s.messages().tag(stored.id(), h);
        Ticket t = s.tickets().open(stored.id(), h);
        s.tickets().setExternalId(t.id(), h);
        s.ticketEvents().append(t.id(), TicketEventKind.COMMENT, h, h, h);
        knowledgeIds.add(s.knowledge().add(
            new KnowledgeDraft(h, h, List.of(h), KnowledgeSource.MANUAL, null), KnowledgeStatus.DRAFT).id());
      });
    }

    for (int i = 0; i < hostile.size(); i++) {
      String h = hostile.get(i);
      long messageId = messageIds.get(i);
      long knowledgeId = knowledgeIds.get(i);
      long userId = 100 + i;
      storage.run(s -> {
        assertThat(s.messages().findById(messageId).orElseThrow().text()).isEqualTo(h);
        assertThat(s.users().find(userId).orElseThrow().firstName()).isEqualTo(h);
        assertThat(s.users().find(userId).orElseThrow().lastName()).isEqualTo(h);
        Ticket t = s.tickets().findByMessage(messageId).orElseThrow();
        assertThat(t.title()).isEqualTo(h);
        assertThat(s.tickets().findByExternalId(h).orElseThrow().id()).isEqualTo(t.id());
        TicketEvent e = s.ticketEvents().list(t.id()).get(0);
        assertThat(List.of(e.author(), e.body(), e.externalId())).containsOnly(h);
        KnowledgeEntry k = s.knowledge().find(knowledgeId).orElseThrow();
        assertThat(List.of(k.question(), k.answer())).containsOnly(h);
        assertThat(k.tags()).containsExactly(h.strip());
        // Tags are compared as values, never as LIKE patterns.
        assertThat(s.messages().findByTag(h, 100)).extracting(StoredMessage::id).containsExactly(messageId);
        assertThat(s.knowledge().findByTag(h)).extracting(KnowledgeEntry::id).containsExactly(knowledgeId);
        assertThat(s.messages().search(h, 10)).isNotNull();
      });
    }
    assertThat(storage.inTransaction(s -> s.chats().find(group.id())).orElseThrow().title()).isEqualTo(hostile.get(0));
    for (String table : TABLES) {
      assertThat(count("SELECT count(*) FROM information_schema.tables WHERE table_schema = '" + db.name()
          + "' AND table_name = '" + table + "'")).as(table).isEqualTo(1);
    }
    assertThat(rows("messages")).isEqualTo(hostile.size());
    assertThat(rows("users")).isEqualTo(hostile.size());
    assertThat(rows("tickets")).isEqualTo(hostile.size());
  }

  @Test
  void negativeGroupIdsAndIdsNearTwoToTheFiftyThirdRoundTrip() {
    long nearTop = (1L << 53) - 1;
    TelegramUser user = TelegramUser.of(TelegramUser.MAX_ID, "max", "Max", null, "ru");
    Chat group = Chat.of(-1001234567890L, ChatType.SUPERGROUP, "Group");
    Chat channel = Chat.of(-(1L << 53) + 1, ChatType.CHANNEL, "Channel");
    Chat privateMax = privateChat(user);
    IncomingMessage inGroup =
        new IncomingMessage(group, user, nearTop, nearTop - 1, nearTop - 2, MessageType.TEXT, "edge", T0);
    IncomingMessage inPrivate = text(privateMax, user, Long.MAX_VALUE, "bigint edge");

    StoredMessage a = record(storage, inGroup);
    StoredMessage b = record(storage, inPrivate);
    storage.run(s -> s.chats().upsert(channel));
    StoredMessage out = storage.inTransaction(s -> s.messages().recordOutgoing(
        OutgoingMessage.to(channel.id(), "post"), new SentMessage(channel.id(), nearTop, T0)));
    Ticket ticket = storage.inTransaction(s -> s.tickets().open(a.id(), "edge"));

    storage.run(s -> {
      StoredMessage foundA = s.messages().find(group.id(), nearTop, Direction.IN).orElseThrow();
      assertThat(foundA.id()).isEqualTo(a.id());
      assertThat(foundA.chatId()).isEqualTo(-1001234567890L);
      assertThat(foundA.userId()).isEqualTo(TelegramUser.MAX_ID);
      assertThat(foundA.telegramMessageId()).isEqualTo(nearTop);
      assertThat(foundA.threadId()).isEqualTo(nearTop - 1);
      assertThat(foundA.replyToMessageId()).isEqualTo(nearTop - 2);
      assertThat(s.messages().find(privateMax.id(), Long.MAX_VALUE, Direction.IN).orElseThrow().id())
          .isEqualTo(b.id());
      assertThat(s.messages().find(channel.id(), nearTop, Direction.OUT).orElseThrow().id()).isEqualTo(out.id());
      assertThat(s.chats().find(channel.id()).orElseThrow().id()).isEqualTo(-(1L << 53) + 1);
      assertThat(s.users().find(TelegramUser.MAX_ID).orElseThrow().username()).isEqualTo("max");
      assertThat(s.tickets().listActiveByUser(TelegramUser.MAX_ID)).extracting(Ticket::id).containsExactly(ticket.id());
      assertThat(s.tickets().find(ticket.id()).orElseThrow().chatId()).isEqualTo(-1001234567890L);
      assertThat(s.messages().listByChat(group.id(), 10)).extracting(StoredMessage::id).containsExactly(a.id());
    });
  }

  @Test
  void emojiAndRussianRoundTripInEveryTextColumnAndRussianWordFormsFindEachOther() {
    TelegramUser user = TelegramUser.of(42, "юзер", "Алёна 👩‍💻", "Щукина", "ru");
    Chat chat = Chat.of(-1001234567890L, ChatType.SUPERGROUP, "Поддержка " + EMOJI);

    StoredMessage m = record(storage, text(chat, user, 1, RUSSIAN + " " + EMOJI));
    Ticket t = storage.inTransaction(s -> s.tickets().open(m.id(), "Код не приходит 😢"));
    storage.run(s -> s.ticketEvents().append(t.id(), TicketEventKind.COMMENT, "Оператор 🎧", EMOJI, null));
    KnowledgeEntry k = storage.inTransaction(s -> s.knowledge().add(
        new KnowledgeDraft("Не приходит СМС? 📱", "Проверьте номер ✅", List.of("смс 📱"), KnowledgeSource.MANUAL, "ru"),
        KnowledgeStatus.VALIDATED));
    OutboxEntry o = storage.inTransaction(s -> s.outbox().enqueue("ticket.create",
        "{\"title\":\"Код не приходит 😢\"}", T0));

    storage.run((Stores s) -> {
      assertThat(s.users().find(42).orElseThrow()).isEqualTo(user);
      assertThat(s.chats().find(chat.id()).orElseThrow().title()).isEqualTo("Поддержка " + EMOJI);
      assertThat(s.messages().findById(m.id()).orElseThrow().text()).isEqualTo(RUSSIAN + " " + EMOJI);
      assertThat(s.tickets().find(t.id()).orElseThrow().title()).isEqualTo("Код не приходит 😢");
      assertThat(s.ticketEvents().list(t.id()).get(0).author()).isEqualTo("Оператор 🎧");
      assertThat(s.ticketEvents().list(t.id()).get(0).body()).isEqualTo(EMOJI);
      KnowledgeEntry found = s.knowledge().find(k.id()).orElseThrow();
      assertThat(found.question()).isEqualTo("Не приходит СМС? 📱");
      assertThat(found.answer()).isEqualTo("Проверьте номер ✅");
      assertThat(found.tags()).containsExactly("смс 📱");
      assertThat(s.outbox().listPending(10)).extracting(OutboxEntry::id).containsExactly(o.id());
      assertThat(s.outbox().listPending(10).get(0).payload()).contains("Код не приходит 😢");
      // "подтверждения" in the message, "подтверждение" in the query: one stem.
      assertThat(s.messages().search("подтверждение смс", 10)).extracting(StoredMessage::id).containsExactly(m.id());
    });
  }

  @Test
  void aTransactionThatFailsOnBadInputAfterRecordingAMessageLeavesNoRowBehind() {
    IncomingMessage m = text(privateChat(alice()), alice(), 1, "hello");

    // jsonb cannot hold \u0000: the outbox refuses the payload after the user, chat and message were written.
    Throwable thrown = catchThrowable(() -> storage.run(s -> {
      s.users().upsert(m.user());
      s.chats().upsert(m.chat());
      s.messages().recordIncoming(m);
      s.outbox().enqueue("ticket.create", "{\"text\":\"a\\u0000b\"}", T0);
    }));

    assertThat(thrown).isInstanceOf(InvalidInputException.class).hasMessageContaining("22P05");
    for (String table : List.of("users", "chats", "messages", "outbox")) {
      assertThat(rows(table)).as(table).isZero();
    }
  }

  @Test
  void aTagTooLargeForItsIndexIsRefusedAsInvalidInputAndNothingOfTheTransactionIsStored() {
    IncomingMessage m = text(privateChat(alice()), alice(), 1, "hello");
    String hugeTag = randomLetters(new Random(7), 20_000); // incompressible, far above an index entry's 8 kB

    Throwable thrown = catchThrowable(() -> storage.run(s -> {
      s.users().upsert(m.user());
      s.chats().upsert(m.chat());
      long id = s.messages().recordIncoming(m).message().id();
      s.messages().tag(id, hugeTag);
    }));

    assertThat(thrown).isInstanceOf(InvalidInputException.class).hasMessageContaining("54000");
    assertThat(thrown.getMessage()).hasSizeLessThan(1000);
    for (String table : List.of("users", "chats", "messages")) {
      assertThat(rows(table)).as(table).isZero();
    }
  }

  /** {@code unit} repeated to exactly 2^20 chars, never ending in half a surrogate pair. */
  private static String oneMegabyteOf(String unit) {
    StringBuilder b = new StringBuilder(ONE_MEGABYTE + unit.length());
    while (b.length() < ONE_MEGABYTE) {
      b.append(unit);
    }
    b.setLength(ONE_MEGABYTE);
    if (Character.isHighSurrogate(b.charAt(ONE_MEGABYTE - 1))) {
      b.setCharAt(ONE_MEGABYTE - 1, '.');
    }
    return b.toString();
  }

  /** 2^20 chars of random Cyrillic words between two marker words. */
  private static String distinctCyrillicWords(String first, String last) {
    Random random = new Random(42);
    StringBuilder b = new StringBuilder(ONE_MEGABYTE).append(first);
    int end = ONE_MEGABYTE - last.length() - 1;
    while (b.length() < end) {
      b.append(' ').append(randomLetters(random, 5 + random.nextInt(6)));
    }
    b.setLength(end);
    b.append(' ').append(last);
    return b.toString();
  }

  private static String randomLetters(Random random, int length) {
    StringBuilder b = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      b.append((char) ('а' + random.nextInt(32)));
    }
    return b.toString();
  }
}
