package dev.tgsupport.knowledge.intent;

import static dev.tgsupport.core.InvalidInputException.requireNonBlank;

import dev.tgsupport.core.model.Intent;

/**
 * A training or validation example: a message text and the intent it expresses, or {@link Intent#OUT_OF_SCOPE}
 * ("oos") for a message none of the intents covers.
 *
 * @param text the message, not blank
 * @param label the intent name, not blank
 */
public record LabelledText(String text, String label) {
  public LabelledText {
    requireNonBlank(text, "text");
    requireNonBlank(label, "label");
  }

  public boolean isOutOfScope() {
    return Intent.OUT_OF_SCOPE.equals(label);
  }
}
