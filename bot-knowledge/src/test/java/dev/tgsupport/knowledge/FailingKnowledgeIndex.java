package dev.tgsupport.knowledge;

import dev.tgsupport.core.ServerErrorException;
import dev.tgsupport.core.port.KnowledgeIndex;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An index that fails like a server that is down while {@link #down} is set, cannot list its points while
 * {@link #unlisted} is set, and records the payloads it got.
 */
final class FailingKnowledgeIndex implements KnowledgeIndex {
  private final KnowledgeIndex delegate;
  volatile boolean down;
  volatile boolean unlisted;
  final List<Map<String, String>> payloads = new ArrayList<>();

  FailingKnowledgeIndex(KnowledgeIndex delegate) {
    this.delegate = delegate;
  }

  private void check() {
    if (down) {
      throw new ServerErrorException("vector index: UNAVAILABLE");
    }
  }

  @Override
  public synchronized void upsert(long entryId, float[] vector, Map<String, String> payload) {
    check();
    payloads.add(payload);
    delegate.upsert(entryId, vector, payload);
  }

  @Override
  public void delete(long entryId) {
    check();
    delegate.delete(entryId);
  }

  @Override
  public List<VectorHit> search(float[] query, int limit, double minScore, Map<String, String> filter) {
    check();
    return delegate.search(query, limit, minScore, filter);
  }

  @Override
  public long count() {
    check();
    return delegate.count();
  }

  @Override
  public Optional<Map<Long, String>> fingerprints() {
    check();
    return unlisted ? Optional.empty() : delegate.fingerprints();
  }
}
