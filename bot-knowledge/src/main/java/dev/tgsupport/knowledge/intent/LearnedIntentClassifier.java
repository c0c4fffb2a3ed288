package dev.tgsupport.knowledge.intent;

import static dev.tgsupport.core.InvalidInputException.requireNonNull;

import dev.tgsupport.core.model.Intent;
import dev.tgsupport.core.port.Embedder;
import dev.tgsupport.core.port.IntentClassifier;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * An {@link IntentClassifier} trained by {@link IntentTrainer}: sentence embedding + character n-grams into a
 * softmax model, with a calibrated out-of-scope decision.
 *
 * <p>{@link #classify} returns the best intent with its calibrated probability as the confidence, or {@link
 * Intent#OUT_OF_SCOPE} when the out-of-scope class wins or the best intent's probability is below {@link
 * #threshold()}; an out-of-scope result's confidence is {@code 1 - } that probability. Blank text is out of scope
 * with confidence 1. {@link #classifyAll} embeds the whole batch in one {@link Embedder#embedAll} call.
 *
 * <p>{@link #save} writes the model to a file; {@link #load} reads it back for the same embedding model.
 *
 * <p>Immutable and thread-safe. It holds the embedder it was given but does not own it: closing it is the
 * caller's business.
 */
public final class LearnedIntentClassifier implements IntentClassifier {
  private final Embedder embedder;
  private final Featurizer featurizer;
  private final List<String> labels;
  private final int oosClass;
  private final SoftmaxModel model;
  private final Calibration calibration;

  LearnedIntentClassifier(Embedder embedder, Featurizer featurizer, List<String> labels, int oosClass,
      SoftmaxModel model, Calibration calibration) {
    this.embedder = embedder;
    this.featurizer = featurizer;
    this.labels = labels;
    this.oosClass = oosClass;
    this.model = model;
    this.calibration = calibration;
  }

  /** Reads a model written by {@link #save}; {@code embedder} must be the model it was trained with. */
  public static LearnedIntentClassifier load(Path file, Embedder embedder) {
    return ModelFile.read(requireNonNull(file, "file"), requireNonNull(embedder, "embedder"));
  }

  /** Writes the model to {@code file} (replacing it atomically where the file system allows). */
  public void save(Path file) {
    ModelFile.write(this, requireNonNull(file, "file"));
  }

  @Override
  public Intent classify(String text) {
    return classifyAll(Collections.singletonList(requireNonNull(text, "text"))).get(0);
  }

  @Override
  public List<Intent> classifyAll(List<String> texts) {
    requireNonNull(texts, "texts");
    List<String> words = new ArrayList<>();
    for (int i = 0; i < texts.size(); i++) {
      String t = requireNonNull(texts.get(i), "texts[" + i + "]");
      if (!t.isBlank()) {
        words.add(t);
      }
    }
    List<float[]> vectors = words.isEmpty() ? List.of() : embedder.embedAll(words);
    List<Intent> out = new ArrayList<>(texts.size());
    int next = 0;
    for (String t : texts) {
      if (t.isBlank()) {
        out.add(Intent.outOfScope(1.0));
      } else {
        out.add(decide(featurizer.features(vectors.get(next++), t)));
      }
    }
    return out;
  }

  private Intent decide(SoftmaxModel.Features x) {
    double[] p = SoftmaxModel.softmax(model.logits(x), calibration.temperature());
    int best = Calibration.bestInScope(p, oosClass);
    double confidence = clamp(p[best]);
    if (oosClass >= 0 && p[oosClass] > p[best] || confidence < calibration.threshold()) {
      return Intent.outOfScope(clamp(1 - confidence));
    }
    return new Intent(labels.get(best), confidence);
  }

  private static double clamp(double p) {
    return Math.max(0, Math.min(1, p));
  }

  /** The intents it tells apart, without {@link Intent#OUT_OF_SCOPE}, in training order. */
  public List<String> intents() {
    return labels.stream().filter(l -> !Intent.OUT_OF_SCOPE.equals(l)).toList();
  }

  /** The calibrated probability below which the best intent is rejected as out of scope. */
  public double threshold() {
    return calibration.threshold();
  }

  /** The softmax temperature fitted on held-out examples. */
  public double temperature() {
    return calibration.temperature();
  }

  Embedder embedder() {
    return embedder;
  }

  Featurizer featurizer() {
    return featurizer;
  }

  List<String> labels() {
    return labels;
  }

  int oosClass() {
    return oosClass;
  }

  SoftmaxModel model() {
    return model;
  }

  Calibration calibration() {
    return calibration;
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "LearnedIntentClassifier[%d intents%s, %s, threshold %.4f]",
        intents().size(), oosClass >= 0 ? " + oos" : "", embedder.modelName(), calibration.threshold());
  }
}
