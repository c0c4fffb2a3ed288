package dev.tgsupport.core.pipeline;

import dev.tgsupport.core.model.Intent;
import dev.tgsupport.core.model.IncomingMessage;
import dev.tgsupport.core.model.KnowledgeHit;
import dev.tgsupport.core.model.NoiseVerdict;
import dev.tgsupport.core.model.StoredMessage;
import dev.tgsupport.core.model.Ticket;
import dev.tgsupport.core.text.Languages;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What the pipeline knows about one message. Immutable: stages change it by copy with the {@code with…} methods
 * and pass the copy to {@link Stage.Chain#proceed}.
 *
 * @param message the message as received
 * @param stored the stored row once the {@code record} stage ran; null before
 * @param noise the noise verdict once the {@code noise} stage ran; null before
 * @param intent the classified intent once the {@code intent} stage ran; null before or without a classifier
 * @param hits knowledge entries found for the message, best first; empty before the {@code knowledge} stage
 * @param answer the hit chosen as the answer; null when none cleared the threshold
 * @param ticket the ticket opened for the message, or the open ticket it was added to as a follow-up; null when none
 * @param attributes plugin data, by typed key; use {@link #attribute} and {@link #withAttribute}
 */
public record MessageContext(
    IncomingMessage message,
    StoredMessage stored,
    NoiseVerdict noise,
    Intent intent,
    List<KnowledgeHit> hits,
    KnowledgeHit answer,
    Ticket ticket,
    Map<ContextKey<?>, Object> attributes) {

  public MessageContext {
    Objects.requireNonNull(message, "message");
    hits = List.copyOf(hits);
    attributes = Map.copyOf(attributes);
  }

  /** A fresh context for a message that no stage has seen. */
  public static MessageContext of(IncomingMessage message) {
    return new MessageContext(message, null, null, null, List.of(), null, null, Map.of());
  }

  /** "ru" or "en": the language to answer in, from the text (or the user's Telegram language when no text). */
  public String language() {
    return Languages.detect(message.text(), message.user().languageCode());
  }

  /** The storage id of the message. @throws IllegalStateException before the {@code record} stage ran */
  public long messageId() {
    if (stored == null) {
      throw new IllegalStateException("the message is not recorded yet: the 'record' stage has not run");
    }
    return stored.id();
  }

  public boolean isRecorded() {
    return stored != null;
  }

  public <T> Optional<T> attribute(ContextKey<T> key) {
    Object v = attributes.get(key);
    return v == null ? Optional.empty() : Optional.of(key.cast(v));
  }

  public MessageContext withStored(StoredMessage newStored) {
    return new MessageContext(message, newStored, noise, intent, hits, answer, ticket, attributes);
  }

  public MessageContext withNoise(NoiseVerdict newNoise) {
    return new MessageContext(message, stored, newNoise, intent, hits, answer, ticket, attributes);
  }

  public MessageContext withIntent(Intent newIntent) {
    return new MessageContext(message, stored, noise, newIntent, hits, answer, ticket, attributes);
  }

  public MessageContext withHits(List<KnowledgeHit> newHits) {
    return new MessageContext(message, stored, noise, intent, newHits, answer, ticket, attributes);
  }

  public MessageContext withAnswer(KnowledgeHit newAnswer) {
    return new MessageContext(message, stored, noise, intent, hits, newAnswer, ticket, attributes);
  }

  public MessageContext withTicket(Ticket newTicket) {
    return new MessageContext(message, stored, noise, intent, hits, answer, newTicket, attributes);
  }

  /** A copy with the attribute set; a null value removes it. */
  public <T> MessageContext withAttribute(ContextKey<T> key, T value) {
    Map<ContextKey<?>, Object> copy = new HashMap<>(attributes);
    if (value == null) {
      copy.remove(key);
    } else {
      copy.put(key, key.cast(value));
    }
    return new MessageContext(message, stored, noise, intent, hits, answer, ticket, copy);
  }
}
