package dev.tgsupport.core.pipeline;

import dev.tgsupport.core.port.MessageRecorder;
import dev.tgsupport.core.port.MessageStore.Recorded;

final class RecordStage implements Stage {
  private final MessageRecorder recorder;

  RecordStage(MessageRecorder recorder) {
    this.recorder = recorder;
  }

  @Override
  public String name() {
    return Stages.RECORD;
  }

  @Override
  public Outcome handle(MessageContext context, Chain chain) {
    Recorded recorded = recorder.record(context.message());
    MessageContext next = context.withStored(recorded.message());
    // A redelivered update that was fully handled must not be answered twice. One that was recorded but not
    // handled (a crash in between) runs again: every later step is idempotent.
    if (!recorded.created() && recorded.message().isHandled()) {
      return Outcome.silent(Outcome.Kind.DUPLICATE, next);
    }
    return chain.proceed(next);
  }
}
