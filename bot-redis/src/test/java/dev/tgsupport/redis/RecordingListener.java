package dev.tgsupport.redis;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records every degradation and recovery a {@link RedisSupport} reports. */
final class RecordingListener implements RedisSupport.Listener {
  final List<String> events = new CopyOnWriteArrayList<>();
  final List<Throwable> causes = new CopyOnWriteArrayList<>();

  @Override
  public void degraded(String component, Throwable cause) {
    events.add("degraded " + component);
    causes.add(cause);
  }

  @Override
  public void recovered(String component, Duration outage) {
    events.add("recovered " + component);
  }

  long count(String event) {
    return events.stream().filter(event::equals).count();
  }
}
