package dev.tgsupport.redis;

import java.time.Duration;
import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one {@link DegradationSignal} of a {@link RedisSupport}: which components are on in-process state, since
 * when, told once per outage to the log and the application's listener.
 */
final class Degradations implements DegradationSignal {
  private static final Logger log = LoggerFactory.getLogger(RedisSupport.class);

  private final RedisSupport.Listener listener;
  private final ConcurrentHashMap<String, Long> downSince = new ConcurrentHashMap<>();

  Degradations(RedisSupport.Listener listener) {
    this.listener = listener;
  }

  @Override
  public void degraded(String component, Throwable cause) {
    if (downSince.putIfAbsent(component, System.nanoTime()) != null) {
      return;
    }
    log.warn("Redis unavailable for {} ({}); serving from in-process state until it is back", component,
        describe(cause));
    try {
      listener.degraded(component, cause);
    } catch (RuntimeException e) {
      log.warn("RedisSupport.Listener.degraded threw for {}; ignored", component, e);
    }
  }

  @Override
  public void recovered(String component) {
    Long since = downSince.remove(component);
    if (since == null) {
      return;
    }
    Duration outage = Duration.ofNanos(System.nanoTime() - since);
    log.info("Redis is back for {} after {} ms; in-process fallback left", component, outage.toMillis());
    try {
      listener.recovered(component, outage);
    } catch (RuntimeException e) {
      log.warn("RedisSupport.Listener.recovered threw for {}; ignored", component, e);
    }
  }

  boolean any() {
    return !downSince.isEmpty();
  }

  Set<String> components() {
    return Collections.unmodifiableSet(new TreeSet<>(downSince.keySet()));
  }

  /** Class and message of the cause and of its root, which is where lettuce puts "Connection refused". */
  static String describe(Throwable cause) {
    if (cause == null) {
      return "no cause";
    }
    Throwable root = cause;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String first = cause.getClass().getSimpleName() + ": " + cause.getMessage();
    return root == cause ? first : first + "; caused by " + root.getClass().getSimpleName() + ": " + root.getMessage();
  }
}
