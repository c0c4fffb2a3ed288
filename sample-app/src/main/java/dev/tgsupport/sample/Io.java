package dev.tgsupport.sample;

import java.io.Console;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;

/**
 * The streams a command talks through, so tests can run commands in-process with their own stdin and stdout.
 *
 * @param in raw standard input; commands decode it as UTF-8 themselves
 * @param out standard output, UTF-8
 * @param err standard error, UTF-8
 * @param interactive true when a person types at a terminal: show prompts
 * @param colorOut true when stdout is a terminal that may get ANSI escapes
 */
record Io(InputStream in, PrintWriter out, PrintWriter err, boolean interactive, boolean colorOut) {

  /** The process's streams, encoded as UTF-8 whatever the platform charset. */
  static Io system() {
    // Raw file descriptors: System.out may already encode with the platform charset.
    PrintWriter out = utf8(new FileOutputStream(FileDescriptor.out));
    PrintWriter err = utf8(new FileOutputStream(FileDescriptor.err));
    boolean stdinTty = tty("tgsupport.stdin.tty");
    boolean stdoutTty = tty("tgsupport.stdout.tty");
    boolean noColor = System.getenv("NO_COLOR") != null && !System.getenv("NO_COLOR").isEmpty()
        || "dumb".equals(System.getenv("TERM"));
    return new Io(System.in, out, err, stdinTty && stdoutTty, stdoutTty && !noColor);
  }

  /** For tests: a non-interactive session without colours. */
  static Io of(InputStream in, OutputStream out, OutputStream err) {
    return new Io(in, utf8(out), utf8(err), false, false);
  }

  static PrintWriter utf8(OutputStream stream) {
    return new PrintWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8), true);
  }

  /**
   * The {@code tgsupport} script knows exactly which streams are terminals ({@code [ -t 0 ]}) and says so in a
   * system property. Without it (plain {@code java -jar}), a console means both stdin and stdout are terminals.
   */
  private static boolean tty(String property) {
    String told = System.getProperty(property);
    if (told != null) {
      return Boolean.parseBoolean(told);
    }
    Console console = System.console();
    if (console == null) {
      return false;
    }
    try {
      // Java 22+ returns a console even when redirected; isTerminal() tells the truth there.
      Method isTerminal = Console.class.getMethod("isTerminal");
      return (Boolean) isTerminal.invoke(console);
    } catch (ReflectiveOperationException e) {
      return true;
    }
  }
}
