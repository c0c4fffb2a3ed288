package dev.tgsupport.core.knowledge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tgsupport.core.memory.InMemoryStorage;
import dev.tgsupport.core.model.KnowledgeDraft;
import dev.tgsupport.core.model.KnowledgeEntry;
import dev.tgsupport.core.model.KnowledgeHit;
import dev.tgsupport.core.model.KnowledgeStatus;
import dev.tgsupport.core.port.KnowledgeRetriever;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** {@link KnowledgeBase#reindex} hands the retriever the storage read itself, so the retriever decides when. */
class KnowledgeBaseReindexTest {
  /** Records the order of what it is asked to do. */
  static final class Recording implements KnowledgeRetriever {
    final List<String> events = new ArrayList<>();
    final List<Collection<KnowledgeEntry>> reindexed = new ArrayList<>();

    @Override
    public List<KnowledgeHit> retrieve(String query, int limit) {
      return List.of();
    }

    @Override
    public void reindex(Collection<KnowledgeEntry> validated) {
      events.add("reindex");
      reindexed.add(validated);
    }

    @Override
    public int reindexFrom(Supplier<? extends Collection<KnowledgeEntry>> storage) {
      events.add("list the index");
      return KnowledgeRetriever.super.reindexFrom(() -> {
        events.add("read storage");
        return storage.get();
      });
    }
  }

  @Test
  void reindexReadsStorageWhenTheRetrieverAsksAndCountsWhatItRead() {
    InMemoryStorage storage = InMemoryStorage.create();
    Recording retriever = new Recording();
    KnowledgeBase kb = new KnowledgeBase(storage, retriever, Clock.systemUTC());
    KnowledgeEntry validated = kb.add(KnowledgeDraft.of("How do I reset my password?", "Settings, Security."),
        KnowledgeStatus.VALIDATED);
    kb.add(KnowledgeDraft.of("A draft?", "Not yet."), KnowledgeStatus.DRAFT);
    retriever.events.clear();

    assertThat(kb.reindex()).isEqualTo(1);

    assertThat(retriever.events).containsExactly("list the index", "read storage", "reindex");
    assertThat(retriever.reindexed).singleElement()
        .satisfies(c -> assertThat(c).extracting(KnowledgeEntry::id).containsExactly(validated.id()));
  }

  @Test
  void theDefaultReadsOnceAndReindexesWhatItRead() {
    List<String> calls = new ArrayList<>();
    KnowledgeRetriever plain = new KnowledgeRetriever() {
      @Override
      public List<KnowledgeHit> retrieve(String query, int limit) {
        return List.of();
      }

      @Override
      public void reindex(Collection<KnowledgeEntry> validated) {
        calls.add("reindex " + validated.size());
      }
    };

    int read = plain.reindexFrom(() -> {
      calls.add("read");
      return List.of();
    });

    assertThat(read).isZero();
    assertThat(calls).containsExactly("read", "reindex 0");
  }
}
