package dev.tgsupport.core.memory;

import static dev.tgsupport.core.InvalidInputException.requireNonNull;

import dev.tgsupport.core.model.SpamSample;
import dev.tgsupport.core.port.SpamSampleStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

final class MemorySpamSampleStore implements SpamSampleStore {
  private final MemoryTransaction tx;

  MemorySpamSampleStore(MemoryTransaction tx) {
    this.tx = tx;
  }

  @Override
  public SpamSample add(SpamSample.Draft draft, Instant at) {
    requireNonNull(draft, "draft");
    requireNonNull(at, "at");
    Tables t = tx.tables();
    if (draft.chatId() != null) {
      for (SpamSample s : t.spamSamples.values()) {
        if (s.kind() == draft.kind() && Objects.equals(s.chatId(), draft.chatId())
            && Objects.equals(s.telegramMessageId(), draft.telegramMessageId())) {
          return s;
        }
      }
    }
    SpamSample s = new SpamSample(t.nextSpamSampleId(), draft.kind(), draft.text(), draft.chatId(),
        draft.telegramMessageId(), draft.addedBy(), at);
    tx.put(t.spamSamples, s.id(), s);
    return s;
  }

  @Override
  public int removeForMessage(long chatId, long telegramMessageId, SpamSample.Kind kind) {
    requireNonNull(kind, "kind");
    Tables t = tx.tables();
    List<Long> gone = new ArrayList<>();
    for (SpamSample s : t.spamSamples.values()) {
      if (s.kind() == kind && s.chatId() != null && s.chatId() == chatId
          && s.telegramMessageId() == telegramMessageId) {
        gone.add(s.id());
      }
    }
    for (Long id : gone) {
      tx.remove(t.spamSamples, id);
    }
    return gone.size();
  }

  @Override
  public List<SpamSample> list(SpamSample.Kind kind) {
    requireNonNull(kind, "kind");
    List<SpamSample> out = new ArrayList<>();
    for (SpamSample s : tx.tables().spamSamples.values()) {
      if (s.kind() == kind) {
        out.add(s);
      }
    }
    return List.copyOf(out);
  }
}
