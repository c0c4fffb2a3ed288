package dev.tgsupport.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code tgsupport bench sender} from the packaged jar: the fake Telegram must be inside it. */
class BenchSenderCommandIT {
  @Test
  void aSmallRunPrintsEveryKeyAndEarnsNo429() throws Exception {
    try (JarProcess p = JarProcess.start(Map.of(), "bench", "sender", "--messages", "120", "--chats", "30")) {
      assertThat(p.waitFor(Duration.ofSeconds(120))).as(p.err()).isZero();
      Map<String, String> values = new LinkedHashMap<>();
      for (String line : p.out().split("\n")) {
        String[] kv = line.split(": ", 2);
        assertThat(kv).as("a 'key: value' line: %s", line).hasSize(2);
        values.put(kv[0], kv[1]);
      }
      assertThat(values.keySet()).containsExactly("messages", "chats", "limit_per_s", "elapsed_s", "sent_per_s",
          "http_429", "max_per_chat_per_s");
      assertThat(values).containsEntry("messages", "120").containsEntry("chats", "30")
          .containsEntry("limit_per_s", "30").containsEntry("http_429", "0");
      double rate = Double.parseDouble(values.get("sent_per_s"));
      assertThat(rate).as("never above the limit, whatever the machine").isPositive().isLessThanOrEqualTo(31.0);
      assertThat(Double.parseDouble(values.get("elapsed_s"))).isGreaterThan(3.0);
      assertThat(Integer.parseInt(values.get("max_per_chat_per_s"))).isBetween(1, 3);
      assertThat(p.err()).contains("bench: 120 sent, 0 failed");
    }
  }
}
