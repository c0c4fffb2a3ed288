package dev.tgsupport.core.model;

import static dev.tgsupport.core.InvalidInputException.check;
import static dev.tgsupport.core.InvalidInputException.requireNonBlank;

/**
 * A classified intent.
 *
 * @param name the intent label, e.g. "billing"; {@link #OUT_OF_SCOPE} when no known intent fits
 * @param confidence in [0, 1]
 */
public record Intent(String name, double confidence) {
  /** The label of "none of the known intents". */
  public static final String OUT_OF_SCOPE = "oos";

  public Intent {
    requireNonBlank(name, "intent.name");
    check(confidence >= 0.0 && confidence <= 1.0, "intent.confidence", "must be in [0, 1]", confidence);
  }

  public static Intent outOfScope(double confidence) {
    return new Intent(OUT_OF_SCOPE, confidence);
  }

  public boolean isOutOfScope() {
    return OUT_OF_SCOPE.equals(name);
  }
}
