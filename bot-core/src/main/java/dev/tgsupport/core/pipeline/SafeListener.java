package dev.tgsupport.core.pipeline;

import dev.tgsupport.core.model.IncomingMessage;
import dev.tgsupport.core.model.OutgoingMessage;
import dev.tgsupport.core.model.SentMessage;
import dev.tgsupport.core.model.Ticket;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Fans events out to every listener; a listener that throws is logged and never breaks the pipeline. */
final class SafeListener implements PipelineListener {
  private static final Logger log = LoggerFactory.getLogger(SafeListener.class);
  private final List<PipelineListener> listeners;

  SafeListener(List<PipelineListener> listeners) {
    this.listeners = List.copyOf(listeners);
  }

  private void each(String event, Consumer<PipelineListener> call) {
    for (PipelineListener l : listeners) {
      try {
        call.accept(l);
      } catch (RuntimeException e) {
        log.warn("pipeline listener {} threw from {}; ignored", l.getClass().getName(), event, e);
      }
    }
  }

  @Override
  public void messageReceived(IncomingMessage message) {
    each("messageReceived", l -> l.messageReceived(message));
  }

  @Override
  public void stageStarted(MessageContext context, String stage) {
    each("stageStarted", l -> l.stageStarted(context, stage));
  }

  @Override
  public void stageFinished(MessageContext context, String stage, Outcome outcome, Duration took) {
    each("stageFinished", l -> l.stageFinished(context, stage, outcome, took));
  }

  @Override
  public void stageFailed(MessageContext context, String stage, Throwable error, Duration took) {
    each("stageFailed", l -> l.stageFailed(context, stage, error, took));
  }

  @Override
  public void ticketOpened(MessageContext context, Ticket ticket) {
    each("ticketOpened", l -> l.ticketOpened(context, ticket));
  }

  @Override
  public void followUpAdded(MessageContext context, Ticket ticket) {
    each("followUpAdded", l -> l.followUpAdded(context, ticket));
  }

  @Override
  public void replySent(MessageContext context, OutgoingMessage reply, SentMessage sent) {
    each("replySent", l -> l.replySent(context, reply, sent));
  }

  @Override
  public void replyFailed(MessageContext context, OutgoingMessage reply, Throwable error) {
    each("replyFailed", l -> l.replyFailed(context, reply, error));
  }

  @Override
  public void messageProcessed(Outcome outcome, Duration took) {
    each("messageProcessed", l -> l.messageProcessed(outcome, took));
  }

  @Override
  public void messageEdited(EditResult result) {
    each("messageEdited", l -> l.messageEdited(result));
  }
}
