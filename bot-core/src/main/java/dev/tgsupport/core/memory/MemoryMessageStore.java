package dev.tgsupport.core.memory;

import static dev.tgsupport.core.InvalidInputException.check;
import static dev.tgsupport.core.InvalidInputException.requireNonBlank;
import static dev.tgsupport.core.InvalidInputException.requireNonNull;

import dev.tgsupport.core.NotFoundException;
import dev.tgsupport.core.model.Direction;
import dev.tgsupport.core.model.IncomingMessage;
import dev.tgsupport.core.model.Intent;
import dev.tgsupport.core.model.MessageType;
import dev.tgsupport.core.model.OutgoingMessage;
import dev.tgsupport.core.model.SentMessage;
import dev.tgsupport.core.model.StoredMessage;
import dev.tgsupport.core.port.MessageStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

final class MemoryMessageStore implements MessageStore {
  private static final Comparator<StoredMessage> NEWEST_FIRST =
      Comparator.comparing(StoredMessage::sentAt).thenComparingLong(StoredMessage::id).reversed();

  private static final dev.tgsupport.core.text.TextNormalizer NORMALIZER =
      dev.tgsupport.core.text.TextNormalizer.create();

  private final MemoryTransaction tx;

  MemoryMessageStore(MemoryTransaction tx) {
    this.tx = tx;
  }

  @Override
  public Recorded recordIncoming(IncomingMessage message) {
    requireNonNull(message, "message");
    Tables t = tx.tables();
    long chatId = message.chat().id();
    long userId = message.user().id();
    if (!t.chats.containsKey(chatId)) {
      throw new NotFoundException("chat " + chatId + " not found: store the chat before its messages");
    }
    if (!t.users.containsKey(userId)) {
      throw new NotFoundException("user " + userId + " not found: store the user before their messages");
    }
    Tables.MessageKey key = new Tables.MessageKey(chatId, message.telegramMessageId(), Direction.IN);
    Long existing = t.messageIds.get(key);
    if (existing != null) {
      return new Recorded(live(t, existing), false);
    }
    StoredMessage stored = new StoredMessage(t.nextMessageId(), chatId, userId, message.telegramMessageId(),
        Direction.IN, message.threadId(), message.replyToMessageId(), message.type(), message.text(), message.date(),
        null, null, null, message.attachment());
    insert(t, key, stored);
    return new Recorded(stored, true);
  }

  @Override
  public StoredMessage recordOutgoing(OutgoingMessage message, SentMessage sent) {
    requireNonNull(message, "message");
    requireNonNull(sent, "sent");
    Tables t = tx.tables();
    // Telegram's answer is the truth about where the message went; the request's chat is the fallback.
    long chatId = sent.chatId() != 0 ? sent.chatId() : message.chatId();
    if (!t.chats.containsKey(chatId)) {
      throw new NotFoundException("chat " + chatId + " not found: store the chat before its messages");
    }
    Tables.MessageKey key = new Tables.MessageKey(chatId, sent.telegramMessageId(), Direction.OUT);
    Long existing = t.messageIds.get(key);
    if (existing != null) {
      return live(t, existing);
    }
    StoredMessage stored = new StoredMessage(t.nextMessageId(), chatId, null, sent.telegramMessageId(),
        Direction.OUT, message.threadId(), message.replyToMessageId(), MessageType.TEXT, message.text(), sent.date(),
        null, null, null);
    insert(t, key, stored);
    return stored;
  }

  private void insert(Tables t, Tables.MessageKey key, StoredMessage stored) {
    tx.put(t.messages, stored.id(), stored);
    tx.put(t.messageIds, key, stored.id());
    tx.put(t.messageRecordedAt, stored.id(), tx.clock().instant());
  }

  @Override
  public Optional<StoredMessage> find(long chatId, long telegramMessageId, Direction direction) {
    requireNonNull(direction, "direction");
    Tables t = tx.tables();
    Long id = t.messageIds.get(new Tables.MessageKey(chatId, telegramMessageId, direction));
    return id == null ? Optional.empty() : Optional.ofNullable(t.messages.get(id));
  }

  @Override
  public Optional<StoredMessage> findById(long id) {
    return Optional.ofNullable(tx.tables().messages.get(id));
  }

  @Override
  public void markNoise(long id, String reason) {
    requireNonBlank(reason, "reason");
    StoredMessage m = existing(id);
    replace(new StoredMessage(m.id(), m.chatId(), m.userId(), m.telegramMessageId(), m.direction(), m.threadId(),
        m.replyToMessageId(), m.type(), m.text(), m.sentAt(), reason, m.intent(), m.handledAt(), m.attachment()));
  }

  @Override
  public void clearNoise(long id) {
    StoredMessage m = existing(id);
    replace(new StoredMessage(m.id(), m.chatId(), m.userId(), m.telegramMessageId(), m.direction(), m.threadId(),
        m.replyToMessageId(), m.type(), m.text(), m.sentAt(), null, m.intent(), m.handledAt(), m.attachment()));
  }

  @Override
  public void setIntent(long id, Intent intent) {
    requireNonNull(intent, "intent");
    StoredMessage m = existing(id);
    replace(new StoredMessage(m.id(), m.chatId(), m.userId(), m.telegramMessageId(), m.direction(), m.threadId(),
        m.replyToMessageId(), m.type(), m.text(), m.sentAt(), m.noiseReason(), intent, m.handledAt(), m.attachment()));
  }

