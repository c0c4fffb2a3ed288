package dev.tgsupport.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tgsupport.core.memory.InMemoryStorage;
import dev.tgsupport.core.model.KnowledgeDraft;
import dev.tgsupport.core.model.KnowledgeEntry;
import dev.tgsupport.core.model.KnowledgeHit;
import dev.tgsupport.core.model.KnowledgeStatus;
import dev.tgsupport.core.port.KnowledgeRetriever;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** The pipeline's lazy load of the knowledge base goes through {@link KnowledgeRetriever#reindexFrom}. */
class LoadingRetrieverTest {
  @Test
  void theFirstLookupLoadsThroughReindexFromOnce() {
    InMemoryStorage storage = InMemoryStorage.create();
    storage.run(s -> s.knowledge().add(KnowledgeDraft.of("How do I export tasks?", "Board menu, Export."),
        KnowledgeStatus.VALIDATED));
    List<String> calls = new ArrayList<>();
    KnowledgeRetriever delegate = new KnowledgeRetriever() {
      @Override
      public List<KnowledgeHit> retrieve(String query, int limit) {
        calls.add("retrieve");
        return List.of();
      }

      @Override
      public void reindex(Collection<KnowledgeEntry> validated) {
        calls.add("reindex " + validated.size());
      }

      @Override
      public int reindexFrom(Supplier<? extends Collection<KnowledgeEntry>> read) {
        calls.add("reindexFrom");
        return KnowledgeRetriever.super.reindexFrom(read);
      }
    };
    LoadingRetriever loading = new LoadingRetriever(delegate, storage);

    loading.retrieve("export", 3);
    loading.retrieve("export", 3);

    assertThat(calls).containsExactly("reindexFrom", "reindex 1", "retrieve", "retrieve");
  }
}
