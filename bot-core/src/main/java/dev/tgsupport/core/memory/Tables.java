package dev.tgsupport.core.memory;

import dev.tgsupport.core.model.Chat;
import dev.tgsupport.core.model.Direction;
import dev.tgsupport.core.model.KnowledgeEntry;
import dev.tgsupport.core.model.OutboxEntry;
import dev.tgsupport.core.model.StoredMessage;
import dev.tgsupport.core.model.TelegramUser;
import dev.tgsupport.core.model.Ticket;
import dev.tgsupport.core.model.TicketEvent;
import dev.tgsupport.core.port.SyncLogStore.SyncRun;
import dev.tgsupport.core.port.UpdateStore.RawUpdate;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The rows of {@link InMemoryStorage}. Not thread-safe: only the thread holding the storage lock touches it, and only
 * through a {@link MemoryTransaction}, which logs an undo action for every write.
 */
final class Tables {
  record MessageKey(long chatId, long telegramMessageId, Direction direction) {}

  record EventKey(long ticketId, String externalId) {}

  final Map<Long, TelegramUser> users = new HashMap<>();
  final Map<Long, Chat> chats = new HashMap<>();
  final Map<Long, Long> chatMigratedTo = new HashMap<>();

  // TreeMaps keep id order, which is insertion order: scans come out oldest first without sorting.
  final TreeMap<Long, StoredMessage> messages = new TreeMap<>();
  final Map<MessageKey, Long> messageIds = new HashMap<>();
  // Soft-deleted rows leave the live maps (so every query hides them) but keep their key.
  final Map<Long, StoredMessage> deletedMessages = new HashMap<>();
  final Map<Long, java.util.List<String>> messageTags = new HashMap<>();
  // When each message was stored, by the storage clock: what listUnhandled filters and orders on (created_at).
  final Map<Long, Instant> messageRecordedAt = new HashMap<>();

  final TreeMap<Long, Ticket> tickets = new TreeMap<>();
  final Map<Long, Long> ticketByMessage = new HashMap<>();
  final Map<String, Long> ticketByExternalId = new HashMap<>();

  final TreeMap<Long, TicketEvent> ticketEvents = new TreeMap<>();
  final Map<EventKey, Long> ticketEventByExternalId = new HashMap<>();

  final TreeMap<Long, KnowledgeEntry> knowledge = new TreeMap<>();
  final Map<Long, KnowledgeEntry> deletedKnowledge = new HashMap<>();
  final TreeMap<Long, OutboxEntry> outbox = new TreeMap<>();
  final Map<Long, RawUpdate> rawUpdates = new HashMap<>();
  final TreeMap<Long, SyncRun> syncLog = new TreeMap<>();
  final TreeMap<Long, dev.tgsupport.core.model.SpamSample> spamSamples = new TreeMap<>();

  // Like database sequences, these are never rolled back: a rolled-back insert burns its id.
  private long messageSeq;
  private long ticketSeq;
  private long ticketEventSeq;
  private long knowledgeSeq;
  private long outboxSeq;
  private long syncRunSeq;
  private long spamSampleSeq;

  long nextMessageId() {
    return ++messageSeq;
  }

  long nextTicketId() {
    return ++ticketSeq;
  }

  long nextTicketEventId() {
    return ++ticketEventSeq;
  }

  long nextKnowledgeId() {
    return ++knowledgeSeq;
  }

  long nextOutboxId() {
    return ++outboxSeq;
  }

  long nextSyncRunId() {
    return ++syncRunSeq;
  }

  long nextSpamSampleId() {
    return ++spamSampleSeq;
  }
}
