package dev.tgsupport.storage.mybatis;

import dev.tgsupport.core.model.Chat;
import dev.tgsupport.core.model.Direction;
import dev.tgsupport.core.model.IncomingMessage;
import dev.tgsupport.core.model.StoredMessage;
import dev.tgsupport.core.model.TelegramUser;
import dev.tgsupport.core.port.MessageStore.Recorded;
import dev.tgsupport.storage.mybatis.IngestMapper.ChatColumns;
import dev.tgsupport.storage.mybatis.IngestMapper.Inserted;
import dev.tgsupport.storage.mybatis.IngestMapper.MessageColumns;
import dev.tgsupport.storage.mybatis.IngestMapper.UserColumns;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.ibatis.session.ExecutorType;
import org.apache.ibatis.session.SqlSession;
import org.apache.ibatis.session.SqlSessionFactory;

/** Writes one batch in one transaction: one statement whatever its size, then a select for keys stored before. */
final class GroupCommitBatch {
  private static final Comparator<Key> KEY_ORDER =
      Comparator.comparingLong(Key::chatId).thenComparingLong(Key::telegramMessageId);

  private record Key(long chatId, long telegramMessageId) {}

  /** The message of a key as stored: cleaned text and attachment, and the caller's values for everything else. */
  private record Row(IncomingMessage message, String text, int strippedNuls, AttachmentColumns attachment) {}

  private GroupCommitBatch() {}

  /** What one message came to: its record, or {@link #RETRY} to record it again on its own. */
  record Outcome(Recorded recorded) {
    static final Outcome RETRY = new Outcome(null);
  }

  /**
   * Returns, in the order of {@code messages}, what each one came to. Throws when the ingest statement fails, and
   * then nothing was stored: the caller retries the messages one by one.
   */
  static List<Outcome> write(SqlSessionFactory sessions, List<IncomingMessage> messages) {
    // Distinct users and chats, the last one of the batch winning as if the messages were stored one after the
    // other; sorted by id, so two writers touching the same rows lock them in the same order.
    TreeMap<Long, TelegramUser> users = new TreeMap<>();
    TreeMap<Long, Chat> chats = new TreeMap<>();
    TreeMap<Key, Row> rows = new TreeMap<>(KEY_ORDER);
    List<Key> keys = new ArrayList<>(messages.size());
    for (IncomingMessage m : messages) {
      users.put(m.user().id(), PgStores.clean(m.user()));
      chats.put(m.chat().id(), PgStores.clean(m.chat()));
      Key key = new Key(m.chat().id(), m.telegramMessageId());
      keys.add(key);
      // The first message of a key is the one inserted, as it would be one by one.
      rows.computeIfAbsent(key, k -> new Row(m, Texts.clean(m.text()), Texts.countNuls(m.text()),
          AttachmentColumns.of(m.attachment())));
    }
    // Auto-commit: the one ingest statement is the transaction, committed (and flushed) before it answers.
    try (SqlSession session = sessions.openSession(ExecutorType.SIMPLE, true)) {
      IngestMapper mapper = session.getMapper(IngestMapper.class);
      Map<Key, StoredMessage> created = new HashMap<>();
      for (Inserted i : mapper.ingest(userColumns(users.values()), chatColumns(chats.values()), Direction.IN,
          messageColumns(rows.values()))) {
        Key key = new Key(i.chatId(), i.telegramMessageId());
        created.put(key, stored(i, rows.get(key)));
      }
      Map<Key, StoredMessage> existing = new HashMap<>();
      if (created.size() < rows.size()) {
        // Keys stored before (or by a concurrent writer): committed rows, so reading them after our commit is safe.
        List<Key> missing = new ArrayList<>();
        for (Key k : rows.keySet()) {
          if (!created.containsKey(k)) {
            missing.add(k);
          }
        }
        Long[] chatIds = new Long[missing.size()];
        Long[] telegramIds = new Long[missing.size()];
        for (int i = 0; i < missing.size(); i++) {
          chatIds[i] = missing.get(i).chatId();
          telegramIds[i] = missing.get(i).telegramMessageId();
        }
        try {
          for (MessageRow r : mapper.findByKeys(Direction.IN, chatIds, telegramIds)) {
            existing.put(new Key(r.chatId(), r.telegramMessageId()), r.toStored());
          }
        } catch (RuntimeException e) {
          // The batch is committed: its created rows stand, and only these callers need to look again, alone.
          existing.clear();
        }
      }
      List<Outcome> out = new ArrayList<>(messages.size());
      for (Key k : keys) {
        // Only the first caller of a key learns that it created the row.
        StoredMessage fresh = created.remove(k);
        if (fresh != null) {
          existing.put(k, fresh);
          out.add(new Outcome(new Recorded(fresh, true)));
          continue;
        }
        StoredMessage old = existing.get(k);
        // Null when the select failed, or after a hard delete since the insert: the caller records it again alone.
        out.add(old == null ? Outcome.RETRY : new Outcome(new Recorded(old, false)));
      }
      return out;
    }
  }

