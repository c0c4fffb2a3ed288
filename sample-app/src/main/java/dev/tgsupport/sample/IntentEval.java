package dev.tgsupport.sample;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tgsupport.core.model.Intent;
import dev.tgsupport.core.port.IntentClassifier;
import dev.tgsupport.knowledge.intent.LabelledText;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/** The measurements behind {@code eval intents}, and the reader of its CLINC150-format files. */
final class IntentEval {
  /** Messages per {@link IntentClassifier#classifyAll} call while timing, as a bot would batch a busy moment. */
  static final int BATCH = 64;

  private IntentEval() {}

  /**
   * Reads a file in the CLINC150 format: a JSON object whose every member is an array of {@code [text, label]}
   * pairs ({@code train}, {@code oos_train}, {@code val}, ...); every array is used, label {@code oos} is out of
   * scope.
   *
   * @throws TgSupportCli.CliFailure naming the file and what is wrong in it
   */
  static List<LabelledText> read(Path file) {
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(Files.newBufferedReader(file));
    } catch (JsonProcessingException e) {
      throw new TgSupportCli.CliFailure(file + " is not valid JSON: " + e.getOriginalMessage()
          + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column "
              + e.getLocation().getColumnNr() + ")"));
    } catch (IOException e) {
      throw new TgSupportCli.CliFailure("cannot read " + file + ": " + e.getMessage());
    }
    if (root == null || !root.isObject()) {
      throw new TgSupportCli.CliFailure(file + " must hold a JSON object of arrays of [text, label] (CLINC150"
          + " format), was " + (root == null ? "empty" : root.getNodeType().toString().toLowerCase(Locale.ROOT)));
    }
    List<LabelledText> out = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> member = it.next();
      if (!member.getValue().isArray()) {
        throw new TgSupportCli.CliFailure(file + ": \"" + member.getKey() + "\" must be an array of [text, label],"
            + " was " + member.getValue().getNodeType().toString().toLowerCase(Locale.ROOT));
      }
      int i = 0;
      for (JsonNode pair : member.getValue()) {
        if (!pair.isArray() || pair.size() != 2 || !pair.get(0).isTextual() || !pair.get(1).isTextual()
            || pair.get(0).asText().isBlank() || pair.get(1).asText().isBlank()) {
          String shown = pair.toString();
          throw new TgSupportCli.CliFailure(file + ": \"" + member.getKey() + "\"[" + i + "] must be [text, label]"
              + " with two non-blank strings, was " + (shown.length() > 80 ? shown.substring(0, 80) + "…" : shown));
        }
        out.add(new LabelledText(pair.get(0).asText(), pair.get(1).asText()));
        i++;
      }
    }
    if (out.isEmpty()) {
      throw new TgSupportCli.CliFailure(file + " holds no [text, label] examples");
    }
    return out;
  }

  /** Counts of one evaluation; label {@code oos} is out of scope. */
  record Result(List<String> gold, List<String> predicted, double trainSeconds, double perMessageMillis) {
    double inScopeAccuracy() {
      int in = 0;
      int right = 0;
      for (int i = 0; i < gold.size(); i++) {
        if (!Intent.OUT_OF_SCOPE.equals(gold.get(i))) {
          in++;
          right += gold.get(i).equals(predicted.get(i)) ? 1 : 0;
        }
      }
      return ratio(right, in);
    }

    double oosRecall() {
      return ratio(count(true, true), count(true, false) + count(true, true));
    }

    double oosPrecision() {
      return ratio(count(true, true), count(true, true) + count(false, true));
    }

    /** Mean F1 over every label that is true or predicted somewhere, {@code oos} included. */
    double macroF1() {
      Map<String, int[]> byLabel = new HashMap<>();
      for (int i = 0; i < gold.size(); i++) {
        int[] g = byLabel.computeIfAbsent(gold.get(i), k -> new int[3]);
        int[] p = byLabel.computeIfAbsent(predicted.get(i), k -> new int[3]);
        if (gold.get(i).equals(predicted.get(i))) {
          g[0]++;
        } else {
          g[2]++;
          p[1]++;
        }
      }
      double sum = 0;
      for (String label : new TreeSet<>(byLabel.keySet())) {
        int[] c = byLabel.get(label);
        sum += ratio(2 * c[0], 2 * c[0] + c[1] + c[2]);
      }
      return byLabel.isEmpty() ? 0 : sum / byLabel.size();
    }

    private int count(boolean goldOos, boolean predictedOos) {
      int n = 0;
      for (int i = 0; i < gold.size(); i++) {
        if (Intent.OUT_OF_SCOPE.equals(gold.get(i)) == goldOos
            && Intent.OUT_OF_SCOPE.equals(predicted.get(i)) == predictedOos) {
          n++;
        }
      }
      return n;
    }

    List<String> lines() {
      return List.of(
          String.format(Locale.ROOT, "in_scope_accuracy: %.4f", inScopeAccuracy()),
          String.format(Locale.ROOT, "oos_recall: %.4f", oosRecall()),
          String.format(Locale.ROOT, "oos_precision: %.4f", oosPrecision()),
          String.format(Locale.ROOT, "macro_f1: %.4f", macroF1()),
          String.format(Locale.ROOT, "train_seconds: %.2f", trainSeconds),
          String.format(Locale.ROOT, "per_message_ms: %.3f", perMessageMillis));
    }

    private static double ratio(int a, int b) {
      return b == 0 ? 0 : a / (double) b;
    }
  }

  /** Classifies {@code test} in batches of {@link #BATCH} after one untimed batch of warm-up. */
  static Result judge(IntentClassifier classifier, List<LabelledText> test, double trainSeconds) {
    List<String> texts = test.stream().map(LabelledText::text).toList();
    classifier.classifyAll(texts.subList(0, Math.min(BATCH, texts.size())));
    List<String> predicted = new ArrayList<>(texts.size());
    long start = System.nanoTime();
    for (int from = 0; from < texts.size(); from += BATCH) {
      for (Intent intent : classifier.classifyAll(texts.subList(from, Math.min(texts.size(), from + BATCH)))) {
        predicted.add(intent.name());
      }
    }
    double perMessage = (System.nanoTime() - start) / 1e6 / texts.size();
    return new Result(test.stream().map(LabelledText::label).toList(), predicted, trainSeconds, perMessage);
  }
}
