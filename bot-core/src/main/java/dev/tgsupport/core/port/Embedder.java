package dev.tgsupport.core.port;

import java.util.ArrayList;
import java.util.List;

/** Turns text into a fixed-size vector whose cosine similarity reflects meaning. Thread-safe. */
public interface Embedder {
  /** Vector length. */
  int dimension();

  /** A stable name of the model; an index built with one model must not be searched with another. */
  String modelName();

  float[] embed(String text);

  /** Embeds many texts; implementations batch where the model allows. */
  default List<float[]> embedAll(List<String> texts) {
    List<float[]> out = new ArrayList<>(texts.size());
    for (String t : texts) {
      out.add(embed(t));
    }
    return out;
  }
}
