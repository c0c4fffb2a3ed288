package dev.tgsupport.core.memory;

import static dev.tgsupport.core.InvalidInputException.requireNonBlank;
import static dev.tgsupport.core.InvalidInputException.requireNonNull;

import dev.tgsupport.core.model.KnowledgeDraft;
import dev.tgsupport.core.model.KnowledgeEntry;
import dev.tgsupport.core.model.KnowledgeStatus;
import dev.tgsupport.core.port.KnowledgeStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

final class MemoryKnowledgeStore implements KnowledgeStore {
  /** Who {@link #add} records as the validator of entries stored already validated. */
  static final String IMPORT = "import";

  private final MemoryTransaction tx;

  MemoryKnowledgeStore(MemoryTransaction tx) {
    this.tx = tx;
  }

  @Override
  public KnowledgeEntry add(KnowledgeDraft draft, KnowledgeStatus status) {
    requireNonNull(draft, "draft");
    requireNonNull(status, "status");
    Tables t = tx.tables();
    Instant now = tx.clock().instant();
    boolean validated = status == KnowledgeStatus.VALIDATED;
    KnowledgeEntry e = new KnowledgeEntry(t.nextKnowledgeId(), draft.question(), draft.answer(), draft.tags(),
        draft.source(), status, draft.language(), validated ? IMPORT : null, validated ? now : null, now);
    tx.put(t.knowledge, e.id(), e);
    return e;
  }

  @Override
  public Optional<KnowledgeEntry> find(long id) {
    return Optional.ofNullable(tx.tables().knowledge.get(id));
  }

  @Override
  public List<KnowledgeEntry> list(KnowledgeStatus status) {
    requireNonNull(status, "status");
    List<KnowledgeEntry> out = new ArrayList<>();
    for (KnowledgeEntry e : tx.tables().knowledge.values()) {
      if (e.status() == status) {
        out.add(e);
      }
    }
    return List.copyOf(out);
  }

  @Override
  public KnowledgeEntry validate(long id, String validatedBy, Instant at) {
    requireNonBlank(validatedBy, "validatedBy");
    requireNonNull(at, "at");
    KnowledgeEntry e = existing(id);
    return replace(new KnowledgeEntry(e.id(), e.question(), e.answer(), e.tags(), e.source(),
        KnowledgeStatus.VALIDATED, e.language(), validatedBy, at, e.createdAt()));
  }

  @Override
  public KnowledgeEntry archive(long id) {
    KnowledgeEntry e = existing(id);
    return replace(new KnowledgeEntry(e.id(), e.question(), e.answer(), e.tags(), e.source(),
        KnowledgeStatus.ARCHIVED, e.language(), e.validatedBy(), e.validatedAt(), e.createdAt()));
  }

  @Override
  public Optional<KnowledgeEntry> findByQuestion(String question) {
    requireNonBlank(question, "question");
    String key = KnowledgeStore.questionKey(question);
    // The map iterates in id order, so the first match is the lowest id.
    for (KnowledgeEntry e : tx.tables().knowledge.values()) {
      if (KnowledgeStore.questionKey(e.question()).equals(key)) {
        return Optional.of(e);
      }
    }
    return Optional.empty();
  }

  @Override
  public KnowledgeEntry update(long id, KnowledgeDraft draft) {
    requireNonNull(draft, "draft");
    KnowledgeEntry e = existing(id);
    boolean demoted = e.status() == KnowledgeStatus.VALIDATED;
    return replace(new KnowledgeEntry(e.id(), draft.question(), draft.answer(), draft.tags(), e.source(),
        demoted ? KnowledgeStatus.DRAFT : e.status(), draft.language(), demoted ? null : e.validatedBy(),
        demoted ? null : e.validatedAt(), e.createdAt()));
  }

  @Override
  public List<KnowledgeEntry> findByTag(String tag) {
    requireNonBlank(tag, "tag");
    List<KnowledgeEntry> out = new ArrayList<>();
    for (KnowledgeEntry e : tx.tables().knowledge.values()) {
      if (e.tags().contains(tag.strip())) {
        out.add(e);
      }
    }
    return List.copyOf(out);
  }

  @Override
  public void delete(long id) {
    KnowledgeEntry e = existing(id);
    tx.remove(tx.tables().knowledge, id);
    tx.put(tx.tables().deletedKnowledge, id, e);
  }

  private KnowledgeEntry existing(long id) {
    KnowledgeEntry e = tx.tables().knowledge.get(id);
    if (e == null) {
      throw MemoryTransaction.notFound("knowledge entry", id);
    }
    return e;
  }

  private KnowledgeEntry replace(KnowledgeEntry e) {
    tx.put(tx.tables().knowledge, e.id(), e);
    return e;
  }
}
