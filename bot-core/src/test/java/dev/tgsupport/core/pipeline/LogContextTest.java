package dev.tgsupport.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tgsupport.core.memory.InMemoryStorage;
import dev.tgsupport.core.model.Ticket;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

class LogContextTest {
  @Test
  void logLinesWhileAMessageIsProcessedCarryItsChatMessageAndTicket() {
    List<String> seen = new ArrayList<>();
    PipelineListener spy = new PipelineListener() {
      @Override
      public void stageStarted(MessageContext context, String stage) {
        seen.add(stage + " " + MDC.get("chat_id") + "/" + MDC.get("message_id") + "/" + MDC.get("ticket_id"));
      }

      @Override
      public void ticketOpened(MessageContext context, Ticket ticket) {
        seen.add("ticket " + MDC.get("ticket_id"));
      }
    };
    Pipeline pipeline = Pipeline.builder().transactions(InMemoryStorage.create()).listener(spy).build();
    MDC.put("chat_id", "outer");

    Outcome o = pipeline.process(Messages.text("/ticket the invoice page is empty"));

    long chat = o.context().message().chat().id();
    long message = o.context().message().telegramMessageId();
    assertThat(seen).contains("record " + chat + "/" + message + "/null",
        "ticket " + o.context().ticket().id());
    assertThat(MDC.get("chat_id")).as("restored after the message").isEqualTo("outer");
    assertThat(MDC.get("message_id")).isNull();
    assertThat(MDC.get("ticket_id")).isNull();
    MDC.clear();
  }
}
