package dev.tgsupport.core.model;

import dev.tgsupport.core.InvalidInputException;
import java.util.ArrayList;
import java.util.List;

final class Tags {
  private Tags() {}

  static List<String> copy(List<String> tags, String field) {
    if (tags == null || tags.isEmpty()) {
      return List.of();
    }
    List<String> out = new ArrayList<>(tags.size());
    for (int i = 0; i < tags.size(); i++) {
      String t = tags.get(i);
      InvalidInputException.requireNonBlank(t, field + "[" + i + "]");
      String trimmed = t.strip();
      if (!out.contains(trimmed)) {
        out.add(trimmed);
      }
    }
    return List.copyOf(out);
  }
}
