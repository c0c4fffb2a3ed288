package dev.tgsupport.core.memory;

import static dev.tgsupport.core.InvalidInputException.check;
import static dev.tgsupport.core.InvalidInputException.requireNonBlank;
import static dev.tgsupport.core.InvalidInputException.requireNonNull;

import dev.tgsupport.core.port.UpdateStore;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

final class MemoryUpdateStore implements UpdateStore {
  private static final Comparator<RawUpdate> NEWEST_FIRST =
      Comparator.comparing(RawUpdate::receivedAt).thenComparingLong(RawUpdate::updateId).reversed();

  private final MemoryTransaction tx;

  MemoryUpdateStore(MemoryTransaction tx) {
    this.tx = tx;
  }

  @Override
  public boolean saveRaw(long updateId, String kind, String payload, String error) {
    requireNonBlank(kind, "kind");
    requireNonNull(payload, "payload");
    Tables t = tx.tables();
    if (t.rawUpdates.containsKey(updateId)) {
      return false;
    }
    // NULs go here too, so an update reads back the same from every storage (PostgreSQL text cannot hold them).
    tx.put(t.rawUpdates, updateId,
        new RawUpdate(updateId, withoutNul(kind), withoutNul(payload), withoutNul(error), tx.clock().instant()));
    return true;
  }

  @Override
  public List<RawUpdate> listRaw(int limit) {
    check(limit >= 0, "limit", "must be >= 0", limit);
    List<RawUpdate> all = new ArrayList<>(tx.tables().rawUpdates.values());
    all.sort(NEWEST_FIRST);
    return List.copyOf(all.subList(0, Math.min(limit, all.size())));
  }

  private static String withoutNul(String s) {
    return s == null || s.indexOf('\0') < 0 ? s : s.replace("\0", "");
  }
}
