package dev.tgsupport.sample;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The packaged {@code target/tgsupport.jar} as a separate process, the way users run it, with an environment of the
 * test's choosing; for commands that keep running ({@code run}), stderr can be watched line by line.
 */
final class JarProcess implements AutoCloseable {
  private final Process process;
  private final List<String> out = new ArrayList<>();
  private final List<String> err = new ArrayList<>();
  private final Thread outReader;
  private final Thread errReader;

  private JarProcess(Process process) {
    this.process = process;
    this.outReader = reader(process.getInputStream(), out);
    this.errReader = reader(process.getErrorStream(), err);
  }

  static Path jar() {
    Path jar = Path.of(System.getProperty("basedir", ".")).resolve("target/tgsupport.jar").toAbsolutePath();
    assertThat(jar).as("the shaded jar; run 'mvn verify' so the package phase builds it").isRegularFile();
    return jar;
  }

  /**
   * Starts the jar with {@code args}. The environment is this one minus the variables the program reads, plus
   * {@code env}: a developer's own TELEGRAM_BOT_TOKEN or DATABASE_URL must not leak into a test.
   */
  static JarProcess start(Map<String, String> env, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-jar");
    command.add(jar().toString());
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command);
    BotSettings.KEYS.forEach(pb.environment()::remove);
    pb.environment().putAll(env);
    pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    return new JarProcess(pb.start());
  }

  private static Thread reader(InputStream stream, List<String> lines) {
    Thread t = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(stream, UTF_8))) {
        for (String line; (line = r.readLine()) != null; ) {
          synchronized (lines) {
            lines.add(line);
            lines.notifyAll();
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }, "jar-process-reader");
    t.setDaemon(true);
    t.start();
    return t;
  }

  /** Waits for a stderr line matching {@code test}; fails when the process ends first or time runs out. */
  String awaitErr(Predicate<String> test, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (err) {
      while (true) {
        for (String line : err) {
          if (test.test(line)) {
            return line;
          }
        }
        long left = deadline - System.nanoTime();
        if (left <= 0 || !process.isAlive() && !errReader.isAlive()) {
          throw new AssertionError("no such line on stderr within " + timeout + " (alive: " + process.isAlive()
              + "):\n" + String.join("\n", err));
        }
        TimeUnit.NANOSECONDS.timedWait(err, Math.min(left, TimeUnit.MILLISECONDS.toNanos(100)));
      }
    }
  }

  /** Sends SIGTERM, as {@code kill} or a container runtime does. */
  void terminate() {
    // Not Process.destroy(): it also closes our ends of stdout and stderr, losing what the program prints as it stops.
    process.toHandle().destroy();
  }

  /** Waits for the exit code, and for both streams to be read to their end. */
  int waitFor(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("tgsupport did not finish within " + timeout + ":\n" + err());
    }
    outReader.join(5000);
    errReader.join(5000);
    return process.exitValue();
  }

  String out() {
    synchronized (out) {
      return out.isEmpty() ? "" : String.join("\n", out) + "\n";
    }
  }

  String err() {
    synchronized (err) {
      return err.isEmpty() ? "" : String.join("\n", err) + "\n";
    }
  }

  List<String> errLines() {
    synchronized (err) {
      return List.copyOf(err);
    }
  }

  @Override
  public void close() {
    process.destroyForcibly();
  }
}
