package dev.tgsupport.knowledge.intent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The temperature and threshold come from the held-out scores, not from constants. */
class CalibrationTest {
  /** Two intents (0, 1), no out-of-scope class: a held-out example whose best intent scores {@code margin}. */
  private static Calibration.Scored scored(double margin, int label, boolean oos) {
    return new Calibration.Scored(new double[] {margin, 0}, label, oos);
  }

  private static List<Calibration.Scored> held(double oosMargin) {
    List<Calibration.Scored> out = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      out.add(scored(3 + i % 5, 0, false));
    }
    for (int i = 0; i < 20; i++) {
      out.add(scored(oosMargin + i % 3 * 0.1, -1, true));
    }
    return out;
  }

  @Test
  void theThresholdSeparatesTheHeldOutOutOfScopeExamplesAndMovesWithThem() {
    double low = Calibration.threshold(held(0.2), -1, 1.0);
    double higher = Calibration.threshold(held(1.0), -1, 1.0);
    // softmax([m, 0]) of the best intent is 1 / (1 + e^-m): 0.55..0.60 and 0.73..0.75 for the out-of-scope ones.
    assertThat(low).isBetween(0.60, 0.95);
    assertThat(higher).isBetween(0.75, 0.95);
    assertThat(higher).isNotEqualTo(low);
  }

  @Test
  void withoutOutOfScopeExamplesItSpendsAtMostOnePointOfAccuracy() {
    List<Calibration.Scored> held = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      held.add(scored(i < 3 ? -0.5 - i : 1 + i / 10.0, 0, false));
    }
    double t = Calibration.threshold(held, -1, 1.0);
    long rejectedRight = held.stream().filter(s -> s.logits()[0] > 0)
        .filter(s -> 1 / (1 + Math.exp(-s.logits()[0])) < t).count();
    assertThat(rejectedRight).isEqualTo(1);
  }

  @Test
  void theTemperatureMakesOverconfidentScoresHonest() {
    List<Calibration.Scored> held = new ArrayList<>();
    // Margin 10 everywhere but right only 3 times in 4: the fitted probability of the top class is about 0.75.
    for (int i = 0; i < 400; i++) {
      held.add(scored(10, i % 4 == 0 ? 1 : 0, false));
    }
    double t = Calibration.temperature(held);
    double p = 1 / (1 + Math.exp(-10 / t));
    assertThat(p).isCloseTo(0.75, within(0.01));
  }
}
