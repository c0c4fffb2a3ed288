package dev.tgsupport.storage.mybatis;

import dev.tgsupport.core.ConflictException;
import dev.tgsupport.core.InvalidInputException;
import dev.tgsupport.core.NotFoundException;
import dev.tgsupport.core.model.Chat;
import dev.tgsupport.core.model.ChatType;
import dev.tgsupport.core.model.Direction;
import dev.tgsupport.core.model.IncomingMessage;
import dev.tgsupport.core.model.Intent;
import dev.tgsupport.core.model.KnowledgeDraft;
import dev.tgsupport.core.model.KnowledgeEntry;
import dev.tgsupport.core.model.KnowledgeStatus;
import dev.tgsupport.core.model.MessageType;
import dev.tgsupport.core.model.OutboxEntry;
import dev.tgsupport.core.model.OutgoingMessage;
import dev.tgsupport.core.model.SentMessage;
import dev.tgsupport.core.model.SpamSample;
import dev.tgsupport.core.model.StoredMessage;
import dev.tgsupport.core.model.TelegramUser;
import dev.tgsupport.core.model.Ticket;
import dev.tgsupport.core.model.TicketEvent;
import dev.tgsupport.core.model.TicketEventKind;
import dev.tgsupport.core.model.TicketStatus;
import dev.tgsupport.core.port.ChatStore;
import dev.tgsupport.core.port.KnowledgeStore;
import dev.tgsupport.core.port.MessageStore;
import dev.tgsupport.core.port.OutboxStore;
import dev.tgsupport.core.port.Stores;
import dev.tgsupport.core.port.SpamSampleStore;
import dev.tgsupport.core.port.SyncLogStore;
import dev.tgsupport.core.port.TicketEventStore;
import dev.tgsupport.core.port.TicketStore;
import dev.tgsupport.core.port.UpdateStore;
import dev.tgsupport.core.port.UserStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.Optional;
import org.apache.ibatis.session.SqlSession;

/** The storage ports over one SqlSession, i.e. one transaction. Valid only while that session is open. */
final class PgStores implements Stores {
  private final SqlSession session;
  private final Clock clock;
  private boolean closed;

  private final UserStore users = new Users();
  private final ChatStore chats = new Chats();
  private final MessageStore messages = new Messages();
  private final TicketStore tickets = new Tickets();
  private final TicketEventStore ticketEvents = new TicketEvents();
  private final KnowledgeStore knowledge = new Knowledge();
  private final OutboxStore outbox = new Outbox();
  private final UpdateStore updates = new Updates();
  private final SyncLogStore syncLog = new SyncLog();
  private final SpamSampleStore spamSamples = new SpamSamples();

  PgStores(SqlSession session, Clock clock) {
    this.session = session;
    this.clock = clock;
  }

  void close() {
    closed = true;
  }

  <M> M mapperFor(Class<M> type) {
    return mapper(type);
  }

  private <M> M mapper(Class<M> type) {
    if (closed) {
      throw new IllegalStateException("storage used outside its transaction");
    }
    return session.getMapper(type);
  }

  private static void found(int rows, String what, Object id) {
    if (rows == 0) {
      throw new NotFoundException(what + " " + id + " not found");
    }
  }

  @Override
  public UserStore users() {
    return users;
  }

  @Override
  public ChatStore chats() {
    return chats;
  }

  @Override
  public MessageStore messages() {
    return messages;
  }

  @Override
  public TicketStore tickets() {
    return tickets;
  }

  @Override
  public TicketEventStore ticketEvents() {
    return ticketEvents;
  }

  @Override
  public KnowledgeStore knowledge() {
    return knowledge;
  }

  @Override
  public OutboxStore outbox() {
    return outbox;
  }

  @Override
  public UpdateStore updates() {
    return updates;
  }

  @Override
  public SyncLogStore syncLog() {
    return syncLog;
  }

  @Override
  public SpamSampleStore spamSamples() {
    return spamSamples;
  }

  static TelegramUser clean(TelegramUser u) {
    return new TelegramUser(u.id(), Texts.clean(u.username()), Texts.clean(u.firstName()), Texts.clean(u.lastName()),
        Texts.clean(u.languageCode()), u.internal(), u.blocked());
  }

  static Chat clean(Chat c) {
    return new Chat(c.id(), c.type(), Texts.clean(c.title()), c.archived());
  }

  private final class Users implements UserStore {
    @Override
    public TelegramUser upsert(TelegramUser user) {
      UserMapper m = mapper(UserMapper.class);
      m.upsert(clean(user));
      return m.find(user.id());
    }

