package dev.tgsupport.knowledge.embed;

import dev.tgsupport.core.InvalidInputException;
import java.util.List;

/** The input checks every embedder here shares, so each refuses blank text with LocalEmbedder's words. */
final class Texts {
  private Texts() {}

  static String checked(String text, String field) {
    if (text == null) {
      throw new InvalidInputException(field, "must not be null");
    }
    if (text.isBlank()) {
      throw new InvalidInputException(field, "must not be blank");
    }
    return text;
  }

  static List<String> checkedAll(List<String> texts) {
    if (texts == null) {
      throw new InvalidInputException("texts", "must not be null");
    }
    for (int i = 0; i < texts.size(); i++) {
      checked(texts.get(i), "texts[" + i + "]");
    }
    return texts;
  }
}
