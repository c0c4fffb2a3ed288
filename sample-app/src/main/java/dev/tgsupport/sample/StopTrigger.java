package dev.tgsupport.sample;

import java.util.function.BooleanSupplier;

/**
 * How {@code tgsupport run} learns that it should stop. In the program that is SIGTERM or Ctrl-C, through a JVM
 * shutdown hook; tests running the command in-process fire it themselves.
 */
interface StopTrigger {
  /**
   * Arranges for {@code stop} to run once when the process is asked to stop.
   *
   * @param stop stops the bot and returns true, or returns false when the bot was already stopping for another
   *     reason (whoever stops it then decides the exit code)
   * @return undoes the registration, for a bot that stopped by itself
   */
  Registration register(BooleanSupplier stop);

  /** A registration to cancel. */
  interface Registration {
    void cancel();
  }

  /**
   * SIGTERM and Ctrl-C start the JVM's shutdown, with exit status 143 or 130 already decided. The hook stops the bot
   * (its messages in flight are finished and the polling offset confirmed) and then ends the process with 0: the
   * stop was asked for and went well.
   */
  static StopTrigger jvm(Io io) {
    return stop -> {
      Thread hook = new Thread(() -> {
        boolean stoppedHere = stop.getAsBoolean();
        io.out().flush();
        io.err().flush();
        if (stoppedHere) {
          Runtime.getRuntime().halt(0);
        }
      }, "tgsupport-run-stop");
      Runtime.getRuntime().addShutdownHook(hook);
      return () -> {
        try {
          Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
          // The JVM is shutting down already; the hook finds the bot stopping and leaves the exit code alone.
        }
      };
    };
  }
}
