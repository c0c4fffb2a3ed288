package dev.tgsupport.sample;

import dev.tgsupport.core.BotException;
import dev.tgsupport.knowledge.embed.LocalEmbedder;
import dev.tgsupport.knowledge.intent.IntentTrainer;
import dev.tgsupport.knowledge.intent.LabelledText;
import dev.tgsupport.knowledge.intent.LearnedIntentClassifier;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code tgsupport eval intents}: the intent classifier's accuracy and out-of-scope detection on labelled files. */
@Command(
    name = "intents",
    mixinStandardHelpOptions = true,
    versionProvider = TgSupportCli.Version.class,
    sortOptions = false,
    optionListHeading = "%nOptions:%n",
    usageHelpAutoWidth = true,
    header = "Evaluate the intent classifier (bot-knowledge's LearnedIntentClassifier with the bundled MiniLM"
        + " model) on files in the CLINC150 format.",
    description = {
      "A file is a JSON object whose members (train, oos_train, val, test, oos_test, ...) are arrays of"
          + " [text, label]; every member is used, and label 'oos' means out of scope.",
      "Trains on --train and calibrates the out-of-scope decision on --val, or without it on a stratified fifth of"
          + " --train held out from training; then classifies every example of --test.",
      "With --model, loads a model saved by --save instead of training."
    },
    footerHeading = "%nOutput (stdout), one 'key: value' line each; progress goes to stderr:%n",
    footer = {
      "  in_scope_accuracy  in-scope test examples given their intent / in-scope examples",
      "  oos_recall         out-of-scope examples judged out of scope / out-of-scope examples",
      "  oos_precision      out-of-scope examples judged out of scope / all judged out of scope",
      "  macro_f1           mean F1 over every label (oos included) true or predicted",
      "  train_seconds      wall time of training, embedding and calibration included; 0 with --model",
      "  per_message_ms     mean wall time per test message, classified in batches of 64 after a warm-up",
      "",
      "Exit codes: 0 done; 1 a file cannot be read or is not in the format; 2 a usage error."
    })
final class EvalIntentsCommand implements Callable<Integer> {
  private static final String PROGRAM = "tgsupport eval intents";

  @ParentCommand private EvalCommand eval;

  @Option(names = "--train", paramLabel = "FILE", description = "Examples to train on.")
  private Path train;

  @Option(names = "--test", paramLabel = "FILE", required = true, description = "Examples to judge.")
  private Path test;

  @Option(names = "--val", paramLabel = "FILE", description = "Examples to calibrate on (with --train).")
  private Path val;

  @Option(names = "--save", paramLabel = "FILE", description = "Save the trained model here (with --train).")
  private Path save;

  @Option(names = "--model", paramLabel = "FILE", description = "Load this saved model instead of training.")
  private Path model;

  @Override
  public Integer call() {
    Io io = eval.io();
    PrintWriter err = io.err();
    try {
      if ((train == null) == (model == null)) {
        throw new UsageFailure("give either --train or --model");
      }
      if (model != null && (val != null || save != null)) {
        throw new UsageFailure("--val and --save go with --train, not with --model");
      }
    } catch (UsageFailure e) {
      err.println(PROGRAM + ": " + e.getMessage());
      return UsageFailure.EXIT_CODE;
    }
    List<LabelledText> testSet = IntentEval.read(test);
    List<LabelledText> trainSet = train == null ? null : IntentEval.read(train);
    List<LabelledText> valSet = val == null ? null : IntentEval.read(val);
    IntentEval.Result r;
    try (LocalEmbedder embedder = LocalEmbedder.create()) {
      LearnedIntentClassifier classifier;
      double trainSeconds = 0;
      if (model != null) {
        classifier = LearnedIntentClassifier.load(model, embedder);
        err.println("eval: loaded " + classifier + " from " + model);
      } else {
        err.println("eval: training on " + trainSet.size() + " examples, calibrating on "
            + (valSet == null ? "a held-out fifth of them" : valSet.size() + " examples of " + val));
        err.flush();
        long start = System.nanoTime();
        long cpuStart = processCpuNanos();
        IntentTrainer trainer = IntentTrainer.builder(embedder).build();
        classifier = valSet == null ? trainer.train(trainSet) : trainer.train(trainSet, valSet);
        trainSeconds = (System.nanoTime() - start) / 1e9;
        // CPU time too: on a shared machine the wall time says as much about the neighbours as about training.
        err.printf(Locale.ROOT, "eval: trained %s in %.1f s (%.1f s of CPU on %d processors; temperature %.3f)%n",
            classifier, trainSeconds, (processCpuNanos() - cpuStart) / 1e9,
            Runtime.getRuntime().availableProcessors(), classifier.temperature());
        if (save != null) {
          classifier.save(save);
          err.println("eval: saved the model to " + save);
        }
      }
      err.println("eval: judging " + testSet.size() + " examples of " + test);
      err.flush();
      r = IntentEval.judge(classifier, testSet, trainSeconds);
    } catch (BotException e) {
      throw new TgSupportCli.CliFailure(e.getMessage());
    }
    PrintWriter out = io.out();
    for (String line : r.lines()) {
      out.println(line);
    }
    out.flush();
    return 0;
  }

  /** This process's CPU time, or 0 where the JVM does not tell. */
  private static long processCpuNanos() {
    return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
        ? os.getProcessCpuTime()
        : 0;
  }
}
