package dev.tgsupport.knowledge.embed;

import java.time.Duration;

/** How the retry loop waits; tests substitute one that records the waits instead of sleeping. */
@FunctionalInterface
interface Sleeper {
  Sleeper REAL = d -> Thread.sleep(d.toMillis());

  void sleep(Duration duration) throws InterruptedException;
}
