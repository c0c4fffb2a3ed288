package dev.tgsupport.core.model;

import static dev.tgsupport.core.InvalidInputException.requireNonBlank;

/**
 * The noise filter's decision.
 *
 * @param noise true when the message must be stored and marked but never answered
 * @param reason why, e.g. "greeting", "thanks", "sticker", "flood", "spam:links"; null when not noise
 */
public record NoiseVerdict(boolean noise, String reason) {
  private static final NoiseVerdict CLEAN = new NoiseVerdict(false, null);

  public NoiseVerdict {
    if (noise) {
      requireNonBlank(reason, "noiseVerdict.reason");
    } else {
      reason = null;
    }
  }

  public static NoiseVerdict clean() {
    return CLEAN;
  }

  public static NoiseVerdict noise(String reason) {
    return new NoiseVerdict(true, reason);
  }
}