    @Override
    public Optional<TelegramUser> find(long id) {
      return Optional.ofNullable(mapper(UserMapper.class).find(id));
    }

    @Override
    public void setInternal(long id, boolean internal) {
      found(mapper(UserMapper.class).setInternal(id, internal), "user", id);
    }

    @Override
    public void setBlocked(long id, boolean blocked) {
      found(mapper(UserMapper.class).setBlocked(id, blocked), "user", id);
    }
  }

  private final class Chats implements ChatStore {
    @Override
    public Chat upsert(Chat chat) {
      ChatMapper m = mapper(ChatMapper.class);
      m.upsert(clean(chat));
      return m.find(chat.id());
    }

    @Override
    public Optional<Chat> find(long id) {
      return Optional.ofNullable(mapper(ChatMapper.class).find(id));
    }

    @Override
    public void setArchived(long id, boolean archived) {
      found(mapper(ChatMapper.class).setArchived(id, archived), "chat", id);
    }

    @Override
    public void migrate(long fromId, long toId) {
      InvalidInputException.check(fromId != toId, "toId", "must differ from fromId " + fromId, toId);
      ChatMapper m = mapper(ChatMapper.class);
      Chat from = m.find(fromId);
      if (from == null) {
        throw new NotFoundException("chat " + fromId + " not found");
      }
      m.insertIfAbsent(toId, ChatType.SUPERGROUP, from.title());
      m.markMigrated(fromId, toId);
    }

    @Override
    public long currentId(long id) {
      Long current = mapper(ChatMapper.class).currentId(id);
      return current == null ? id : current;
    }
  }

  private final class Messages implements MessageStore {
    @Override
    public Recorded recordIncoming(IncomingMessage message) {
      MessageMapper m = mapper(MessageMapper.class);
      long chatId = message.chat().id();
      if (mapper(ChatMapper.class).find(chatId) == null) {
        throw new NotFoundException("chat " + chatId + " not found: store the chat before its messages");
      }
      if (mapper(UserMapper.class).find(message.user().id()) == null) {
        throw new NotFoundException("user " + message.user().id() + " not found: store the user before their messages");
      }
      MessageRow created = m.insert(chatId, message.telegramMessageId(), Direction.IN, message.user().id(),
          message.threadId(), message.replyToMessageId(), message.type(), Texts.clean(message.text()),
          Texts.countNuls(message.text()), message.date(), AttachmentColumns.of(message.attachment()));
      if (created != null) {
        return new Recorded(created.toStored(), true);
      }
      return new Recorded(
          m.findByKeyIncludingDeleted(chatId, message.telegramMessageId(), Direction.IN).toStored(), false);
    }

    @Override
    public StoredMessage recordOutgoing(OutgoingMessage message, SentMessage sent) {
      MessageMapper m = mapper(MessageMapper.class);
      String text = message.text();
      MessageRow created = m.insert(sent.chatId() != 0 ? sent.chatId() : message.chatId(), sent.telegramMessageId(),
          Direction.OUT, null, message.threadId(), message.replyToMessageId(), MessageType.TEXT, Texts.clean(text),
          Texts.countNuls(text), sent.date(), AttachmentColumns.NONE);
      if (created != null) {
        return created.toStored();
      }
      return m.findByKeyIncludingDeleted(sent.chatId(), sent.telegramMessageId(), Direction.OUT).toStored();
    }

    @Override
    public Optional<StoredMessage> find(long chatId, long telegramMessageId, Direction direction) {
      MessageRow row = mapper(MessageMapper.class).findByKey(chatId, telegramMessageId, direction);
      return row == null ? Optional.empty() : Optional.of(row.toStored());
    }

    @Override
    public Optional<StoredMessage> findById(long id) {
      MessageRow row = mapper(MessageMapper.class).findById(id);
      return row == null ? Optional.empty() : Optional.of(row.toStored());
    }

    @Override
    public void markNoise(long id, String reason) {
      InvalidInputException.requireNonBlank(reason, "reason");
      found(mapper(MessageMapper.class).markNoise(id, Texts.clean(reason)), "message", id);
    }

    @Override
    public void clearNoise(long id) {
      found(mapper(MessageMapper.class).clearNoise(id), "message", id);
    }

    @Override
    public void setIntent(long id, Intent intent) {
      found(mapper(MessageMapper.class).setIntent(id, Texts.clean(intent.name()), intent.confidence()), "message", id);
    }

    @Override
    public void markHandled(long id, Instant at) {
      found(mapper(MessageMapper.class).markHandled(id, at), "message", id);
    }

