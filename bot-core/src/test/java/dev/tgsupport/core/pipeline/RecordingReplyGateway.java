package dev.tgsupport.core.pipeline;

import dev.tgsupport.core.model.OutgoingMessage;
import dev.tgsupport.core.model.SentMessage;
import dev.tgsupport.core.port.ReplyGateway;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** Records what the pipeline sends; can be told to fail the next sends. */
final class RecordingReplyGateway implements ReplyGateway {
  private final List<OutgoingMessage> sent = new ArrayList<>();
  private final AtomicLong ids = new AtomicLong(1000);
  private int failuresLeft;
  private RuntimeException failure;

  synchronized void failNext(int times, RuntimeException e) {
    failuresLeft = times;
    failure = e;
  }

  synchronized List<OutgoingMessage> sent() {
    return List.copyOf(sent);
  }

  @Override
  public synchronized SentMessage send(OutgoingMessage message) {
    if (failuresLeft > 0) {
      failuresLeft--;
      throw failure;
    }
    sent.add(message);
    return new SentMessage(message.chatId(), ids.incrementAndGet(), Instant.now());
  }

  @Override
  public void edit(long chatId, long telegramMessageId, String text) {}
}
