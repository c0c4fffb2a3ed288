package dev.tgsupport.core.text;

import dev.tgsupport.core.model.KnowledgeEntry;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The bookkeeping the in-process retrievers share: the validated entries, each analysed once into a document, and an
 * immutable index built from them on the first search after a change. Searches read the built index without locking;
 * changes are serialised and only drop it.
 *
 * @param <D> an entry analysed for the index
 * @param <I> the immutable index
 */
final class ValidatedEntries<D, I> {
  private final Function<KnowledgeEntry, D> analyse;
  private final Function<Collection<D>, I> build;
  private final Object lock = new Object();
  /** Guarded by {@code lock}. */
  private final Map<Long, D> docs = new HashMap<>();
  /** Null when {@link #docs} changed since the last build. */
  private volatile I index;

  ValidatedEntries(Function<KnowledgeEntry, D> analyse, Function<Collection<D>, I> build, I empty) {
    this.analyse = analyse;
    this.build = build;
    this.index = empty;
  }

  /** Replaces everything with the validated ones of {@code entries}. */
  void reindex(Collection<KnowledgeEntry> entries) {
    Map<Long, D> fresh = new HashMap<>();
    for (KnowledgeEntry e : entries) {
      if (e.isValidated()) {
        fresh.put(e.id(), analyse.apply(e));
      }
    }
    synchronized (lock) {
      docs.clear();
      docs.putAll(fresh);
      index = null;
    }
  }

  /** Keeps a validated entry (replacing its older version) or drops a draft or archived one. */
  void changed(KnowledgeEntry entry) {
    D doc = entry.isValidated() ? analyse.apply(entry) : null;
    synchronized (lock) {
      if (doc != null) {
        docs.put(entry.id(), doc);
        index = null;
      } else if (docs.remove(entry.id()) != null) {
        index = null;
      }
    }
  }

  int size() {
    synchronized (lock) {
      return docs.size();
    }
  }

  /** The index of the current entries, built now if they changed since the last build. */
  I index() {
    I current = index;
    if (current != null) {
      return current;
    }
    synchronized (lock) {
      if (index == null) {
        index = build.apply(docs.values());
      }
      return index;
    }
  }
}