    @Override
    public void markHandled(long id, String noiseReason, Intent intent, Instant at) {
      InvalidInputException.requireNonNull(at, "at");
      if (noiseReason != null) {
        InvalidInputException.requireNonBlank(noiseReason, "noiseReason");
      }
      found(mapper(MessageMapper.class).markHandledWithVerdicts(id,
          noiseReason == null ? null : Texts.clean(noiseReason),
          intent == null ? null : Texts.clean(intent.name()),
          intent == null ? null : intent.confidence(), at), "message", id);
    }

    @Override
    public List<StoredMessage> search(String query, int limit) {
      InvalidInputException.requireNonNull(query, "query");
      return rows(mapper(MessageMapper.class).search(Texts.clean(query), limit));
    }

    @Override
    public void tag(long id, String tag) {
      InvalidInputException.requireNonBlank(tag, "tag");
      found(mapper(MessageMapper.class).addTag(id, Texts.clean(tag.strip())), "message", id);
    }

    @Override
    public List<StoredMessage> findByTag(String tag, int limit) {
      InvalidInputException.requireNonBlank(tag, "tag");
      return rows(mapper(MessageMapper.class).findByTag(Texts.clean(tag.strip()), limit));
    }

    @Override
    public void delete(long id) {
      found(mapper(MessageMapper.class).softDelete(id), "message", id);
    }

    private List<StoredMessage> rows(List<MessageRow> rows) {
      List<StoredMessage> out = new ArrayList<>(rows.size());
      for (MessageRow r : rows) {
        out.add(r.toStored());
      }
      return out;
    }

    @Override
    public Optional<StoredMessage> updateIncoming(IncomingMessage edited) {
      InvalidInputException.requireNonNull(edited, "edited");
      MessageRow row = mapper(MessageMapper.class).updateIncoming(edited.chat().id(), edited.telegramMessageId(),
          edited.type(), Texts.clean(edited.text()), Texts.countNuls(edited.text()),
          AttachmentColumns.of(edited.attachment()), clock.instant());
      return row == null ? Optional.empty() : Optional.of(row.toStored());
    }

    @Override
    public List<StoredMessage> listUnhandled(Instant since, int limit) {
      InvalidInputException.requireNonNull(since, "since");
      InvalidInputException.check(limit >= 0, "limit", "must be >= 0", limit);
      return rows(mapper(MessageMapper.class).listUnhandled(since, limit));
    }

    @Override
    public List<StoredMessage> listByChat(long chatId, int limit) {
      List<StoredMessage> out = new ArrayList<>();
      for (MessageRow r : mapper(MessageMapper.class).listByChat(chatId, limit)) {
        out.add(r.toStored());
      }
      return out;
    }
  }

  private final class Tickets implements TicketStore {
    @Override
    public Ticket open(long messageId, String title) {
      TicketMapper m = mapper(TicketMapper.class);
      Ticket t = m.open(messageId, Texts.clean(title));
      if (t != null) {
        return t;
      }
      if (m.messageExists(messageId) == 0) {
        throw new NotFoundException("message " + messageId + " not found: cannot open a ticket for it");
      }
      if (m.findByMessage(messageId) != null) {
        throw new ConflictException("message " + messageId + " already has a ticket");
      }
      throw new InvalidInputException(
          "messageId", "must be an incoming message with an author to open a ticket, was " + messageId);
    }

    @Override
    public Optional<Ticket> find(long id) {
      return Optional.ofNullable(mapper(TicketMapper.class).find(id));
    }

    @Override
    public Optional<Ticket> findByMessage(long messageId) {
      return Optional.ofNullable(mapper(TicketMapper.class).findByMessage(messageId));
    }

    @Override
    public Optional<Ticket> findByExternalId(String externalId) {
      return Optional.ofNullable(mapper(TicketMapper.class).findByExternalId(externalId));
    }

    @Override
    public List<Ticket> listActiveByUser(long userId) {
      return mapper(TicketMapper.class).listActiveByUser(userId);
    }

    @Override
    public List<Ticket> listRecent(Set<TicketStatus> statuses, int limit) {
      InvalidInputException.requireNonNull(statuses, "tickets.statuses");
      InvalidInputException.check(limit >= 1 && limit <= 10_000, "tickets.limit", "must be 1..10000", limit);
      return mapper(TicketMapper.class).listRecent(List.copyOf(statuses), limit);
    }

    @Override
    public List<Ticket> listActiveLinked(long afterId, int limit) {
      InvalidInputException.check(limit >= 1 && limit <= 10_000, "tickets.limit", "must be 1..10000", limit);
      return mapper(TicketMapper.class).listActiveLinked(afterId, limit);
    }

