package dev.tgsupport.core.port;

import dev.tgsupport.core.model.KnowledgeEntry;
import dev.tgsupport.core.model.KnowledgeHit;
import java.util.Collection;
import java.util.List;

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
