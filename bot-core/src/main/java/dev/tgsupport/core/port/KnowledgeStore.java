package dev.tgsupport.core.port;

import dev.tgsupport.core.model.KnowledgeDraft;
import dev.tgsupport.core.model.KnowledgeEntry;
import dev.tgsupport.core.model.KnowledgeStatus;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Knowledge entries and their lifecycle draft → validated → archived. */
public interface KnowledgeStore {
  /** Stores a new entry with the given status (validated entries record {@code validatedBy} "import"). */
  KnowledgeEntry add(KnowledgeDraft draft, KnowledgeStatus status);

  Optional<KnowledgeEntry> find(long id);

  /** Entries with the status, in id order. */
  List<KnowledgeEntry> list(KnowledgeStatus status);

  /** @throws dev.tgsupport.core.NotFoundException for an unknown id */
  KnowledgeEntry validate(long id, String validatedBy, Instant at);

  /** @throws dev.tgsupport.core.NotFoundException for an unknown id */
  KnowledgeEntry archive(long id);

  /** Entries of any status carrying the tag, in id order. */
  List<KnowledgeEntry> findByTag(String tag);

  /**
   * Soft-deletes an entry: it disappears from every query (archive it instead to keep it visible).
   *
   * @throws dev.tgsupport.core.NotFoundException for an unknown or deleted id
   */
  void delete(long id);
}