    @Override
    public Ticket updateStatus(long id, TicketStatus status) {
      Ticket t = mapper(TicketMapper.class).updateStatus(id, status, clock.instant());
      if (t == null) {
        throw new NotFoundException("ticket " + id + " not found");
      }
      return t;
    }

    @Override
    public void setExternalId(long id, String externalId) {
      found(mapper(TicketMapper.class).setExternalId(id, Texts.clean(externalId)), "ticket", id);
    }
  }

  private final class TicketEvents implements TicketEventStore {
    @Override
    public Optional<TicketEvent> append(
        long ticketId, TicketEventKind kind, String author, String body, String externalId) {
      TicketEventMapper m = mapper(TicketEventMapper.class);
      if (m.ticketExists(ticketId) == 0) {
        throw new NotFoundException("ticket " + ticketId + " not found");
      }
      return Optional.ofNullable(m.append(ticketId, kind, Texts.clean(author == null ? "" : author),
          Texts.clean(body == null ? "" : body), Texts.clean(externalId)));
    }

    @Override
    public List<TicketEvent> list(long ticketId) {
      return mapper(TicketEventMapper.class).list(ticketId);
    }
  }

  private final class Knowledge implements KnowledgeStore {
    @Override
    public KnowledgeEntry add(KnowledgeDraft d, KnowledgeStatus status) {
      boolean validated = status == KnowledgeStatus.VALIDATED;
      List<String> tags = new ArrayList<>();
      for (String t : d.tags()) {
        tags.add(Texts.clean(t));
      }
      return mapper(KnowledgeMapper.class).insert(Texts.clean(d.question()), Texts.clean(d.answer()), tags,
          d.source(), status, Texts.clean(d.language()), validated ? "import" : null,
          validated ? clock.instant() : null);
    }

    @Override
    public Optional<KnowledgeEntry> find(long id) {
      return Optional.ofNullable(mapper(KnowledgeMapper.class).find(id));
    }

    @Override
    public List<KnowledgeEntry> list(KnowledgeStatus status) {
      return mapper(KnowledgeMapper.class).list(status);
    }

    @Override
    public KnowledgeEntry validate(long id, String validatedBy, Instant at) {
      KnowledgeEntry e = mapper(KnowledgeMapper.class).validate(id, Texts.clean(validatedBy), at);
      if (e == null) {
        throw new NotFoundException("knowledge entry " + id + " not found");
      }
      return e;
    }

    @Override
    public KnowledgeEntry archive(long id) {
      KnowledgeEntry e = mapper(KnowledgeMapper.class).archive(id);
      if (e == null) {
        throw new NotFoundException("knowledge entry " + id + " not found");
      }
      return e;
    }

    @Override
    public Optional<KnowledgeEntry> findByQuestion(String question) {
      InvalidInputException.requireNonBlank(question, "question");
      return Optional.ofNullable(mapper(KnowledgeMapper.class).findByQuestion(Texts.clean(question)));
    }

    @Override
    public KnowledgeEntry update(long id, KnowledgeDraft d) {
      InvalidInputException.requireNonNull(d, "draft");
      List<String> tags = new ArrayList<>();
      for (String t : d.tags()) {
        tags.add(Texts.clean(t));
      }
      KnowledgeEntry e = mapper(KnowledgeMapper.class).update(id, Texts.clean(d.question()), Texts.clean(d.answer()),
          tags, Texts.clean(d.language()));
      if (e == null) {
        throw new NotFoundException("knowledge entry " + id + " not found");
      }
      return e;
    }

    @Override
    public List<KnowledgeEntry> findByTag(String tag) {
      InvalidInputException.requireNonBlank(tag, "tag");
      return mapper(KnowledgeMapper.class).findByTag(Texts.clean(tag.strip()));
    }

    @Override
    public void delete(long id) {
      found(mapper(KnowledgeMapper.class).softDelete(id), "knowledge entry", id);
    }
  }

  private final class Outbox implements OutboxStore {
    @Override
    public OutboxEntry enqueue(String kind, String payload, Instant dueAt) {
      return mapper(OutboxMapper.class).enqueue(Texts.clean(kind), Texts.clean(payload), dueAt);
    }

    @Override
    public List<OutboxEntry> claimDue(Instant now, int limit, Duration lease, Set<String> kinds) {
      InvalidInputException.requireNonNull(kinds, "kinds");
      List<OutboxEntry> claimed = new ArrayList<>(
          mapper(OutboxMapper.class).claimDue(now, limit, now.plus(lease), List.copyOf(kinds)));
      claimed.sort(Comparator.comparingLong(OutboxEntry::id));
      return claimed;
    }

