package dev.tgsupport.core.contract;

import dev.tgsupport.core.model.Chat;
import dev.tgsupport.core.model.ChatType;
import dev.tgsupport.core.model.IncomingMessage;
import dev.tgsupport.core.model.MessageType;
import dev.tgsupport.core.model.OutgoingMessage;
import dev.tgsupport.core.model.SentMessage;
import dev.tgsupport.core.model.StoredMessage;
import dev.tgsupport.core.model.TelegramUser;
import dev.tgsupport.core.model.Ticket;
import dev.tgsupport.core.port.Transactions;
import java.time.Instant;

/**
 * Users, chats and messages for the storage contract suites. Times are whole seconds, so every storage (PostgreSQL
 * keeps microseconds) returns them unchanged; texts contain no NUL characters, which PostgreSQL cannot store.
 */
public final class Fixtures {
  /** The time every fixture message is sent at unless told otherwise. */
  public static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");

  /** Russian with an emoji: must come back exactly as written. */
  public static final String RUSSIAN = "Здравствуйте! Не приходит код подтверждения по СМС 😢";
  /** Emoji with a skin tone, a flag and a ZWJ sequence: several UTF-16 surrogate pairs. */
  public static final String EMOJI = "👍🏽 🇷🇺 👨‍👩‍👧 ✅";
  /** Looks like SQL injection; storage must treat it as plain text. */
  public static final String SQL_INJECTION = "Robert'); DROP TABLE messages; -- \" OR '1'='1' \\ %_";

  public static final long ALICE_ID = 42;
  public static final long BOB_ID = 43;
  /** A supergroup id as Telegram gives them: negative, -100 followed by the group number. */
  public static final long GROUP_ID = -1001234567890L;

  private Fixtures() {}

  /** A user as an update describes it: username "user&lt;id&gt;", language "ru", not internal, not blocked. */
  public static TelegramUser user(long id, String firstName) {
    return TelegramUser.of(id, "user" + id, firstName, null, "ru");
  }

  public static TelegramUser alice() {
    return user(ALICE_ID, "Alice");
  }

  public static TelegramUser bob() {
    return user(BOB_ID, "Bob");
  }

  /** The private chat with {@code user}. */
  public static Chat privateChat(TelegramUser user) {
    return Chat.privateChat(user.id(), user.firstName());
  }

  /** A supergroup with a negative id. */
  public static Chat group(long id) {
    return Chat.of(id, ChatType.SUPERGROUP, "Support group");
  }

  public static Chat group() {
    return group(GROUP_ID);
  }

  /** A text message sent at {@link #T0}. */
  public static IncomingMessage text(Chat chat, TelegramUser user, long telegramMessageId, String text) {
    return text(chat, user, telegramMessageId, text, T0);
  }

  public static IncomingMessage text(Chat chat, TelegramUser user, long telegramMessageId, String text, Instant at) {
    return new IncomingMessage(chat, user, telegramMessageId, null, null, MessageType.TEXT, text, at);
  }

  /** What Telegram answers for a message the bot sent at {@link #T0}. */
  public static SentMessage sent(long chatId, long telegramMessageId) {
    return new SentMessage(chatId, telegramMessageId, T0);
  }

  public static OutgoingMessage reply(long chatId, String text) {
    return OutgoingMessage.to(chatId, text);
  }

  /** Stores the message with its user and chat in one transaction, as the pipeline's record stage does. */
  public static StoredMessage record(Transactions transactions, IncomingMessage message) {
    return transactions.inTransaction(
        s -> {
          s.users().upsert(message.user());
          s.chats().upsert(message.chat());
          return s.messages().recordIncoming(message).message();
        });
  }

  /** Stores a message from {@code user} in their private chat and opens a ticket for it. */
  public static Ticket ticket(Transactions transactions, TelegramUser user, long telegramMessageId, String title) {
    StoredMessage m = record(transactions, text(privateChat(user), user, telegramMessageId, title));
    return transactions.inTransaction(s -> s.tickets().open(m.id(), title));
  }
}
