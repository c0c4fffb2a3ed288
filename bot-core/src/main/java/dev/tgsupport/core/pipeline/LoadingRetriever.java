package dev.tgsupport.core.pipeline;

import dev.tgsupport.core.RetriableException;
import dev.tgsupport.core.model.KnowledgeEntry;
import dev.tgsupport.core.model.KnowledgeHit;
import dev.tgsupport.core.model.KnowledgeStatus;
import dev.tgsupport.core.port.KnowledgeRetriever;
import dev.tgsupport.core.port.Transactions;
import java.util.Collection;
import java.util.List;
import java.util.function.Supplier;

/**
 * Fills a retriever from storage on first use rather than at build time, so a pipeline can be built while the
 * database is still starting; until the load succeeds, lookups report the retriever unavailable (and the knowledge
 * stage escalates to a ticket).
 */
final class LoadingRetriever implements KnowledgeRetriever {
  private final KnowledgeRetriever delegate;
  private final Transactions transactions;
  private volatile boolean loaded;

  LoadingRetriever(KnowledgeRetriever delegate, Transactions transactions) {
    this.delegate = delegate;
    this.transactions = transactions;
  }

  private void ensureLoaded() {
    if (loaded) {
      return;
    }
    synchronized (this) {
      if (loaded) {
        return;
      }
      try {
        delegate.reindexFrom(() -> transactions.inTransaction(s -> s.knowledge().list(KnowledgeStatus.VALIDATED)));
      } catch (RetriableException e) {
        throw new UnavailableException("cannot load the knowledge base from storage: " + e.getMessage(), e);
      }
      loaded = true;
    }
  }

  @Override
  public List<KnowledgeHit> retrieve(String query, int limit) {
    ensureLoaded();
    return delegate.retrieve(query, limit);
  }

  @Override
  public void reindex(Collection<KnowledgeEntry> validated) {
    synchronized (this) {
      delegate.reindex(validated);
      loaded = true;
    }
  }

  @Override
  public int reindexFrom(Supplier<? extends Collection<KnowledgeEntry>> storage) {
    synchronized (this) {
      int read = delegate.reindexFrom(storage);
      loaded = true;
      return read;
    }
  }

  @Override
  public void entryChanged(KnowledgeEntry entry) {
    ensureLoaded();
    delegate.entryChanged(entry);
  }
}
