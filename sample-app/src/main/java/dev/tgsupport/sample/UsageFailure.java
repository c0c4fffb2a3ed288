package dev.tgsupport.sample;

import picocli.CommandLine;

/**
 * A usage error found after parsing (a missing or malformed database URL, options that do not go together): the
 * command prints it as one line and exits with {@link #EXIT_CODE}, without the usage text picocli adds to its own.
 */
final class UsageFailure extends RuntimeException {
  static final int EXIT_CODE = CommandLine.ExitCode.USAGE;

  UsageFailure(String message) {
    super(message, null, false, false);
  }
}
