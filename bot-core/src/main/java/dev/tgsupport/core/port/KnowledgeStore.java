package dev.tgsupport.core.port;

import dev.tgsupport.core.model.KnowledgeDraft;
import dev.tgsupport.core.model.KnowledgeEntry;
import dev.tgsupport.core.model.KnowledgeStatus;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Knowledge entries and their lifecycle draft → validated → archived. Used inside one transaction (see
 * {@link Transactions}); not thread-safe on its own.
 */
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

  /**
   * The entry asking this question, of any status, compared case-insensitively and with runs of whitespace
   * counted as one space and leading and trailing whitespace ignored: {@code "  How do I PAY?"} finds
   * {@code "how do i  pay?"}. When several entries ask it, the one with the lowest id. Deleted entries are not found.
   */
  Optional<KnowledgeEntry> findByQuestion(String question);

  /**
   * Replaces the question, answer, tags and language of an entry with those of {@code draft}; its id, source and
   * creation time stay. A {@link KnowledgeStatus#VALIDATED} entry becomes a {@link KnowledgeStatus#DRAFT} again,
   * with its validator and validation time cleared: a validation vouches for the text that was reviewed, not for
   * whatever replaces it, so changed content answers users only once someone validates it again. Drafts stay
   * drafts and archived entries stay archived.
   *
   * @throws dev.tgsupport.core.NotFoundException for an unknown or deleted id
   */
  KnowledgeEntry update(long id, KnowledgeDraft draft);

  /**
   * The comparison key of {@link #findByQuestion}: runs of ASCII whitespace folded to one space, leading and
   * trailing spaces dropped, lower case. Storages that compare in the database use the equivalent expression there
   * (PostgreSQL: {@code lower(btrim(regexp_replace(question, '\s+', ' ', 'g')))}).
   */
  static String questionKey(String question) {
    String folded = question.replaceAll("\\s+", " ");
    int from = folded.startsWith(" ") ? 1 : 0;
    int to = folded.length() > from && folded.endsWith(" ") ? folded.length() - 1 : folded.length();
    return folded.substring(from, to).toLowerCase(Locale.ROOT);
  }

  /** Entries of any status carrying the tag, in id order. */
  List<KnowledgeEntry> findByTag(String tag);

  /**
   * Soft-deletes an entry: it disappears from every query (archive it instead to keep it visible).
   *
   * @throws dev.tgsupport.core.NotFoundException for an unknown or deleted id
   */
  void delete(long id);
}
