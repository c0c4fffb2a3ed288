package dev.tgsupport.sample;

import dev.tgsupport.core.text.SpamDetector;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/** The measurements behind {@code eval spam}: confusion counts and the mean time per verdict. */
final class SpamEval {
  /** Shuffles folds the same way every run, so figures are comparable between runs. */
  static final long SEED = 20261123L;
  /** Verdicts thrown away before timing, so the JIT has compiled the detector. */
  private static final int WARM_UP = 2_000;

  private SpamEval() {}

  record Data(List<String> spam, List<String> ham, List<String> stopWords) {}

  record Result(int truePositives, int falseNegatives, int falsePositives, int trueNegatives, long nanos,
      int timed) {
    double recall() {
      return ratio(truePositives, truePositives + falseNegatives);
    }

    double falsePositiveRate() {
      return ratio(falsePositives, falsePositives + trueNegatives);
    }

    double precision() {
      return ratio(truePositives, truePositives + falsePositives);
    }

    double f1() {
      double p = precision();
      double r = recall();
      return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }

    int messages() {
      return truePositives + falseNegatives + falsePositives + trueNegatives;
    }

    List<String> lines() {
      return List.of(
          String.format(Locale.ROOT, "spam_recall: %.4f", recall()),
          String.format(Locale.ROOT, "ham_false_positive_rate: %.4f", falsePositiveRate()),
          String.format(Locale.ROOT, "precision: %.4f", precision()),
          String.format(Locale.ROOT, "f1: %.4f", f1()),
          "messages: " + messages(),
          String.format(Locale.ROOT, "per_message_us: %.1f", timed == 0 ? 0 : nanos / 1000.0 / timed));
    }

    private static double ratio(int a, int b) {
      return b == 0 ? 0 : a / (double) b;
    }
  }

  /** Stratified K-fold: each class shuffled with {@link #SEED} and dealt round-robin into the folds. */
  static Result crossValidate(Data data, int folds, boolean firstMessages, PrintWriter progress) {
    List<Integer> spamOrder = shuffled(data.spam().size());
    List<Integer> hamOrder = shuffled(data.ham().size());
    Counts c = new Counts();
    for (int f = 0; f < folds; f++) {
      List<String> trainSpam = new ArrayList<>();
      List<String> trainHam = new ArrayList<>();
      List<String> testSpam = new ArrayList<>();
      List<String> testHam = new ArrayList<>();
      split(data.spam(), spamOrder, folds, f, trainSpam, testSpam);
      split(data.ham(), hamOrder, folds, f, trainHam, testHam);
      long start = System.nanoTime();
      SpamDetector detector = detector(trainSpam, trainHam, data.stopWords());
      progress.printf(Locale.ROOT, "eval: fold %d/%d trained on %d messages in %d ms%n", f + 1, folds,
          trainSpam.size() + trainHam.size(), (System.nanoTime() - start) / 1_000_000);
      progress.flush();
      c.judge(detector, testSpam, testHam, firstMessages);
    }
    return c.result();
  }

  static Result trainAndTest(List<String> trainSpam, List<String> trainHam, Data data, boolean firstMessages,
      PrintWriter progress) {
    long start = System.nanoTime();
    SpamDetector detector = detector(trainSpam, trainHam, data.stopWords());
    progress.printf(Locale.ROOT, "eval: trained in %d ms%n", (System.nanoTime() - start) / 1_000_000);
    progress.flush();
    Counts c = new Counts();
    c.judge(detector, data.spam(), data.ham(), firstMessages);
    return c.result();
  }

  private static SpamDetector detector(List<String> spam, List<String> ham, List<String> stopWords) {
    return SpamDetector.builder().spamSamples(spam).hamSamples(ham).stopWords(stopWords).build();
  }

  private static List<Integer> shuffled(int n) {
    List<Integer> order = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      order.add(i);
    }
    Collections.shuffle(order, new Random(SEED));
    return order;
  }

  private static void split(List<String> all, List<Integer> order, int folds, int fold, List<String> train,
      List<String> test) {
    for (int i = 0; i < order.size(); i++) {
      (i % folds == fold ? test : train).add(all.get(order.get(i)));
    }
  }

  private static final class Counts {
    int tp;
    int fn;
    int fp;
    int tn;
    long nanos;
    int timed;

    void judge(SpamDetector detector, List<String> spam, List<String> ham, boolean firstMessages) {
      warmUp(detector, spam, ham);
      for (String s : spam) {
        if (timedCheck(detector, s, firstMessages)) {
          tp++;
        } else {
          fn++;
        }
      }
      for (String s : ham) {
        if (timedCheck(detector, s, firstMessages)) {
          fp++;
        } else {
          tn++;
        }
      }
    }

    private boolean timedCheck(SpamDetector detector, String text, boolean firstMessages) {
      long start = System.nanoTime();
      boolean spam = detector.check(text, firstMessages).spam();
      nanos += System.nanoTime() - start;
      timed++;
      return spam;
    }

    /** Judges the test messages untimed first; the verdicts are thrown away. */
    private static void warmUp(SpamDetector detector, List<String> spam, List<String> ham) {
      List<String> all = new ArrayList<>(spam);
      all.addAll(ham);
      if (all.isEmpty()) {
        return;
      }
      for (int i = 0; i < WARM_UP; i++) {
        detector.check(all.get(i % all.size()), (i & 1) == 0);
      }
    }

    Result result() {
      return new Result(tp, fn, fp, tn, nanos, timed);
    }
  }
}
