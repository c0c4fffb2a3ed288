package dev.tgsupport.metrics;

import dev.tgsupport.core.model.IncomingMessage;
import dev.tgsupport.core.model.OutgoingMessage;
import dev.tgsupport.core.model.SentMessage;
import dev.tgsupport.core.model.Ticket;
import dev.tgsupport.core.pipeline.EditResult;
import dev.tgsupport.core.pipeline.MessageContext;
import dev.tgsupport.core.pipeline.Outcome;
import dev.tgsupport.core.pipeline.PipelineListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Counts and times what the pipeline does, as Micrometer meters: add it with
 * {@code Pipeline.Builder#listener(PipelineMetrics.bind(registry))}. The meters (Prometheus names in brackets):
 *
 * <ul>
 *   <li>{@code tgsupport.messages.received} [{@code tgsupport_messages_received_total}] by {@code type} (text,
 *       photo, sticker…) and {@code chat} (private, group);
 *   <li>{@code tgsupport.messages.processed} by {@code outcome} (answered, ticket, noise, handled, follow_up,
 *       duplicate, failed, …) and {@code tgsupport.message.duration}, the whole pipeline, by {@code outcome};
 *   <li>{@code tgsupport.noise} by {@code reason} (greeting, thanks, flood, spam:links…);
 *   <li>{@code tgsupport.answers} (answered from the knowledge base), {@code tgsupport.tickets.opened},
 *       {@code tgsupport.followups};
 *   <li>{@code tgsupport.stage.duration} by {@code stage} and {@code result} (ok, error): the time spent in the
 *       stage itself, not counting the stages it proceeded to, so the stages' times add up to the message's;
 *   <li>{@code tgsupport.replies.sent} and {@code tgsupport.replies.failed} by {@code error};
 *       {@code tgsupport.messages.edited}.
 * </ul>
 *
 * <p>Label values come from small fixed sets; a noise reason beyond {@link #MAX_REASONS} distinct ones (a custom
 * filter inventing reasons) is counted as {@code other}, so a bug cannot blow up the series count. Thread-safe;
 * the listener is called on the processing threads.
 */
public final class PipelineMetrics implements PipelineListener {
  /** Distinct noise reasons kept as labels. */
  public static final int MAX_REASONS = 64;

  private final MeterRegistry registry;
  private final Set<String> reasons = ConcurrentHashMap.newKeySet();
  /** Open stages of the message on this thread: start time and the time its inner stages took. */
  private final ThreadLocal<Deque<long[]>> stages = ThreadLocal.withInitial(ArrayDeque::new);
  private final Counter answers;
  private final Counter tickets;
  private final Counter followUps;
  private final Counter repliesSent;
  private final Counter edited;

  private PipelineMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.answers = Counter.builder("tgsupport.answers")
        .description("Questions answered from the knowledge base").register(registry);
    this.tickets = Counter.builder("tgsupport.tickets.opened")
        .description("Tickets opened for staff").register(registry);
    this.followUps = Counter.builder("tgsupport.followups")
        .description("Messages added to an open ticket").register(registry);
    this.repliesSent = Counter.builder("tgsupport.replies.sent")
        .description("Replies delivered to Telegram").register(registry);
    this.edited = Counter.builder("tgsupport.messages.edited")
        .description("Edits of stored messages applied").register(registry);
  }

  /** A listener recording into {@code registry}. */
  public static PipelineMetrics bind(MeterRegistry registry) {
    return new PipelineMetrics(Objects.requireNonNull(registry, "registry"));
  }

  @Override
  public void messageReceived(IncomingMessage message) {
    Counter.builder("tgsupport.messages.received")
        .description("Messages that entered the pipeline")
        .tag("type", message.type().name().toLowerCase(Locale.ROOT))
        .tag("chat", message.chat().isGroup() ? "group" : "private")
        .register(registry).increment();
    stages.get().clear();
  }

  @Override
  public void stageStarted(MessageContext context, String stage) {
    stages.get().push(new long[] {System.nanoTime(), 0});
  }

  @Override
  public void stageFinished(MessageContext context, String stage, Outcome outcome, Duration took) {
    recordStage(stage, "ok", took);
  }

  @Override
  public void stageFailed(MessageContext context, String stage, Throwable error, Duration took) {
    recordStage(stage, "error", took);
  }

  private void recordStage(String stage, String result, Duration took) {
    Deque<long[]> open = stages.get();
    long total = took.toNanos();
    long self = total;
    if (!open.isEmpty()) {
      self = Math.max(0, total - open.pop()[1]);
    }
    if (!open.isEmpty()) {
      open.peek()[1] += total;
    }
    Timer.builder("tgsupport.stage.duration")
        .description("Time spent in a pipeline stage itself, without the stages it proceeded to")
        .tag("stage", stage)
        .tag("result", result)
        .publishPercentileHistogram(false)
        .register(registry)
        .record(self, TimeUnit.NANOSECONDS);
  }

  @Override
  public void ticketOpened(MessageContext context, Ticket ticket) {
    tickets.increment();
  }

  @Override
  public void followUpAdded(MessageContext context, Ticket ticket) {
    followUps.increment();
  }

  @Override
  public void replySent(MessageContext context, OutgoingMessage reply, SentMessage sent) {
    repliesSent.increment();
  }

  @Override
  public void replyFailed(MessageContext context, OutgoingMessage reply, Throwable error) {
    Counter.builder("tgsupport.replies.failed")
        .description("Replies Telegram did not take")
        .tag("error", error.getClass().getSimpleName())
        .register(registry).increment();
  }

  @Override
  public void messageProcessed(Outcome outcome, Duration took) {
    String kind = outcome.kind().name().toLowerCase(Locale.ROOT);
    Counter.builder("tgsupport.messages.processed")
        .description("Messages the pipeline finished, by outcome")
        .tag("outcome", kind)
        .register(registry).increment();
    Timer.builder("tgsupport.message.duration")
        .description("Time from receiving a message to its outcome")
        .tag("outcome", kind)
        .register(registry)
        .record(took);
    if (outcome.kind() == Outcome.Kind.ANSWERED) {
      answers.increment();
    } else if (outcome.kind() == Outcome.Kind.NOISE) {
      MessageContext c = outcome.context();
      String reason = c == null || c.noise() == null || c.noise().reason() == null ? "unknown" : c.noise().reason();
      Counter.builder("tgsupport.noise")
          .description("Messages stored as noise and not answered, by reason")
          .tag("reason", boundedReason(reason))
          .register(registry).increment();
    }
    stages.get().clear();
  }

  @Override
  public void messageEdited(EditResult result) {
    edited.increment();
  }

  private String boundedReason(String reason) {
    if (reasons.contains(reason)) {
      return reason;
    }
    if (reasons.size() >= MAX_REASONS) {
      return "other";
    }
    reasons.add(reason);
    return reason;
  }

  @Override
  public String toString() {
    return "PipelineMetrics[" + registry.getClass().getSimpleName() + "]";
  }
}
