package dev.tgsupport.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tgsupport.core.memory.InMemoryStorage;
import dev.tgsupport.core.model.IncomingMessage;
import dev.tgsupport.core.model.OutgoingMessage;
import dev.tgsupport.core.model.SentMessage;
import dev.tgsupport.core.model.Ticket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class ListenerTest {
  private final List<String> events = new CopyOnWriteArrayList<>();

  private final PipelineListener recording = new PipelineListener() {
    @Override
    public void messageReceived(IncomingMessage message) {
      events.add("received");
    }

    @Override
    public void stageStarted(MessageContext context, String stage) {
      events.add("start " + stage);
    }

    @Override
    public void stageFinished(MessageContext context, String stage, Outcome outcome, Duration took) {
      events.add("finish " + stage + " " + outcome.kind());
    }

    @Override
    public void stageFailed(MessageContext context, String stage, Throwable error, Duration took) {
      events.add("fail " + stage);
    }

    @Override
    public void ticketOpened(MessageContext context, Ticket ticket) {
      events.add("ticket");
    }

    @Override
    public void replySent(MessageContext context, OutgoingMessage reply, SentMessage sent) {
      events.add("reply");
    }

    @Override
    public void messageProcessed(Outcome outcome, Duration took) {
      events.add("processed " + outcome.kind());
    }
  };

  @Test
  void eventsComeInNestedStartFinishPairs() {
    Pipeline p =
        Pipeline.builder().transactions(InMemoryStorage.create()).replyGateway(new RecordingReplyGateway())
            .listener(recording).build();
    p.process(Messages.text("The mobile app logs me out every hour"));
    assertThat(events).containsExactly(
        "received",
        "start record", "start noise", "start followup", "start intent", "start knowledge", "start ticket",
        "ticket",
        "finish ticket TICKET", "finish knowledge TICKET", "finish intent TICKET", "finish followup TICKET",
        "finish noise TICKET", "finish record TICKET",
        "reply",
        "processed TICKET");
  }

  @Test
  void aFailingStageClosesEveryOpenStageWithAFailure() {
    Pipeline p =
        Pipeline.builder().listener(recording)
            .addStageAfter(Stages.NOISE, Stage.of("boom", (ctx, chain) -> { throw new IllegalStateException(); }))
            .build();
    p.process(Messages.text("Why is the sync so slow?"));
    assertThat(events).containsExactly(
        "received", "start record", "start noise", "start boom", "fail boom", "fail noise", "fail record",
        "processed FAILED");
  }

  @Test
  void aListenerThatThrowsNeverBreaksThePipeline() {
    PipelineListener throwing = new PipelineListener() {
      @Override
      public void stageStarted(MessageContext context, String stage) {
        throw new IllegalStateException("listener bug");
      }
    };
    Pipeline p = Pipeline.builder().listener(throwing).listener(recording).build();
    Outcome o = p.process(Messages.text("How do I add a teammate?"));
    assertThat(o.kind()).isEqualTo(Outcome.Kind.TICKET);
    assertThat(events).contains("start record", "processed TICKET");
  }
}
