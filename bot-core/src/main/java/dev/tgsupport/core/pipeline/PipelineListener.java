package dev.tgsupport.core.pipeline;

import dev.tgsupport.core.model.IncomingMessage;
import dev.tgsupport.core.model.OutgoingMessage;
import dev.tgsupport.core.model.SentMessage;
import dev.tgsupport.core.model.Ticket;
import java.time.Duration;

/**
 * Observes the pipeline: metrics, tracing, audit. Every method is a no-op by default; override what you need.
 *
 * <p>Events come in pairs: {@code messageReceived} … {@code messageProcessed} around a whole message, and for each
 * stage {@code stageStarted} followed by exactly one of {@code stageFinished} or {@code stageFailed}. Stage events
 * nest the way stages do: an outer stage finishes after the stages it proceeded to.
 *
 * <p>Called synchronously on the thread processing the message: keep listeners fast. A listener that throws is
 * logged and otherwise ignored; it never breaks the pipeline.
 */
public interface PipelineListener {
  default void messageReceived(IncomingMessage message) {}

  default void stageStarted(MessageContext context, String stage) {}

  default void stageFinished(MessageContext context, String stage, Outcome outcome, Duration took) {}

  default void stageFailed(MessageContext context, String stage, Throwable error, Duration took) {}

  default void ticketOpened(MessageContext context, Ticket ticket) {}

  /**
   * The message was added to the user's open {@code ticket} as a follow-up, after that transaction committed. Not
   * called again for a redelivered message.
   */
  default void followUpAdded(MessageContext context, Ticket ticket) {}

  default void replySent(MessageContext context, OutgoingMessage reply, SentMessage sent) {}

  default void replyFailed(MessageContext context, OutgoingMessage reply, Throwable error) {}

  /** The message is done with: {@code outcome} is what {@link Pipeline#process} returns. */
  default void messageProcessed(Outcome outcome, Duration took) {}

  /**
   * A user's edit was applied by {@link Pipeline#processEdit}, after its transaction committed; {@code result} is
   * what that method returns. Not paired with {@code messageReceived}: an edit runs no stage.
   */
  default void messageEdited(EditResult result) {}

  /** A listener that does nothing. */
  static PipelineListener none() {
    return new PipelineListener() {};
  }
}
