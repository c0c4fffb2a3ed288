package dev.tgsupport.sample;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** The secrets a connection URL carries, as they may appear in a driver's message: raw and URL-decoded. */
final class UrlSecrets {
  private UrlSecrets() {}

  /** Adds {@code raw} and its decoded form to {@code found}, for masking wherever either appears. */
  static void add(List<String> found, String raw) {
    // Very short passwords are only hidden in URL form: replacing every "ab" in a message would garble it.
    if (raw.length() >= 4) {
      found.add(raw);
      String decoded;
      try {
        decoded = URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        return;
      }
      if (!decoded.equals(raw) && decoded.length() >= 4) {
        found.add(decoded);
      }
    }
  }
}
