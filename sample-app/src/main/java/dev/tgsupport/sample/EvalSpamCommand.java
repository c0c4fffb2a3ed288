package dev.tgsupport.sample;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code tgsupport eval spam}: the spam detector's recall and false positives on labelled messages. */
@Command(
    name = "spam",
    mixinStandardHelpOptions = true,
    versionProvider = TgSupportCli.Version.class,
    sortOptions = false,
    optionListHeading = "%nOptions:%n",
    usageHelpAutoWidth = true,
    header = "Evaluate the spam detector (bot-core's SpamDetector) on spam and ham files, one message a line.",
    description = {
      "With --train-spam and --train-ham, trains on those files and judges every line of --spam and --ham.",
      "Without them, judges --spam and --ham by stratified K-fold cross-validation (fixed seed): each message is"
          + " judged by a detector trained on the other folds, so none is judged by a model that saw it.",
      "Messages are judged as from a member who has posted before; --first-messages applies the stricter limits"
          + " for a newcomer's first messages instead."
    },
    footerHeading = "%nOutput (stdout), one 'key: value' line each; progress goes to stderr:%n",
    footer = {
      "  spam_recall              spam judged spam / spam",
      "  ham_false_positive_rate  ham judged spam / ham",
      "  precision, f1            of the spam verdicts",
      "  messages                 messages judged",
      "  per_message_us           mean time to judge one message, microseconds, after a warm-up",
      "",
      "Exit codes: 0 done; 1 a file cannot be read; 2 a usage error."
    })
final class EvalSpamCommand implements Callable<Integer> {
  @ParentCommand private EvalCommand eval;

  @Option(names = "--spam", paramLabel = "FILE", required = true, description = "Spam to judge, one a line.")
  private Path spam;

  @Option(names = "--ham", paramLabel = "FILE", required = true, description = "Ham to judge, one a line.")
  private Path ham;

  @Option(names = "--train-spam", paramLabel = "FILE", description = "Spam to train on (with --train-ham).")
  private Path trainSpam;

  @Option(names = "--train-ham", paramLabel = "FILE", description = "Ham to train on (with --train-spam).")
  private Path trainHam;

  @Option(names = "--stop-words", paramLabel = "FILE", description = "Stop phrases, one a line.")
  private Path stopWords;

  @Option(names = "--folds", paramLabel = "K", description = "Folds without training files (default ${DEFAULT-VALUE}).")
  private int folds = 5;

  @Option(names = "--first-messages", description = "Judge every message as a newcomer's first.")
  private boolean firstMessages;

  @Override
  public Integer call() {
    Io io = eval.io();
    PrintWriter err = io.err();
    try {
      if ((trainSpam == null) != (trainHam == null)) {
        throw new UsageFailure("--train-spam and --train-ham go together; give both or neither");
      }
      if (folds < 2 || folds > 100) {
        throw new UsageFailure("--folds must be in 2..100, was " + folds);
      }
    } catch (UsageFailure e) {
      err.println("tgsupport eval spam: " + e.getMessage());
      return UsageFailure.EXIT_CODE;
    }
    SpamEval.Data data = new SpamEval.Data(lines(spam), lines(ham), stopWords == null ? List.of() : lines(stopWords));
    SpamEval.Result r;
    if (trainSpam == null) {
      err.println("eval: " + data.spam().size() + " spam and " + data.ham().size() + " ham, " + folds
          + "-fold cross-validation");
      err.flush();
      r = SpamEval.crossValidate(data, folds, firstMessages, err);
    } else {
      List<String> ts = lines(trainSpam);
      List<String> th = lines(trainHam);
      err.println("eval: training on " + ts.size() + " spam and " + th.size() + " ham; judging " + data.spam().size()
          + " spam and " + data.ham().size() + " ham");
      err.flush();
      r = SpamEval.trainAndTest(ts, th, data, firstMessages, err);
    }
    PrintWriter out = io.out();
    for (String line : r.lines()) {
      out.println(line);
    }
    out.flush();
    return 0;
  }

  private static List<String> lines(Path file) {
    try {
      List<String> out = new ArrayList<>();
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        if (!line.isBlank()) {
          out.add(line.strip());
        }
      }
      return out;
    } catch (IOException e) {
      throw new TgSupportCli.CliFailure("cannot read " + file + ": " + e.getMessage());
    }
  }
}
