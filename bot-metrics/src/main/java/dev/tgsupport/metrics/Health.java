package dev.tgsupport.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The health of the bot's components (storage, Redis, Qdrant, Kaiten, Telegram…) for liveness and readiness probes
 * and for the {@code tgsupport.component.state} gauge.
 *
 * <p>Each component has a check that says {@link State#UP}, {@link State#DEGRADED} (working on a fallback, such as
 * in-process state while Redis is down) or {@link State#DOWN}. The bot is <em>ready</em> when no component marked
 * {@link Builder#required required} (storage, typically) is down; degraded components never make it unready, they
 * are listed. Checks run in parallel with a {@link Builder#timeout timeout} (a check that hangs counts as down) and
 * their results are reused for {@link Builder#cacheFor} so that probes every second do not hammer the database.
 * Thread-safe.
 */
public final class Health implements AutoCloseable {
  /** A component's condition. */
  public enum State {
    UP,
    DEGRADED,
    DOWN;

    String wire() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * What one check found.
   *
   * @param detail a short human explanation; never a secret
   */
  public record Status(State state, String detail) {
    public Status {
      Objects.requireNonNull(state, "state");
      detail = detail == null ? "" : detail;
    }

    public static Status up(String detail) {
      return new Status(State.UP, detail);
    }

    public static Status degraded(String detail) {
      return new Status(State.DEGRADED, detail);
    }

    public static Status down(String detail) {
      return new Status(State.DOWN, detail);
    }
  }

  /** One component in a report. */
  public record Component(String name, boolean required, State state, String detail) {}

  /**
   * A full check.
   *
   * @param ready no required component is down
   * @param components every component, in registration order
   */
  public record Report(boolean ready, Instant checkedAt, List<Component> components) {
    /** The names of the components that are degraded or down. */
    public List<String> degraded() {
      List<String> out = new ArrayList<>();
      for (Component c : components) {
        if (c.state() != State.UP) {
          out.add(c.name());
        }
      }
      return out;
    }

    /** The report as one JSON object: {@code {"status":"ready","degraded":[…],"components":{…}}}. */
    public String toJson() {
      StringBuilder b = new StringBuilder(128);
      b.append("{\"status\":\"").append(ready ? "ready" : "not_ready").append("\",\"checked_at\":\"")
          .append(checkedAt).append("\",\"degraded\":[");
      List<String> degraded = degraded();
      for (int i = 0; i < degraded.size(); i++) {
        b.append(i == 0 ? "" : ",");
        quote(b, degraded.get(i));
      }
      b.append("],\"components\":{");
      for (int i = 0; i < components.size(); i++) {
        Component c = components.get(i);
        b.append(i == 0 ? "" : ",");
        quote(b, c.name());
        b.append(":{\"state\":\"").append(c.state().wire()).append("\",\"required\":").append(c.required())
            .append(",\"detail\":");
        quote(b, c.detail());
        b.append('}');
      }
      return b.append("}}").toString();
    }

    private static void quote(StringBuilder b, String s) {
      b.append('"');
      for (int i = 0; i < s.length(); i++) {
        char ch = s.charAt(i);
        switch (ch) {
          case '"' -> b.append("\\\"");
          case '\\' -> b.append("\\\\");
          case '\n' -> b.append("\\n");
          case '\r' -> b.append("\\r");
          case '\t' -> b.append("\\t");
          default -> {
            if (ch < 0x20) {
              b.append(String.format("\\u%04x", (int) ch));
            } else {
              b.append(ch);
            }
          }
        }
      }
      b.append('"');
    }
  }

  private record Check(String name, boolean required, Supplier<Status> check) {}

  private final List<Check> checks;
  private final Duration timeout;
  private final Duration cacheFor;
  private final Clock clock;
  private final ExecutorService pool;
  private volatile Report last;

  private Health(Builder b) {
    this.checks = List.copyOf(b.checks.values());
    this.timeout = b.timeout;
    this.cacheFor = b.cacheFor;
    this.clock = b.clock;
    AtomicInteger n = new AtomicInteger();
    this.pool = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "tgsupport-health-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The components' health, from a check at most {@code cacheFor} old. */
  public Report check() {
    Report r = last;
    Instant now = clock.instant();
    if (r != null && Duration.between(r.checkedAt(), now).compareTo(cacheFor) < 0) {
      return r;
    }
    synchronized (this) {
      r = last;
      if (r != null && Duration.between(r.checkedAt(), clock.instant()).compareTo(cacheFor) < 0) {
        return r;
      }
      r = runChecks();
      last = r;
      return r;
    }
  }

  private Report runChecks() {
    List<CompletableFuture<Status>> running = new ArrayList<>(checks.size());
    for (Check c : checks) {
      running.add(CompletableFuture.supplyAsync(() -> {
        Status s = c.check().get();
        return s == null ? Status.down("the check returned nothing") : s;
      }, pool));
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    List<Component> out = new ArrayList<>(checks.size());
    boolean ready = true;
    for (int i = 0; i < checks.size(); i++) {
      Check c = checks.get(i);
      Status s;
      try {
        s = running.get(i).get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (TimeoutException e) {
        running.get(i).cancel(true);
        s = Status.down("no answer within " + timeout.toMillis() + " ms");
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        s = Status.down("interrupted");
      } catch (Exception e) {
        Throwable cause = e.getCause() != null ? e.getCause() : e;
        s = Status.down(cause.getClass().getSimpleName() + ": " + cause.getMessage());
      }
      if (c.required() && s.state() == State.DOWN) {
        ready = false;
      }
      out.add(new Component(c.name(), c.required(), s.state(), s.detail()));
    }
    return new Report(ready, clock.instant(), List.copyOf(out));
  }

  /**
   * Registers the gauge {@code tgsupport.component.state} by {@code component}: 1 up, 0.5 degraded, 0 down, read
   * from the last check (the probes keep it fresh; a scrape never runs a check itself).
   */
  public Health bindTo(MeterRegistry registry) {
    for (Check c : checks) {
      Gauge.builder("tgsupport.component.state", this, h -> h.stateValue(c.name()))
          .description("1 up, 0.5 degraded (on a fallback), 0 down, as of the last health check")
          .tag("component", c.name())
          .register(registry);
    }
    return this;
  }

  private double stateValue(String component) {
    Report r = last;
    if (r == null) {
      return Double.NaN;
    }
    for (Component c : r.components()) {
      if (c.name().equals(component)) {
        return c.state() == State.UP ? 1.0 : c.state() == State.DEGRADED ? 0.5 : 0.0;
      }
    }
    return Double.NaN;
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }

  /** The components and how to check them. */
  public static final class Builder {
    private final Map<String, Check> checks = new LinkedHashMap<>();
    private Duration timeout = Duration.ofSeconds(2);
    private Duration cacheFor = Duration.ofSeconds(1);
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    /** A component the bot can run without (it degrades or waits): listed, never making the bot unready. */
    public Builder component(String name, Supplier<Status> check) {
      return add(name, false, check);
    }

    /** A component without which the bot cannot work (storage): when it is down the bot is not ready. */
    public Builder required(String name, Supplier<Status> check) {
      return add(name, true, check);
    }

    private Builder add(String name, boolean required, Supplier<Status> check) {
      Objects.requireNonNull(check, "check");
      if (name == null || !name.matches("[a-z][a-z0-9_]{0,31}")) {
        throw new IllegalArgumentException("component name must be lower-case letters, digits and _, was " + name);
      }
      if (checks.containsKey(name)) {
        throw new IllegalArgumentException("component '" + name + "' is already registered");
      }
      checks.put(name, new Check(name, required, check));
      return this;
    }

    /** How long one check may take before it counts as down. Default 2 s. */
    public Builder timeout(Duration timeout) {
      this.timeout = positive(timeout, "timeout");
      return this;
    }

    /** How long a result is reused. Default 1 s. */
    public Builder cacheFor(Duration cacheFor) {
      Objects.requireNonNull(cacheFor, "cacheFor");
      if (cacheFor.isNegative()) {
        throw new IllegalArgumentException("cacheFor must not be negative, was " + cacheFor);
      }
      this.cacheFor = cacheFor;
      return this;
    }

    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    private static Duration positive(Duration d, String name) {
      Objects.requireNonNull(d, name);
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(name + " must be positive, was " + d);
      }
      return d;
    }

    public Health build() {
      return new Health(this);
    }
  }
}
