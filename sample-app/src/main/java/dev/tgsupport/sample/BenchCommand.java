package dev.tgsupport.sample;

import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code tgsupport bench}: groups the benchmarks: storage, sender, queue, embed, search and pipeline. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    versionProvider = TgSupportCli.Version.class,
    usageHelpAutoWidth = true,
    header = "Measure the SDK: storage against plain JDBC, the Telegram sender against Telegram's limits, the Redis"
        + " work queue, the bundled embedder single against batched, the in-process vector index against LangChain4j's,"
        + " the whole pipeline against plain JDBC.",
    commandListHeading = "%nCommands:%n",
    subcommands = {BenchStorageCommand.class, BenchSenderCommand.class, BenchQueueCommand.class,
        BenchEmbedCommand.class, BenchSearchCommand.class, BenchPipelineCommand.class})
final class BenchCommand implements Runnable {
  @ParentCommand private TgSupportCli cli;

  @Spec private CommandLine.Model.CommandSpec spec;

  Io io() {
    return cli.io();
  }

  /** The environment variables, for defaults such as {@code bench queue}'s {@code REDIS_URL}. */
  Map<String, String> env() {
    return cli.env();
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "Missing required subcommand");
  }
}
