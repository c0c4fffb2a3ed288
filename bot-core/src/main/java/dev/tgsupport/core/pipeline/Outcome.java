package dev.tgsupport.core.pipeline;

import dev.tgsupport.core.PipelineException;
import dev.tgsupport.core.model.SentMessage;
import java.util.Objects;
import java.util.Optional;

/**
 * What the pipeline did with a message.
 *
 * @param kind what happened
 * @param reply the text sent (or to be sent) to the user; null for silent outcomes
 * @param context the context as the deciding stage saw it
 * @param failure the stage failure behind a {@link Kind#FAILED} outcome; null otherwise
 * @param sent what Telegram answered for the reply once the pipeline sent it; null when nothing was sent
 */
public record Outcome(Kind kind, String reply, MessageContext context, PipelineException failure, SentMessage sent) {
  /** What happened to a message. */
  public enum Kind {
    /** Answered from the knowledge base. */
    ANSWERED,
    /**
     * The knowledge base came close but not close enough: the user was asked to rephrase and shown the closest
     * questions (the context's {@link MessageContext#hits()}). Only with {@link Pipeline.Builder#rephraseThreshold};
     * a user asked once gets a ticket the next time instead of a second question.
     */
    CLARIFY,
    /** Handed to staff: a ticket was opened and the user told its number. */
    TICKET,
    /**
     * Added to the user's open ticket as a follow-up (on its way to the tracker) and the user told so; the context's
     * {@link MessageContext#ticket()} is that ticket.
     */
    FOLLOW_UP,
    /** Answered by a command or an intent handler. */
    HANDLED,
    /** Noise: stored and marked, never answered. */
    NOISE,
    /** Already handled before (a redelivered update): nothing done, nothing sent. */
    DUPLICATE,
    /** A stage failed after the message was stored: the user got an apology. */
    FAILED,
    /** No stage decided (the end of the chain was reached). */
    UNHANDLED
  }

  public Outcome {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(context, "context");
    if (reply != null && reply.isBlank()) {
      reply = null;
    }
  }

  /** An outcome that answers the user with {@code text}. */
  public static Outcome reply(Kind kind, MessageContext context, String text) {
    Objects.requireNonNull(text, "text");
    return new Outcome(kind, text, context, null, null);
  }

  /** An outcome that sends nothing. */
  public static Outcome silent(Kind kind, MessageContext context) {
    return new Outcome(kind, null, context, null, null);
  }

  /** Noise, silently. */
  public static Outcome noise(MessageContext context) {
    return silent(Kind.NOISE, context);
  }

  /** An answer by a command or an intent handler. */
  public static Outcome handled(MessageContext context, String text) {
    return reply(Kind.HANDLED, context, text);
  }

  public Optional<String> replyText() {
    return Optional.ofNullable(reply);
  }

  Outcome withSent(SentMessage newSent) {
    return new Outcome(kind, reply, context, failure, newSent);
  }
}
