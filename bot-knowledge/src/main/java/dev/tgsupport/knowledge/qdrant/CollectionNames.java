package dev.tgsupport.knowledge.qdrant;

import static dev.tgsupport.core.InvalidInputException.check;

import java.util.Locale;
import java.util.regex.Pattern;

/** The name of the collection of one embedding model: vectors of different models must never share one. */
final class CollectionNames {
  private static final Pattern BASE = Pattern.compile("[A-Za-z0-9_-]{1,100}");
  private static final Pattern NOT_NAME_CHARS = Pattern.compile("[^a-z0-9]+");

  private CollectionNames() {}

  static String of(String base, String modelName, int dimension) {
    check(base != null && BASE.matcher(base).matches(), "collection",
        "must be 1-100 letters, digits, '_' or '-'", base);
    String model = sanitize(modelName);
    check(!model.isEmpty(), "modelName", "must contain a letter or a digit", modelName);
    check(dimension > 0, "dimension", "must be > 0", dimension);
    return base + "__" + model + "__" + dimension;
  }

  static String sanitize(String modelName) {
    if (modelName == null) {
      return "";
    }
    String s = NOT_NAME_CHARS.matcher(modelName.toLowerCase(Locale.ROOT)).replaceAll("_");
    int start = 0;
    int end = s.length();
    while (start < end && s.charAt(start) == '_') {
      start++;
    }
    while (end > start && s.charAt(end - 1) == '_') {
      end--;
    }
    return s.substring(start, end);
  }
}
