package dev.tgsupport.sample;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code tgsupport bench}: groups the benchmarks, {@code bench storage} and {@code bench sender}. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    versionProvider = TgSupportCli.Version.class,
    usageHelpAutoWidth = true,
    header = "Measure the SDK: storage against plain JDBC, the Telegram sender against Telegram's limits.",
    commandListHeading = "%nCommands:%n",
    subcommands = {BenchStorageCommand.class, BenchSenderCommand.class})
final class BenchCommand implements Runnable {
  @ParentCommand private TgSupportCli cli;

  @Spec private CommandLine.Model.CommandSpec spec;

  Io io() {
    return cli.io();
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "Missing required subcommand");
  }
}
