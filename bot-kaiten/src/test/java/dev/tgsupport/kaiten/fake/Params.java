package dev.tgsupport.kaiten.fake;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Query parameters, decoded, with Kaiten's validation: a malformed number or date is a 400. */
final class Params {
  final Map<String, List<String>> values;

  private Params(Map<String, List<String>> values) {
    this.values = values;
  }

  static Params parse(String rawQuery) {
    Map<String, List<String>> values = new LinkedHashMap<>();
    if (rawQuery != null && !rawQuery.isEmpty()) {
      for (String pair : rawQuery.split("&")) {
        if (pair.isEmpty()) {
          continue;
        }
        int eq = pair.indexOf('=');
        String name = decode(eq < 0 ? pair : pair.substring(0, eq));
        String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
        values.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
      }
    }
    return new Params(values);
  }

  String first(String name) {
    List<String> v = values.get(name);
    return v == null || v.isEmpty() ? null : v.get(0);
  }

  Long optLong(String name) {
    String v = first(name);
    if (v == null || v.isEmpty()) {
      return null;
    }
    try {
      return Long.parseLong(v.strip());
    } catch (NumberFormatException e) {
      throw ApiError.badRequest(name + " must be an integer");
    }
  }

  /** Comma-separated and/or repeated values. */
  List<Long> longList(String name) {
    List<Long> out = new ArrayList<>();
    for (String v : values.getOrDefault(name, List.of())) {
      for (String part : v.split(",")) {
        if (part.isBlank()) {
          continue;
        }
        try {
          out.add(Long.parseLong(part.strip()));
        } catch (NumberFormatException e) {
          throw ApiError.badRequest(name + " must be a comma-separated list of integers");
        }
      }
    }
    return out;
  }

  Instant optInstant(String name) {
    String v = first(name);
    if (v == null || v.isEmpty()) {
      return null;
    }
    try {
      return Instant.parse(v);
    } catch (DateTimeParseException e) {
      try {
        return OffsetDateTime.parse(v).toInstant();
      } catch (DateTimeParseException again) {
        throw ApiError.badRequest(name + " must be an ISO 8601 date-time");
      }
    }
  }

  /** {@code limit}, 1 to {@code max}; {@code max} when absent. */
  int limit(int max) {
    Long v = optLong("limit");
    if (v == null) {
      return max;
    }
    if (v < 1 || v > max) {
      throw ApiError.badRequest("limit must be between 1 and " + max);
    }
    return v.intValue();
  }

  int offset() {
    Long v = optLong("offset");
    if (v == null) {
      return 0;
    }
    if (v < 0 || v > Integer.MAX_VALUE) {
      throw ApiError.badRequest("offset must be >= 0");
    }
    return v.intValue();
  }

  boolean listContains(String name, String value) {
    for (String v : values.getOrDefault(name, List.of())) {
      for (String part : v.split(",")) {
        if (part.strip().equals(value)) {
          return true;
        }
      }
    }
    return false;
  }

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }
}
