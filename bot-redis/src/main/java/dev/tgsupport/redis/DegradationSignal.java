package dev.tgsupport.redis;

/**
 * How each Redis-backed component reports that it lost Redis (and now serves from in-process state) or got it back.
 * {@link RedisSupport} implements it once: it logs a warning once per outage, flips the degraded flag that health
 * checks and metrics read, and tells the application's listener. Implementations are thread-safe and cheap to call
 * on every failure.
 */
interface DegradationSignal {

  /** The component could not use Redis and fell back; called on every failure, reported once per outage. */
  void degraded(String component, Throwable cause);

  /** The component is back on Redis. */
  void recovered(String component);

  DegradationSignal NONE = new DegradationSignal() {
    @Override
    public void degraded(String component, Throwable cause) {}

    @Override
    public void recovered(String component) {}
  };
}
