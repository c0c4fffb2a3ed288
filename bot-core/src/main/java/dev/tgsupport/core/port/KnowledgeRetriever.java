package dev.tgsupport.core.port;

import dev.tgsupport.core.model.KnowledgeEntry;
import dev.tgsupport.core.model.KnowledgeHit;
import java.util.Collection;
import java.util.List;
import java.util.function.Supplier;

/**
 * Finds the validated knowledge entries that answer a question, best first, with scores in [0, 1] comparable
 * across queries so the knowledge stage can apply one threshold. Thread-safe.
 *
 * <p>Retrievers that keep their own index learn about changes through {@link #reindex} and {@link #entryChanged};
 * those that query storage directly ignore both.
 */
public interface KnowledgeRetriever {
  List<KnowledgeHit> retrieve(String query, int limit);

  /** Replaces everything indexed with these validated entries. */
  default void reindex(Collection<KnowledgeEntry> validated) {}

  /**
   * Replaces everything indexed with the validated entries that {@code storage} reads, and returns how many it
   * read. A retriever whose index outlives the process (one Qdrant collection shared by several bots) lists what the
   * index holds before it reads storage, so that a point of an entry storage does not list is stale for certain:
   * not the point of an entry another process validated and indexed between the two reads, which reading storage
   * first would delete.
   */
  default int reindexFrom(Supplier<? extends Collection<KnowledgeEntry>> storage) {
    Collection<KnowledgeEntry> validated = storage.get();
    reindex(validated);
    return validated.size();
  }

  /** An entry was added, validated or archived; only validated entries may be returned afterwards. */
  default void entryChanged(KnowledgeEntry entry) {}

  /**
   * Thrown by retrievers whose backing service is down. The knowledge stage then opens a ticket instead of
   * guessing.
   */
  final class UnavailableException extends dev.tgsupport.core.RetriableException {
    public UnavailableException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
