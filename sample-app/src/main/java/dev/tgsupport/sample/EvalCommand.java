package dev.tgsupport.sample;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code tgsupport eval}: groups the quality evaluations of the text models, {@code eval spam} and {@code eval knowledge}. */
@Command(
    name = "eval",
    mixinStandardHelpOptions = true,
    versionProvider = TgSupportCli.Version.class,
    usageHelpAutoWidth = true,
    header = "Measure how well the SDK's text models judge messages, on data you give.",
    commandListHeading = "%nCommands:%n",
    subcommands = {EvalSpamCommand.class, EvalKnowledgeCommand.class, EvalIntentsCommand.class})
final class EvalCommand implements Runnable {
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