  @Override
  public void markHandled(long id, Instant at) {
    requireNonNull(at, "at");
    StoredMessage m = existing(id);
    replace(new StoredMessage(m.id(), m.chatId(), m.userId(), m.telegramMessageId(), m.direction(), m.threadId(),
        m.replyToMessageId(), m.type(), m.text(), m.sentAt(), m.noiseReason(), m.intent(), at, m.attachment()));
  }

  @Override
  public List<StoredMessage> listByChat(long chatId, int limit) {
    check(limit >= 0, "limit", "must be >= 0", limit);
    Tables t = tx.tables();
    List<StoredMessage> all = new ArrayList<>();
    for (StoredMessage m : t.messages.values()) {
      if (m.chatId() == chatId || Long.valueOf(chatId).equals(t.chatMigratedTo.get(m.chatId()))) {
        all.add(m);
      }
    }
    all.sort(NEWEST_FIRST);
    return List.copyOf(all.subList(0, Math.min(limit, all.size())));
  }

  @Override
  public List<StoredMessage> search(String query, int limit) {
    requireNonNull(query, "query");
    check(limit >= 0, "limit", "must be >= 0", limit);
    java.util.Set<String> wanted = new java.util.LinkedHashSet<>(NORMALIZER.stems(query));
    if (wanted.isEmpty()) {
      return List.of();
    }
    record Scored(StoredMessage message, int score) {}
    List<Scored> hits = new ArrayList<>();
    for (StoredMessage m : tx.tables().messages.values()) {
      List<String> stems = NORMALIZER.stems(m.text());
      if (stems.containsAll(wanted)) {
        int score = 0;
        for (String s : stems) {
          if (wanted.contains(s)) {
            score++;
          }
        }
        hits.add(new Scored(m, score));
      }
    }
    hits.sort(Comparator.comparingInt(Scored::score).reversed()
        .thenComparing(Comparator.comparingLong((Scored s) -> s.message().id()).reversed()));
    List<StoredMessage> out = new ArrayList<>();
    for (int i = 0; i < Math.min(limit, hits.size()); i++) {
      out.add(hits.get(i).message());
    }
    return List.copyOf(out);
  }

  @Override
  public void tag(long id, String tag) {
    requireNonBlank(tag, "tag");
    existing(id);
    Tables t = tx.tables();
    List<String> tags = t.messageTags.getOrDefault(id, List.of());
    if (!tags.contains(tag.strip())) {
      List<String> more = new ArrayList<>(tags);
      more.add(tag.strip());
      tx.put(t.messageTags, id, List.copyOf(more));
    }
  }

  @Override
  public List<StoredMessage> findByTag(String tag, int limit) {
    requireNonBlank(tag, "tag");
    check(limit >= 0, "limit", "must be >= 0", limit);
    Tables t = tx.tables();
    List<StoredMessage> out = new ArrayList<>();
    for (StoredMessage m : t.messages.descendingMap().values()) {
      if (out.size() >= limit) {
        break;
      }
      if (t.messageTags.getOrDefault(m.id(), List.of()).contains(tag.strip())) {
        out.add(m);
      }
    }
    return List.copyOf(out);
  }

  @Override
  public void delete(long id) {
    StoredMessage m = existing(id);
    Tables t = tx.tables();
    tx.remove(t.messages, id);
    tx.put(t.deletedMessages, id, m);
  }

  @Override
  public Optional<StoredMessage> updateIncoming(IncomingMessage edited) {
    requireNonNull(edited, "edited");
    Tables t = tx.tables();
    Long id = t.messageIds.get(new Tables.MessageKey(edited.chat().id(), edited.telegramMessageId(), Direction.IN));
    // A deleted message has left the live map: an edit must not bring it back.
    StoredMessage m = id == null ? null : t.messages.get(id);
    if (m == null) {
      return Optional.empty();
    }
    StoredMessage updated = new StoredMessage(m.id(), m.chatId(), m.userId(), m.telegramMessageId(), m.direction(),
        m.threadId(), m.replyToMessageId(), edited.type(), edited.text(), m.sentAt(), m.noiseReason(), m.intent(),
        m.handledAt(), edited.attachment());
    replace(updated);
    return Optional.of(updated);
  }

  @Override
  public List<StoredMessage> listUnhandled(Instant since, int limit) {
    requireNonNull(since, "since");
    check(limit >= 0, "limit", "must be >= 0", limit);
    Tables t = tx.tables();
    List<StoredMessage> out = new ArrayList<>();
    for (StoredMessage m : t.messages.values()) {
      if (m.direction() == Direction.IN && !m.isHandled() && !t.messageRecordedAt.get(m.id()).isBefore(since)) {
        out.add(m);
      }
    }
    out.sort(Comparator.comparing((StoredMessage m) -> t.messageRecordedAt.get(m.id()))
        .thenComparingLong(StoredMessage::id));
    return List.copyOf(out.subList(0, Math.min(limit, out.size())));
  }

  private static StoredMessage live(Tables t, long id) {
    StoredMessage m = t.messages.get(id);
    return m != null ? m : t.deletedMessages.get(id);
  }

  private StoredMessage existing(long id) {
    StoredMessage m = tx.tables().messages.get(id);
    if (m == null) {
      throw MemoryTransaction.notFound("message", id);
    }
    return m;
  }

  private void replace(StoredMessage m) {
    tx.put(tx.tables().messages, m.id(), m);
  }
}