    @Override
    public void markDone(long id, Instant at) {
      found(mapper(OutboxMapper.class).markDone(id, at), "outbox entry", id);
    }

    @Override
    public void markFailed(long id, String error, Instant retryAt) {
      found(mapper(OutboxMapper.class).markFailed(id, Texts.clean(error), retryAt), "outbox entry", id);
    }

    @Override
    public List<OutboxEntry> listPending(int limit) {
      return mapper(OutboxMapper.class).listPending(limit);
    }

    @Override
    public void park(long id, String error, Instant at) {
      InvalidInputException.requireNonBlank(error, "error");
      InvalidInputException.requireNonNull(at, "at");
      found(mapper(OutboxMapper.class).park(id, Texts.clean(error), at), "outbox entry", id);
    }

    @Override
    public void unpark(long id, Instant retryAt) {
      InvalidInputException.requireNonNull(retryAt, "retryAt");
      found(mapper(OutboxMapper.class).unpark(id, retryAt), "outbox entry", id);
    }

    @Override
    public List<OutboxEntry> listParked(int limit) {
      InvalidInputException.check(limit >= 0, "limit", "must be >= 0", limit);
      return mapper(OutboxMapper.class).listParked(limit);
    }

    @Override
    public Backlog backlog() {
      return mapper(OutboxMapper.class).backlog();
    }
  }

  private final class SyncLog implements SyncLogStore {
    @Override
    public long start(String integration, String kind, Instant at) {
      InvalidInputException.requireNonBlank(integration, "integration");
      InvalidInputException.requireNonBlank(kind, "kind");
      InvalidInputException.requireNonNull(at, "at");
      return mapper(SyncLogMapper.class).start(Texts.clean(integration), Texts.clean(kind), at);
    }

    @Override
    public void finish(long id, Instant at, int records, String errors) {
      InvalidInputException.requireNonNull(at, "at");
      InvalidInputException.check(records >= 0, "records", "must be >= 0", records);
      boolean clean = errors == null || errors.isBlank();
      String status = clean ? OK : FAILED;
      found(mapper(SyncLogMapper.class).finish(id, status, at, records, clean ? null : Texts.clean(errors)), "sync run",
          id);
    }

    @Override
    public List<SyncRun> recent(String integration, int limit) {
      InvalidInputException.requireNonBlank(integration, "integration");
      InvalidInputException.check(limit >= 0, "limit", "must be >= 0", limit);
      return mapper(SyncLogMapper.class).recent(Texts.clean(integration), limit);
    }
  }

  private final class SpamSamples implements SpamSampleStore {
    @Override
    public SpamSample add(SpamSample.Draft draft, Instant at) {
      InvalidInputException.requireNonNull(draft, "draft");
      InvalidInputException.requireNonNull(at, "at");
      SpamSampleMapper m = mapper(SpamSampleMapper.class);
      SpamSample added = m.insert(draft.kind(), Texts.clean(draft.text()), draft.chatId(), draft.telegramMessageId(),
          draft.addedBy(), at);
      if (added != null) {
        return added;
      }
      // Only a sample of a message conflicts, and the conflicting row is live in this transaction's snapshot.
      return m.findForMessage(draft.chatId(), draft.telegramMessageId(), draft.kind());
    }

    @Override
    public int removeForMessage(long chatId, long telegramMessageId, SpamSample.Kind kind) {
      InvalidInputException.requireNonNull(kind, "kind");
      return mapper(SpamSampleMapper.class).removeForMessage(chatId, telegramMessageId, kind);
    }

    @Override
    public List<SpamSample> list(SpamSample.Kind kind) {
      InvalidInputException.requireNonNull(kind, "kind");
      return mapper(SpamSampleMapper.class).list(kind);
    }
  }

  private final class Updates implements UpdateStore {
    @Override
    public boolean saveRaw(long updateId, String kind, String payload, String error) {
      InvalidInputException.requireNonBlank(kind, "kind");
      InvalidInputException.requireNonNull(payload, "payload");
      return mapper(UpdateMapper.class).save(updateId, Texts.clean(kind), Texts.clean(payload), Texts.clean(error))
          != null;
    }

    @Override
    public List<RawUpdate> listRaw(int limit) {
      InvalidInputException.check(limit >= 0, "limit", "must be >= 0", limit);
      return mapper(UpdateMapper.class).list(limit);
    }
  }
}
