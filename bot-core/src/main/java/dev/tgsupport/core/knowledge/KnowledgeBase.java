package dev.tgsupport.core.knowledge;

import dev.tgsupport.core.model.KnowledgeDraft;
import dev.tgsupport.core.model.KnowledgeEntry;
import dev.tgsupport.core.model.KnowledgeStatus;
import dev.tgsupport.core.port.KnowledgeRetriever;
import dev.tgsupport.core.port.Transactions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The knowledge entries the pipeline answers from: storage plus the retriever that searches them. Every change goes
 * through here so the retriever's index follows storage. Thread-safe.
 */
public final class KnowledgeBase {
  private final Transactions transactions;
  private final KnowledgeRetriever retriever;
  private final Clock clock;

  public KnowledgeBase(Transactions transactions, KnowledgeRetriever retriever, Clock clock) {
    this.transactions = Objects.requireNonNull(transactions, "transactions");
    this.retriever = Objects.requireNonNull(retriever, "retriever");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** Stores an entry; a {@link KnowledgeStatus#VALIDATED} one answers users from now on. */
  public KnowledgeEntry add(KnowledgeDraft draft, KnowledgeStatus status) {
    KnowledgeEntry e = transactions.inTransaction(s -> s.knowledge().add(draft, status));
    retriever.entryChanged(e);
    return e;
  }

  /** Stores all entries in one transaction: either every one is stored or none is. */
  public List<KnowledgeEntry> addAll(List<KnowledgeDraft> drafts, KnowledgeStatus status) {
    List<KnowledgeEntry> stored =
        transactions.inTransaction(
            s -> {
              List<KnowledgeEntry> out = new ArrayList<>(drafts.size());
              for (KnowledgeDraft d : drafts) {
                out.add(s.knowledge().add(d, status));
              }
              return out;
            });
    for (KnowledgeEntry e : stored) {
      retriever.entryChanged(e);
    }
    return stored;
  }

  /** Marks a draft validated by {@code validatedBy}; it answers users from now on. */
  public KnowledgeEntry validate(long id, String validatedBy) {
    KnowledgeEntry e = transactions.inTransaction(s -> s.knowledge().validate(id, validatedBy, clock.instant()));
    retriever.entryChanged(e);
    return e;
  }

  /** Archives an entry; it no longer answers users. */
  public KnowledgeEntry archive(long id) {
    KnowledgeEntry e = transactions.inTransaction(s -> s.knowledge().archive(id));
    retriever.entryChanged(e);
    return e;
  }

  /**
   * Replaces an entry's question, answer, tags and language (see {@link
   * dev.tgsupport.core.port.KnowledgeStore#update}): a validated entry becomes a draft again and stops answering
   * users until it is validated anew.
   *
   * @throws dev.tgsupport.core.NotFoundException for an unknown id
   */
  public KnowledgeEntry update(long id, KnowledgeDraft draft) {
    KnowledgeEntry e = transactions.inTransaction(s -> s.knowledge().update(id, draft));
    retriever.entryChanged(e);
    return e;
  }

  /** The entry with this id, of any status. */
  public Optional<KnowledgeEntry> find(long id) {
    return transactions.inTransaction(s -> s.knowledge().find(id));
  }

  /**
   * The entry asking this question, of any status, compared ignoring case and whitespace (see {@link
   * dev.tgsupport.core.port.KnowledgeStore#findByQuestion}).
   */
  public Optional<KnowledgeEntry> findByQuestion(String question) {
    return transactions.inTransaction(s -> s.knowledge().findByQuestion(question));
  }

  /** The entries with this status, in id order. */
  public List<KnowledgeEntry> list(KnowledgeStatus status) {
    return transactions.inTransaction(s -> s.knowledge().list(status));
  }

  /**
   * Rebuilds the retriever's index from storage, e.g. after another process changed entries.
   *
   * @return how many validated entries the retriever was given
   */
  public int reindex() {
    return retriever.reindexFrom(() -> list(KnowledgeStatus.VALIDATED));
  }

  public KnowledgeRetriever retriever() {
    return retriever;
  }
}