  /** A row this batch created is exactly what it sent, plus what the database assigned. */
  private static StoredMessage stored(Inserted i, Row r) {
    IncomingMessage m = r.message();
    return new StoredMessage(i.id(), i.chatId(), m.user().id(), i.telegramMessageId(), Direction.IN, m.threadId(),
        m.replyToMessageId(), m.type(), r.text(), i.sentAt(), null, null, null, r.attachment().toAttachment());
  }

  private static UserColumns userColumns(java.util.Collection<TelegramUser> users) {
    int n = users.size();
    UserColumns c = new UserColumns(new Long[n], new String[n], new String[n], new String[n], new String[n]);
    int i = 0;
    for (TelegramUser u : users) {
      c.ids()[i] = u.id();
      c.usernames()[i] = u.username();
      c.firstNames()[i] = u.firstName();
      c.lastNames()[i] = u.lastName();
      c.languages()[i] = u.languageCode();
      i++;
    }
    return c;
  }

  private static ChatColumns chatColumns(java.util.Collection<Chat> chats) {
    int n = chats.size();
    ChatColumns c = new ChatColumns(new Long[n], new String[n], new String[n]);
    int i = 0;
    for (Chat chat : chats) {
      c.ids()[i] = chat.id();
      c.types()[i] = chat.type().wireName();
      c.titles()[i] = chat.title();
      i++;
    }
    return c;
  }

  private static MessageColumns messageColumns(java.util.Collection<Row> rows) {
    int n = rows.size();
    MessageColumns c = new MessageColumns(new Long[n], new Long[n], new Long[n], new Long[n], new Long[n],
        new String[n], new String[n], new Integer[n], new String[n], new String[n], new String[n], new String[n],
        new String[n], new String[n], new Long[n]);
    int i = 0;
    for (Row r : rows) {
      IncomingMessage m = r.message();
      c.chatIds()[i] = m.chat().id();
      c.telegramIds()[i] = m.telegramMessageId();
      c.userIds()[i] = m.user().id();
      c.threadIds()[i] = m.threadId();
      c.replyToIds()[i] = m.replyToMessageId();
      c.types()[i] = m.type().wireName();
      c.texts()[i] = r.text();
      c.strippedNuls()[i] = r.strippedNuls();
      c.sentAt()[i] = m.date().toString();
      AttachmentColumns a = r.attachment();
      c.attachmentTypes()[i] = a.type() == null ? null : a.type().wireName();
      c.attachmentFileIds()[i] = a.fileId();
      c.attachmentFileUniqueIds()[i] = a.fileUniqueId();
      c.attachmentFileNames()[i] = a.fileName();
      c.attachmentMimeTypes()[i] = a.mimeType();
      c.attachmentFileSizes()[i] = a.fileSize();
      i++;
    }
    return c;
  }
}
