package dev.tgsupport.kaiten;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tgsupport.core.ConflictException;
import dev.tgsupport.core.InvalidInputException;
import dev.tgsupport.core.RateLimitedException;
import dev.tgsupport.core.model.Chat;
import dev.tgsupport.core.model.OutboxEntry;
import dev.tgsupport.core.model.StoredMessage;
import dev.tgsupport.core.model.TelegramUser;
import dev.tgsupport.core.model.Ticket;
import dev.tgsupport.core.model.TicketEventKind;
import dev.tgsupport.core.port.TicketTracker;
import dev.tgsupport.core.port.TicketTracker.ExternalTicket;
import dev.tgsupport.core.port.Transactions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drains the outbox rows the bridge handles: {@code ticket.create} (one card per ticket, exactly once) and
 * {@code ticket.comment} (a user's follow-up as a card comment). Rows of other kinds are left alone: their lease runs
 * out and another worker may take them.
 *
 * <p>Exactly-once card creation rests on two things: the tracker looks the ticket key up before creating, and the
 * card is linked to the ticket, its event written and the row marked done in one transaction. A crash anywhere
 * before that transaction leaves the row claimed; when its lease runs out the next attempt finds the card by key.
 */
final class OutboxWorker {
  private static final Logger log = LoggerFactory.getLogger(OutboxWorker.class);
  /** The rows this worker owns; other kinds are never claimed, so their attempts stay untouched. */
  private static final java.util.Set<String> KINDS = java.util.Set.of(OutboxEntry.TICKET_CREATE,
      OutboxEntry.TICKET_COMMENT);
  static final String CARD_EVENT_PREFIX = "kaiten-card-";

  /**
   * @param batch rows claimed per drain
   * @param lease how long a claimed row is not due again; must exceed a create's worst case (two HTTP timeouts)
   * @param maxAttempts attempts before a row is parked
   * @param backoffBase first retry delay, doubled per attempt, with jitter
   * @param backoffMax the longest retry delay
   */
  record Options(int batch, Duration lease, int maxAttempts, Duration backoffBase, Duration backoffMax) {
    static Options defaults() {
      return new Options(20, Duration.ofMinutes(2), 8, Duration.ofSeconds(5), Duration.ofMinutes(10));
    }
  }

  private final Transactions transactions;
  private final TicketTracker tracker;
  private final Clock clock;
  private final Options options;
  private final SyncRuns runs;

  OutboxWorker(Transactions transactions, TicketTracker tracker, Clock clock, Options options, SyncRuns runs) {
    this.transactions = transactions;
    this.tracker = tracker;
    this.clock = clock;
    this.options = options;
    this.runs = runs;
  }

  /** Claims one batch of due rows and handles each; returns how many were claimed. */
  int drainOnce() {
    Instant now = clock.instant();
    List<OutboxEntry> claimed =
        transactions.inTransaction(s -> s.outbox().claimDue(now, options.batch(), options.lease(), KINDS));
    // Creates before comments, so a follow-up claimed with its ticket's create finds the card in the same pass.
    List<OutboxEntry> ours = claimed.stream().filter(OutboxWorker::handles)
        .sorted(Comparator.comparing((OutboxEntry e) -> !e.kind().equals(OutboxEntry.TICKET_CREATE))
            .thenComparingLong(OutboxEntry::id))
        .toList();
    if (ours.isEmpty()) {
      return claimed.size();
    }
    SyncRuns.Run run = runs.start("outbox");
    try {
      for (OutboxEntry entry : ours) {
        try {
          handle(entry);
          run.record(1);
        } catch (RuntimeException e) {
          run.error("outbox " + entry.id() + " (" + entry.kind() + "): " + e.getMessage());
          fail(entry, e);
        }
      }
    } finally {
      run.finish();
    }
    return claimed.size();
  }

  static boolean handles(OutboxEntry entry) {
    return entry.kind().equals(OutboxEntry.TICKET_CREATE) || entry.kind().equals(OutboxEntry.TICKET_COMMENT);
  }

  private void handle(OutboxEntry entry) {
    JsonNode payload = payload(entry);
    long ticketId = longField(payload, "ticket_id", "ticketId");
    if (entry.kind().equals(OutboxEntry.TICKET_CREATE)) {
      createCard(entry, ticketId);
    } else {
      addComment(entry, ticketId, payload);
    }
  }

  private record Source(Ticket ticket, StoredMessage message, TelegramUser user, Chat chat) {}

  private void createCard(OutboxEntry entry, long ticketId) {
    Source src = transactions.inTransaction(s -> {
      Ticket t = s.tickets().find(ticketId).orElseThrow(() -> new Poison("ticket #" + ticketId + " does not exist"));
      return new Source(t, s.messages().findById(t.messageId()).orElse(null), s.users().find(t.userId()).orElse(null),
          s.chats().find(t.chatId()).orElse(null));
    });
    if (src.ticket().externalId() != null) {
      transactions.run(s -> s.outbox().markDone(entry.id(), clock.instant()));
      return;
    }
    ExternalTicket card = tracker.create(src.ticket(), CardDescription.render(src.ticket(), src.message(), src.user(),
        src.chat()));
    try {
      transactions.run(s -> {
        s.tickets().setExternalId(ticketId, card.id());
        s.ticketEvents().append(ticketId, TicketEventKind.STATUS, "bot", "Kaiten card created: " + card.url(),
            CARD_EVENT_PREFIX + card.id());
        s.outbox().markDone(entry.id(), clock.instant());
      });
    } catch (ConflictException e) {
      throw new Poison("card " + card.id() + " is already linked to another ticket: " + e.getMessage());
    }
    log.info("Ticket #{} is Kaiten card {}", ticketId, card.id());
  }

  private void addComment(OutboxEntry entry, long ticketId, JsonNode payload) {
    String text = payload.path("text").asText("");
    if (text.isBlank()) {
      throw new Poison("payload has no text");
    }
    Ticket ticket = transactions.inTransaction(s -> s.tickets().find(ticketId))
        .orElseThrow(() -> new Poison("ticket #" + ticketId + " does not exist"));
    if (ticket.externalId() == null) {
      // Its ticket.create row has not run yet: come back later, counted as an attempt like any other wait.
      throw new NotYet("the card of ticket #" + ticketId + " does not exist yet");
    }
    // A comment has no idempotency key in Kaiten: a lost answer here can repeat it, which beats losing it.
    String author = payload.path("author").asText("");
    String from = author.isBlank() ? "the user" : author;
    tracker.comment(ticket.externalId(), "Follow-up from " + from + ":\n\n" + text);
    transactions.run(s -> s.outbox().markDone(entry.id(), clock.instant()));
  }

  private void fail(OutboxEntry entry, RuntimeException e) {
    String error = e.getClass().getSimpleName() + ": " + e.getMessage();
    Instant now = clock.instant();
    boolean poison = e instanceof Poison || e instanceof InvalidInputException;
    try {
      if (poison || entry.attempts() >= options.maxAttempts()) {
        log.warn("Outbox row {} ({}) parked after {} attempts: {}", entry.id(), entry.kind(), entry.attempts(), error);
        transactions.run(s -> s.outbox().park(entry.id(), error, now));
      } else {
        Duration wait = backoff(entry.attempts());
        if (e instanceof RateLimitedException r && r.retryAfter() != null && r.retryAfter().compareTo(wait) > 0) {
          wait = r.retryAfter();
        }
        log.info("Outbox row {} ({}) failed, attempt {} of {}; retrying in {} ms: {}", entry.id(), entry.kind(),
            entry.attempts(), options.maxAttempts(), wait.toMillis(), error);
        Instant retryAt = now.plus(wait);
        transactions.run(s -> s.outbox().markFailed(entry.id(), error, retryAt));
      }
    } catch (RuntimeException storage) {
      // The lease brings the row back anyway.
      log.warn("Could not record the failure of outbox row {}: {}", entry.id(), storage.getMessage());
    }
  }

  /** base × 2^(attempt-1), capped, then between half and all of it so that rows failing together spread out. */
  Duration backoff(int attempt) {
    Duration d = options.backoffBase().multipliedBy(1L << Math.min(Math.max(attempt - 1, 0), 20));
    if (d.compareTo(options.backoffMax()) > 0) {
      d = options.backoffMax();
    }
    long ms = Math.max(1, d.toMillis());
    return Duration.ofMillis(ms / 2 + ThreadLocalRandom.current().nextLong(ms / 2 + 1));
  }

  private static JsonNode payload(OutboxEntry entry) {
    try {
      JsonNode n = KaitenJson.MAPPER.readTree(entry.payload());
      if (n == null || !n.isObject()) {
        throw new Poison("payload is not a JSON object");
      }
      return n;
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new Poison("payload is not JSON: " + e.getOriginalMessage());
    }
  }

  /** The ticket stage writes snake_case, the follow-up writer camelCase; accept both. */
  private static long longField(JsonNode payload, String... names) {
    for (String name : names) {
      JsonNode v = payload.get(name);
      if (v != null && v.canConvertToLong() && v.asLong() > 0) {
        return v.asLong();
      }
    }
    throw new Poison("payload has no " + String.join("/", names));
  }

  static Optional<Long> ticketIdOf(OutboxEntry entry) {
    try {
      return Optional.of(longField(payload(entry), "ticket_id", "ticketId"));
    } catch (Poison e) {
      return Optional.empty();
    }
  }

  /** A row that no retry can fix. */
  static final class Poison extends dev.tgsupport.core.NonRetriableException {
    Poison(String message) {
      super(message);
    }
  }

  /** A row that waits for another one. */
  static final class NotYet extends dev.tgsupport.core.RetriableException {
    NotYet(String message) {
      super(message);
    }
  }
}
