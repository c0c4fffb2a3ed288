package dev.tgsupport.kaiten;

import static dev.tgsupport.core.InvalidInputException.requireNonNull;

import dev.tgsupport.core.InvalidInputException;
import dev.tgsupport.core.model.Ticket;
import dev.tgsupport.core.port.TicketTracker;
import java.util.Comparator;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link TicketTracker} on Kaiten: a ticket becomes one card on the configured board, column, lane and card type,
 * with the configured tags, and custom properties carrying the Telegram user and chat ids when configured.
 *
 * <p><b>Idempotent by ticket key.</b> Every card carries {@code external_id = "tgsupport-<ticket id>"}. {@link
 * #create} first looks that key up ({@code GET /cards?external_id=}) and only creates the card when it is absent, so
 * a retry after a crash, a timeout or a lost answer returns the card made the first time instead of a second one.
 * Two processes creating the same ticket at the same instant could still race; the outbox lease prevents that.
 *
 * <pre>{@code
 * KaitenTicketTracker tracker = KaitenTicketTracker.create(config);
 * ExternalTicket card = tracker.create(ticket, markdownDescription);   // card.id() is the Kaiten card id
 * tracker.comment(card.id(), "The user added: it happens on Android too");
 * }</pre>
 *
 * <p>Errors are bot-core exceptions: {@link dev.tgsupport.core.RetriableException} (429, 5xx, timeouts, network;
 * retry later, {@link #create} is safe to repeat) or {@link dev.tgsupport.core.NonRetriableException} (token
 * rejected, not in the plan, refused input). Thread-safe; one instance per Kaiten token, since it holds the client
 * and its 5 requests per second limit.
 */
public final class KaitenTicketTracker implements TicketTracker {
  /** Prefix of the {@code external_id} of every card the bridge creates. */
  public static final String KEY_PREFIX = "tgsupport-";

  private static final Logger log = LoggerFactory.getLogger(KaitenTicketTracker.class);

  private final KaitenConfig config;
  private final KaitenClient client;

  KaitenTicketTracker(KaitenConfig config, KaitenClient client) {
    this.config = config;
    this.client = client;
  }

  /** A tracker with its own client for {@code config}. */
  public static KaitenTicketTracker create(KaitenConfig config) {
    requireNonNull(config, "config");
    return new KaitenTicketTracker(config, new KaitenClient(config));
  }

  /** The stable idempotency key of a ticket's card: {@code tgsupport-<ticket id>}. */
  public static String ticketKey(long ticketId) {
    return KEY_PREFIX + ticketId;
  }

  /**
   * Returns the ticket's card, creating it only when no card carries the ticket's key.
   *
   * @param description Markdown, cut to Kaiten's 32,768 characters
   */
  @Override
  public ExternalTicket create(Ticket ticket, String description) {
    requireNonNull(ticket, "ticket");
    String key = ticketKey(ticket.id());
    List<Card> existing = client.findCardsByExternalId(key);
    if (!existing.isEmpty()) {
      // Several cards with one key can only come from someone copying cards by hand: the oldest is the real one.
      Card card = existing.stream().min(Comparator.comparingLong(Card::id)).orElseThrow();
      log.info("Kaiten card {} already exists for ticket #{}; not creating another", card.id(), ticket.id());
      return external(card);
    }
    NewCard card = NewCard.of(title(ticket), config.boardId())
        .withColumn(config.columnId())
        .withLane(config.laneId().isPresent() ? config.laneId().getAsLong() : null)
        .withType(config.cardTypeId().isPresent() ? config.cardTypeId().getAsLong() : null)
        .withDescription(cut(description, NewCard.MAX_DESCRIPTION))
        .withExternalId(key)
        .withTags(config.tags());
    if (config.telegramUserPropertyId().isPresent()) {
      card = card.withProperty(config.telegramUserPropertyId().getAsLong(), ticket.userId());
    }
    if (config.telegramChatPropertyId().isPresent()) {
      // As text: supergroup ids are 13-digit negatives, which some property types would not keep.
      card = card.withProperty(config.telegramChatPropertyId().getAsLong(), Long.toString(ticket.chatId()));
    }
    Card created = client.createCard(card);
    log.info("Kaiten card {} created for ticket #{}", created.id(), ticket.id());
    return external(created);
  }

  /**
   * Adds a (public) comment to the card.
   *
   * @param externalId the card id as {@link #create} returned it
   * @throws dev.tgsupport.core.NotFoundException for an unknown card
   */
  @Override
  public void comment(String externalId, String text) {
    client.addComment(cardId(externalId), cut(text, 32_768), false);
  }

  static long cardId(String externalId) {
    requireNonNull(externalId, "externalId");
    try {
      long id = Long.parseLong(externalId.strip());
      if (id > 0) {
        return id;
      }
    } catch (NumberFormatException e) {
      // falls through to the error below
    }
    throw new InvalidInputException("externalId", "must be a Kaiten card id (a positive number), was \""
        + externalId + "\"");
  }

  KaitenClient client() {
    return client;
  }

  KaitenConfig config() {
    return config;
  }

  private ExternalTicket external(Card card) {
    return new ExternalTicket(Long.toString(card.id()), config.cardUrl(card.id()).toString());
  }

  private static String title(Ticket ticket) {
    String title = "#" + ticket.id() + " " + (ticket.title().isBlank() ? "Telegram question" : ticket.title());
    return cut(title, NewCard.MAX_TITLE);
  }

  private static String cut(String text, int max) {
    if (text == null) {
      return null;
    }
    return text.length() <= max ? text : text.substring(0, max - 1) + "…";
  }

  @Override
  public String toString() {
    return "KaitenTicketTracker{" + client + ", board " + config.boardId() + "}";
  }
}
