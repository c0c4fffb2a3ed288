package dev.tgsupport.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tgsupport.core.memory.InMemoryStorage;
import dev.tgsupport.core.model.Chat;
import dev.tgsupport.core.model.IncomingMessage;
import dev.tgsupport.core.model.KnowledgeDraft;
import dev.tgsupport.core.model.KnowledgeStatus;
import dev.tgsupport.core.model.MessageType;
import dev.tgsupport.core.model.TelegramUser;
import dev.tgsupport.core.pipeline.Pipeline;
import dev.tgsupport.core.text.DefaultNoiseFilter;
import dev.tgsupport.core.text.LexicalKnowledgeRetriever;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class PipelineMetricsTest {
  private static final TelegramUser ALICE = TelegramUser.of(42, "alice", "Alice", null, "en");
  private final AtomicLong ids = new AtomicLong();
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Pipeline pipeline = Pipeline.builder()
      .transactions(InMemoryStorage.create())
      .noiseFilter(DefaultNoiseFilter.ofDefaults())
      .knowledgeRetriever(LexicalKnowledgeRetriever.create())
      .knowledgeThreshold(LexicalKnowledgeRetriever.RECOMMENDED_THRESHOLD)
      .replyGateway(dev.tgsupport.core.memory.InMemoryReplyGateway.create())
      .listener(PipelineMetrics.bind(registry))
      .build();

  PipelineMetricsTest() {
    pipeline.knowledge().addAll(List.of(KnowledgeDraft.of("How do I reset my password?",
        "Settings, then Security, then Reset password.")), KnowledgeStatus.VALIDATED);
  }

  private void say(String text) {
    pipeline.process(new IncomingMessage(Chat.privateChat(42, "Alice"), ALICE, ids.incrementAndGet(), null, null,
        MessageType.TEXT, text, Instant.now(), null));
  }

  private double count(String name, String... tags) {
    return registry.get(name).tags(tags).counter().count();
  }

  @Test
  void countsEachOutcomeNoiseReasonAnswerAndTicket() {
    say("hello");
    say("thanks!");
    say("how do i reset my password");
    say("my invoice from march shows the wrong company address");
    say("/start");

    assertThat(count("tgsupport.messages.received", "type", "text", "chat", "private")).isEqualTo(5);
    assertThat(count("tgsupport.messages.processed", "outcome", "noise")).isEqualTo(2);
    assertThat(count("tgsupport.messages.processed", "outcome", "answered")).isEqualTo(1);
    assertThat(count("tgsupport.messages.processed", "outcome", "ticket")).isEqualTo(1);
    assertThat(count("tgsupport.messages.processed", "outcome", "handled")).isEqualTo(1);
    assertThat(count("tgsupport.noise", "reason", "greeting")).isEqualTo(1);
    assertThat(count("tgsupport.noise", "reason", "thanks")).isEqualTo(1);
    assertThat(count("tgsupport.answers")).isEqualTo(1);
    assertThat(count("tgsupport.tickets.opened")).isEqualTo(1);
    assertThat(count("tgsupport.replies.sent")).isEqualTo(3);
  }

  @Test
  void stageTimesAreTheStagesOwnAndAddUpToNoMoreThanTheMessage() {
    say("my invoice from march shows the wrong company address");

    double message = registry.get("tgsupport.message.duration").tag("outcome", "ticket").timer()
        .totalTime(TimeUnit.NANOSECONDS);
    double stages = 0;
    for (Timer t : registry.get("tgsupport.stage.duration").timers()) {
      assertThat(t.count()).isEqualTo(1);
      stages += t.totalTime(TimeUnit.NANOSECONDS);
    }
    assertThat(registry.get("tgsupport.stage.duration").timers()).extracting(t -> t.getId().getTag("stage"))
        .contains("record", "noise", "intent", "knowledge", "ticket");
    assertThat(stages).isPositive().isLessThanOrEqualTo(message);
  }

  @Test
  void thePrometheusScrapeHasTheCounters() {
    say("how do i reset my password");

    assertThat(registry.scrape())
        .contains("tgsupport_answers_total 1.0")
        .contains("tgsupport_messages_processed_total{outcome=\"answered\"} 1.0")
        .contains("tgsupport_stage_duration_seconds_count{result=\"ok\",stage=\"knowledge\"} 1");
  }

  @Test
  void noiseReasonsBeyondTheLimitAreCountedAsOther() {
    PipelineMetrics metrics = PipelineMetrics.bind(registry);
    Pipeline custom = Pipeline.builder()
        .transactions(InMemoryStorage.create())
        .noiseFilter(m -> dev.tgsupport.core.model.NoiseVerdict.noise("r" + m.telegramMessageId()))
        .listener(metrics)
        .build();
    for (int i = 1; i <= PipelineMetrics.MAX_REASONS + 5; i++) {
      custom.process(new IncomingMessage(Chat.privateChat(42, "Alice"), ALICE, i, null, null, MessageType.TEXT,
          "x" + i, Instant.now(), null));
    }

    assertThat(registry.get("tgsupport.noise").counters()).hasSize(PipelineMetrics.MAX_REASONS + 1);
    assertThat(count("tgsupport.noise", "reason", "other")).isEqualTo(5);
  }
}
