package dev.tgsupport.core.port;

import dev.tgsupport.core.model.Intent;
import java.util.ArrayList;
import java.util.List;

/**
 * Classifies a message text into one of the known intents or {@link Intent#OUT_OF_SCOPE}. Thread-safe.
 */
public interface IntentClassifier {
  Intent classify(String text);

  default List<Intent> classifyAll(List<String> texts) {
    List<Intent> out = new ArrayList<>(texts.size());
    for (String t : texts) {
      out.add(classify(t));
    }
    return out;
  }
}
